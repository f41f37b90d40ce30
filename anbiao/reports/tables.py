"""Layout of the three tables (header trees, row blocks, notes) and their computation for one unit."""

from __future__ import annotations

from dataclasses import dataclass

from anbiao.reports.cells import CELLS, RAISE, Cell, cells_of
from anbiao.reports.context import ReportContext

TITLES = {
    1: "惠安县供销社系统安全生产标准化提升专项行动2025年持续深化进展情况季报表(一)",
    2: "惠安县供销社系统安全生产标准化提升专项行动2025年持续深化进展情况季报表(二)",
    3: "惠安县供销社系统安全生产标准化提升专项行动2025年持续深化进展情况季报表(三)",
}
NOTES = {
    1: [
        "1.各填报单位按照各自所属的单位类型进行填报；",
        "2.自评企业指未经定级(达标)评审，只完成内部自评的企业；",
        "3.地标指的是泉州市本级地方标准，统一按不分级达标统计；",
        "4.企业底数一栏以2024年企业底数为基数据实补缺补漏填报；",
        "5.落实全员安全生产责任制数量一栏当中除自查隐患数量以及整改隐患数量填报2025年1月以来累计数外，"
        "其余各项数据从2021年8月份开始累计滚动更新填报；",
        "6.四色安全风险分级动态监管指的是对企业安全生产状况进行整体评估，按照“红、橙、黄、蓝”确定企业整体安全风险等级；",
        "7.创建提升数量一栏达标评审从2021年8月份开始累计滚动更新填报，自评数据填写2025年1月以来累计数；",
        "8.实施星级管理数量一栏从2024年4月份开始累计滚动更新填报；",
        "9.表格不应有空白处，若无则应填写0；",
        "10.每季度首月1日前上报上一个季度工作进展情况。",
    ],
    2: [
        "1.各填报单位按照各自所属的单位类型进行填报；",
        "2.本表各项数据均填写2025年1月以来累计数；",
        "3.表格不应有空白处，若无则应填写0；",
        "4.每季度首月1日前上报上一个季度工作进展情况。",
    ],
}
NOTES[3] = NOTES[2]
ROWS = {1: ("国标", "省标", "地标"), 2: ("市级", "县级", "乡级"), 3: ("",)}
UNIT_TYPE = ("填报单位类型",)


@dataclass
class Column:
    path: tuple[str, ...]
    label_column: bool = False  # shows the row label (达标类型 / 层级) or the unit type


def columns(table: int) -> list[Column]:
    cols: list[Column] = [Column(UNIT_TYPE, True)]
    seen: set[tuple] = set()
    for cell in cells_of(table):
        if cell.path in seen:
            continue
        seen.add(cell.path)
        if table == 1 and cell.path[:2] == (RAISE, "达标评审") and (RAISE, "达标类型") not in seen:
            seen.add((RAISE, "达标类型"))
            cols.append(Column((RAISE, "达标类型"), True))
        if table == 2 and cell.row and (cell.path[0], "层级") not in seen:
            seen.add((cell.path[0], "层级"))
            cols.append(Column((cell.path[0], "层级"), True))
        cols.append(Column(cell.path))
    return cols


def header_rows(cols: list[Column]) -> list[list[dict]]:
    """The merged header: per header line, cells with text, colspan, rowspan (leftmost first)."""
    depth = max(len(c.path) for c in cols)
    lines: list[list[dict]] = [[] for _ in range(depth)]
    for level in range(depth):
        i = 0
        while i < len(cols):
            path = cols[i].path
            if len(path) <= level:
                i += 1
                continue
            j = i + 1
            while (
                j < len(cols) and len(cols[j].path) > level and cols[j].path[: level + 1] == path[: level + 1]
            ):
                j += 1
            leaf = len(path) == level + 1
            lines[level].append(
                {
                    "text": path[level],
                    "colspan": j - i if not leaf else 1,
                    "rowspan": depth - level if leaf else 1,
                    "col": i,
                }
            )
            i = j if not leaf else i + 1
    return lines


def cell_at(table: int, path: tuple, row: str) -> Cell | None:
    for cell in cells_of(table):
        if cell.path == path and cell.row in ("", row):
            return cell
    return None


def body_rows(table: int, values: dict, unit_type: str, href=None) -> list[list[dict]]:
    """Rows of one unit-type block: each entry is a label or a cell with its value, link and rowspan."""
    cols = columns(table)
    labels = ROWS[table]
    out = []
    for r, row in enumerate(labels):
        line = []
        for col in cols:
            if col.path == UNIT_TYPE:
                if r == 0:
                    line.append({"is_label": True, "label": unit_type, "rowspan": len(labels)})
                continue
            if col.label_column:
                line.append({"is_label": True, "label": row, "rowspan": 1})
                continue
            cell = cell_at(table, col.path, row)
            if cell.row == "" and r > 0:
                continue
            line.append(
                {
                    "cell": cell,
                    "value": values[cell.key],
                    "href": href(cell) if href else "",
                    "rowspan": len(labels) if cell.row == "" else 1,
                }
            )
        out.append(line)
    return out


def compute(ctx: ReportContext, tables=(1, 2, 3)) -> dict[str, object]:
    """Every cell of ``tables``: the cells of a family from their family's one set-based count, the others
    one by one. Gives exactly what ``cell.compute(ctx)`` gives for each cell (tests/test_cells.py)."""
    families: dict[str, dict] = {}
    out = {}
    for key, cell in CELLS.items():
        if cell.table not in tables:
            continue
        if cell.family is None:
            out[key] = cell.compute(ctx)
            continue
        if cell.family.name not in families:
            families[cell.family.name] = cell.family.values(ctx)
        out[key] = families[cell.family.name][key]
    return out


def layout(blocks) -> list[dict]:
    """The three tables with one row block per ``(label, values, href)``: a unit's own report has one
    block (its unit type); a roll-up has one per unit type, 本级 and 合计. ``href(cell)`` links a value."""
    out = []
    for table in (1, 2, 3):
        cols = columns(table)
        rows = []
        for label, values, href in blocks:
            rows += body_rows(table, values, label, href)
        out.append(
            {
                "number": table,
                "title": TITLES[table],
                "headers": header_rows(cols),
                "rows": rows,
                "notes": NOTES[table],
                "cells": cells_of(table),
                "width": len(cols),
            }
        )
    return out


def build(ctx: ReportContext, values: dict | None = None, href=None):
    """One unit's three tables from ``values`` (default: computed from the records, no adjustments)."""
    values = compute(ctx) if values is None else values
    return layout([(ctx.unit.get_kind_display(), values, href)]), values
