"""Output safety: XSS payloads in every text field on every page, CSP on every response, formula-safe
exports, CSRF on every POST (security.md D5, D6, D7).

One walk does most of it. Every scoped model's object on unit A's side of the persona world (the objects the
scope matrix uses) gets a payload in each of its free-text fields, with a number that says which field it
came from; the enterprises are named ``=HYPERLINK("http://x","y")`` and ``@SUM(1)``. Then unit A's admin
GETs every named URL (pages, API, exports) and:

- HTML: parsed with html.parser; no element or attribute the payloads would create appears (a ``<script>``
  carrying a marker, an ``onerror``/``onload`` attribute, a ``data-xss`` attribute, a ``javascript:`` URL);
- xlsx: every cell of every sheet opened with openpyxl; none is a formula (``data_type == "f"``), and a
  text cell starting with ``= + - @`` is stored as text with Excel's quote prefix;
- every response carries a Content-Security-Policy with ``object-src 'none'``, ``base-uri 'none'`` and
  ``frame-ancestors``; no 5xx.
"""

from __future__ import annotations

import io
import itertools
import re
from html.parser import HTMLParser

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from anbiao.core.scope import scoped_models
from anbiao.core.tests.pagewalk import answers_get, get_urls, url_of
from anbiao.core.xlsx import XLSX_MIME
from tests.urlwalk import project_routes

HYPERLINK = '=HYPERLINK("http://x","y")'
AT_SUM = "@SUM(1)"
PAYLOADS = [
    "<script>alert('xss-{n}')</script>",
    '"><img src=x onerror=alert({n}) data-xss={n}>',
    "javascript:alert('xss-{n}')",
    "{{{{7*7}}}}<svg onload=alert({n}) data-xss={n}>",
    "'><iframe src=javascript:alert({n}) data-xss={n}></iframe>",
    "=cmd|' /C calc'!A0<b data-xss={n}>",
    "+1+1<a href=javascript:alert({n}) data-xss={n}>x</a>",
    "-2+3</textarea><script>alert('xss-{n}')</script>",
]
# Free-text fields only: codes, paths and keys drive lookups, scoping and file names.
SKIP_FIELDS = {
    "path",
    "storage_name",
    "owner_type",
    "owner_id",
    "sha256",
    "content_type",
    "token",
    "code",
    "uscc",
}
SKIP_FIELDS |= {"password", "username", "email", "request_id", "client_ip", "source", "action", "object_type"}


def _text_fields(model) -> list[models.Field]:
    out = []
    for f in model._meta.concrete_fields:
        if not isinstance(f, models.CharField | models.TextField) or f.choices or f.primary_key:
            continue
        if f.name in SKIP_FIELDS or f.name.endswith(("_code", "_no", "_number", "_phone", "phone", "_key")):
            continue
        if isinstance(f, models.CharField) and (f.max_length or 0) < 50:
            continue  # a payload would not fit (PostgreSQL refuses what SQLite would truncate nothing of)
        out.append(f)
    return out


def fill_with_payloads(world) -> dict[int, str]:
    """Write a payload into every free-text field of unit A's object of every scoped model; return the
    markers. The enterprises get the formula names."""
    from anbiao.orgs.models import Enterprise

    markers: dict[int, str] = {}
    counter = itertools.count(1)
    for model in sorted(scoped_models(), key=lambda m: m._meta.label):
        inside, _ = world.in_a_and_b(model)
        values = {}
        for f in _text_fields(model):
            n = next(counter)
            payload = PAYLOADS[n % len(PAYLOADS)].format(n=n)
            values[f.name] = payload[: f.max_length] if f.max_length else payload
            markers[n] = f"{model._meta.label}.{f.name}"
        if values:
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk=inside.pk).update(**values)
            except PermissionDenied:  # append-only records (the audit trail) refuse updates
                for n in [n for n, label in markers.items() if label.startswith(model._meta.label + ".")]:
                    del markers[n]
    Enterprise.objects.filter(pk=world.ent_a.pk).update(name=HYPERLINK)
    Enterprise.objects.filter(pk=world.ent_a1.pk).update(name=AT_SUM)
    return markers


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}


