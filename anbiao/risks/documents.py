"""Office documents: 岗位风险告知卡 (docx), 安全风险管控手册 (xlsx), 风险评估报告 (docx with the map)."""

from __future__ import annotations

import io

import openpyxl
from django.http import HttpResponse
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl.styles import Alignment, PatternFill

from anbiao.core import privacy, xlsx
from anbiao.risks.choices import COLOUR_HEX, COLOUR_NAME, MEASURE_FIELDS, Level
from anbiao.risks.scoring import fmt_score

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MANUAL_SHEET = "风险分级管控清单"
HISTORY_SHEET = "评估记录"
MANUAL_HEADERS = [
    "序号",
    "风险点名称",
    "类别",
    "位置",
    "危险有害因素",
    "主要危险有害因素描述",
    "可能导致的事故类型",
    "评价方法",
    "因子取值",
    "分值",
    "风险等级",
    "颜色",
    *[label for _, label in MEASURE_FIELDS],
    "管控层级",
    "责任部门",
    "责任人",
    "隐患排查内容",
    "排查周期",
    "评估日期",
    "下次复评日期",
]


def docx_response(doc: Document, filename: str) -> HttpResponse:
    from urllib.parse import quote

    buf = io.BytesIO()
    doc.save(buf)
    resp = HttpResponse(buf.getvalue(), content_type=DOCX_MIME)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


def _new_doc() -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2)
    return doc


