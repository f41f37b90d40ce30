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
        "## 调整、报送、退回与汇总",
        "",
        "- **调整**：记录无法反映的情况，由填报单位对某季度的某一栏填写调整值（可为负数；计数栏为整数，"
        "金额栏最多四位小数），必须写明原因并上传佐证材料。报表中显示“计算值 + 调整值 = 报送值”，"
        "导出文件的“调整说明”表并列列出。上级单位的数值包含其下级单位的调整。",
        "- **报送**：报送期限为下一季度首月1日。"
        "报送时锁定全部栏目的报送值、计算值、调整及每栏背后的记录编号；"
        "之后补录或更正过去日期的记录不会改变已报送的数值，报表页和“报送版本”页显示差异（新增、移出的记录）。"
        "已报送或已签收的季度不能再修改调整，也不能重复报送。",
        "- **签收与退回**：由上级单位签收或退回（退回须写明原因）；"
        "退回后单位修改并重新报送，每次报送都保留。",
        "- **汇总**：上级单位的“下级报送与汇总”按下级单位类型分块："
        "每个直属下级单位取其已报送（或已签收）的数值，"
        "未报送或被退回的按记录实时计算；“本级”为直接隶属本单位的企业和本单位登记的记录；“合计”为各块之和。"
        "计企业家数且不同单位可能重复的栏目（千企达标评审）按报送时锁定的企业编号去重合并。",
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
