"""The three lists as files (xlsx 表样) and the 整改通知单 (docx)."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.utils import timezone

from anbiao.core import xlsx
from anbiao.core.views import ScopedListView, ScopedObjectView
from anbiao.hazards import documents
from anbiao.hazards.filters import HazardFilter, InspectionFilter
from anbiao.hazards.models import ChecklistTemplate, Hazard, Inspection, InspectionResult
from anbiao.hazards.services.checklists import current_version
from anbiao.orgs.models import Enterprise, Organization

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def whose(scope) -> str:
    """Whose list this is, for the 表样 header: the user's units, or their enterprise."""
    units = list(Organization.objects.filter(path__in=scope.unit_paths).values_list("name", flat=True))
    if units:
        return "单位：" + "、".join(units)
    names = list(Enterprise.objects.filter(pk__in=scope.enterprise_ids).values_list("name", flat=True)[:3])
    return "企业：" + "、".join(names)


def describe(filterset) -> str:
    if not (filterset.is_bound and filterset.is_valid()):
        return ""
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", False) or name == "ordering":
            continue
        field = filterset.form.fields[name]
        shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
        if isinstance(shown, datetime.date):
            shown = f"{shown:%Y-%m-%d}"
        parts.append(f"{field.label}={'是' if value is True else shown}")
    return "；".join(parts)


class _Export(ScopedListView):
    def rows(self):
        filterset = self.get_filterset()
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        return qs, describe(filterset)


class HazardExportView(_Export):
    model = Hazard
    permission = "hazard.view"
    filterset_class = HazardFilter

    def narrow(self, queryset):
        return queryset.select_related("enterprise", "checklist_item")

    def get(self, request, *args, **kwargs):
        qs, filters = self.rows()
        wb = documents.hazard_workbook(
            qs, whose=whose(self.scope), filters=filters, today=timezone.localdate()
        )
        return xlsx.response(wb, f"隐患清单-{timezone.localdate():%Y%m%d}.xlsx")


class RectificationExportView(_Export):
    model = Hazard
    permission = "hazard.view"
    filterset_class = HazardFilter

    def narrow(self, queryset):
        return queryset.exclude(state="voided").select_related("enterprise", "accepted_by")

    def get(self, request, *args, **kwargs):
        qs, filters = self.rows()
        wb = documents.rectification_workbook(
            qs, whose=whose(self.scope), filters=filters, today=timezone.localdate()
        )
        return xlsx.response(wb, f"整改清单-{timezone.localdate():%Y%m%d}.xlsx")


class InspectionExportView(_Export):
    """检查清单 as kept records: one row per checked item of the filtered inspections."""

    model = Inspection
    permission = "inspection.view"
    filterset_class = InspectionFilter

    def get(self, request, *args, **kwargs):
        qs, filters = self.rows()
        results = (
            InspectionResult.objects.filter(inspection__in=qs)
            .select_related(
                "inspection__enterprise",
                "inspection__organization",
                "inspection__version__template",
                "item",
                "hazard",
            )
            .order_by("-inspection__inspected_on", "inspection_id", "item__order", "id")
        )
        wb = documents.inspection_workbook(results, whose=whose(self.scope), filters=filters)
        return xlsx.response(wb, f"检查记录-{timezone.localdate():%Y%m%d}.xlsx")


class ChecklistExportView(ScopedObjectView):
    """A checklist as a printable blank form (the latest published version, or the draft before any)."""

    model = ChecklistTemplate
    permission = "checklist.view"

    def get(self, request, *args, **kwargs):
        template = self.object
        version = current_version(template) or template.versions.filter(number__isnull=True).first()
        items = version.all_items() if version else []
        wb = documents.checklist_workbook(template, version, items)
        return xlsx.response(wb, f"{template.name}.xlsx")


class NoticeView(ScopedObjectView):
    """整改通知单 of a supervisor's inspection that found hazards."""

    model = Inspection
    permission = "inspection.view"

    def get(self, request, *args, **kwargs):
        inspection = self.object
        hazards = list(inspection.hazards.order_by("code"))
        if not inspection.notice_no or not hazards:
            raise Http404("该检查没有整改通知单")
        response = HttpResponse(documents.rectification_notice(inspection, hazards), content_type=DOCX_MIME)
        name = quote(f"整改通知单-{inspection.notice_no}.docx")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
        response["X-Content-Type-Options"] = "nosniff"
        return response
