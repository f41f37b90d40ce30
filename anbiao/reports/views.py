"""Pages of the quarterly tables: choose a unit and quarter, see the three tables, drill down, adjust,
export, submit; the supervising unit returns or accepts, and sees its children's figures rolled up."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from anbiao.core import privacy
from anbiao.core.forms import apply_errors
from anbiao.core.views import ScopedDetailView, ScopedObjectView, ScopedPageView
from anbiao.orgs.models import Organization
from anbiao.reports import checks, drilldown, figures, selectors, services, tables, xlsx_export
from anbiao.reports.cells import CELLS
from anbiao.reports.context import Quarter, ReportContext
from anbiao.reports.forms import AdjustmentForm, ReturnForm, SubmitForm
from anbiao.reports.models import Adjustment, Submission, SubmissionVersion

PERM = "report.view"


def quarter_from(request) -> Quarter:
    """The ``quarter`` parameter (e.g. 2025Q3): a finished quarter since 2021Q3; default the last finished."""
    today = timezone.localdate()
    raw = request.GET.get("quarter") or request.POST.get("quarter")
    if not raw:
        return Quarter.last_finished(today)
    quarter = Quarter.parse(raw)
    if quarter is None or quarter not in Quarter.finished(today):
        raise Http404("季度无效：请选择已结束的季度，例如 2025Q3。")
    return quarter


def cell_from(request):
    cell = CELLS.get(request.GET.get("cell") or request.POST.get("cell_key") or "")
    if cell is None:
        raise Http404("没有这个报表栏目。")
    return cell


def report_units(scope):
    return Organization.objects.visible_to(scope, PERM).order_by("path")


def report_url(unit_pk: int, quarter: Quarter, name: str = "unit_report") -> str:
    return f"{reverse(f'reports:{name}', args=[unit_pk])}?quarter={quarter.code}"


class ReportIndexView(ScopedPageView):
    """/reports/?unit=&quarter= → the chosen unit's tables (default: the user's own unit, last quarter)."""

    permission = PERM
    target = "unit_report"  # or "rollup": the supervising unit's view of its children

    def get(self, request, *args, **kwargs):
        quarter = quarter_from(request)
        units = report_units(self.scope)
        target = self.target
        unit_id = request.GET.get("unit")
        if unit_id:
            if not unit_id.isdigit():
                raise Http404("单位无效。")
            unit = get_object_or_404(units, pk=int(unit_id))
        else:
            unit = units.filter(path__in=self.scope.q_paths(PERM)).first() or units.first()
            if unit is None:
                raise Http404("没有可以统计的单位。")
        return redirect(report_url(unit.pk, quarter, target))


class _UnitReportMixin:
    model = Organization
    permission = PERM
    visibility_permission = PERM

    def report_context(self) -> ReportContext:
        """The unit's subtree, or with ``own=1`` the unit itself only (本级, from a roll-up)."""
        self.quarter = quarter_from(self.request)
        own_only = self.request.GET.get("own") == "1"
        return ReportContext(scope=self.scope, unit=self.object, as_of=self.quarter.end, own_only=own_only)

    def cell_href(self, name: str = "cell_rows"):
        base = report_url(self.object.pk, self.quarter, name)
        return lambda cell: f"{base}&cell={cell.key}"


def _submission_context(view, unit, quarter, live_values) -> dict:
    scope, request = view.scope, view.request
    submission = selectors.submission_of(unit, quarter)
    version = selectors.latest_version(submission)
    locked = submission is not None and submission.status in services.LOCKED
    changed = []
    if version is not None:
        frozen = figures.frozen(version)
        changed = [k for k, v in live_values.items() if frozen.get(k, 0) != v]
    can_submit = scope.can("report.submit", unit) and not locked
    user = request.user
    return {
        "submission": submission,
        "version": version,
        "versions": list(submission.versions.all()) if submission else [],
        "locked": locked,
        "changed": changed,
        "can_submit": can_submit,
        "can_review": submission is not None and services.can_review(scope, unit),
        "can_adjust": scope.can("report.adjust", unit) and not locked,
        "submit_form": SubmitForm(
            initial={
                "filler_name": (version.filler_name if version else "") or user.get_full_name() or "",
                "filler_phone": (version.filler_phone if version else "") or unit.contact_phone or "",
            }
        )
        if can_submit
        else None,
        "return_form": ReturnForm(),
        "due": quarter.due,
        "overdue": not locked and timezone.localdate() > quarter.due,
    }


