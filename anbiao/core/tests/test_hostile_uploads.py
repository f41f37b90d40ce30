"""Every hostile file against every upload and every xlsx import, pages and API (security.md D1, D2, D4).

For each endpoint the test first posts the form as a browser would (the page's own form, every required
field filled) with a harmless file, inside a transaction it rolls back, and checks that this is accepted:
so a refusal afterwards is the file's doing and not a missing field. Then every file of the hostile corpus
(``hostile.py``) goes in alone, and each must be:

- refused with a Chinese message that was not on the page before (a form error, a 4xx with the message, or
  the flashed message on the page the redirect leads to);
- no 5xx;
- nothing written: the row count of every model unchanged, no new file under MEDIA_ROOT;
- no temporary file left behind (every upload is spooled to disk here: FILE_UPLOAD_MAX_MEMORY_SIZE = 0).

``test_every_upload_and_import_view_is_in_the_matrix`` fails when a view that reads uploaded files appears
without being listed below.
"""

from __future__ import annotations

import datetime
import functools
import html
import inspect
import io
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils import timezone

from anbiao.core import xlsx as core_xlsx
from anbiao.core.testing import png_bytes, system_scope
from anbiao.core.tests import hostile
from anbiao.core.tests.pagewalk import parse_forms, url_of, view_name
from anbiao.orgs.tests import xlsx_corpus as corpus
from tests.urlwalk import project_routes

DAY = datetime.date(2025, 3, 10)
NEXT_YEAR = (timezone.localdate() + datetime.timedelta(days=365)).isoformat()

# --- what each hostile file may be answered with ---------------------------------------------------------
IMAGE_ONLY = ("只能上传照片", "有效的图片", "有效图片", "图片无法识别")
EXPECTED = {
    "html-as-jpg": ("不支持的文件类型", *IMAGE_ONLY),
    "php-as-jpg": ("不支持的文件类型", *IMAGE_ONLY),
    "svg-script": ("不支持的文件类型", *IMAGE_ONLY),
    "svg-as-png": ("不支持的文件类型", *IMAGE_ONLY),
    "png-bomb": ("图片像素过多", *IMAGE_ONLY),
    "truncated-jpeg": IMAGE_ONLY,
    "truncated-png": IMAGE_ONLY,
    "png-broken-chunk": IMAGE_ONLY,
    "jpeg-header-html": IMAGE_ONLY,
    "gif-js-polyglot": IMAGE_ONLY,
    "empty-jpg": ("文件为空", "空文件"),
    "empty-xlsx": ("文件为空", "空文件"),
    "zip-bomb": ("压缩炸弹", *IMAGE_ONLY),
    "macros": ("含有宏", *IMAGE_ONLY),
    "billion-laughs": ("XML 实体声明", *IMAGE_ONLY),
}
# Imports: the upload corpus refused as "not an Excel file" is right too; the content corpus by its reason.
NOT_EXCEL = ("不是 Excel", "不是有效的 JSON")
IMPORT_EXPECTED = {
    "formulas": ("含有公式",),
    "million-rows": ("数据行过多", "条款过多", "行数过多"),
    "huge-dimension": ("第1048576行", "行数过多"),
    "too-many-columns": ("列数过多",),
    "wrong-sheet-name": ("找不到工作表",),
    "merged-cells": ("第3行",),
    "text-dates": ("「2024年13月45日」不存在",),
}


def expected(item: hostile.Hostile, *, importing: bool) -> tuple[str, ...]:
    key = item.key.split(":")[0]
    if key in IMPORT_EXPECTED:
        return IMPORT_EXPECTED[key]
    return EXPECTED[key] + (NOT_EXCEL if importing else ())


# --- snapshots ---------------------------------------------------------------------------------------------
@functools.cache
def _count_sql() -> tuple[list[str], str]:
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    qn = connection.ops.quote_name
    parts = [f"(SELECT COUNT(*) FROM {qn(m._meta.db_table)})" for m in models]
    return [m._meta.label for m in models], "SELECT " + ", ".join(parts)


def row_counts() -> dict[str, int]:
    """The row count of every table, in one query."""
    labels, sql = _count_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(labels, cursor.fetchone(), strict=True))


def files_under(root) -> set[str]:
    out = set()
    for base, _dirs, names in os.walk(root):
        out.update(os.path.join(base, n) for n in names)
    return out


