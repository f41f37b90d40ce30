"""REST API of the quarterly tables (/api/v1/report-…): every cell of a unit's quarter with its key,
definition, computed value, adjustment, reported value and drill-down links; the rows behind a cell;
submission, return and accept; a supervising unit's roll-up."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from anbiao.core.api import PiiSerializerMixin, ScopedReadOnlyViewSet
from anbiao.orgs.models import Organization
from anbiao.reports import checks, drilldown, figures, selectors, services
from anbiao.reports.cells import CELLS
from anbiao.reports.context import Quarter, ReportContext
from anbiao.reports.models import Submission, SubmissionVersion

PERM = "report.view"
QUARTER_PARAM = OpenApiParameter("quarter", str, description="已结束的季度，例如 2025Q3；缺省为上一季度")
CELL_PARAM = OpenApiParameter("cell", str, required=True, description="栏目键，例如 t1.lists.self_found")


def _raise(exc: DjangoValidationError):
    raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


def _quarter(request) -> Quarter:
    today = timezone.localdate()
    raw = request.query_params.get("quarter")
    if not raw:
        return Quarter.last_finished(today)
    quarter = Quarter.parse(raw)
    if quarter is None or quarter not in Quarter.finished(today):
        raise ValidationError({"quarter": "季度无效：请填写已结束的季度，例如 2025Q3。"})
    return quarter


def _cell(request):
    cell = CELLS.get(request.query_params.get("cell", ""))
    if cell is None:
        raise ValidationError({"cell": "没有这个报表栏目。"})
    return cell


def _json_number(value):
    return value if isinstance(value, int) else str(value)


def cell_rows_payload(
    request, unit, quarter: Quarter, values: dict, computed: dict, deltas: dict
) -> list[dict]:
    page = reverse("reports:cell_rows", args=[unit.pk])
    api = reverse("api:report-unit-cell-rows", args=[unit.pk])
    out = []
    for key, cell in CELLS.items():
        out.append(
            {
                "key": key,
                "table": cell.table,
                "path": list(cell.path),
                "row": cell.row,
                "definition": cell.definition,
                "window": cell.window_text,
                "computed": _json_number(computed[key]),
                "adjustment": _json_number(deltas[key]) if key in deltas else None,
                "value": _json_number(values[key]),
                "rows_page": request.build_absolute_uri(f"{page}?quarter={quarter.code}&cell={key}"),
                "rows_api": request.build_absolute_uri(f"{api}?quarter={quarter.code}&cell={key}"),
            }
        )
    return out


class VersionSerializer(PiiSerializerMixin, serializers.ModelSerializer):
    pii_fields = {"filler_phone": "phone"}
    submitted_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField()

    class Meta:
        model = SubmissionVersion
        fields = [
            "id",
            "number",
            "submitted_at",
            "submitted_by",
            "filler_name",
            "filler_phone",
            "note",
            "decision",
            "decided_at",
            "decided_by",
            "reason",
            "values",
            "computed",
            "adjustments",
            "row_ids",
        ]


class SubmissionSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    versions = VersionSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = ["id", "unit", "unit_name", "quarter", "status", "version_count", "updated_at", "versions"]


class ReportSubmitSerializer(serializers.Serializer):
    quarter = serializers.CharField()
    filler_name = serializers.CharField(max_length=50)
    filler_phone = serializers.CharField(max_length=30)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ReviewReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class UnitSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "kind_label", "parent"]


class RowsPagination(PageNumberPagination):  # the drill-down rows of one cell: exact, as the cell
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"


class ReportUnitViewSet(ScopedReadOnlyViewSet):
    """The units whose quarterly tables the caller may compute, and their tables."""

    queryset = Organization.objects.all()
    serializer_class = UnitSerializer
    permission = PERM
    write_permission = "report.submit"

    def narrow(self, queryset):
        return queryset.filter(pk__in=Organization.objects.visible_to(self.scope, PERM)).order_by("path")

    def _ctx(self, quarter, own_only=False):
        return ReportContext(scope=self.scope, unit=self.get_object(), as_of=quarter.end, own_only=own_only)

    @extend_schema(parameters=[QUARTER_PARAM], responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def tables(self, request, pk=None):
        """All cells of the three tables for the unit and quarter, with the cross-checks and status."""
        quarter = _quarter(request)
        ctx = self._ctx(quarter)
        live = figures.live(ctx)
        values = live.values
        submission = selectors.submission_of(ctx.unit, quarter)
        return Response(
            {
                "unit": {"id": ctx.unit.pk, "name": ctx.unit.name, "kind": ctx.unit.get_kind_display()},
                "quarter": quarter.code,
                "as_of": ctx.as_of,
                "due": quarter.due,
                "status": submission.status if submission else "",
                "cells": cell_rows_payload(
                    request, ctx.unit, quarter, values, live.computed, figures.deltas(live.adjustments)
                ),
                "adjustments": [
                    {"unit": a.unit.name, "cell": a.cell_key, "delta": str(a.delta), "reason": a.reason}
                    for a in live.adjustments
                ],
                "checks": checks.run(values),
            }
        )

    @extend_schema(parameters=[QUARTER_PARAM, CELL_PARAM], responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"], url_path="cell-rows", url_name="cell-rows")
    def cell_rows(self, request, pk=None):
        """The rows behind one cell (the same rows the drill-down page lists), paginated."""
        self.get_object()  # out of scope is 404 before any parameter is judged
        quarter = _quarter(request)
        cell = _cell(request)
        ctx = self._ctx(quarter, own_only=request.query_params.get("own") == "1")
        paginator = RowsPagination()
        page = paginator.paginate_queryset(drilldown.prepared(cell.rows(ctx)), request, view=self)
        rows = [{k: v for k, v in drilldown.describe(o).items() if k != "enterprise_url"} for o in page]
        response = paginator.get_paginated_response(rows)
        response.data["cell"] = cell.key
        response.data["value"] = _json_number(cell.compute(ctx))
        return response

    @extend_schema(parameters=[QUARTER_PARAM], responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def rollup(self, request, pk=None):
        """The unit's children's states and figures (submitted, else live), 本级, and the blocks by type."""
        quarter = _quarter(request)
        unit = self.get_object()
        parts = selectors.parts(scope=self.scope, unit=unit, quarter=quarter)
        states = selectors.submission_states(
            selectors.reporting_children(unit), quarter, timezone.localdate()
        )
        return Response(
            {
                "unit": unit.pk,
                "quarter": quarter.code,
                "states": [
                    {
                        "unit": s["unit"].pk,
                        "name": s["unit"].name,
                        "status": s["status"],
                        "overdue": s["overdue"],
                    }
                    for s in states
                ],
                "parts": [
                    {
                        "label": p.label,
                        "unit": p.unit.pk,
                        "source": p.source,
                        "values": {k: _json_number(v) for k, v in p.values.items()},
                    }
                    for p in parts
                ],
                "blocks": [
                    {"label": label, "values": {k: _json_number(v) for k, v in values.items()}}
                    for label, values in selectors.blocks(parts)
                ],
            }
        )

    @extend_schema(request=ReportSubmitSerializer, responses=VersionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the unit's quarter: the figures and the ids behind them are frozen."""
        unit = self.get_object()
        data = ReportSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        quarter = Quarter.parse(data.validated_data["quarter"])
        if quarter is None:
            raise ValidationError({"quarter": "季度无效：请填写已结束的季度，例如 2025Q3。"})
        fields = {k: v for k, v in data.validated_data.items() if k != "quarter"}
        try:
            version = services.submit(
                actor=request.user, scope=self.scope, unit=unit, quarter=quarter, **fields
            )
        except DjangoValidationError as exc:
            _raise(exc)
        return Response(VersionSerializer(version).data, status=201)


