"""Printable files: the 考核表 of one person (docx), the assessment summary of an enterprise (xlsx), the
supervisor's overview and the 两个关键少数 list (xlsx). Every file reads back (see tests)."""

from __future__ import annotations

import io

import openpyxl
from django.http import HttpResponse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from anbiao.core import privacy, xlsx

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _yn(value) -> str:
    return "是" if value else "否"


def score_docx(score) -> bytes:
    """全员安全生产责任制考核表 for one post-holder (the safehoo template's columns)."""
    a = score.assessment
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{a.enterprise.name}\n{a.year}年度全员安全生产责任制考核表")
    run.bold = True
    run.font.size = Pt(15)
    head = doc.add_table(rows=2, cols=4)
    head.style = "Table Grid"
    cells = [
        ("被考核人", score.person.name),
        ("岗位（职务）", f"{score.post.name}（{score.post.get_level_display()}）"),
        ("部门", score.post.department.name if score.post.department_id else "—"),
        ("考核日期", score.scored_on.isoformat()),
    ]
    for n, (label, value) in enumerate(cells):
        row, col = divmod(n, 2)
        head.cell(row, col * 2).text = label
        head.cell(row, col * 2 + 1).text = value
    doc.add_paragraph()
    items = list(score.duty_list.assess_items.all())
    deductions = {d.item_id: d for d in score.deductions.all()}
    headers = ["序号", "责任制考核内容及标准", "指标考核", "考核满分", "扣分原因", "扣减分数", "实得分数"]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for i, h in enumerate(headers):
        table.rows[0].cells[i].text = h
    for item in items:
        d = deductions.get(item.pk)
        got = item.full_marks - (d.points if d else 0)
        values = [
            str(item.number),
            item.content,
            item.indicator,
            f"{item.full_marks}",
            d.reason if d else "",
            f"{d.points}" if d else "0",
            f"{got}",
        ]
        cells = table.add_row().cells
        for i, v in enumerate(values):
            cells[i].text = v
    total = table.add_row().cells
    total[0].text = "合计"
    total[3].text = f"{score.full_marks}"
    total[6].text = f"{score.score}"
    doc.add_paragraph()
    doc.add_paragraph(f"百分制得分：{score.percent}　　考核结果：{score.band}")
    outcome = score.get_outcome_display()
    if score.outcome != "none":
        outcome += f"　金额：{score.amount} 元"
        if score.paid_on:
            outcome += f"　兑现日期：{score.paid_on.isoformat()}"
    doc.add_paragraph(f"奖惩决定：{outcome}" + (f"（{score.outcome_note}）" if score.outcome_note else ""))
    doc.add_paragraph(f"考核人：{score.assessor or '＿＿＿＿'}　　被考核人签字：＿＿＿＿　　日期：＿＿＿＿")
    doc.add_paragraph(
        f"考核清单：{score.post.name} 第{score.duty_list.version}版"
        f"（{score.duty_list.effective_from or '未生效'} 起执行）"
    )
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def list_docx(duty_list, holders) -> bytes:
    """岗位安全生产责任书: the 责任清单 and 考核清单 of one version, with lines to sign."""
    post = duty_list.post
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{post.enterprise.name}\n{post.name}安全生产责任书")
    run.bold = True
    run.font.size = Pt(15)
    doc.add_paragraph(
        f"岗位层级：{post.get_level_display()}　部门：{post.department.name if post.department_id else '—'}　"
        f"版本：第{duty_list.version}版　生效日期：{duty_list.effective_from or '未发布'}"
    )
    doc.add_paragraph("一、责任清单").runs[0].bold = True
    for item in duty_list.duty_items.all():
        doc.add_paragraph(f"{item.number}. {item.text}" + (f"（依据：{item.basis}）" if item.basis else ""))
    doc.add_paragraph("二、考核清单").runs[0].bold = True
    headers = ["序号", "考核内容及标准", "指标", "满分", "评分办法"]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for i, h in enumerate(headers):
        table.rows[0].cells[i].text = h
    for item in duty_list.assess_items.all():
        cells = table.add_row().cells
        for i, v in enumerate(
            [str(item.number), item.content, item.indicator, f"{item.full_marks}", item.scoring_rule]
        ):
            cells[i].text = v
    doc.add_paragraph()
    if duty_list.published_on:
        doc.add_paragraph(f"公示：{duty_list.published_on.isoformat()} 于 {duty_list.published_place}")
    names = "、".join(h.person.name for h in holders) or "＿＿＿＿"
    doc.add_paragraph(f"责任人（签字）：{names}　　日期：＿＿＿＿")
    doc.add_paragraph("单位主要负责人（签字）：＿＿＿＿　　单位（盖章）　　日期：＿＿＿＿")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def docx_response(data: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    resp = HttpResponse(data, content_type=DOCX_MIME)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


SUMMARY_HEADERS = [
    "序号",
    "被考核人",
    "岗位",
    "岗位层级",
    "部门",
    "考核日期",
    "满分",
    "实得分",
    "百分制得分",
    "考核结果",
    "奖惩决定",
    "金额（元）",
    "决定日期",
    "兑现日期",
    "扣分原因",
]


def assessment_xlsx(assessment, scores) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "考核汇总"
    rows = []
    for n, s in enumerate(scores, 1):
        rows.append(
            [
                n,
                s.person.name,
                s.post.name,
                s.post.get_level_display(),
                s.post.department.name if s.post.department_id else "",
                s.scored_on,
                float(s.full_marks),
                float(s.score),
                float(s.percent),
                s.band,
                s.get_outcome_display(),
                float(s.amount),
                s.decided_on,
                s.paid_on,
                "；".join(f"第{d.item.number}项 -{d.points}：{d.reason}" for d in s.deductions.all()),
            ]
        )
    xlsx.write_table(
        ws, SUMMARY_HEADERS, rows, widths=[6, 12, 16, 12, 12, 12, 8, 8, 10, 10, 10, 12, 12, 12, 50]
    )
    info = wb.create_sheet("概况")
    rewarded = [s for s in scores if s.outcome == "reward"]
    paid = [s for s in rewarded if s.paid_on]
    xlsx.write_table(
        info,
        ["项目", "内容"],
        [
            ["企业", assessment.enterprise.name],
            ["考核年度", assessment.year],
            ["开始日期", assessment.started_on],
            ["完成日期", assessment.completed_on or "未完成"],
            ["参加考核人数", len(scores)],
            ["获得奖励岗位（个）", len({s.post_id for s in paid})],
            ["兑现奖励金额（元）", float(sum(s.amount for s in paid))],
        ],
        widths=[20, 40],
    )
    return wb


OVERVIEW_HEADERS = [
    "企业名称",
    "监管单位",
    "从业人员数",
    "危险物品",
    "岗位数",
    "责任清单齐全",
    "安全生产管理机构",
    "专职人数",
    "兼职人数",
    "第24条配备合规",
    "应急救援队伍（支）",
    "救援队员（人）",
    "已完成年度考核",
]


def overview_xlsx(enterprises) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "全员责任制落实情况"
    rows = [
        [
            e.name,
            e.unit.name,
            e.employee_count,
            _yn(e.handles_dangerous_goods),
            e.posts_n,
            _yn(e.lists_complete),
            _yn(e.has_body),
            e.full_time_n,
            e.part_time_n,
            _yn(e.art24_ok),
            e.teams_n,
            e.team_members_n,
            _yn(e.assessed_year),
        ]
        for e in enterprises
    ]
    xlsx.write_table(ws, OVERVIEW_HEADERS, rows, widths=[28, 16, 10, 8, 8, 12, 14, 8, 8, 14, 14, 12, 14])
    return wb


KEY_HEADERS = [
    "姓名",
    "企业",
    "监管单位",
    "类别",
    "联系电话",
    "证书类别",
    "证书编号",
    "发证机关",
    "发证日期",
    "有效期至",
    "状态",
]


def key_people_xlsx(people, *, scope=None) -> openpyxl.Workbook:
    """Phones and certificate numbers masked unless ``scope`` may see them (without a scope: masked)."""
    show = privacy.Revealer(scope).show
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "两个关键少数"
    rows = []
    for p in people:
        roles = "、".join(
            r for r, on in (("主要负责人", p.is_principal), ("安全生产管理人员", p.is_officer)) if on
        )
        certs = p.key_certificates or [None]
        for c in certs:
            rows.append(
                [
                    p.name,
                    p.enterprise.name,
                    p.enterprise.unit.name,
                    roles,
                    show(p.phone, p),
                    c.get_kind_display() if c else "无",
                    show(c.number, p, "text") if c else "",
                    c.issuer if c else "",
                    c.issued_on if c else None,
                    c.expires_on if c else None,
                    c.state_label if c else "缺少考核合格证明",
                ]
            )
    xlsx.write_table(ws, KEY_HEADERS, rows, widths=[10, 28, 16, 20, 14, 30, 18, 20, 12, 12, 12])
    return wb
