"""Office xlsx helpers: safe writing (no formula injection) and guarded reading of uploads."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.parsers import expat

import openpyxl
from django.conf import settings
from django.http import HttpResponse
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MAX_COMPRESSION_RATIO = 100
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_MEMBERS = 2000
BLANK_ROWS_FACTOR = 5  # rows read, blank ones included, at most this many times the data-row limit
MAX_COLUMNS = 200  # the widest import has 24 columns; a value in column XFD would make every row 16,384 wide
NOT_OFFICE = "文件不是 Excel（.xlsx）格式。"
DAMAGED = "文件已损坏，无法打开。"
BOMB = "文件解压后过大（疑似压缩炸弹），已拒绝。"
MACROS = "文件含有宏或嵌入的程序对象，已拒绝。请另存为不含宏的 .xlsx 文件。"
DTD = "文件含有 XML 实体声明（DTD），正常的 Office 文件不会有，已拒绝。"


class XlsxError(Exception):
    """A file that cannot be read as the expected workbook; the message is for the user.

    ``code`` says why: ``not_office``, ``damaged``, ``bomb``, ``macros``, ``dtd`` or ``content``."""

    def __init__(self, message: str, code: str = "content"):
        super().__init__(message)
        self.code = code


def inspect_package(raw: bytes) -> set[str]:
    """Check an Office Open XML package (xlsx, docx) without unpacking it; return its member names.

    Shared by the imports and the evidence upload. Refuses (``XlsxError``): not a zip or no
    ``[Content_Types].xml``; a damaged zip; more than ``MAX_UNCOMPRESSED`` bytes unpacked, a compression
    ratio over ``MAX_COMPRESSION_RATIO`` or more than ``MAX_MEMBERS`` members (zip bombs); a VBA project, a
    macro-enabled content type or an embedded binary object (printer settings excepted); a DTD in any XML
    part (the billion-laughs bomb; OPC forbids DTDs in package parts).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names:
                raise XlsxError(NOT_OFFICE, "not_office")
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if len(infos) > MAX_MEMBERS or total > MAX_UNCOMPRESSED or total / packed > MAX_COMPRESSION_RATIO:
                raise XlsxError(BOMB, "bomb")
            types = zf.read("[Content_Types].xml")
            if b"macroEnabled" in types or b"vbaProject" in types or any(_is_binary_object(n) for n in names):
                raise XlsxError(MACROS, "macros")
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")) and _declares_dtd(zf, info):
                    raise XlsxError(DTD, "dtd")
    except XlsxError:
        raise
    except Exception as exc:  # zipfile raises many kinds of errors for damaged archives
        raise XlsxError(DAMAGED, "damaged") from exc
    return names


def _is_binary_object(name: str) -> bool:
    """VBA projects, ActiveX controls and OLE objects are ``.bin`` parts; printer settings are harmless."""
    lower = name.lower()
    return lower.endswith(("vbaproject.bin", "vbadata.xml")) or (
        lower.endswith(".bin") and "/printersettings/" not in lower
    )


class _RootReached(Exception):
    pass


