"""The 自评报告 as a Word document (python-docx), ready to print, sign and stamp."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from anbiao.standards import scoring, selectors
from anbiao.standards.choices import ItemLevel
from anbiao.standards.models import SelfAssessment, StandardItem
from anbiao.standards.services.assessment import score_of

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _font(doc):
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")


def _table(doc, headers, rows):
    t = doc.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    for cell, h in zip(t.rows[0].cells, headers, strict=True):
        cell.text = str(h)
    for row in rows:
        cells = t.add_row().cells
        for cell, v in zip(cells, row, strict=True):
            cell.text = "" if v is None else str(v)
    return t


def assessment_report(a: SelfAssessment) -> bytes:
    e = a.enterprise
    result = score_of(a)
    doc = Document()
    _font(doc)
    title = doc.add_heading(f"{e.name}\n{a.year}年度安全生产标准化自评报告", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    status = a.get_status_display()
    doc.add_paragraph(f"对标标准：{a.standard}　　状态：{status}")

    doc.add_heading("一、企业概况", level=1)
    _table(
        doc,
        ["项目", "内容"],
        [
            ("企业名称", e.name),
            ("统一社会信用代码", e.uscc),
            ("监管单位", e.unit.name),
            ("行业", e.industry.name),
            ("企业规模", e.get_size_class_display()),
            ("经营地址", e.address or "—"),
            ("主要负责人", e.principal_name or "—"),
            ("从业人员数", e.employee_count),
        ],
    )

    doc.add_heading("二、自评组织", level=1)
    doc.add_paragraph(f"自评组组长（主要负责人）：{a.leader_name}")
    members = [m.strip() for m in a.team_members.splitlines() if m.strip()]
    doc.add_paragraph("自评组成员：" + ("、".join(members) if members else "—"))
    doc.add_paragraph(
        f"自评时间：{a.started_on:%Y年%m月%d日} 至 {a.assessed_on:%Y年%m月%d日}"
        if a.assessed_on
        else f"自评开始：{a.started_on:%Y年%m月%d日}"
    )

    doc.add_heading("三、自评方法", level=1)
    doc.add_paragraph(
        (a.method or "对照标准逐项查阅文件记录、现场检查、询问从业人员。")
        + " 得分按“百分制得分 = 实得分 ÷（满分 − 不涉及项分值）× 100”计算，保留一位小数；"
        + "否决项不符合的，不论得分均不能达到相应等级。"
    )

    doc.add_heading("四、得分情况", level=1)
    elements = {
        i.code: i.title for i in StandardItem.objects.filter(standard=a.standard, level=ItemLevel.ELEMENT)
    }
    rows = [
        (f"{code} {elements.get(code, '')}", s.full, s.not_applicable, s.earned, s.percent, s.deductions)
        for code, s in result.elements.items()
    ]
    rows.append(
        (
            "合计",
            result.full,
            result.not_applicable,
            result.earned,
            result.percent,
            sum(s.deductions for s in result.elements.values()),
        )
    )
    _table(doc, ["一级要素", "满分", "不涉及分值", "实得分", "百分制得分", "扣分项数"], rows)
    doc.add_paragraph(
        f"百分制得分：{a.percent}　按得分可支持等级：{scoring.LEVEL_LABELS.get(a.level_by_score, '未达到')}"
        f"　综合安全绩效后可支持等级：{scoring.LEVEL_LABELS.get(a.level_supported, '不具备定级条件')}"
    )
    for reason in a.level_reasons or []:
        doc.add_paragraph(reason, style="List Bullet")
    previous = selectors.previous_assessment(a)
    if previous is not None:
        diff = a.percent - previous.percent
        doc.add_paragraph(
            f"与{previous.year}年度自评（{previous.percent}分）相比：{'+' if diff >= 0 else ''}{diff}分。"
        )

    doc.add_heading("五、扣分项", level=1)
    entries = list(a.entries.select_related("item").filter(applicable=True, deduction__gt=0))
    if entries:
        _table(
            doc,
            ["编号", "考评内容", "标准分值", "扣分", "扣分说明"],
            [(x.item.code, x.item.title, x.item.score, x.deduction, x.reason) for x in entries],
        )
    else:
        doc.add_paragraph("无扣分项。")

    doc.add_heading("六、否决项", level=1)
    vetoes = list(a.entries.select_related("item").filter(veto_failed=True))
    if vetoes:
        _table(doc, ["编号", "否决项", "说明"], [(x.item.code, x.item.title, x.reason) for x in vetoes])
    else:
        doc.add_paragraph("否决项均符合要求。")

    doc.add_heading("七、不符合项及持续改进计划", level=1)
    items = list(a.improvements.exclude(status="cancelled"))
    if items:
        _table(
            doc,
            ["问题", "整改措施", "责任人", "整改时限", "状态"],
            [
                (i.problem, i.measure, i.responsible_name, f"{i.deadline:%Y-%m-%d}", i.get_status_display())
                for i in items
            ],
        )
    else:
        doc.add_paragraph("（尚未建立持续改进清单。）" if entries or vetoes else "无不符合项。")

    doc.add_heading("八、自评结论", level=1)
    doc.add_paragraph(a.conclusion or "（尚未填写）")
    if a.announced_on:
        doc.add_paragraph(
            f"自评结果已于 {a.announced_on:%Y年%m月%d日} 通过“{a.announce_method}”向本单位从业人员通报。"
        )

    doc.add_paragraph("")
    doc.add_paragraph("主要负责人（签字）：________________　　　日期：____年__月__日")
    doc.add_paragraph("自评组成员（签字）：________________")
    stamp = doc.add_paragraph("（单位盖章）")
    stamp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