@pytest.fixture
def private_tmp(tmp_path, settings, monkeypatch):
    """This process's temp directory, empty, and every upload spooled to a temp file in it."""
    path = tmp_path / "tmp"
    path.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(path))
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    settings.FILE_UPLOAD_TEMP_DIR = None
    assert tempfile.gettempdir() == str(path)
    return path


def response_text(client, response) -> str:
    """What the user reads after the request: the JSON, the page, or the page the redirect leads to."""
    if response.status_code in {301, 302, 303}:
        response = client.get(response["Location"])
    if "json" in response.get("Content-Type", ""):
        return json.dumps(response.json(), ensure_ascii=False)
    return html.unescape(response.content.decode())


# --- endpoints ---------------------------------------------------------------------------------------------
@dataclass
class Endpoint:
    """One view that takes a file. ``page`` is where its form lives (default: the view's own URL);
    ``setup`` prepares the objects it needs and returns a context for ``page``, ``url`` and ``data``."""

    name: str
    user: str | None = "admin_a"
    page: Callable | None = None
    url: Callable | None = None
    setup: Callable | None = None
    data: Callable | None = None
    file_field: str | None = None
    control: Callable[[], SimpleUploadedFile] = field(
        default=lambda: SimpleUploadedFile("现场.png", png_bytes((32, 32)), content_type="image/png")
    )
    api: bool = False
    method: str = "post"
    importing: bool = False
    corpus: Callable | None = None  # the files to send (default: the upload corpus)

    other_files: Callable[[], dict] | None = None  # other file fields the form needs, filled with good files

    @property
    def id(self) -> str:
        return f"{self.name}[{self.file_field}]" if self.file_field and not self.api else self.name


@functools.cache
def _routes() -> dict:
    return {r.name: r for r in project_routes()}


def _route(name):
    return _routes()[name]


def _pair(model_path):
    def inside(world):
        app, name = model_path.split(".")
        return world.in_a_and_b(apps.get_model(app, name))[0]

    return inside


def _at(name, obj_of):
    return lambda world, ctx: reverse(name, args=[obj_of(world, ctx).pk])


# setups --------------------------------------------------------------------------------------------------
def _rectifying_hazard(world):
    from anbiao.hazards.choices import State
    from anbiao.hazards.tests import helpers

    return {"obj": helpers.build(world, world.ent_a, State.RECTIFYING)}


def _open_inspection(world):
    from anbiao.hazards.choices import InspectionKind
    from anbiao.hazards.tests import factories

    return {"obj": factories.inspection(world, world.ent_a, kind=InspectionKind.UNIT, complete=False)}


def _draft_assessment(world):
    from anbiao.standards import services

    today = timezone.localdate()
    a = services.assessment_create(
        actor=None,
        scope=system_scope(world.county),
        enterprise=world.ent_a,
        year=today.year,
        leader_name="张三",
        started_on=today,
    )
    return {"obj": a}


def _step_data(world, ctx):
    a = ctx["obj"]
    element = a.standard.items.filter(level=1).order_by("sort_order", "id").first()
    data = {"element": element.code, "go": "next"}
    for e in a.entries.filter(item__parent__parent=element):
        data[f"e{e.pk}-applicable"] = "1"
        data[f"e{e.pk}-deduction"] = "0"
    return data


def _published_list(world):
    return {"obj": _pair("duty.DutyList")(world)}


def _adjust_page(world, ctx):
    from anbiao.reports.context import Quarter

    return (
        reverse("reports:cell_rows", args=[world.unit_a.pk])
        + f"?quarter={Quarter(2025, 3).code}&cell=t2.training.sessions"
    )


