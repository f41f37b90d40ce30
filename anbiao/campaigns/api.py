"""REST API of the campaign ledgers (/api/v1/campaign-…). Serializers call the same services as the pages.

Workflow steps are POST actions on the object; a GET on the same action URL returns the object's current
state (so every object URL answers GET, and a caller can read before acting).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from anbiao.api.parsers import ObjectJSONParser
from anbiao.campaigns import report_cells, rules, selectors, services
from anbiao.campaigns.filters import (
    FilingFilter,
    WorkTaskFilter,
)
from anbiao.campaigns.models import (
    Campaign,
    Filing,
    Phase,
    Requirement,
    WorkTask,
)
from anbiao.core.api import ScopedModelViewSet
from anbiao.core.middleware import get_scope
from anbiao.orgs.models import Enterprise, Organization


def _raise(exc: DjangoValidationError):
    raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


def _date(value, name):
    from anbiao.core import parsing

    try:
        day = parsing.date(value)
    except ValueError as exc:
        raise ValidationError({name: str(exc)}) from exc
    if day is None:
        raise ValidationError({name: "必填"})
    return day


class ScopedFieldsMixin:
    """Unit and enterprise choices limited to where the caller may write (campaign.file)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        scope = get_scope(request)
        if "unit" in self.fields and not self.fields["unit"].read_only:
            self.fields["unit"].queryset = Organization.objects.visible_to(scope, "campaign.file")
        if "enterprise" in self.fields and not self.fields["enterprise"].read_only:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(scope, "campaign.file")

    @property
    def actor(self):
        return self.context["request"].user

    @property
    def scope(self):
        return get_scope(self.context["request"])


# --- Campaigns (list only: county-published data) ----------------------------------------------------
class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["id", "order", "name", "deadline", "description"]


class RequirementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Requirement
        fields = ["id", "phase", "order", "title", "due", "needs_scan", "needs_editable", "description"]


class CampaignSerializer(serializers.ModelSerializer):
    phases = PhaseSerializer(many=True, read_only=True)
    requirements = RequirementSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "organization",
            "year",
            "name",
            "document_no",
            "starts_on",
            "ends_on",
            "letter_deadline",
            "is_active",
            "phases",
            "requirements",
        ]


class CampaignViewPermission(permissions.BasePermission):
    message = "您的角色不能使用此功能。"

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and not user.must_change_password
            and get_scope(request).has_perm("campaign.view")
        )


class CampaignViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Campaigns with their phases (deadlines) and the deliverables each unit files. Filter: ``year``."""

    serializer_class = CampaignSerializer
    permission_classes = [CampaignViewPermission]
    queryset = Campaign.objects.prefetch_related("phases", "requirements").order_by("-year", "-id")
    filterset_fields = ["year", "is_active"]

    @extend_schema(
        parameters=[
            OpenApiParameter("campaign", int, description="专项行动编号（默认当前）"),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="截至日期（默认今天）"),
        ],
        responses=inline_serializer(
            "CampaignBoard",
            {
                "campaign": serializers.IntegerField(),
                "as_of": serializers.DateField(),
                "units": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    @action(detail=False)
    def board(self, request):
        """Per unit and deliverable: on_time / late / missing / pending / returned, from the deadlines."""
        scope = get_scope(request)
        campaign = selectors.pick_campaign(request.query_params.get("campaign"))
        if campaign is None:
            raise ValidationError({"campaign": "没有专项行动。"})
        as_of = _date(request.query_params.get("as_of") or timezone.localdate(), "as_of")
        rows = selectors.unit_obligations(scope=scope, campaign=campaign, as_of=as_of)
        return Response(
            {
                "campaign": campaign.pk,
                "as_of": as_of,
                "units": [
                    {
                        "unit": row["unit"].pk,
                        "unit_name": row["unit"].name,
                        "deliverables": [
                            {
                                "requirement": c["requirement"].pk,
                                "due": c["requirement"].due,
                                "timeliness": c["timeliness"],
                                "label": c["label"],
                                "filing": c["filing"].pk if c["filing"] else None,
                                "days_late": c["days_late"],
                            }
                            for c in row["cells"]
                        ],
                    }
                    for row in rows
                ],
            }
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, description="单位编号（含下级），默认本人管辖范围的顶层单位"),
            OpenApiParameter("as_of", OpenApiTypes.DATE),
            OpenApiParameter("since", OpenApiTypes.DATE, description="累计起始日（默认 2025-01-01）"),
        ],
        responses=inline_serializer("ReportCells", {"cells": serializers.DictField()}),
    )
    @action(detail=False)
    def cells(self, request):
        """The 季报表(二) cells and the campaign cells of 季报表(三) for a unit's subtree."""
        scope = get_scope(request)
        units_all = Organization.objects.visible_to(scope).order_by("path")
        raw_unit = request.query_params.get("unit") or ""
        if raw_unit and not raw_unit.isdigit():
            raise ValidationError({"unit": "单位须为单位编号（数字）。"})
        unit = units_all.filter(pk=int(raw_unit or 0)).first() or units_all.first()
        if unit is None:
            return Response({"cells": {}})
        as_of = _date(request.query_params.get("as_of") or timezone.localdate(), "as_of")
        since = _date(request.query_params.get("since") or report_cells.SINCE, "since")
        units = units_all.filter(path__startswith=unit.path)
        enterprises = Enterprise.objects.visible_to(scope).filter(unit__path__startswith=unit.path)
        out = {}
        for key, cell in report_cells.REPORT_CELLS.items():
            value = cell["fn"](units if cell["owner"] == "units" else enterprises, as_of, since)
            out[key] = {"label": cell["label"], "value": str(value) if not isinstance(value, int) else value}
        return Response({"unit": unit.pk, "as_of": as_of, "since": since, "cells": out})