class ReportView(_UnitReportMixin, ScopedDetailView):
    template_name = "reports/report.html"

    def get_context_data(self, **kwargs):
        ctx = self.report_context()
        live = figures.live(ctx)
        values = live.values
        built, _ = tables.build(ctx, values, self.cell_href())
        today = timezone.localdate()
        ran = checks.run(values)
        return super().get_context_data(
            quarter=self.quarter,
            as_of=ctx.as_of,
            tables=built,
            checks=ran,
            failed_checks=sum(1 for c in ran if not c["ok"]),
            adjustments=live.adjustments,
            adjusted_keys={a.cell_key for a in live.adjustments},
            units=report_units(self.scope),
            quarters=Quarter.finished(today),
            has_children=selectors.reporting_children(self.object).exists(),
            **_submission_context(self, self.object, self.quarter, values),
            **kwargs,
        )


class CellRowsView(_UnitReportMixin, ScopedDetailView):
    """The rows behind one cell (?quarter=2025Q3&cell=t1.lists.self_found), and its adjustments."""

    template_name = "reports/cell_rows.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        cell = cell_from(self.request)
        ctx = self.report_context()
        rows = drilldown.prepared(cell.rows(ctx))
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        adjustments = [a for a in figures.adjustments_for(ctx) if a.cell_key == cell.key]
        computed = cell.compute(ctx)
        own = next((a for a in adjustments if a.unit_id == self.object.pk), None)
        can_adjust = self.scope.can("report.adjust", self.object) and not services.is_locked(
            self.object, self.quarter
        )
        return super().get_context_data(
            cell=cell,
            computed=computed,
            value=figures.add(computed, figures.deltas(adjustments).get(cell.key, 0)),
            adjustments=adjustments,
            own_adjustment=own,
            adjust_form=AdjustmentForm(initial={"delta": own.delta.normalize(), "reason": own.reason})
            if can_adjust and own
            else AdjustmentForm()
            if can_adjust
            else None,
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
        live = figures.live(ctx)
        built, _ = tables.build(ctx, live.values)
        workbook = xlsx_export.workbook(
            ctx,
            self.quarter,
            built=built,
            filler=request.user.get_full_name() or request.user.get_username(),
            phone=privacy.shown(self.scope, self.object.contact_phone, self.object),
            details=xlsx_export.live_details(ctx, live),
        )
        return xlsx_export.response(workbook, f"季报表_{self.object.name}_{self.quarter.code}.xlsx")


# --- adjustments ----------------------------------------------------------------------------------------
class AdjustmentSaveView(_UnitReportMixin, ScopedObjectView):
    """POST: enter or replace the unit's adjustment to one cell (from the cell's drill-down page)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        cell = cell_from(request)
        quarter = quarter_from(request)
        form = AdjustmentForm(request.POST, request.FILES)
        back = report_url(self.object.pk, quarter, "cell_rows") + f"&cell={cell.key}"
        if form.is_valid():
            try:
                services.adjustment_save(
                    actor=request.user,
                    scope=self.scope,
                    unit=self.object,
                    quarter=quarter,
                    cell_key=cell.key,
                    delta=form.cleaned_data["delta"],
                    reason=form.cleaned_data["reason"],
                    evidence=form.cleaned_data.get("evidence"),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
        if form.errors:
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        else:
            messages.success(request, "已保存调整：报表中该栏显示计算值、调整值和原因。")
        return redirect(back)


class AdjustmentDeleteView(ScopedObjectView):
    model = Adjustment
    permission = "report.adjust"
    visibility_permission = PERM
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        adjustment = self.object
        try:
            services.adjustment_delete(actor=request.user, scope=self.scope, adjustment=adjustment)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已删除调整。")
        quarter = Quarter.parse(adjustment.quarter)
        return redirect(report_url(adjustment.unit_id, quarter, "cell_rows") + f"&cell={adjustment.cell_key}")


# --- submission and review ------------------------------------------------------------------------------
class SubmitView(_UnitReportMixin, ScopedObjectView):
    permission = "report.submit"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        quarter = quarter_from(request)
        form = SubmitForm(request.POST)
        if form.is_valid():
            try:
                version = services.submit(
                    actor=request.user,
                    scope=self.scope,
                    unit=self.object,
                    quarter=quarter,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, f"已报送{quarter.label}报表（第 {version.number} 次报送），数值已锁定。"
                )
        for errors in form.errors.values():
            messages.error(request, "报送未完成：" + "；".join(errors))
        return redirect(report_url(self.object.pk, quarter) + "#submission")


class ReviewView(ScopedObjectView):
    """POST: the supervising unit accepts or returns (the service judges the reviewer on the unit's parent;
    a submission outside the scope is 404 first)."""

    model = Submission
    permission = PERM
    visibility_permission = PERM
    http_method_names = ["post"]
    verb = ""

    def post(self, request, *args, **kwargs):
        try:
            services.review(
                actor=request.user,
                scope=self.scope,
                submission=self.object,
                verb=self.verb,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request, "已签收。" if self.verb == "accept" else "已退回，单位修改后须重新报送。"
            )
        back = request.POST.get("next")
        if back == "rollup" and self.object.unit.parent_id:
            return redirect(
                report_url(self.object.unit.parent_id, Quarter.parse(self.object.quarter), "rollup")
            )
        return redirect(report_url(self.object.unit_id, Quarter.parse(self.object.quarter)) + "#submission")


class VersionView(ScopedDetailView):
    """A submitted version exactly as filed, and how today's computation differs from it."""

    model = SubmissionVersion
    permission = PERM
    visibility_permission = PERM
    template_name = "reports/version.html"

    def get_context_data(self, **kwargs):
        version = self.object
        unit = version.submission.unit
        quarter = Quarter.parse(version.submission.quarter)
        ctx = ReportContext(scope=self.scope, unit=unit, as_of=quarter.end)
        values = figures.frozen(version)
        base = reverse("reports:version_rows", args=[version.pk])
        built, _ = tables.build(ctx, values, lambda cell: f"{base}?cell={cell.key}")
        return super().get_context_data(
            unit=unit,
            quarter=quarter,
            tables=built,
            differences=figures.differences(version, ctx),
            **kwargs,
        )


class VersionRowsView(ScopedDetailView):
    """The rows a submitted version froze behind one cell (those still on record, and those gone)."""

    model = SubmissionVersion
    permission = PERM
    visibility_permission = PERM
    template_name = "reports/version_rows.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        cell = cell_from(self.request)
        version = self.object
        unit = version.submission.unit
        quarter = Quarter.parse(version.submission.quarter)
        ctx = ReportContext(scope=self.scope, unit=unit, as_of=quarter.end)
        ids = version.row_ids.get(cell.key, [])
        model = cell.rows(ctx).model
        rows = drilldown.prepared(model.objects.visible_to(self.scope).filter(pk__in=ids))
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            unit=unit,
            quarter=quarter,
            cell=cell,
            value=figures.frozen(version).get(cell.key, 0),
            frozen_count=len(ids),
            missing=len(ids) - rows.count(),
            page_obj=page,
            items=[drilldown.describe(o) for o in page.object_list],
            querystring=query.urlencode(),
            **kwargs,
        )