class InjectionFinder(HTMLParser):
    """Elements and attributes that exist only if a payload escaped its context."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        kind = (dict(attrs).get("type") or "").lower()
        # data blocks (json_script) are not run; a payload that escaped would be a plain script
        self._script = tag == "script" and kind in {"", "text/javascript", "module", "application/javascript"}
        for name, value in attrs:
            value = value or ""
            handler = name.startswith("on") and "alert(" in value
            url = name in URL_ATTRIBUTES and re.sub(r"\s", "", value).lower().startswith("javascript:")
            if name == "data-xss" or handler or url:
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script and "xss-" in data:
            self.found.append(f"<script>{data[:80]}</script>")


def injections(html: str) -> list[str]:
    finder = InjectionFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def test_the_finder_sees_each_payload_when_it_is_not_escaped():
    for n, payload in enumerate(PAYLOADS):
        raw = payload.format(n=n)
        assert injections(f"<p>{raw}</p>") or injections(f'<a href="{raw}">x</a>'), payload
    escaped = "".join(p.format(n=1) for p in PAYLOADS).replace("<", "&lt;").replace('"', "&quot;")
    assert not injections(
        f'<p title="{escaped}">{escaped}</p><script type="application/json">"xss-1"</script>'
    )


def check_csp(response) -> str | None:
    policy = response.get("Content-Security-Policy", "")
    directives = {d.strip().split(" ", 1)[0]: d.strip() for d in policy.split(";") if d.strip()}
    if not policy:
        return "no Content-Security-Policy"
    if directives.get("object-src") != "object-src 'none'":
        return f"object-src: {directives.get('object-src')}"
    if directives.get("base-uri") != "base-uri 'none'":
        return f"base-uri: {directives.get('base-uri')}"
    if "frame-ancestors" not in directives:
        return "no frame-ancestors"
    return None


def formula_cells(content: bytes) -> list[str]:
    """Cells that a spreadsheet would evaluate: formulas, or risky text not marked as text."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    bad = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    bad.append(f"{ws.title}!{c.coordinate} formula {c.value!r}")
                elif (
                    isinstance(c.value, str)
                    and c.value.startswith(("=", "+", "-", "@"))
                    and c.value.lstrip("-+").strip()
                    and not re.fullmatch(r"[-+]?\d+(\.\d+)?", c.value)
                    and not c.quotePrefix
                ):
                    bad.append(f"{ws.title}!{c.coordinate} unmarked {c.value!r}")
    return bad


def test_payloads_in_every_text_field_never_escape_on_any_page_and_exports_hold_no_formula(world, client):
    markers = fill_with_payloads(world)
    assert len(markers) > 50, "the payloads reached too few fields to mean anything"
    client.force_login(world.admin_a)
    problems, pages, sheets, reflected = [], 0, 0, set()
    for route, url in get_urls(world):
        response = client.get(url)
        where = f"{route.name} {url}"
        if response.status_code >= 500:
            problems.append(f"{where}: {response.status_code}")
            continue
        if problem := check_csp(response):
            problems.append(f"{where}: {problem}")
        ctype = response.get("Content-Type", "")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.status_code == 200 and ctype.startswith("text/html"):
            pages += 1
            html = body.decode()
            problems.extend(f"{where}: {hit}" for hit in injections(html))
            reflected.update(int(n) for n in re.findall(r"data-xss=(\d+)", html))
        elif response.status_code == 200 and ctype.startswith(XLSX_MIME):
            sheets += 1
            problems.extend(f"{where}: {cell}" for cell in formula_cells(body))
    print(f"{pages} pages, {sheets} workbooks, {len(reflected)} of {len(markers)} payloads shown (escaped)")
    assert not problems, "\n".join(problems)
    assert pages > 100 and sheets > 10, (pages, sheets)
    # the payloads were really on the pages (escaped), not silently missing
    assert len(reflected) > 20, sorted(reflected)


def test_the_enterprise_names_reach_the_exports_as_text(world, client):
    fill_with_payloads(world)
    client.force_login(world.admin_a)
    response = client.get(reverse("orgs:enterprise_export"))
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = {c.value: c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value}
    for name in (HYPERLINK, AT_SUM):
        assert cells[name].data_type == "s" and cells[name].quotePrefix, name


def test_the_template_syntax_payload_is_shown_literally(world, client):
    from anbiao.orgs.models import Enterprise

    Enterprise.objects.filter(pk=world.ent_a.pk).update(name="{{7*7}}{% now 'Y' %}")
    client.force_login(world.admin_a)
    html = client.get(reverse("orgs:enterprise_detail", args=[world.ent_a.pk])).content.decode()
    assert "{{7*7}}{% now &#x27;Y&#x27; %}" in html or "{{7*7}}{% now 'Y' %}" in html