def _title(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(18)


def _rgb(level: str) -> RGBColor:
    return RGBColor.from_string(COLOUR_HEX[level].lstrip("#").upper())


def _kv_table(doc, rows: list[tuple[str, str]]):
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for key, value in rows:
        cells = table.add_row().cells
        cells[0].text = key
        cells[0].paragraphs[0].runs[0].bold = True
        cells[1].text = value or "—"
        cells[0].width, cells[1].width = Cm(4), Cm(13)
    return table


def _latest(point):
    rows = getattr(point, "history", None)
    if rows is not None:
        return rows[0] if rows else None
    return point.assessments.order_by("-assessed_on", "-id").first()


# --- 岗位风险告知卡 ----------------------------------------------------------------------------------------
def _phone(value: str, full: bool) -> str:
    return value if full else privacy.mask_phone(value)


def card_rows(point, *, full: bool = False) -> list[tuple[str, str]]:
    """The card's rows; phones masked unless ``full`` (privacy.sees_full of the viewer)."""
    e = point.enterprise
    latest = _latest(point)
    level = point.level
    return [
        ("风险点", f"{point.name}（{point.get_kind_display()}）"),
        ("位置", point.location),
        ("风险等级", f"{COLOUR_NAME[level]}色 · {point.get_level_display()}" if level else "未评估"),
        (
            "评价",
            f"{latest.get_method_display()}：{latest.factor_text()}，分值 {fmt_score(latest.score)}"
            if latest
            else "",
        ),
        (
            "主要危险有害因素",
            "；".join(
                filter(None, [point.hazard_description.rstrip("。"), "、".join(point.hazard_factor_labels())])
            ),
        ),
        ("可能导致的事故（后果）", "、".join(point.accident_type_labels())),
        *[(label, text) for label, text in point.measures()],
        ("管控层级", point.get_control_level_display()),
        (
            "责任部门 / 责任人",
            " / ".join(filter(None, [point.responsible_department, point.responsible_person])),
        ),
        ("联系电话", _phone(point.responsible_phone, full)),
        (
            "企业安全管理员",
            " ".join(filter(None, [e.safety_officer_name, _phone(e.safety_officer_phone, full)])),
        ),
        ("应急电话", "火警 119 · 急救 120 · 报警 110"),
    ]


def card_docx(point, *, full: bool = False) -> Document:
    doc = _new_doc()
    _title(doc, "岗位风险告知卡")
    p = doc.add_paragraph(point.enterprise.name)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if point.level:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(f"■ {COLOUR_NAME[point.level]}色 {point.get_level_display()}")
        run.bold = True
        run.font.size = Pt(16)
        run.font.color.rgb = _rgb(point.level)
    _kv_table(doc, card_rows(point, full=full))
    doc.add_paragraph(f"告知日期：{timezone.localdate():%Y年%m月%d日}")
    return doc


# --- 安全风险管控手册 (xlsx) ----------------------------------------------------------------------
def manual_row(n: int, point) -> list:
    latest = _latest(point)
    return [
        n,
        point.name,
        point.get_kind_display(),
        point.location,
        "、".join(point.hazard_factor_labels()),
        point.hazard_description,
        "、".join(point.accident_type_labels()),
        latest.get_method_display() if latest else "",
        latest.factor_text() if latest else "",
        float(point.score) if point.score is not None else None,
        point.get_level_display() if point.level else "未评估",
        COLOUR_NAME.get(point.level, ""),
        *[getattr(point, name) for name, _ in MEASURE_FIELDS],
        point.get_control_level_display(),
        point.responsible_department,
        point.responsible_person,
        point.check_content,
        point.get_check_cycle_display(),
        point.assessed_on,
        point.next_review_on,
    ]


def manual_workbook(enterprise, points) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = MANUAL_SHEET
    rows = [manual_row(n, p) for n, p in enumerate(points, start=1)]
    xlsx.write_table(
        ws,
        MANUAL_HEADERS,
        rows,
        widths=[6, 20, 10, 14, 24, 24, 18, 18, 30, 8, 10, 6] + [24] * 5 + [10, 12, 10, 24, 10, 12, 12],
    )
    colour_col = MANUAL_HEADERS.index("颜色") + 1
    for r, p in enumerate(points, start=2):
        if p.level:
            ws.cell(row=r, column=colour_col).fill = PatternFill(
                "solid", fgColor=COLOUR_HEX[p.level].lstrip("#")
            )
        for c in range(1, len(MANUAL_HEADERS) + 1):
            ws.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="top")
    ws.insert_rows(1)
    xlsx.set_cell(ws["A1"], f"{enterprise.name} 安全风险分级管控清单（{timezone.localdate():%Y-%m-%d}）")
    ws.freeze_panes = "A3"
    hist = wb.create_sheet(HISTORY_SHEET)
    history = []
    for p in points:
        for a in getattr(p, "history", None) or p.assessments.order_by("-assessed_on", "-id"):
            history.append(
                [
                    p.name,
                    a.assessed_on,
                    a.get_kind_display(),
                    a.get_method_display(),
                    a.factor_text(),
                    float(a.score),
                    a.get_computed_level_display(),
                    a.get_level_display(),
                    a.raise_reason,
                    "是" if a.controls_effective else "否",
                    a.assessor,
                    f"{a.band_set.name} 第{a.band_set.version}版",
                ]
            )
    xlsx.write_table(
        hist,
        [
            "风险点",
            "评估日期",
            "类型",
            "评价方法",
            "因子取值",
            "分值",
            "计算等级",
            "最终等级",
            "调高理由",
            "管控有效",
            "评估人",
            "分级标准版本",
        ],
        history,
    )
    return wb


