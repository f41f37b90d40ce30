"""xlsx exports (read back in tests): the supervisor view and the 持续改进清单."""

from __future__ import annotations

import openpyxl
from django.utils import timezone

from anbiao.core.xlsx import write_table
from anbiao.standards.choices import AssessmentStatus, GradeType

OVERVIEW_SHEET = "标准化总览"
OVERVIEW_HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "监管单位",
    "企业规模",
    "本年自评状态",
    "本年自评得分",
    "上年自评得分",
    "得分变化",
    "达标类型",
    "达标等级",
    "有效期至",
    "星级",
    "5S",
    "六有",
]
STATUS = dict(AssessmentStatus.choices)
GRADE = dict(GradeType.choices)
LEVEL = {1: "一级", 2: "二级", 3: "三级"}


def _yes_no(value) -> str:
    return "达标" if value is True else "未达标" if value is False else "未检查"


def overview(rows) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = OVERVIEW_SHEET
    data = []
    for e in rows:
        this = float(e.sa_percent) if e.sa_percent is not None else None
        last = float(e.sa_last_percent) if e.sa_last_percent is not None else None
        data.append(
            (
                e.name,
                e.uscc,
                e.unit.name,
                e.get_size_class_display(),
                str(STATUS.get(e.sa_status, "未开展")),
                this,
                last,
                round(this - last, 1) if this is not None and last is not None else None,
                str(GRADE.get(e.grade_type, "")) if e.grade_type else "未达标",
                LEVEL.get(e.grade_level, "不分级" if e.grade_type else ""),
                e.grade_valid_to,
                e.stars or 0,
                _yes_no(e.five_s_ok),
                _yes_no(e.six_have_ok),
            )
        )
    write_table(ws, OVERVIEW_HEADERS, data, [30, 22, 18, 10, 12, 12, 12, 10, 10, 10, 12, 8, 8, 8])
    for cell in ws["K"][1:]:
        cell.number_format = "yyyy-mm-dd"
    ws.cell(row=len(data) + 3, column=1, value=f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}")
    return wb


IMPROVEMENT_SHEET = "持续改进清单"
IMPROVEMENT_HEADERS = [
    "所属",
    "来源",
    "问题（不符合项）",
    "整改措施",
    "整改责任人",
    "发现日期",
    "整改时限",
    "状态",
    "完成日期",
    "验收人",
    "验收日期",
]


def improvements(qs) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = IMPROVEMENT_SHEET
    rows = [
        (
            str(i.owner),
            i.get_source_display(),
            i.problem,
            i.measure,
            i.responsible_name,
            i.found_on,
            i.deadline,
            i.get_status_display(),
            i.completed_on,
            i.acceptor_name,
            i.accepted_on,
        )
        for i in qs.select_related("enterprise", "organization")
    ]
    write_table(ws, IMPROVEMENT_HEADERS, rows, [24, 12, 40, 40, 12, 12, 12, 10, 12, 12, 12])
    for col in ("F", "G", "I", "K"):
        for cell in ws[col][1:]:
            cell.number_format = "yyyy-mm-dd"
    return wb
