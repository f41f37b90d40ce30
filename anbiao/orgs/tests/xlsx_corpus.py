"""Malformed and hostile workbooks, built in memory, for the import tests.

Every helper takes and returns bytes (or an openpyxl workbook) and needs no database, so the same corpus can
feed any import that goes through ``anbiao.core.xlsx.read_upload``.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable

import openpyxl

SHEET_XML = "xl/worksheets/sheet1.xml"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def to_bytes(workbook: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()


def members(raw: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return zf.namelist()


def rewrite(
    raw: bytes,
    change: dict[str, Callable[[bytes], bytes]] | None = None,
    add: dict[str, bytes] | None = None,
    drop: set[str] | None = None,
) -> bytes:
    """Copy an xlsx zip, passing chosen members through ``change``, adding and dropping members."""
    change, add, drop = change or {}, add or {}, drop or set()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info.filename)
            if info.filename in change:
                data = change[info.filename](data)
            zout.writestr(info.filename, data)
        for name, data in add.items():
            zout.writestr(name, data)
    return out.getvalue()


def with_macro(raw: bytes) -> bytes:
    """An xlsm-style package: the workbook plus a VBA project part."""
    return rewrite(raw, add={"xl/vbaProject.bin": OLE2_MAGIC + b"\x00" * 504})


def zip_bomb(raw: bytes, *, megabytes: int = 200, name: str = "xl/media/image1.bin") -> bytes:
    """The workbook plus one member of ``megabytes`` MB of zeros, streamed so memory stays small.

    Compression level 1 keeps it fast (about 0.25 s for 200 MB) and still packs 200 MB under 1 MB.
    """
    out = io.BytesIO(rewrite(raw))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zf, zf.open(name, "w") as member:
        chunk = bytes(1 << 20)
        for _ in range(megabytes):
            member.write(chunk)
    return out.getvalue()


def incompressible_member(raw: bytes, *, size: int, name: str = "xl/media/image1.bin") -> bytes:
    """The workbook plus ``size`` random bytes (a large but honest member, compression ratio about 1)."""
    return rewrite(raw, add={name: os.urandom(size)})


def set_dimension(raw: bytes, ref: str) -> bytes:
    """Overwrite the sheet's declared used range (``<dimension ref=...>``), as some generators get wrong."""
    return rewrite(
        raw,
        change={
            SHEET_XML: lambda d: re.sub(
                rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), d
            )
        },
    )


def truncated_sheet_xml(raw: bytes) -> bytes:
    """A package whose zip is fine but whose worksheet XML is cut off (not well-formed)."""
    return rewrite(raw, change={SHEET_XML: lambda d: d[: len(d) * 2 // 3]})


def corrupted_member(raw: bytes, member: str = SHEET_XML) -> bytes:
    """Flip bytes inside one stored member so its CRC no longer matches (a damaged download)."""
    out = bytearray(rewrite(raw))
    with zipfile.ZipFile(io.BytesIO(bytes(out))) as zf:
        info = zf.getinfo(member)
    # local header: 30 bytes + name + extra, then the compressed data
    name_len = int.from_bytes(out[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(out[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    middle = start + info.compress_size // 2
    for i in range(middle, middle + 8):
        out[i] ^= 0xFF
    return bytes(out)


def plain_zip() -> bytes:
    """A valid zip that is not an Office package."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", "这不是 Excel 文件")
    return out.getvalue()


def truncated_zip(raw: bytes) -> bytes:
    """The first half of a real workbook (an interrupted upload): no central directory."""
    return raw[: len(raw) // 2]


def csv_text(headers: list[str], rows: list[list[str]]) -> bytes:
    lines = [",".join(headers), *(",".join(r) for r in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def ole2_xls() -> bytes:
    """The start of an old binary .xls (OLE2 compound file), as Excel 97-2003 saves it."""
    return OLE2_MAGIC + b"\x00" * 4088