# --- 风险评估报告 (docx) ------------------------------------------------------------------------------------
def report_docx(
    enterprise, points, *, band_sets, map_pngs: list[tuple[str, bytes]], grade=None, full: bool = False
) -> Document:
    """The 风险评估报告; phones masked unless ``full`` (privacy.sees_full of the viewer)."""
    today = timezone.localdate()
    live = [p for p in points if p.status == "active"]
    counts = {lv: sum(1 for p in live if p.level == lv) for lv in Level.values}
    doc = _new_doc()
    _title(doc, f"{enterprise.name}\n安全风险评估报告")
    doc.add_paragraph(f"报告日期：{today:%Y年%m月%d日}").alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading("一、企业概况", level=1)
    _kv_table(
        doc,
        [
            ("企业名称", enterprise.name),
            ("统一社会信用代码", enterprise.uscc),
            ("监管单位", enterprise.unit.name),
            ("行业", enterprise.industry.name),
            ("经营地址", enterprise.address),
            ("主要负责人", f"{enterprise.principal_name} {_phone(enterprise.principal_phone, full)}"),
            (
                "安全管理员",
                f"{enterprise.safety_officer_name} {_phone(enterprise.safety_officer_phone, full)}",
            ),
            ("从业人员数", str(enterprise.employee_count)),
        ],
    )
    doc.add_heading("二、评估依据、范围和方法", level=1)
    doc.add_paragraph(
        "依据《中华人民共和国安全生产法》第四条、第二十一条、第四十一条，GB/T 13861《生产过程危险和有害因素分类与代码》，"  # noqa: E501
        "GB 6441《企业职工伤亡事故分类》，以及惠供联〔2025〕7号关于“四色”安全风险分级管控的要求。"
    )
    doc.add_paragraph(f"评估范围：本企业在用风险点 {len(live)} 个（场所区域、设备设施、作业活动、岗位）。")
    for b in band_sets:
        bands = "；".join(
            f"{'≥' if x.lower_inclusive else '>'}{x.lower:g} {COLOUR_NAME[x.level]}（{x.meaning}）"
            for x in b.bands.all()
        )
        doc.add_paragraph(
            f"{b.get_method_display()}（{b.name} 第{b.version}版）：{bands}", style="List Bullet"
        )
    doc.add_heading("三、风险辨识与评价结果", level=1)
    doc.add_paragraph(
        "按颜色统计：" + "，".join(f"{COLOUR_NAME[lv]}色 {counts[lv]} 个" for lv in Level.values) + "。"
    )
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ["风险点", "类别", "评价方法", "分值", "等级", "管控层级"], strict=True
    ):
        cell.text = text
    for p in live:
        latest = _latest(p)
        cells = table.add_row().cells
        cells[0].text = p.name
        cells[1].text = p.get_kind_display()
        cells[2].text = latest.get_method_display().split(" ")[0] if latest else "—"
        cells[3].text = fmt_score(p.score)
        cells[4].text = f"{COLOUR_NAME[p.level]} {p.get_level_display()}" if p.level else "未评估"
        cells[5].text = p.get_control_level_display()
    doc.add_heading("四、重大风险和较大风险", level=1)
    serious = [p for p in live if p.level in (Level.MAJOR, Level.SIGNIFICANT)]
    if not serious:
        doc.add_paragraph("本次评估未辨识出重大风险和较大风险。")
    for p in serious:
        doc.add_heading(f"{p.name}（{COLOUR_NAME[p.level]}色 {p.get_level_display()}）", level=2)
        doc.add_paragraph(
            f"位置：{p.location or '—'}；可能导致：{'、'.join(p.accident_type_labels()) or '—'}。"
        )
        factors = p.hazard_description.rstrip("。") or "、".join(p.hazard_factor_labels()) or "—"
        doc.add_paragraph(f"主要危险有害因素：{factors}。")
        latest = _latest(p)
        if latest and latest.raised_level:
            doc.add_paragraph(f"从严调高等级理由：{latest.raise_reason}")
    doc.add_heading("五、管控措施", level=1)
    for p in live:
        measures = p.measures()
        if not measures:
            continue
        doc.add_paragraph(
            f"{p.name}（{p.get_control_level_display() or '—'}，责任人 {p.responsible_person or '—'}）",
            style="List Bullet",
        )
        for label, text in measures:
            doc.add_paragraph(f"{label}：{text}", style="List Bullet 2")
    doc.add_heading("六、结论", level=1)
    worst = next((lv for lv in Level.values if counts[lv]), None)
    conclusion = (
        f"本企业共辨识在用风险点 {len(live)} 个，最高风险等级为{COLOUR_NAME[worst]}色（{Level(worst).label}）。"  # noqa: E501
        if worst
        else "本企业尚未完成风险点评估。"
    )
    if grade is not None:
        conclusion += f"企业整体安全风险等级：{grade.summary}。"
    conclusion += (
        "重大、较大风险须制定专项管控方案并由主要负责人、分管负责人落实管控；每年或发生变更、事故后重新评估。"
    )
    doc.add_paragraph(conclusion)
    doc.add_paragraph("\n编制：________　　审核：________　　主要负责人（签字）：________　　（企业盖章）")
    doc.add_heading("附图：四色安全风险空间分布图", level=1)
    if not map_pngs:
        doc.add_paragraph("尚未绘制四色安全风险空间分布图。")
    for title, png in map_pngs:
        doc.add_paragraph(title)
        doc.add_picture(io.BytesIO(png), width=Cm(16))
    return doc
