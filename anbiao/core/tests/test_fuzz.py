"""Bounded property-based fuzzing of the input parsers (security.md D2, D4, H4).

Properties:

- ``read_upload`` (the shared xlsx reader) turns any workbook, and any damaged copy of one, into a ``Sheet``
  or an ``XlsxError`` with a Chinese message, never another exception;
- the enterprise import answers any sheet of any cell values with an ``ImportResult`` (created rows or
  errors), never an exception, and writes nothing when it reports errors;
- the cell parsers raise only ``ValueError`` (with a reason) for any value a cell can hold;
- ``sniff_and_clean`` turns any bytes, and any damaged image, into a clean file or a ``ValidationError``;
  what it accepts as an image re-opens as that image.

The example counts are small so the file runs in well under 30 seconds in the suite. The long form raises
every count, e.g. ``ANBIAO_FUZZ_EXAMPLES=5000 .venv/bin/pytest -q anbiao/core/tests/test_fuzz.py`` (about
ten minutes); hypothesis keeps the failing examples it finds in ``.hypothesis/`` and replays them first.
"""

from __future__ import annotations

import datetime
import io
import os
import string
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from PIL import Image

from anbiao.core import files, parsing
from anbiao.core import xlsx as core_xlsx
from anbiao.core.scope import Scope
from anbiao.core.tests import hostile
from anbiao.orgs import xlsx_io
from anbiao.orgs.models import Enterprise

LONG = int(os.environ.get("ANBIAO_FUZZ_EXAMPLES", "0") or 0)


def examples(short: int):
    """``settings`` with ``short`` examples in the suite, or ANBIAO_FUZZ_EXAMPLES of them in the long form."""
    return hsettings(
        max_examples=max(short, LONG),
        deadline=None,
        derandomize=not LONG,  # the suite runs the same examples every time; the long form explores
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# --- cell values -------------------------------------------------------------------------------------------
def _cell_text(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:500]


# Text a person might type in an import sheet, including what the parsers look for.
tricky_text = st.sampled_from(
    [
        "",
        " ",
        "是",
        "否",
        "√",
        "2024-02-30",
        "2024年13月45日",
        "20240301",
        "２０２４－０３－０１",
        "1e999999",
        "-0",
        "NaN",
        "Infinity",
        "9" * 5000,
        "١٢٣",
        "TA 甲供销社",
        "TB",
        "小微企业",
        "商贸零售",
        "=1+1",
        "@SUM(1)",
        "+1",
        "<script>alert(1)</script>",
        "\u202etxt.exe",
        "a\r\nb",
        "91350521000000011A",
        "９１３５０５２１００００００１１Ａ",
    ]
)
cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-(10**12), max_value=10**12),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(9999, 12, 31)),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(9999, 12, 31)),
    st.times(),
    st.text(max_size=40).map(_cell_text),
    tricky_text,
)
parser_inputs = st.one_of(
    cell_values,
    st.text(),
    st.floats(),  # nan and infinities too
    st.timedeltas(),
    st.binary(max_size=20),
)


@examples(400)
@given(value=parser_inputs)
def test_cell_parsers_raise_only_value_error_with_a_reason(value):
    options = {"小微企业": "small", "规上企业": "above_scale", "small": "small"}
    for parse in (
        parsing.text,
        parsing.normal,
        parsing.integer,
        parsing.decimal,
        parsing.boolean,
        parsing.date,
        lambda v: parsing.choice(v, options),
        lambda v: parsing.choice(v, options, required=False),
    ):
        try:
            parse(value)
        except ValueError as exc:
            assert str(exc), (parse, value)