# --- Filings ---------------------------------------------------------------------------------------------
class FilingSerializer(ScopedFieldsMixin, serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    requirement = serializers.PrimaryKeyRelatedField(queryset=Requirement.objects.all())
    scan_file = serializers.FileField(write_only=True, required=False)
    editable_file = serializers.FileField(write_only=True, required=False)

    class Meta:
        model = Filing
        fields = [
            "id",
            "requirement",
            "unit",
            "filed_on",
            "status",
            "note",
            "scan",
            "editable",
            "scan_file",
            "editable_file",
            "return_reason",
            "reviewed_at",
            "backdated",
            "recorded_at",
        ]
        read_only_fields = [
            "status",
            "scan",
            "editable",
            "return_reason",
            "reviewed_at",
            "backdated",
            "recorded_at",
        ]

    def create(self, data):
        try:
            return services.filing_submit(
                actor=self.actor,
                scope=self.scope,
                requirement=data["requirement"],
                unit=data["unit"],
                filed_on=data["filed_on"],
                note=data.get("note", ""),
                scan=data.get("scan_file"),
                editable=data.get("editable_file"),
            )
        except DjangoValidationError as exc:
            _raise(exc)


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class FilingViewSet(ScopedModelViewSet):
    """Deliverables filed by units. POST (multipart) files one; ``accept`` / ``return`` review it (county)."""

    queryset = Filing.objects.all()
    serializer_class = FilingSerializer
    permission = "campaign.view"
    write_permission = "campaign.file"
    filterset_class = FilingFilter
    parser_classes = [MultiPartParser, FormParser, ObjectJSONParser]
    http_method_names = ["get", "post", "head", "options"]

    def narrow(self, queryset):
        return queryset.select_related("requirement", "unit").order_by("-filed_on", "-id")

    def _review(self, request, verb):
        filing = self.get_object()
        if request.method == "POST":
            reason = request.data.get("reason", "")
            from anbiao.campaigns import workflow

            try:
                filing = services.filing_review(
                    actor=request.user, scope=self.scope, filing=filing, verb=verb, reason=reason
                )
            except workflow.IllegalMove as exc:
                raise ValidationError({"status": str(exc)}) from exc
            except DjangoValidationError as exc:
                _raise(exc)
        return Response(FilingSerializer(filing, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=FilingSerializer)
    @action(detail=True, methods=["get", "post"])
    def accept(self, request, pk=None):
        """POST: 签收 (county). GET: the filing as it stands."""
        return self._review(request, "accept")

    @extend_schema(request=ReturnSerializer, responses=FilingSerializer)
    @action(detail=True, methods=["get", "post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """POST: 退回 with a reason (county). GET: the filing as it stands."""
        return self._review(request, "return")


# --- 年度工作任务清单 --------------------------------------------------------------------------------------
class WorkTaskSerializer(ScopedFieldsMixin, serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = WorkTask
        fields = [
            "id",
            "unit",
            "campaign",
            "year",
            "title",
            "owner",
            "due",
            "status",
            "done_on",
            "note",
            "overdue",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["unit"].read_only = True

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, obj):
        return rules.task_overdue(obj.status, obj.due, obj.done_on, timezone.localdate())

    def create(self, data):
        unit = data.pop("unit")
        try:
            return services.task_create(actor=self.actor, scope=self.scope, unit=unit, data=data)
        except DjangoValidationError as exc:
            _raise(exc)

    def update(self, instance, data):
        data.pop("unit", None)
        try:
            return services.task_update(actor=self.actor, scope=self.scope, task=instance, data=data)
        except DjangoValidationError as exc:
            _raise(exc)


class WorkTaskViewSet(ScopedModelViewSet):
    """年度工作任务清单. Filters: q, unit (subtree), year, status, overdue."""

    queryset = WorkTask.objects.all()
    serializer_class = WorkTaskSerializer
    permission = "campaign.view"
    write_permission = "campaign.file"
    filterset_class = WorkTaskFilter

    def narrow(self, queryset):
        return queryset.select_related("unit").order_by("due", "id")


from anbiao.campaigns.api_ledgers import register_ledgers  # noqa: E402


def register(router):
    router.register("campaigns", CampaignViewSet, basename="campaign")
    router.register("campaign-filings", FilingViewSet, basename="campaign-filing")
    router.register("campaign-tasks", WorkTaskViewSet, basename="campaign-task")
    register_ledgers(router)