class SubmissionViewSet(ScopedReadOnlyViewSet):
    """Submissions in the caller's scope (?quarter=2025Q3&status=submitted) with every version."""

    queryset = Submission.objects.all()
    serializer_class = SubmissionSerializer
    permission = PERM
    write_permission = "report.review"

    def narrow(self, queryset):
        qs = (
            Submission.objects.visible_to(self.scope, PERM)
            .select_related("unit")
            .prefetch_related("versions__submitted_by", "versions__decided_by")
        )
        for name in ("quarter", "status"):
            value = self.request.query_params.get(name)
            if value:
                qs = qs.filter(**{name: value})
        return qs.order_by("-quarter", "unit__path")

    def _review(self, request, verb):
        submission = self.get_object()
        data = ReviewReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.review(
                actor=request.user,
                scope=self.scope,
                submission=submission,
                verb=verb,
                reason=data.validated_data["reason"],
            )
        except DjangoValidationError as exc:
            _raise(exc)
        submission.refresh_from_db()
        return Response(SubmissionSerializer(self.get_queryset().get(pk=submission.pk)).data)

    @extend_schema(request=None, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._review(request, "accept")

    @extend_schema(request=ReviewReasonSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._review(request, "return")


def register(router):
    router.register("report-units", ReportUnitViewSet, basename="report-unit")
    router.register("report-submissions", SubmissionViewSet, basename="report-submission")