def test_no_template_or_code_switches_autoescaping_off():
    """Autoescaping is the XSS defence: no ``|safe``, ``mark_safe``, ``{% autoescape off %}`` anywhere."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    pattern = re.compile(r"\|\s*safe\b|mark_safe|SafeString|autoescape\s+off|\|\s*safeseq")
    hits = []
    for path in [
        *root.glob("templates/**/*.html"),
        *root.glob("anbiao/**/*.html"),
        *root.glob("anbiao/**/*.py"),
    ]:
        if "tests" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line):
                hits.append(f"{path.relative_to(root)}:{n}: {line.strip()}")
    assert not hits, "\n".join(hits)


def test_every_kind_of_response_carries_the_policy(world, client):
    """Redirects, errors, API answers, downloads and anonymous pages too, not only rendered pages."""
    client.force_login(world.admin_a)
    responses = [
        client.get(reverse("orgs:enterprise_detail", args=[world.ent_b.pk])),  # 404
        client.get(reverse("accounts:user_list")),
        client.get(reverse("api:enterprise-list")),
        client.get(reverse("core:file_download", args=[world.file_a.pk])),
        client.post(reverse("orgs:enterprise_import"), {}),
        Client().get(reverse("login")),
        Client().get(reverse("orgs:enterprise_list")),  # redirect to login
        Client().get(reverse("healthz")),
    ]
    for response in responses:
        assert check_csp(response) is None, (response.status_code, response.get("Content-Security-Policy"))


def test_the_policy_forbids_plugins_base_rewriting_framing_and_foreign_scripts(settings):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives.get("script-src", []) + directives.get("default-src", [])


# --- CSRF and methods (D7) ----------------------------------------------------------------------------------
def _post_routes():
    out = []
    for route in project_routes():
        cls = route.view_class
        if cls is None:
            continue
        if route.actions:
            if {"post", "put", "patch", "delete"} & set(route.actions):
                out.append(route)
        elif hasattr(cls, "post") and "post" in getattr(cls, "http_method_names", ["post"]):
            out.append(route)
    return out


def test_no_view_is_exempt_from_csrf():
    """DRF's own views are exempt by design and check CSRF in SessionAuthentication instead."""
    from rest_framework.views import APIView

    exempt = []
    for route in project_routes():
        cls = route.view_class
        if getattr(route.callback, "csrf_exempt", False) and not (cls and issubclass(cls, APIView)):
            exempt.append(route.name)
    assert not exempt, exempt


def test_a_post_without_the_csrf_token_is_refused_on_every_url(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin_a)
    refused, problems = 0, []
    for route in _post_routes():
        url = url_of(route, world)
        if url is None or route.name in {"api_token"}:  # token login: no session, so nothing to forge
            continue
        unsafe = [m for m in ("post", "put", "patch", "delete") if m in route.actions]
        method = unsafe[0] if unsafe else "post"
        response = getattr(client, method)(url, {})
        if response.status_code != 403:
            problems.append(f"{route.name} {method.upper()} {url}: {response.status_code}")
        refused += 1
    assert not problems, "\n".join(problems)
    assert refused > 100


def test_post_only_urls_refuse_get(world):
    """405, checked as a user allowed to POST there (for others the permission check answers 403 first)."""
    clients = []
    for user in (world.admin_a, world.county_admin, world.safety_a):
        c = Client()
        c.force_login(user)
        clients.append(c)
    problems, checked = [], 0
    for route in project_routes():
        if answers_get(route) or route.view_class is None:
            continue
        url = url_of(route, world)
        if url is None:
            continue
        checked += 1
        codes = []
        for c in clients:
            codes.append(c.get(url).status_code)
            if codes[-1] != 403:
                break
        if codes[-1] != 405:
            problems.append(f"{route.name} GET {url}: {codes}")
    assert not problems, "\n".join(problems)
    assert checked > 30


@pytest.mark.parametrize("name", ["login", "hazards:public_report"])
def test_anonymous_forms_need_the_token_too(world, name):
    url = url_of(next(r for r in project_routes() if r.name == name), world)
    assert Client(enforce_csrf_checks=True).post(url, {}).status_code == 403