class VersionExportView(ScopedDetailView):
    """The xlsx of a submitted version: the frozen figures in the official layout, filler as submitted."""

    model = SubmissionVersion
    permission = PERM
    visibility_permission = PERM

    def get(self, request, *args, **kwargs):
        version = self.get_object()
        unit = version.submission.unit
        quarter = Quarter.parse(version.submission.quarter)
        ctx = ReportContext(scope=self.scope, unit=unit, as_of=quarter.end)
        built, _ = tables.build(ctx, figures.frozen(version))
        workbook = xlsx_export.workbook(
            ctx,
            quarter,
            built=built,
            filler=version.filler_name,
            phone=privacy.shown(self.scope, version.filler_phone, version),
            details=xlsx_export.frozen_details(ctx, version, self.scope),
        )
        name = f"季报表_{unit.name}_{quarter.code}_第{version.number}次报送.xlsx"
        return xlsx_export.response(workbook, name)


# --- roll-up --------------------------------------------------------------------------------------------
class RollupView(_UnitReportMixin, ScopedDetailView):
    """A supervising unit: who has submitted, and its figures put together from its children's."""

    template_name = "reports/rollup.html"

    def get_context_data(self, **kwargs):
        self.quarter = quarter_from(self.request)
        children = selectors.reporting_children(self.object)
        today = timezone.localdate()
        parts = selectors.parts(scope=self.scope, unit=self.object, quarter=self.quarter)
        href = self.cell_href("rollup_cell")
        built = tables.layout([(label, values, href) for label, values in selectors.blocks(parts)])
        states = selectors.submission_states(children, self.quarter, today)
        can_review = any(services.can_review(self.scope, s["unit"]) for s in states[:1])
        return super().get_context_data(
            quarter=self.quarter,
            tables=built,
            parts=parts,
            states=states,
            missing=[s for s in states if s["status"] in ("", "returned")],
            can_review=can_review,
            return_form=ReturnForm(),
            units=report_units(self.scope),
            quarters=Quarter.finished(today),
            **kwargs,
        )