# --- the shared xlsx reader -------------------------------------------------------------------------------
def _workbook(sheet_name: str, rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_name
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


sheet_names = st.one_of(
    st.just("企业名录"),
    st.text(alphabet=string.ascii_letters + "企业名录工作表 ", min_size=1, max_size=31).filter(
        lambda s: s.strip() and s == s.strip() and not set(s) & set("[]:*?/\\'")
    ),
)
rows_of_cells = st.lists(st.lists(cell_values, max_size=8), max_size=8)


def _read(raw: bytes, sheet_name: str = "企业名录"):
    try:
        sheet = core_xlsx.read_upload(io.BytesIO(raw), sheet_name=sheet_name)
    except core_xlsx.XlsxError as exc:
        assert str(exc)
        return None
    assert all(isinstance(n, int) for n, _ in sheet.rows)
    return sheet


@examples(60)
@given(name=sheet_names, rows=rows_of_cells)
def test_read_upload_reads_or_refuses_any_workbook(settings, name, rows):
    settings.ANBIAO_IMPORT_MAX_ROWS = 5
    _read(_workbook(name, rows))


@pytest.fixture(scope="module")
def valid_workbook() -> bytes:
    return _workbook(
        "企业名录", [xlsx_io.HEADERS, ["91350521000000011A", "甲", "TA", "小微企业", "商贸零售"]]
    )


@examples(120)
@given(data=st.data())
def test_read_upload_reads_or_refuses_any_damaged_copy_of_a_workbook(valid_workbook, data):
    raw = bytearray(valid_workbook)
    for _ in range(data.draw(st.integers(1, 8), label="changes")):
        where = data.draw(st.integers(0, len(raw) - 1), label="offset")
        kind = data.draw(st.sampled_from(["flip", "cut", "insert"]), label="kind")
        if kind == "flip":
            raw[where] ^= data.draw(st.integers(1, 255), label="mask")
        elif kind == "cut":
            del raw[where : where + data.draw(st.integers(1, 64), label="length")]
        else:
            raw[where:where] = data.draw(st.binary(min_size=1, max_size=16), label="bytes")
        if not raw:
            break
    _read(bytes(raw))


@examples(60)
@given(data=st.data())
def test_read_upload_reads_or_refuses_a_sheet_whose_xml_is_mutated(valid_workbook, data):
    """Damage inside the sheet XML, re-packed so the zip itself is sound (the parser sees the damage)."""
    member = hostile.sheet_member(valid_workbook)

    def mutate(xml: bytes) -> bytes:
        out = bytearray(xml)
        for _ in range(data.draw(st.integers(1, 5), label="changes")):
            where = data.draw(st.integers(0, len(out) - 1), label="offset")
            out[where : where + data.draw(st.integers(0, 8), label="cut")] = data.draw(
                st.sampled_from(
                    [b"<", b">", b"&", b'"', b"<c>", b"</row>", b"&lol;", b"\x00", b"", b'r="-1"']
                ),
                label="insert",
            )
        return bytes(out)

    from anbiao.orgs.tests import xlsx_corpus as corpus

    _read(corpus.rewrite(valid_workbook, change={member: mutate}))


# --- the enterprise import ---------------------------------------------------------------------------------
header_rows = st.one_of(
    st.just(xlsx_io.HEADERS),
    st.permutations(xlsx_io.HEADERS),
    st.lists(st.sampled_from([*xlsx_io.HEADERS, "备注", "", None]), max_size=30),
)


def _column_value(header):
    """Mostly values in the column's own vocabulary, so rows get past the first check."""
    vocab = {
        "统一社会信用代码": ["91350521000000011A", "91350521000000029T", "x"],
        "企业名称": ["测试超市", "惠安县某某（集团）有限公司", "长" * 121],
        "监管单位": ["TA 甲供销社", "TA1", "TB", "乙供销社"],
        "企业规模": ["小微企业", "规上", "特大"],
        "行业": ["商贸零售", "仓储物流", "远洋捕捞"],
        "经营状态": ["在营", "停业", "倒闭"],
        "纳入名录日期": ["2024-03-01", "2024年2月30日"],
        "经度": ["118.796012", "181", "NaN", "1e999999"],
        "纬度": ["25.030123", "-91"],
        "从业人员数": [8, "１２", -3, 2.5, 10**30],
    }.get(header, [])
    return st.one_of(st.sampled_from(vocab), cell_values) if vocab else cell_values


@st.composite
def enterprise_sheets(draw):
    headers = list(draw(header_rows))
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        rows.append([draw(_column_value(h)) for h in headers] + draw(st.lists(cell_values, max_size=2)))
    return headers, rows


@pytest.mark.django_db
@examples(40)
@given(sheet=enterprise_sheets())
def test_the_enterprise_import_answers_any_sheet_with_rows_or_errors(world, sheet):
    headers, rows = sheet
    raw = _workbook(xlsx_io.SHEET, [headers, *rows])
    upload = io.BytesIO(raw)
    upload.name = "企业名录.xlsx"
    with transaction.atomic():
        before = Enterprise.objects.count()
        result = xlsx_io.import_enterprises(
            actor=world.admin_a, scope=Scope.for_user(world.admin_a), upload=upload
        )
        assert isinstance(result, xlsx_io.ImportResult)
        if result.errors:
            assert all(isinstance(e, str) and e for e in result.errors)
            assert Enterprise.objects.count() == before and result.created == result.updated == 0
        else:
            assert result.created + result.updated == len(
                [r for r in rows if any(v is not None and str(v).strip() for v in r)]
            )
        transaction.set_rollback(True)


# --- file sniffing ------------------------------------------------------------------------------------------
def _accepted_image_reopens(clean: files.CleanFile) -> None:
    if clean.content_type.startswith("image/"):
        with Image.open(io.BytesIO(clean.data)) as img:
            img.load()
            assert img.format == {"image/png": "PNG", "image/jpeg": "JPEG"}[clean.content_type]


def _sniff(raw: bytes, images_only: bool) -> None:
    try:
        clean = files.sniff_and_clean(raw, images_only=images_only)
    except ValidationError as exc:
        assert exc.messages and all(exc.messages)
        return
    _accepted_image_reopens(clean)


@examples(300)
@given(raw=st.binary(max_size=4096), images_only=st.booleans())
@example(raw=hostile.png_broken_chunk(), images_only=False)  # a 500 before: Pillow raised SyntaxError
def test_sniff_and_clean_refuses_or_cleans_random_bytes(raw, images_only):
    _sniff(raw, images_only)


def _image(fmt: str) -> bytes:
    img = Image.effect_noise((24, 16), 40).convert("RGB")
    buf = io.BytesIO()
    if fmt == "GIF":
        img.save(buf, "GIF", save_all=True, append_images=[img.rotate(90)], loop=0)
    else:
        img.save(buf, fmt)
    return buf.getvalue()


SEEDS = {fmt: _image(fmt) for fmt in ("PNG", "JPEG", "GIF", "WEBP")}


@examples(200)
@given(data=st.data())
def test_sniff_and_clean_refuses_or_cleans_any_damaged_image(data):
    raw = bytearray(SEEDS[data.draw(st.sampled_from(sorted(SEEDS)), label="format")])
    for _ in range(data.draw(st.integers(1, 6), label="changes")):
        where = data.draw(st.integers(0, len(raw) - 1), label="offset")
        kind = data.draw(st.sampled_from(["flip", "cut", "insert", "truncate"]), label="kind")
        if kind == "flip":
            raw[where] ^= data.draw(st.integers(1, 255), label="mask")
        elif kind == "cut":
            del raw[where : where + data.draw(st.integers(1, 32), label="length")]
        elif kind == "insert":
            raw[where:where] = data.draw(st.binary(min_size=1, max_size=16), label="bytes")
        else:
            del raw[where:]
        if len(raw) < 2:
            break
    _sniff(bytes(raw), data.draw(st.booleans(), label="images_only"))


@examples(80)
@given(
    members=st.dictionaries(
        st.sampled_from(
            [
                "[Content_Types].xml",
                "word/document.xml",
                "xl/workbook.xml",
                "xl/vbaProject.bin",
                "a/../b",
                "x.rels",
            ]
        ),
        st.binary(max_size=200),
        max_size=5,
    ),
    method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
)
def test_sniff_and_clean_refuses_or_accepts_any_small_zip(members, method):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    _sniff(buf.getvalue(), False)
