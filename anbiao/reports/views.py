"""Pages of the quarterly tables: choose a unit and quarter, see the three tables, drill down, export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from anbiao.core.views import ScopedDetailView, ScopedPageView
from anbiao.orgs.models import Organization
from anbiao.reports import checks, drilldown, tables, xlsx_export
from anbiao.reports.cells import CELLS
from anbiao.reports.context import Quarter, ReportContext

PERM = "report.view"


def quarter_from(request) -> Quarter:
    """The ``quarter`` parameter (e.g. 2025Q3): a finished quarter since 2021Q3; default the last finished."""
    today = timezone.localdate()
    raw = request.GET.get("quarter")
    if not raw:
        return Quarter.last_finished(today)
    quarter = Quarter.parse(raw)
    if quarter is None or quarter not in Quarter.finished(today):
        raise Http404("季度无效：请选择已结束的季度，例如 2025Q3。")
    return quarter


def report_units(scope):
    return Organization.objects.visible_to(scope, PERM).order_by("path")


class ReportIndexView(ScopedPageView):
    """/reports/?unit=&quarter= → the chosen unit's tables (default: the user's own unit, last quarter)."""

    permission = PERM

    def get(self, request, *args, **kwargs):
        quarter = quarter_from(request)
        units = report_units(self.scope)
        unit_id = request.GET.get("unit")
        if unit_id:
            if not unit_id.isdigit():
                raise Http404("单位无效。")
            unit = get_object_or_404(units, pk=int(unit_id))
        else:
            unit = units.filter(path__in=self.scope.q_paths(PERM)).first() or units.first()
            if unit is None:
                raise Http404("没有可以统计的单位。")
        return redirect(f"{reverse('reports:unit_report', args=[unit.pk])}?quarter={quarter.code}")


class _UnitReportMixin:
    model = Organization
    permission = PERM
    visibility_permission = PERM

    def report_context(self) -> ReportContext:
        self.quarter = quarter_from(self.request)
        return ReportContext(scope=self.scope, unit=self.object, as_of=self.quarter.end)


class ReportView(_UnitReportMixin, ScopedDetailView):
    template_name = "reports/report.html"

    def get_context_data(self, **kwargs):
        ctx = self.report_context()
        built, values = tables.build(ctx)
        today = timezone.localdate()
        return super().get_context_data(
            quarter=self.quarter,
            as_of=ctx.as_of,
            tables=built,
            checks=checks.run(values),
            units=report_units(self.scope),
            quarters=Quarter.finished(today),
            **kwargs,
        )


class CellRowsView(_UnitReportMixin, ScopedDetailView):
    """The rows behind one cell (?quarter=2025Q3&cell=t1.lists.self_found)."""

    template_name = "reports/cell_rows.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        cell = CELLS.get(self.request.GET.get("cell", ""))
        if cell is None:
            raise Http404("没有这个报表栏目。")
        ctx = self.report_context()
        rows = drilldown.prepared(cell.rows(ctx))
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            cell=cell,
            value=cell.compute(ctx),
            quarter=self.quarter,
            as_of=ctx.as_of,
            page_obj=page,
            items=[drilldown.describe(o) for o in page.object_list],
            querystring=query.urlencode(),
            **kwargs,
        )


class ReportExportView(_UnitReportMixin, ScopedDetailView):
    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        ctx = self.report_context()
        workbook = xlsx_export.workbook(ctx, self.quarter, request.user)
        return xlsx_export.response(workbook, f"季报表_{self.object.name}_{self.quarter.code}.xlsx")
