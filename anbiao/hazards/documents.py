"""The printable files of the hazard module: the three lists (xlsx 表样) and the 整改通知单 (docx)."""

from __future__ import annotations

import datetime
import io

import openpyxl
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from anbiao.core.xlsx import write_form_sheet

HAZARD_HEADERS = [
    "序号",
    "隐患编号",
    "企业",
    "发现日期",
    "检查人/发现人",
    "部位/区域",
    "对应检查项",
    "隐患描述",
    "类别",
    "等级",
    "来源",
    "状态",
]
RECTIFICATION_HEADERS = [
    "序号",
    "隐患编号",
    "企业",
    "隐患描述",
    "整改措施",
    "整改责任人",
    "资金（元）",
    "整改期限",
    "完成日期",
    "验收人",
    "验收日期",
    "状态/销号",
]
INSPECTION_HEADERS = [
    "序号",
    "检查日期",
    "企业",
    "检查类型",
    "检查单位",
    "检查人员",
    "检查清单",
    "检查项",
    "结果",
    "情况说明",
    "隐患编号",
]


def _subtitle(whose: str, filters: str) -> str:
    return f"{whose}　　范围：{filters or '全部'}　　导出日期：{timezone.localdate():%Y年%m月%d日}"


def _d(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def hazard_workbook(hazards, *, whose: str, filters: str, today: datetime.date):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "隐患清单"
    rows = (
        [
            n,
            h.code,
            h.enterprise.name,
            _d(h.found_on),
            h.found_by_name,
            h.location,
            h.checklist_item.content if h.checklist_item_id else "",
            h.description,
            h.get_kind_display(),
            h.get_level_display(),
            h.get_source_display(),
            h.get_state_display() + ("（逾期）" if h.is_overdue(today) else ""),
        ]
        for n, h in enumerate(hazards, start=1)
    )
    write_form_sheet(
        ws,
        title="隐患清单",
        subtitle=_subtitle(whose, filters),
        headers=HAZARD_HEADERS,
        rows=rows,
        widths=[6, 14, 22, 12, 12, 16, 28, 36, 14, 10, 10, 14],
    )
    return wb


def rectification_workbook(hazards, *, whose: str, filters: str, today: datetime.date):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "整改清单"
    rows = (
        [
            n,
            h.code,
            h.enterprise.name,
            h.description,
            h.measures,
            h.responsible_person,
            float(h.funds) if h.funds is not None else "",
            _d(h.deadline),
            _d(h.rectified_on),
            (h.accepted_by.display_name if h.accepted_by_id else h.acceptor_name),
            _d(h.accepted_on),
            h.get_state_display() + ("（逾期）" if h.is_overdue(today) else ""),
        ]
        for n, h in enumerate(hazards, start=1)
    )
    write_form_sheet(
        ws,
        title="整改清单",
        subtitle=_subtitle(whose, filters),
        headers=RECTIFICATION_HEADERS,
        rows=rows,
        widths=[6, 14, 22, 36, 30, 12, 12, 12, 12, 12, 12, 12],
    )
    return wb


def inspection_workbook(results, *, whose: str, filters: str):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "检查清单"
    rows = (
        [
            n,
            _d(r.inspection.inspected_on),
            r.inspection.enterprise.name,
            r.inspection.get_kind_display(),
            r.inspection.organization.name if r.inspection.organization_id else "企业自查",
            r.inspection.inspectors,
            str(r.inspection.version) if r.inspection.version_id else "",
            r.item.content if r.item_id else "（补充发现）",
            r.get_outcome_display(),
            r.note,
            r.hazard.code if r.hazard_id else "",
        ]
        for n, r in enumerate(results, start=1)
    )
    write_form_sheet(
        ws,
        title="安全检查清单（检查记录）",
        subtitle=_subtitle(whose, filters),
        headers=INSPECTION_HEADERS,
        rows=rows,
        widths=[6, 12, 22, 12, 16, 14, 22, 40, 8, 30, 14],
    )
    return wb


def checklist_workbook(template, version, items):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "检查清单"
    rows = (
        [
            n,
            i.get_category_display(),
            i.content,
            i.method,
            i.basis,
            i.criterion.article if i.criterion_id else "",
            "□符合 □不符合 □不涉及",
            "",
        ]
        for n, i in enumerate(items, start=1)
    )
    label = version.label if version else "草稿"
    write_form_sheet(
        ws,
        title=template.name,
        subtitle=f"{template.owner}　{label}　　受检单位：__________　　检查日期：____年__月__日",
        headers=["序号", "类别", "检查内容", "检查方法", "依据", "重大隐患判定条款", "检查结果", "情况说明"],
        rows=rows,
        widths=[6, 10, 44, 18, 28, 16, 22, 24],
        footer="检查人员（签字）：                    受检单位负责人（签字）：",
    )
    return wb


def rectification_notice(inspection, hazards) -> bytes:
    """整改通知单: addressed to the enterprise, listing its hazards with deadlines; to print and stamp."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(12)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("安全生产事故隐患整改通知单")
    run.bold = True
    run.font.size = Pt(18)
    number = doc.add_paragraph(f"编号：{inspection.notice_no}")
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(f"{inspection.enterprise.name}：")
    unit = inspection.organization.name if inspection.organization_id else ""
    deadlines = sorted({h.deadline for h in hazards if h.deadline})
    due = f"{deadlines[-1]:%Y年%m月%d日}" if deadlines else "规定期限"
    doc.add_paragraph(
        f"　　{inspection.inspected_on:%Y年%m月%d日}，{unit}（{inspection.get_kind_display()}）"
        "对你单位进行了安全检查，"
        f"发现下列事故隐患。根据《中华人民共和国安全生产法》第四十一条等规定，请你单位按照“五定”要求落实整改，"
        f"于{due}前整改完毕，并将整改情况（附整改前后照片）书面报告我单位，在安标平台提交验收。"
        "重大事故隐患须制定治理方案并落实安全防范措施，整改期间无法保证安全的，应当局部或者全部停产停业。"
    )
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ["序号", "隐患部位", "隐患描述", "等级", "整改期限"], strict=True
    ):
        cell.text = text
    for n, h in enumerate(hazards, start=1):
        cells = table.add_row().cells
        for cell, text in zip(
            cells, [str(n), h.location, h.description, h.get_level_display(), _d(h.deadline)], strict=True
        ):
            cell.text = text
    doc.add_paragraph("")
    doc.add_paragraph(f"检查人员（签字）：{inspection.inspectors}")
    sign = doc.add_paragraph(f"{unit}（盖章）\n{timezone.localdate():%Y年%m月%d日}")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("企业签收人（签字）：                签收日期：      年    月    日")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
