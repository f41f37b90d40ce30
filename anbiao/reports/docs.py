"""docs/reports.md, generated from the cell registry (``manage.py anbiao_report_docs``)."""

from __future__ import annotations

from anbiao.reports.cells import cells_of
from anbiao.reports.tables import NOTES, TITLES

INTRO = "\n".join(
    [
        "# 季度报表 季报表(一)(二)(三)：栏目口径",
        "",
        "本文件由 `manage.py anbiao_report_docs` 根据 `anbiao/reports/cells/` 的栏目登记表生成，"
        "请勿手工修改。",
        "",
        "- 每个栏目都按所选单位及其全部下级单位的企业（以季末当天的企业状态历史确定隶属）和记录，"
        "截至所选季度最后一天计算。",
        "- “窗口”一列是累计的起始日期；“季末时点数”表示按季末当天的状态计数。",
        "- “口径”为系统采用的统计定义；其中对附件原文的解释（见 shared/docs/report-tables.md 中标为 "
        "interpretation 的部分）也写在这里，页面上悬停数字或查看“栏目口径”即可看到。",
        "- “计量”：`rows` 表示数值等于明细中列出的记录条数；"
        "`sum` 表示数值为明细记录中人数、人次或金额的合计。",
        "",
    ]
)


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def render() -> str:
    parts = [INTRO]
    for table in (1, 2, 3):
        parts.append(f"\n## {TITLES[table]}\n")
        parts.append("| 栏目键 | 栏目（按表头层级） | 行 | 口径 | 窗口 | 计量 |")
        parts.append("|---|---|---|---|---|---|")
        for cell in cells_of(table):
            parts.append(
                f"| `{cell.key}` | {_escape(' / '.join(cell.path))} | {cell.row or '—'} | "
                f"{_escape(cell.definition)} | {cell.window_text} | {cell.measure} |"
            )
        parts.append("\n表下注释（原文）：\n")
        parts.extend(f"- {note}" for note in NOTES[table])
    return "\n".join(parts) + "\n"
