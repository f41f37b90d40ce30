"""Pages of the 泉州 platform export: choose a unit subtree (or your own enterprise), preview, download."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from anbiao.cityplatform import export, selectors
from anbiao.cityplatform.hooks import PERM
from anbiao.core import xlsx
from anbiao.core.views import ScopedDetailView, ScopedPageView
from anbiao.orgs.models import Enterprise, Organization


def json_response(document: dict, filename: str) -> HttpResponse:
    from urllib.parse import quote

    body = json.dumps(document, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class IndexView(ScopedPageView):
    """/city-platform/ → the chosen unit (``?unit=``) or enterprise (``?enterprise=``), else the user's own.

    A unit user lands on their top unit; an enterprise user on their enterprise (a list if they have several).
    """

    permission = PERM
    template_name = "cityplatform/index.html"

    def get(self, request, *args, **kwargs):
        for param, queryset, name in (
            ("unit", selectors.export_units(self.scope), "cityplatform:unit"),
            ("enterprise", selectors.export_enterprises(self.scope), "cityplatform:enterprise"),
        ):
            raw = request.GET.get(param)
            if raw:
                if not raw.isdigit():
                    raise Http404("参数无效。")
                return redirect(name, pk=get_object_or_404(queryset, pk=int(raw)).pk)
        unit = selectors.default_unit(self.scope)
        if unit is not None:
            return redirect("cityplatform:unit", pk=unit.pk)
        enterprises = list(selectors.export_enterprises(self.scope)[:51])
        if len(enterprises) == 1:
            return redirect("cityplatform:enterprise", pk=enterprises[0].pk)
        return self.render_to_response(self.get_context_data(enterprises=enterprises[:50]))


class _PreviewMixin:
    permission = PERM
    visibility_permission = PERM
    template_name = "cityplatform/preview.html"

    def get_context_data(self, **kwargs):
        preview = export.counts(scope=self.scope, subject=self.object)
        return super().get_context_data(
            preview=preview,
            kind=self.kind,
            xlsx_url=reverse(f"cityplatform:{self.kind}_xlsx", args=[self.object.pk]),
            json_url=reverse(f"cityplatform:{self.kind}_json", args=[self.object.pk]),
            api_url=reverse(f"api:cityplatform-{self.kind}-detail", args=[self.object.pk]),
            **kwargs,
        )


class UnitView(_PreviewMixin, ScopedDetailView):
    model = Organization
    kind = "unit"

    def get_context_data(self, **kwargs):
        units = list(selectors.export_units(self.scope))
        base = min((u.depth for u in units), default=0)
        choices = [(u, "　" * (u.depth - base)) for u in units]
        return super().get_context_data(units=choices, **kwargs)


class EnterpriseView(_PreviewMixin, ScopedDetailView):
    model = Enterprise
    kind = "enterprise"

    def narrow(self, queryset):
        return queryset.select_related("unit")


class _Download:
    permission = PERM
    visibility_permission = PERM
    fmt = "xlsx"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        data = export.build(scope=self.scope, subject=self.object)
        if self.fmt == "json":
            return json_response(export.json_document(data), f"{data.filename_stem}.json")
        return xlsx.response(export.workbook(data), f"{data.filename_stem}.xlsx")


class UnitXlsxView(_Download, ScopedDetailView):
    model = Organization


class UnitJsonView(_Download, ScopedDetailView):
    model = Organization
    fmt = "json"


class EnterpriseXlsxView(_Download, ScopedDetailView):
    model = Enterprise


class EnterpriseJsonView(_Download, ScopedDetailView):
    model = Enterprise
    fmt = "json"