class RollupCellView(_UnitReportMixin, ScopedDetailView):
    """One cell of a roll-up broken down by contributing unit, each linking to that unit's rows."""

    template_name = "reports/rollup_cell.html"

    def get_context_data(self, **kwargs):
        cell = cell_from(self.request)
        self.quarter = quarter_from(self.request)
        parts = selectors.parts(scope=self.scope, unit=self.object, quarter=self.quarter)
        total = figures.rollup([p.as_rollup_input() for p in parts])[cell.key]
        return super().get_context_data(
            cell=cell,
            quarter=self.quarter,
            total=total,
            parts=parts,
            rows=[
                {"part": p, "value": p.values[cell.key], "href": _part_href(p, self.quarter, cell)}
                for p in parts
            ],
            **kwargs,
        )


def _part_href(part, quarter: Quarter, cell) -> str:
    """Where a roll-up part's figure comes from: the frozen rows, or the live rows (本级 only for own)."""
    if part.version is not None:
        return f"{reverse('reports:version_rows', args=[part.version.pk])}?cell={cell.key}"
    own = "&own=1" if part.source == "own" else ""
    return report_url(part.unit.pk, quarter, "cell_rows") + f"&cell={cell.key}{own}"


class RollupExportView(_UnitReportMixin, ScopedDetailView):
    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.quarter = quarter_from(request)
        ctx = ReportContext(scope=self.scope, unit=self.object, as_of=self.quarter.end)
        parts = selectors.parts(scope=self.scope, unit=self.object, quarter=self.quarter)
        built = tables.layout([(label, values, None) for label, values in selectors.blocks(parts)])
        workbook = xlsx_export.workbook(
            ctx,
            self.quarter,
            built=built,
            filler=request.user.get_full_name() or request.user.get_username(),
            phone=privacy.shown(self.scope, self.object.contact_phone, self.object),
            details=xlsx_export.rollup_details(parts),
        )
        return xlsx_export.response(workbook, f"季报表汇总_{self.object.name}_{self.quarter.code}.xlsx")