def _declares_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Stream the part through expat up to its root element; True if a DOCTYPE comes first."""
    found = []

    def doctype(*_args):
        found.append(True)
        raise _RootReached

    def root(*_args):
        raise _RootReached

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        with zf.open(info) as member:
            while chunk := member.read(64 * 1024):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _RootReached:
        pass
    except expat.ExpatError:
        pass  # not well-formed: the reader refuses it later with its own message
    return bool(found)


def set_cell(cell, value) -> None:
    """Write ``value``; text that a spreadsheet would treat as a formula is stored as plain text."""
    cell.value = value
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True


def write_table(
    ws, headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int] | None = None
) -> None:
    for col, title in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col)
        set_cell(cell, title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            set_cell(ws.cell(row=r, column=c), value)
    for col in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(col)].width = widths[col - 1] if widths else 16
    ws.freeze_panes = "A2"


def response(workbook, filename: str) -> HttpResponse:
    buf = io.BytesIO()
    workbook.save(buf)
    resp = HttpResponse(buf.getvalue(), content_type=XLSX_MIME)
    from urllib.parse import quote

    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number in the sheet, values)


def read_upload(upload, *, sheet_name: str, header_row: int = 1, max_rows: int | None = None) -> Sheet:
    """Open an uploaded workbook defensively and return one sheet's header and data rows.

    Refuses: too large, not a zip/xlsx, zip bombs, macros, the wrong sheet, formulas, too many rows.
    """
    max_bytes = settings.ANBIAO_IMPORT_MAX_BYTES
    raw = upload.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise XlsxError(f"文件过大：不能超过 {max_bytes // (1024 * 1024)} MB。")
    if not raw:
        raise XlsxError("文件为空。")
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise XlsxError(
            "文件不是 Excel（.xlsx）格式。如为 .xls 或 .csv，请用 Excel 另存为 .xlsx 后再上传。", "not_office"
        )
    names = inspect_package(raw)
    if not any(n.startswith("xl/") for n in names):
        raise XlsxError(NOT_OFFICE, "not_office")
    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of errors for broken files
        raise XlsxError("文件无法按 Excel 工作簿读取，可能已损坏。") from exc
    try:
        if sheet_name not in wb.sheetnames:
            raise XlsxError(f"找不到工作表「{sheet_name}」。请使用系统提供的导入模板。")
        ws = wb[sheet_name]
        ws.reset_dimensions()  # the stored <dimension> may understate the sheet; read every row
        return _read_rows(ws, sheet_name, header_row, max_rows or settings.ANBIAO_IMPORT_MAX_ROWS)
    except XlsxError:
        raise
    except Exception as exc:  # broken XML inside a sheet surfaces only while iterating
        raise XlsxError("文件无法按 Excel 工作簿读取，可能已损坏。") from exc
    finally:
        wb.close()


def _read_rows(ws, sheet_name: str, header_row: int, limit: int) -> Sheet:
    rows_iter = ws.iter_rows(min_row=header_row)
    try:
        header_cells = next(rows_iter)
    except StopIteration as exc:
        raise XlsxError(f"工作表「{sheet_name}」是空的。") from exc
    _check_width(header_cells, header_row)
    headers = [str(c.value).strip() if c.value is not None else "" for c in header_cells]
    rows: list[tuple[int, list]] = []
    scan_limit = header_row + max(limit * BLANK_ROWS_FACTOR, 1000)
    for offset, cells in enumerate(rows_iter, start=header_row + 1):
        if offset > scan_limit:  # blank but present rows cost time too (a million styled rows: 30 s)
            raise XlsxError(
                f"工作表行数过多：第{offset}行仍有单元格或格式。一次最多导入 {limit} 行，"
                "请删除表格下方多余的行后再上传。"
            )
        cells = _check_width(cells, offset)
        values = []
        for index, c in enumerate(cells):
            if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("=")):
                title = headers[index] if index < len(headers) and headers[index] else ""
                where = f"第{get_column_letter(index + 1)}列" + (f"「{title}」" if title else "")
                raise XlsxError(f"第{offset}行{where}含有公式，请粘贴为数值后再上传。")
            values.append(c.value)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        rows.append((offset, values))
        if len(rows) > limit:
            raise XlsxError(f"数据行过多：一次最多导入 {limit} 行。")
    return Sheet(headers=headers, rows=rows)


def _check_width(cells, rownum: int):
    """Trailing empty cells dropped; a value beyond ``MAX_COLUMNS`` is refused (read-only openpyxl pads each
    row up to its last cell, so one value in column XFD makes a row of 16,384 cells)."""
    end = len(cells)
    while end and cells[end - 1].value is None:
        end -= 1
    if end > MAX_COLUMNS:
        raise XlsxError(
            f"第{rownum}行第{get_column_letter(end)}列有内容：列数过多，最多 {MAX_COLUMNS} 列。"
            "请删除多余的列后再上传。"
        )
    return cells[:end]


def write_form_sheet(
    ws,
    *,
    title: str,
    subtitle: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    widths: Sequence[int],
    footer: str = "填表人：                    审核人：                    填报单位（盖章）：",
) -> int:
    """A printable 表样: title, a line about whose list and when, the table with borders, signature line.

    Returns the number of data rows written. Cells are formula-safe (``set_cell``).
    """
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = get_column_letter(len(headers))
    ws.merge_cells(f"A1:{last}1")
    set_cell(ws["A1"], title)
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A2:{last}2")
    set_cell(ws["A2"], subtitle)
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=3, column=col)
        set_cell(cell, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    count = 0
    for r, row in enumerate(rows, start=4):
        count += 1
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            set_cell(cell, value)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.merge_cells(start_row=count + 5, start_column=1, end_row=count + 5, end_column=len(headers))
    set_cell(ws.cell(row=count + 5, column=1), footer)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.freeze_panes = "A4"
    return count
