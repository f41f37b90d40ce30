"""Walk every named URL with the persona world, and read the HTML forms a page offers.

Used by the hostile-upload matrix (find each upload form and fill in its other fields) and the XSS test
(render every page a user can GET).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from anbiao.core.api import ScopedViewSetMixin
from anbiao.core.views import ScopedViewMixin
from tests.urlwalk import Route, project_routes

# URL arguments that are not a scoped object id (as in tests/test_scope_matrix.py).
NON_OBJECT_KWARGS = {"orgs:catalogue": {"kind": "industries"}, "core:notification_read": {"pk": 1}}
# Pages that do something on GET by design or cannot be rendered to HTML: left out of the walk.
SKIP_GET = {"logout"}


def _scoped(route: Route) -> bool:
    cls = route.view_class
    return bool(cls) and issubclass(cls, ScopedViewMixin | ScopedViewSetMixin)


def _model(route: Route):
    cls = route.view_class
    return cls.model if issubclass(cls, ScopedViewMixin) else cls.queryset.model


def answers_get(route: Route) -> bool:
    cls = route.view_class
    if cls is None:
        return True
    if route.actions:
        return "get" in route.actions
    return hasattr(cls, "get") and "get" in getattr(cls, "http_method_names", ["get"])


def url_of(route: Route, world) -> str | None:
    """The route's URL with the persona world's object on unit A's side, or None when it cannot be built."""
    try:
        if route.name in NON_OBJECT_KWARGS:
            return reverse(route.name, kwargs=NON_OBJECT_KWARGS[route.name])
        if "<" not in route.route and "(?P<" not in route.route:
            return reverse(route.name)
        if route.name == "hazards:public_report":
            from anbiao.hazards.models import ReportingChannel

            inside, _ = world.in_a_and_b(ReportingChannel)
            return reverse(route.name, kwargs={"token": inside.token})
        if _scoped(route) and ("pk" in route.route):
            inside, _ = world.in_a_and_b(_model(route))
            return reverse(route.name, kwargs={"pk": inside.pk})
    except (NoReverseMatch, KeyError):
        return None
    return None


def get_urls(world) -> list[tuple[Route, str]]:
    """Every named URL answering GET, built with unit A's objects."""
    out = []
    for route in project_routes():
        if route.name in SKIP_GET or not answers_get(route):
            continue
        url = url_of(route, world)
        if url is not None:
            out.append((route, url))
    return out


def view_name(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


# --- HTML forms ---------------------------------------------------------------------------------------------
@dataclass
class Field:
    tag: str
    name: str
    type: str = "text"
    value: str = ""
    required: bool = False
    checked: bool = False
    multiple: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[Field] = field(default_factory=list)

    @property
    def file_fields(self) -> list[str]:
        return list(dict.fromkeys(f.name for f in self.fields if f.type == "file"))

    def data(self, **overrides) -> dict:
        """What a browser would send with every required field filled in (files left out)."""
        today = timezone.localdate().isoformat()
        out: dict[str, object] = {}
        for f in self.fields:
            if f.type in {"file", "submit", "button", "reset", "image"} or not f.name:
                continue
            if f.tag == "select":
                selected = [v for v, sel in f.options if sel]
                filled = [v for v, _ in f.options if v][:1]
                if f.multiple:
                    chosen = selected or (filled if f.required else [])
                    if chosen:
                        out[f.name] = chosen
                    continue
                value = selected[-1] if selected else (f.options[0][0] if f.options else None)
                if not value and f.required:
                    value = filled[0] if filled else ""
                if value is not None:
                    out[f.name] = value
                continue
            if f.type in {"checkbox", "radio"}:
                if f.checked:
                    if f.type == "checkbox":
                        out.setdefault(f.name, [])
                        if isinstance(out[f.name], list):
                            out[f.name].append(f.value or "on")
                    else:
                        out[f.name] = f.value
                elif f.type == "radio" and f.required and f.name not in out:
                    out[f.name] = f.value
                continue
            value = f.value.removeprefix("\r").removeprefix("\n") if f.tag == "textarea" else f.value
            if not value and f.required:
                value = {
                    "date": today,
                    "datetime-local": f"{today}T09:00",
                    "month": today[:7],
                    "number": "1",
                    "tel": "13900000000",
                    "email": "a@example.com",
                    "url": "https://example.com/",
                }.get(f.type, "测试")
            out.setdefault(f.name, value)
        out.update(overrides)
        return out


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._option: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(
                action=a.get("action") or "",
                method=(a.get("method") or "get").lower(),
                enctype=a.get("enctype") or "",
            )
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        common = {"name": a.get("name") or "", "required": "required" in a}
        if tag == "input":
            self._form.fields.append(
                Field(
                    "input",
                    type=(a.get("type") or "text").lower(),
                    value=a.get("value") or "",
                    checked="checked" in a,
                    multiple="multiple" in a,
                    **common,
                )
            )
        elif tag == "select":
            self._select = Field("select", type="select", multiple="multiple" in a, **common)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            self._select.options.append((a.get("value") or "", "selected" in a))
        elif tag == "textarea":
            self._textarea = Field("textarea", type="textarea", **common)
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None and self._option[0] is None and self._select is not None:
            value, selected = self._select.options[-1]
            self._select.options[-1] = ((value + data).strip(), selected)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            self._textarea = None


def parse_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms
