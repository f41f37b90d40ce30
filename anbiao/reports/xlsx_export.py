"""The three tables in the official layout (one sheet each) and a 明细 sheet with the rows behind every
non-zero cell."""

from __future__ import annotations

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from anbiao.core.xlsx import HEADER_FILL, set_cell
from anbiao.core.xlsx import response as xlsx_response
from anbiao.reports import drilldown, tables
from anbiao.reports.cells import CELLS

SHEETS = {1: "季报表(一)", 2: "季报表(二)", 3: "季报表(三)"}
DETAIL_SHEET = "明细"
DETAIL_HEADERS = ["表", "栏目键", "栏目", "行", "数值", "记录类型", "记录编号", "记录", "企业"]
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


def _table_sheet(ws, table: dict, ctx, quarter, user) -> None:
    width = table["width"]
    last = get_column_letter(width)
    ws.merge_cells(f"A1:{last}1")
    set_cell(ws["A1"], table["title"])
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    name = getattr(user, "display_name", "") or user.get_username()
    line = f"填报单位(盖章)：{ctx.unit.name}    填表人：{name}    联系电话：{ctx.unit.contact_phone or ''}"
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


def _detail_sheet(ws, ctx, values: dict) -> None:
    for col, text in enumerate(DETAIL_HEADERS, start=1):
        cell = ws.cell(row=1, column=col)
        set_cell(cell, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    r = 2
    for key, cell_def in CELLS.items():
        value = values[key]
        if not value:
            continue
        for obj in drilldown.prepared(cell_def.rows(ctx)).iterator(chunk_size=500):
            row = drilldown.describe(obj)
            for c, v in enumerate(
                [
                    SHEETS[cell_def.table],
                    key,
                    " / ".join(cell_def.path),
                    cell_def.row,
                    value,
                    row["kind"],
                    row["id"],
                    row["text"],
                    row["enterprise"] or (row["text"] if row["kind"] == "企业" else ""),
                ],
                start=1,
            ):
                set_cell(ws.cell(row=r, column=c), v)
            r += 1
    for col, width in enumerate((10, 26, 40, 6, 10, 12, 10, 40, 30), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def workbook(ctx, quarter, user):
    built, values = tables.build(ctx)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table in built:
        _table_sheet(wb.create_sheet(SHEETS[table["number"]]), table, ctx, quarter, user)
    _detail_sheet(wb.create_sheet(DETAIL_SHEET), ctx, values)
    return wb


response = xlsx_response
