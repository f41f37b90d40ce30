"""The three tables in the official layout (one sheet each) and a 明细 sheet with the rows behind every
non-zero cell."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from anbiao.core.xlsx import HEADER_FILL, set_cell
from anbiao.core.xlsx import response as xlsx_response
from anbiao.reports import drilldown
from anbiao.reports.cells import CELLS

SHEETS = {1: "季报表(一)", 2: "季报表(二)", 3: "季报表(三)"}
DETAIL_SHEET = "明细"
DETAIL_HEADERS = ["表", "栏目键", "栏目", "行", "计算值", "记录类型", "记录编号", "记录", "企业"]
DETAIL_WIDTHS = (10, 26, 40, 6, 10, 12, 10, 40, 30)
ADJUST_SHEET = "调整说明"
ADJUST_HEADERS = ["表", "栏目键", "栏目", "行", "计算值", "调整值", "报送值", "调整单位", "原因"]
ADJUST_WIDTHS = (10, 26, 40, 6, 10, 10, 10, 20, 50)
HEADER_TOP = 4  # title, header line, as-of line, then the header tree
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _put(ws, row, col, value, *, rowspan=1, colspan=1, bold=False, fill=False):
    cell = ws.cell(row=row, column=col)
    set_cell(cell, value)
    cell.alignment = CENTER
    if bold:
        cell.font = Font(bold=True)
    if fill:
        cell.fill = HEADER_FILL
    for r in range(row, row + rowspan):
        for c in range(col, col + colspan):
            ws.cell(row=r, column=c).border = BORDER
    if rowspan > 1 or colspan > 1:
        ws.merge_cells(
            start_row=row, start_column=col, end_row=row + rowspan - 1, end_column=col + colspan - 1
        )


def _table_sheet(ws, table: dict, ctx, quarter, filler: str, phone: str) -> None:
    width = table["width"]
    last = get_column_letter(width)
    ws.merge_cells(f"A1:{last}1")
    set_cell(ws["A1"], table["title"])
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    line = f"填报单位(盖章)：{ctx.unit.name}    填表人：{filler}    联系电话：{phone or ''}"
    if table["number"] == 3:
        line += f"    {quarter.year}年"
    ws.merge_cells(f"A2:{last}2")
    set_cell(ws["A2"], line)
    ws.merge_cells(f"A3:{last}3")
    set_cell(ws["A3"], f"{quarter.label}（数据截至 {ctx.as_of:%Y-%m-%d}）")
    headers = table["headers"]
    for level, line_cells in enumerate(headers):
        for h in line_cells:
            _put(
                ws,
                HEADER_TOP + level,
                h["col"] + 1,
                h["text"],
                rowspan=h["rowspan"],
                colspan=h["colspan"],
                bold=True,
                fill=True,
            )
    top = HEADER_TOP + len(headers)
    occupied: set[tuple[int, int]] = set()
    for r, line_cells in enumerate(table["rows"]):
        col = 1
        for item in line_cells:
            while (top + r, col) in occupied:
                col += 1
            value = item["label"] if item.get("is_label") else item["value"]
            _put(ws, top + r, col, value, rowspan=item["rowspan"])
            for extra in range(1, item["rowspan"]):
                occupied.add((top + r + extra, col))
            col += 1
    notes_row = top + len(table["rows"]) + 1
    ws.merge_cells(start_row=notes_row, start_column=1, end_row=notes_row, end_column=width)
    set_cell(ws.cell(row=notes_row, column=1), "注：" + "".join(table["notes"]))
    ws.cell(row=notes_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[notes_row].height = 90
    for c in range(1, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 11
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


@dataclass
class Details:
    """A detail sheet: its name, header row, rows and column widths."""

    title: str
    headers: list[str]
    rows: Iterable[list]
    widths: tuple[int, ...]


def _cell_columns(cell_def) -> list:
    return [SHEETS[cell_def.table], cell_def.key, " / ".join(cell_def.path), cell_def.row]


def _rows_of(cell_def, value, objects) -> Iterator[list]:
    for obj in objects:
        row = drilldown.describe(obj)
        yield [
            *_cell_columns(cell_def),
            value,
            row["kind"],
            row["id"],
            row["text"],
            row["enterprise"] or (row["text"] if row["kind"] == "企业" else ""),
        ]


def live_details(ctx, live) -> list[Details]:
    """The rows behind every non-zero computed cell, and the adjustments beside the computed values."""

    def rows():
        for key, cell_def in CELLS.items():
            value = live.computed[key]
            if value:
                yield from _rows_of(cell_def, value, drilldown.prepared(cell_def.rows(ctx)).iterator(500))

    return [Details(DETAIL_SHEET, DETAIL_HEADERS, rows(), DETAIL_WIDTHS), adjustment_details(live)]


def frozen_details(ctx, version, scope) -> list[Details]:
    """The rows a submitted version froze (those no longer on record are listed as 已删除)."""

    def rows():
        for key, cell_def in CELLS.items():
            ids = version.row_ids.get(key, [])
            if not ids:
                continue
            model = cell_def.rows(ctx).model
            found = drilldown.prepared(model.objects.visible_to(scope).filter(pk__in=ids))
            seen = set()
            for line in _rows_of(cell_def, version.computed[key], found.iterator(500)):
                seen.add(line[6])
                yield line
            for gone in sorted(set(ids) - seen):
                yield [
                    *_cell_columns(cell_def),
                    version.computed[key],
                    "",
                    gone,
                    "（报送后已删除或不可见）",
                    "",
                ]

    adjustments = [
        [
            *_cell_columns(CELLS[a["cell_key"]]),
            version.computed[a["cell_key"]],
            a["delta"],
            version.values[a["cell_key"]],
            a["unit"],
            a["reason"],
        ]
        for a in version.adjustments
        if a["cell_key"] in CELLS
    ]
    return [
        Details(DETAIL_SHEET, DETAIL_HEADERS, rows(), DETAIL_WIDTHS),
        Details(ADJUST_SHEET, ADJUST_HEADERS, adjustments, ADJUST_WIDTHS),
    ]


def adjustment_details(live) -> Details:
    by_key = live.values
    rows = [
        [
            *_cell_columns(CELLS[a.cell_key]),
            live.computed[a.cell_key],
            a.delta,
            by_key[a.cell_key],
            a.unit.name,
            a.reason,
        ]
        for a in live.adjustments
        if a.cell_key in CELLS
    ]
    return Details(ADJUST_SHEET, ADJUST_HEADERS, rows, ADJUST_WIDTHS)


def rollup_details(parts) -> list[Details]:
    """Per-unit breakdown of every cell: each child's figure (and whether it was submitted) and 本级."""
    headers = ["表", "栏目键", "栏目", "行", *[f"{p.label}（{SOURCE_LABELS[p.source]}）" for p in parts]]
    rows = [[*_cell_columns(c), *[p.values[key] for p in parts]] for key, c in CELLS.items()]
    return [Details("分单位明细", headers, rows, (10, 26, 40, 6, *[14] * len(parts)))]


SOURCE_LABELS = {"submitted": "已报送", "accepted": "已签收", "live": "未报送，按记录计算", "own": "本级"}


def _detail_sheet(ws, details: Details) -> None:
    for col, text in enumerate(details.headers, start=1):
        cell = ws.cell(row=1, column=col)
        set_cell(cell, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for r, line in enumerate(details.rows, start=2):
        for c, v in enumerate(line, start=1):
            set_cell(ws.cell(row=r, column=c), v)
    for col, width in enumerate(details.widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def workbook(ctx, quarter, *, built, filler: str, phone: str, details: list[Details]):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table in built:
        _table_sheet(wb.create_sheet(SHEETS[table["number"]]), table, ctx, quarter, filler, phone)
    for d in details:
        _detail_sheet(wb.create_sheet(d.title), d)
    return wb


response = xlsx_response