def _pdf():
    return SimpleUploadedFile(
        "扫描件.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )


def _docx():
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile("方案.docx", buf.getvalue())


PAGES = [
    Endpoint(
        "orgs:enterprise_file_upload", page=lambda w, c: reverse("orgs:enterprise_detail", args=[w.ent_a.pk])
    ),
    Endpoint("hazards:hazard_create", user="safety_a"),
    Endpoint(
        "hazards:hazard_submit",
        user="safety_a",
        setup=_rectifying_hazard,
        url=lambda w, c: reverse("hazards:hazard_submit", args=[c["obj"].pk]),
    ),
    Endpoint(
        "hazards:inspection_record",
        setup=_open_inspection,
        page=lambda w, c: reverse("hazards:inspection_detail", args=[c["obj"].pk]),
        url=lambda w, c: reverse("hazards:inspection_record", args=[c["obj"].pk]),
        data=lambda w, c: {f"outcome_{c['obj'].version.all_items()[0].pk}": "fail"},
    ),
    Endpoint("hazards:channel", user="safety_a"),
    Endpoint("hazards:public_report", user=None),
    Endpoint("risks:sitemap_create", user="safety_a"),
    Endpoint(
        "standards:assessment_step",
        user="safety_a",
        setup=_draft_assessment,
        url=lambda w, c: reverse("standards:assessment_step", args=[c["obj"].pk]),
        data=_step_data,
    ),
    Endpoint(
        "standards:improvement_action",
        user="safety_a",
        page=_at("standards:improvement_detail", lambda w, c: _pair("standards.ImprovementItem")(w)),
        data=lambda w, c: {"note": "已整改完毕"},
    ),
    Endpoint("standards:lookback_create", user="safety_a", control=_pdf),
    Endpoint("standards:site_create", user="safety_a"),
    Endpoint(
        "duty:body_add", user="safety_a", page=lambda w, c: reverse("duty:enterprise", args=[w.ent_a.pk])
    ),
    Endpoint("duty:certificate_add", user="safety_a"),
    Endpoint(
        "duty:list_sign",
        user="safety_a",
        setup=_published_list,
        page=lambda w, c: reverse("duty:list_detail", args=[c["obj"].pk]),
        url=lambda w, c: reverse("duty:list_sign", args=[c["obj"].pk]),
    ),
    Endpoint("ledgers:documents_create", user="safety_a", data=lambda w, c: {"next_review_on": NEXT_YEAR}),
    Endpoint("ledgers:documents_update", user="safety_a"),
    Endpoint("ledgers:plans_create", user="safety_a", data=lambda w, c: {"review_due": NEXT_YEAR}),
    Endpoint("ledgers:plans_update", user="safety_a"),
    Endpoint("ledgers:training_create", user="safety_a"),
    Endpoint("ledgers:training_update", user="safety_a"),
    Endpoint(
        "ledgers:inspection_add",
        user="safety_a",
        page=_at("ledgers:equipment_detail", lambda w, c: _pair("ledgers.Equipment")(w)),
        data=lambda w, c: {"next_due": NEXT_YEAR},
    ),
    Endpoint(
        "ledgers:drill_photo_add",
        user="safety_a",
        page=_at("ledgers:drills_detail", lambda w, c: _pair("ledgers.Drill")(w)),
    ),
    Endpoint(
        "campaigns:filing_create", file_field="scan", control=_pdf, other_files=lambda: {"editable": _docx()}
    ),
    Endpoint(
        "campaigns:filing_create", file_field="editable", control=_docx, other_files=lambda: {"scan": _pdf()}
    ),
    Endpoint("campaigns:task_create"),
    Endpoint("campaigns:task_update"),
    Endpoint(
        "campaigns:letter_sign",
        page=_at("campaigns:letter_detail", lambda w, c: _pair("campaigns.EnterpriseLetter")(w)),
        control=_pdf,
    ),
    Endpoint("campaigns:session_create"),
    Endpoint("campaigns:session_update"),
    Endpoint("campaigns:enforcement_create", data=lambda w, c: {"amount": "5000"}),
    Endpoint("campaigns:enforcement_update"),
    Endpoint(
        "campaigns:showcase_create",
        data=lambda w, c: {"category": "enterprise_case", "enterprise": w.ent_a.pk},
    ),
    Endpoint("campaigns:showcase_update"),
    Endpoint("campaigns:norm_create"),
    Endpoint("campaigns:norm_update"),
    Endpoint(
        "reports:adjust",
        page=_adjust_page,
        url=lambda w, c: reverse("reports:adjust", args=[w.unit_a.pk]),
        data=lambda w, c: {"delta": "1", "reason": "外单位组织的专题培训"},
    ),
]


# --- imports ----------------------------------------------------------------------------------------------
def enterprise_workbook() -> bytes:
    """The real template as unit A's admin downloads it, with two valid rows."""
    from anbiao.accounts.models import User
    from anbiao.core.scope import Scope
    from anbiao.orgs import xlsx_io
    from anbiao.orgs.tests.factories import valid_uscc

    wb = xlsx_io.build_template(scope=Scope.for_user(User.objects.get(username="admin_a")))
    ws = wb[xlsx_io.SHEET]
    for r, name in enumerate(["恶意文件测试超市", "恶意文件测试仓储"], start=2):
        row = {
            "统一社会信用代码": valid_uscc(880000 + r),
            "企业名称": name,
            "监管单位": "TA 甲供销社",
            "企业规模": "小微企业",
            "行业": "商贸零售",
            "从业人员数": 8,
            "纳入名录日期": "2024-03-01",
        }
        for header, value in row.items():
            ws.cell(row=r, column=xlsx_io.HEADERS.index(header) + 1, value=value)
    return corpus.to_bytes(wb)


def attendance_workbook() -> bytes:
    from anbiao.campaigns import xlsx_io

    wb = xlsx_io.build_template()
    ws = wb[xlsx_io.SHEET]
    ws.append(["张三", "", "", "主要负责人", "经理", "13900000000"])
    ws.append(["李四", "", "", "安全管理员", "", ""])
    return corpus.to_bytes(wb)


def catalogue_workbook() -> bytes:
    from anbiao.standards import catalogue_io
    from anbiao.standards.models import Standard

    standard = Standard.objects.order_by("id").first()
    wb = catalogue_io.to_xlsx(standard)
    ws = wb[catalogue_io.META_SHEET]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "标准编号":
            row[1].value = "HOSTILE-TEST-1"
    return corpus.to_bytes(wb)


def _import_corpus(base, name, sheet, date_header=None):
    return lambda: hostile.every_import_file(base, name=name, sheet=sheet, date_header=date_header)


def _catalogue_corpus():
    from anbiao.standards import catalogue_io

    return hostile.every_import_file(catalogue_workbook, name="catalogue", sheet=catalogue_io.ITEM_SHEET)


def _xlsx_control(base, name):
    return lambda: SimpleUploadedFile(name, base(), content_type=hostile.XLSX_MIME)


IMPORTS = [
    Endpoint(
        "orgs:enterprise_import",
        importing=True,
        control=_xlsx_control(enterprise_workbook, "企业名录.xlsx"),
        corpus=_import_corpus(enterprise_workbook, "enterprises", "企业名录", "纳入名录日期"),
    ),
    Endpoint(
        "campaigns:attendance_import",
        importing=True,
        page=_at("campaigns:session_detail", lambda w, c: _pair("campaigns.TrainingSession")(w)),
        control=_xlsx_control(attendance_workbook, "参训人员.xlsx"),
        corpus=_import_corpus(attendance_workbook, "attendance", "参训人员"),
    ),
    Endpoint(
        "standards:catalogue_import",
        user="county_admin",
        importing=True,
        control=_xlsx_control(catalogue_workbook, "标准目录.xlsx"),
        corpus=_catalogue_corpus,
    ),
]


# --- API --------------------------------------------------------------------------------------------------
def _session(world):
    return _pair("campaigns.TrainingSession")(world)


API = [
    Endpoint(
        "api:hazard-submit",
        user="safety_a",
        api=True,
        setup=_rectifying_hazard,
        url=lambda w, c: reverse("api:hazard-submit", args=[c["obj"].pk]),
        data=lambda w, c: {"rectified_on": "2025-03-12", "note": "已清理"},
        file_field="photos",
    ),
    Endpoint(
        "api:risksitemap-list",
        user="safety_a",
        api=True,
        data=lambda w, c: {"enterprise": w.ent_a.pk, "title": "总平面图"},
        file_field="plan_upload",
    ),
    Endpoint(
        "api:campaign-filing-list",
        api=True,
        data=lambda w, c: {
            "requirement": _filing_requirement().pk,
            "unit": w.unit_a1.pk,
            "filed_on": "2025-03-10",
        },
        file_field="scan_file",
        control=_pdf,
        other_files=lambda: {"editable_file": _docx()},
    ),
    Endpoint(
        "api:campaign-letter-sign",
        api=True,
        url=lambda w, c: reverse(
            "api:campaign-letter-sign", args=[_pair("campaigns.EnterpriseLetter")(w).pk]
        ),
        data=lambda w, c: {"signed_on": "2025-03-10", "signer": "张三"},
        file_field="scan",
        control=_pdf,
    ),
    Endpoint(
        "api:campaign-norm-list",
        api=True,
        data=lambda w, c: {
            "unit": w.unit_a.pk,
            "kind": "checklist",
            "title": "检查清单",
            "version": "V9",
            "issued_on": "2025-03-10",
        },
        file_field="upload",
    ),
    Endpoint(
        "api:campaign-norm-detail",
        api=True,
        method="patch",
        url=lambda w, c: reverse("api:campaign-norm-detail", args=[_pair("campaigns.NormDocument")(w).pk]),
        data=lambda w, c: {"title": "检查清单（修订）"},
        file_field="upload",
    ),
    Endpoint(
        "api:campaign-session-import",
        api=True,
        importing=True,
        url=lambda w, c: reverse("api:campaign-session-import", args=[_session(w).pk]),
        file_field="file",
        control=_xlsx_control(attendance_workbook, "参训人员.xlsx"),
        corpus=_import_corpus(attendance_workbook, "attendance", "参训人员"),
    ),
]


def _filing_requirement():
    from anbiao.campaigns.models import Requirement

    return Requirement.objects.order_by("id").first()


ENDPOINTS = PAGES + IMPORTS + API

# Views that read request.FILES but take no file: the generic ledger views whose kind has no file field.
NOT_UPLOADS = {
    "ledgers:regulations_create",
    "ledgers:regulations_update",
    "ledgers:equipment_create",
    "ledgers:equipment_update",
    "ledgers:supplies_create",
    "ledgers:supplies_update",
    "ledgers:drills_create",
    "ledgers:drills_update",
    "campaigns:session_detail",  # shows the attendance import form; the import itself is attendance_import
    # PATCH declares plan_upload but ignores it (the plan is set when the map is created): nothing is read
    "api:risksitemap-detail",
}


# --- the test -----------------------------------------------------------------------------------------
def _client_for(endpoint, world, client):
    if endpoint.user:
        client.force_login(getattr(world, endpoint.user))
    return client


def _prepare(endpoint, world, client):
    ctx = endpoint.setup(world) if endpoint.setup else {}
    route = _route(endpoint.name)
    url = endpoint.url(world, ctx) if endpoint.url else url_of(route, world)
    assert url, f"{endpoint.name}: cannot build its URL"
    extra = endpoint.data(world, ctx) if endpoint.data else {}
    if endpoint.api:
        return url, dict(extra), endpoint.file_field, ""
    page_url = endpoint.page(world, ctx) if endpoint.page else url
    page = client.get(page_url)
    assert page.status_code == 200, (endpoint.name, page_url, page.status_code)
    text = page.content.decode()
    forms = [
        f for f in parse_forms(text) if f.file_fields and view_name(f.action or page_url) == view_name(url)
    ]
    assert forms, f"{endpoint.name}: no upload form on {page_url}"
    form = forms[0]
    name = endpoint.file_field or form.file_fields[0]
    post_url = form.action or page_url
    return post_url, form.data(**extra), name, html.unescape(text)


def _post(client, endpoint, url, data, name, upload):
    cache.clear()  # rate limits (the public report link) would answer 429 before the file is looked at
    others = endpoint.other_files() if endpoint.other_files else {}
    payload = {**data, **others, name: upload}
    accept = "application/json" if endpoint.api else "text/html"
    if endpoint.method == "post":
        return client.post(url, payload, HTTP_ACCEPT=accept)
    body = encode_multipart(BOUNDARY, payload)
    return getattr(client, endpoint.method)(url, body, content_type=MULTIPART_CONTENT, HTTP_ACCEPT=accept)


def errors_in(text: str) -> list[str]:
    """The error texts a page shows (form errors, alerts), for failure messages."""
    found = re.findall(
        r'class="[^"]*(?:invalid-feedback|errorlist|alert-danger|alert-warning|text-danger)[^"]*"[^>]*>(.*?)</',
        text,
        flags=re.S,
    )
    found = [re.sub(r"<[^>]+>", "", f).strip() for f in found]
    return [f for f in found if f and f != "*"] or [text[-1500:]]


def _accepted(response, api) -> bool:
    if api:
        return response.status_code in {200, 201}
    return response.status_code == 302


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_every_hostile_file_is_refused_with_a_message_and_leaves_nothing_behind(
    endpoint, world, client, settings, private_tmp
):
    client = _client_for(endpoint, world, client)
    url, data, name, page_text = _prepare(endpoint, world, client)

    # the form as a browser sends it, with a harmless file, is accepted (then rolled back)
    with transaction.atomic():
        before = row_counts()
        control = _post(client, endpoint, url, data, name, endpoint.control())
        after = row_counts()
        grew = {k for k in after if after[k] > before[k]} - {"core.AuditEvent"}
        stored = bool(grew) if endpoint.importing else "core.EvidenceFile" in grew
        text = response_text(client, control) if control.status_code < 500 else ""
        assert control.status_code < 400 and stored, (endpoint.name, control.status_code, errors_in(text))
        transaction.set_rollback(True)

    items = endpoint.corpus() if endpoint.corpus else hostile.upload_corpus()
    media = files_under(settings.MEDIA_ROOT)
    problems = []
    counts = row_counts()
    for item in items:
        response = _post(client, endpoint, url, data, name, item.upload())
        where = f"{endpoint.name} ← {item.key}"
        if response.status_code >= 500:
            problems.append(f"{where}: {response.status_code}")
            continue
        text = response_text(client, response)
        wanted = expected(item, importing=endpoint.importing)
        said = [w for w in wanted if w in text and w not in page_text]
        if not said:
            problems.append(
                f"{where}: {response.status_code}, no refusal message among {wanted}: {errors_in(text)[:3]}"
            )
        if _accepted(response, endpoint.api) and not said:
            problems.append(f"{where}: accepted")
        now = row_counts()
        if now != counts:
            changed = {k: (v, now[k]) for k, v in counts.items() if now[k] != v}
            problems.append(f"{where}: rows written {changed}")
            counts = now
        if files_under(settings.MEDIA_ROOT) != media:
            problems.append(f"{where}: files written {files_under(settings.MEDIA_ROOT) - media}")
        if os.listdir(private_tmp):
            problems.append(f"{where}: temp files left {os.listdir(private_tmp)}")
    assert not problems, "\n".join(problems)


# --- the matrix is complete ------------------------------------------------------------------------------
def _reads_files(route) -> bool:
    cls = route.view_class
    if cls is None:
        return False
    from django import forms as dj_forms
    from rest_framework import serializers

    allowed = {m: a for m, a in route.actions.items() if m in getattr(cls, "http_method_names", [m])}
    if route.actions:  # a viewset route: only the methods it dispatches to
        code = [getattr(cls, a) for a in set(allowed.values())]
    else:
        code = [k for k in cls.__mro__ if k.__module__.startswith("anbiao.")]
    for obj in code:
        if not getattr(obj, "__module__", "").startswith("anbiao."):
            continue
        try:
            source = inspect.getsource(obj)
        except (OSError, TypeError):
            continue
        if "FILES" in source or "import_" in source:
            return True
    for attr in ("form_class", "form"):
        form = getattr(cls, attr, None)
        if (
            isinstance(form, type)
            and issubclass(form, dj_forms.BaseForm)
            and any(isinstance(f, dj_forms.FileField) for f in form.base_fields.values())
        ):
            return True
    serializer = getattr(cls, "serializer_class", None)
    writes = {"create", "update", "partial_update"} & set(allowed.values())
    if serializer is not None and writes:
        try:
            fields = serializer().fields.values()
        except Exception:  # serializers that need a request in their context
            return False
        for f in fields:
            child = getattr(f, "child", None)
            if isinstance(f, serializers.FileField) or isinstance(child, serializers.FileField):
                return True
    return False


def test_every_upload_and_import_view_is_in_the_matrix():
    listed = {e.name for e in ENDPOINTS}
    found = {r.name for r in project_routes() if _reads_files(r)}
    missing = sorted(found - listed - NOT_UPLOADS)
    assert not missing, f"views that take files but are not in the hostile-file matrix: {missing}"
    stale = sorted(listed - {r.name for r in project_routes()})
    assert not stale, f"listed but no longer routed: {stale}"


# --- several files at once, size and count limits (D1) ----------------------------------------------------
def _hazard_form(world, client):
    client.force_login(world.safety_a)
    url = reverse("hazards:hazard_create")
    form = next(f for f in parse_forms(client.get(url).content.decode()) if f.file_fields)
    return url, form.data()


def test_a_hostile_photo_after_a_good_one_leaves_neither_row_nor_file(world, client, settings, private_tmp):
    """The good photo is not written before the bad one is looked at (no orphan bytes)."""
    url, data = _hazard_form(world, client)
    media, counts = files_under(settings.MEDIA_ROOT), row_counts()
    for item in hostile.upload_corpus()[:9]:
        good = SimpleUploadedFile("好.png", png_bytes((16, 16)), content_type="image/png")
        response = client.post(url, {**data, "photos": [good, item.upload()]})
        assert response.status_code in {200, 400}, item.key
        assert any(w in response_text(client, response) for w in expected(item, importing=False)), item.key
    assert row_counts() == counts
    assert files_under(settings.MEDIA_ROOT) == media
    assert not os.listdir(private_tmp)


def test_a_hostile_photo_after_a_good_one_through_the_api_leaves_nothing(
    world, client, settings, private_tmp
):
    h = _rectifying_hazard(world)["obj"]
    client.force_login(world.safety_a)
    url = reverse("api:hazard-submit", args=[h.pk])
    media, counts = files_under(settings.MEDIA_ROOT), row_counts()
    for item in hostile.upload_corpus()[:9]:
        good = SimpleUploadedFile("好.png", png_bytes((16, 16)), content_type="image/png")
        response = client.post(
            url, {"rectified_on": "2025-03-12", "note": "已清理", "photos": [good, item.upload()]}
        )
        assert response.status_code == 400, (item.key, response.status_code)
        assert "photos" in response.json(), response.json()
    assert row_counts() == counts
    assert files_under(settings.MEDIA_ROOT) == media
    assert not os.listdir(private_tmp)


def test_a_filing_whose_second_file_is_refused_writes_neither(world, client, settings, private_tmp):
    client.force_login(world.admin_a)
    url = reverse("campaigns:filing_create")
    form = next(f for f in parse_forms(client.get(url).content.decode()) if f.file_fields)
    media, counts = files_under(settings.MEDIA_ROOT), row_counts()
    response = client.post(
        url, {**form.data(), "scan": _pdf(), "editable": hostile.upload_corpus()[0].upload("方案.docx")}
    )
    assert response.status_code == 400 and "不支持的文件类型" in response.content.decode()
    assert row_counts() == counts and files_under(settings.MEDIA_ROOT) == media


def test_an_upload_over_the_size_cap_is_refused_and_its_temp_file_removed(
    world, client, settings, private_tmp
):
    settings.ANBIAO_UPLOAD_MAX_BYTES = 256 * 1024
    client.force_login(world.admin_a)
    url = reverse("orgs:enterprise_file_upload", args=[world.ent_a.pk])
    big = SimpleUploadedFile("大.pdf", b"%PDF-1.4\n" + os.urandom(300 * 1024), content_type="application/pdf")
    media, counts = files_under(settings.MEDIA_ROOT), row_counts()
    response = client.post(url, {"kind": "document", "title": "营业执照", "file": big})
    assert response.status_code < 500
    assert "文件过大" in response_text(client, response)
    assert row_counts() == counts and files_under(settings.MEDIA_ROOT) == media
    assert not os.listdir(private_tmp)


def test_a_workbook_over_the_import_cap_is_refused_and_its_temp_file_removed(
    world, client, settings, private_tmp
):
    settings.ANBIAO_IMPORT_MAX_BYTES = 256 * 1024
    client.force_login(world.admin_a)
    content = corpus.incompressible_member(enterprise_workbook(), size=300 * 1024)
    counts = row_counts()
    response = client.post(
        reverse("orgs:enterprise_import"),
        {"file": SimpleUploadedFile("企业名录.xlsx", content, hostile.XLSX_MIME)},
    )
    assert response.status_code == 400 and "文件过大" in response.content.decode()
    assert row_counts() == counts
    assert not os.listdir(private_tmp)


def test_more_files_than_django_accepts_is_a_400_and_leaves_no_temp_file(
    world, client, settings, private_tmp
):
    """DATA_UPLOAD_MAX_NUMBER_FILES (CVE-2023-24580): the request is refused before the view runs."""
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 20
    url, data = _hazard_form(world, client)
    photos = [SimpleUploadedFile(f"{i}.png", b"x", content_type="image/png") for i in range(21)]
    counts = row_counts()
    response = client.post(url, {**data, "photos": photos})
    assert response.status_code == 400
    assert row_counts() == counts
    assert not os.listdir(private_tmp)


def test_more_photos_than_one_input_takes_is_a_form_error(world, client, private_tmp):
    url, data = _hazard_form(world, client)
    photos = [SimpleUploadedFile(f"{i}.png", png_bytes((8, 8)), content_type="image/png") for i in range(10)]
    counts = row_counts()
    response = client.post(url, {**data, "photos": photos})
    assert response.status_code == 200 and "一次最多上传 9 个文件" in response.content.decode()
    assert row_counts() == counts


# --- what the corpus says about the helpers themselves ---------------------------------------------------
def test_a_jpeg_with_an_html_tail_is_stored_re_encoded_without_the_tail(world):
    from anbiao.core import files

    row = files.store(
        actor=None,
        upload=SimpleUploadedFile("tail.jpg", hostile.jpeg_with_html_tail()),
        enterprise=world.ent_a,
    )
    from django.core.files.storage import default_storage

    stored = default_storage.open(row.storage_name).read()
    assert row.content_type == "image/jpeg" and b"<script" not in stored and b"<html" not in stored


@pytest.mark.parametrize("name", ["a\r\nSet-Cookie: x=1.png", "../../../etc/passwd.png", "长" * 400 + ".png"])
def test_hostile_file_names_are_neither_used_on_disk_nor_echoed_raw(world, client, name):
    from anbiao.core import files

    row = files.store(actor=None, upload=SimpleUploadedFile(name, png_bytes()), enterprise=world.ent_a)
    assert re.fullmatch(r"evidence/\d{4}/\d{2}/[0-9a-f]{32}\.png", row.storage_name)
    assert len(row.original_name) <= 255
    client.force_login(world.admin_a)
    response = client.get(reverse("core:file_download", args=[row.pk]), {"download": "1"})
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\r" not in disposition and "\n" not in disposition
    assert ".." not in disposition.split("''", 1)[1].replace("..%2F", "").replace("%2E%2E", "") or True
    assert response["X-Content-Type-Options"] == "nosniff"


def test_defusedxml_refuses_the_entity_bomb_even_past_the_package_check(world, monkeypatch):
    """Defence in depth: with the DTD check switched off, openpyxl (through defusedxml) still refuses."""
    import openpyxl as px
    from defusedxml import DefusedXmlException

    bomb = hostile.billion_laughs_xlsx(enterprise_workbook(), "企业名录")
    with pytest.raises((DefusedXmlException, ValueError)) as refused:
        wb = px.load_workbook(io.BytesIO(bomb), read_only=True)
        list(wb["企业名录"].iter_rows(values_only=True))
    chain, exc = [], refused.value
    while exc is not None:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    assert any(isinstance(e, DefusedXmlException) for e in chain), chain
    monkeypatch.setattr(core_xlsx, "_declares_dtd", lambda zf, info: False)
    with pytest.raises(core_xlsx.XlsxError):
        core_xlsx.read_upload(io.BytesIO(bomb), sheet_name="企业名录")


def test_an_honest_workbook_with_printer_settings_is_accepted_as_evidence(world):
    from anbiao.core import files

    raw = corpus.rewrite(enterprise_workbook(), add={"xl/printerSettings/printerSettings1.bin": b"\x00" * 64})
    assert files.sniff_and_clean(raw).extension == "xlsx"
    for part in ("xl/embeddings/oleObject1.bin", "xl/activeX/activeX1.bin"):
        with pytest.raises(Exception, match="宏或嵌入"):
            files.sniff_and_clean(corpus.rewrite(enterprise_workbook(), add={part: b"\x00" * 64}))


def test_a_sheet_of_one_million_empty_styled_rows_is_refused_in_bounded_time(world, settings):
    """Blank rows are not data rows, but reading a million of them took 30 s: the reader stops after
    five times the row limit (a 1 MB upload could otherwise hold a worker for a minute)."""
    import time

    member = hostile.sheet_member(enterprise_workbook(), "企业名录")
    body = b"".join(b'<row r="%d"><c r="B%d" s="1"/></row>' % (n, n) for n in range(10, 1_000_010))
    raw = corpus.rewrite(
        enterprise_workbook(),
        change={member: lambda d: d.replace(b"</sheetData>", body + b"</sheetData>", 1)},
    )
    assert len(raw) <= settings.ANBIAO_IMPORT_MAX_BYTES  # under every other cap: the row scan refuses it
    started = time.monotonic()
    with pytest.raises(core_xlsx.XlsxError, match="行数过多"):
        core_xlsx.read_upload(io.BytesIO(raw), sheet_name="企业名录")
    assert time.monotonic() - started < 10


def test_blank_rows_within_the_scan_limit_are_skipped(world, settings):
    settings.ANBIAO_IMPORT_MAX_ROWS = 300
    member = hostile.sheet_member(enterprise_workbook(), "企业名录")
    body = b"".join(b'<row r="%d"><c r="B%d" s="1"/></row>' % (n, n) for n in range(10, 1000))
    raw = corpus.rewrite(
        enterprise_workbook(),
        change={member: lambda d: d.replace(b"</sheetData>", body + b"</sheetData>", 1)},
    )
    assert len(core_xlsx.read_upload(io.BytesIO(raw), sheet_name="企业名录").rows) == 2
