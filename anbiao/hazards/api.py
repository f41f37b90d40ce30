"""API of the hazard module: the same scope, filters and services as the pages. Workflow steps are POST
verbs on a hazard (``/api/v1/hazards/{id}/<verb>/``)."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from anbiao.core.api import ScopedModelViewSet, ScopedReadOnlyViewSet, revision_field
from anbiao.core.middleware import get_scope
from anbiao.hazards.filters import HazardFilter, InspectionFilter, ListingFilter
from anbiao.hazards.models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    Hazard,
    HazardListing,
    Inspection,
    InspectionResult,
    InternalReport,
)
from anbiao.hazards.services import hazards as services
from anbiao.hazards.services import reports as report_services
from anbiao.orgs.models import Enterprise, Organization
from anbiao.risks.models import RiskPoint


def _ctx(serializer):
    request = serializer.context["request"]
    return request.user, get_scope(request)


# Fields set by the workflow steps (五定 and 治理方案 at 定级, then rectification, acceptance, voiding).
AFTER_REGISTRATION = [
    *(f for f in services.ASSIGN_FIELDS if f not in services.REGISTER_FIELDS),
    "rectified_on",
    "rectification_note",
    "accepted_on",
    "acceptance_note",
    "voided_on",
    "void_reason",
]


class HazardSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Hazard
        fields = [
            "id",
            "revision",
            "code",
            "enterprise",
            "enterprise_name",
            *services.REGISTER_FIELDS,
            "state",
            "state_label",
            "overdue",
            *AFTER_REGISTRATION,
        ]
        # 登记 takes the registration fields; everything after is written by the workflow verbs below.
        read_only_fields = ["code", "checklist_item", "inspection", "state", *AFTER_REGISTRATION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            scope = get_scope(request)
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(scope, "hazard.report")
            self.fields["risk_point"].queryset = RiskPoint.objects.visible_to(scope)
        self.fields["level"].required = False

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()

    def create(self, validated_data):
        actor, scope = _ctx(self)
        enterprise = validated_data.pop("enterprise")
        validated_data.setdefault("level", "")
        return services.hazard_register(actor=actor, scope=scope, enterprise=enterprise, data=validated_data)


class AssignSerializer(serializers.ModelSerializer):
    revision = revision_field()

    class Meta:
        model = Hazard
        fields = [
            "revision",
            "level",
            "criterion",
            "level_reason",
            "responsible_person",
            "measures",
            "deadline",
            "funds",
            "acceptor_name",
            "stop_scope",
            "reported_on",
            "plan_goal",
            "plan_method",
            "plan_resources",
            "plan_organisation",
            "plan_schedule",
            "plan_safety",
        ]


class SubmitSerializer(serializers.Serializer):
    rectified_on = serializers.DateField()
    note = serializers.CharField()
    photos = serializers.ListField(child=serializers.ImageField(), allow_empty=False)


class AcceptSerializer(serializers.Serializer):
    accepted_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class HazardViewSet(ScopedModelViewSet):
    """隐患 in the caller's scope. Filters as the 隐患清单 page: q, state, level, source, overdue, listed,
    enterprise_name, unit, township, found_after, found_before. POST creates (登记); each workflow step is a
    POST verb whose service checks the caller's role on this hazard."""

    queryset = Hazard.objects.all()
    serializer_class = HazardSerializer
    permission = "hazard.view"
    write_permission = "hazard.report"
    filterset_class = HazardFilter
    http_method_names = ["get", "post", "head", "options"]
    ordering_fields = ["found_on", "deadline", "code"]

    def narrow(self, queryset):
        return queryset.select_related("enterprise")

    @extend_schema(request=AssignSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """定级并落实五定 (登记 → 待整改)."""
        target = self.get_object()
        s = AssignSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        hazard = services.hazard_assign(
            actor=request.user, scope=self.scope, hazard=target, data=dict(s.validated_data)
        )
        return Response(HazardSerializer(hazard, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """开始整改 (待整改 → 整改中)."""
        hazard = services.hazard_start(actor=request.user, scope=self.scope, hazard=self.get_object())
        return Response(HazardSerializer(hazard, context=self.get_serializer_context()).data)

    @extend_schema(request={"multipart/form-data": SubmitSerializer}, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """提交验收 with after-photos (multipart: rectified_on, note, photos[])."""
        target = self.get_object()
        data = {
            "rectified_on": request.data.get("rectified_on"),
            "note": request.data.get("note", ""),
            "photos": request.FILES.getlist("photos"),
        }
        s = SubmitSerializer(data=data)
        s.is_valid(raise_exception=True)
        hazard = services.hazard_submit(
            actor=request.user, scope=self.scope, hazard=target, **s.validated_data
        )
        return Response(HazardSerializer(hazard, context=self.get_serializer_context()).data)

    @extend_schema(request=AcceptSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """验收销号 (待验收 → 已销号); the acceptor is never the rectifier."""
        target = self.get_object()
        s = AcceptSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        hazard = services.hazard_accept(
            actor=request.user, scope=self.scope, hazard=target, **s.validated_data
        )
        return Response(HazardSerializer(hazard, context=self.get_serializer_context()).data)

    @extend_schema(request=ReasonSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """验收不通过 (待验收 → 整改中), with a reason."""
        target = self.get_object()
        s = ReasonSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        hazard = services.hazard_reject(
            actor=request.user, scope=self.scope, hazard=target, reason=s.validated_data["reason"]
        )
        return Response(HazardSerializer(hazard, context=self.get_serializer_context()).data)

    @extend_schema(request=ReasonSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        """误报作废 (登记 → 作废), with a reason."""
        target = self.get_object()
        s = ReasonSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        hazard = services.hazard_void(
            actor=request.user, scope=self.scope, hazard=target, reason=s.validated_data["reason"]
        )
        return Response(HazardSerializer(hazard, context=self.get_serializer_context()).data)


class ListingSerializer(serializers.ModelSerializer):
    hazard = serializers.PrimaryKeyRelatedField(queryset=Hazard.objects.none())
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())

    class Meta:
        model = HazardListing
        fields = [
            "id",
            "hazard",
            "organization",
            "document_no",
            "listed_on",
            "deadline",
            "requirements",
            "delisted_on",
            "delist_note",
        ]
        read_only_fields = ["delisted_on", "delist_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            scope = get_scope(request)
            self.fields["hazard"].queryset = Hazard.objects.visible_to(scope, "listing.manage")
            self.fields["organization"].queryset = Organization.objects.visible_to(scope, "listing.manage")

    def create(self, validated_data):
        actor, scope = _ctx(self)
        hazard = validated_data.pop("hazard")
        organization = validated_data.pop("organization")
        return services.listing_create(
            actor=actor, scope=scope, hazard=hazard, organization=organization, data=validated_data
        )


class ListingViewSet(ScopedModelViewSet):
    """重大隐患挂牌督办."""

    queryset = HazardListing.objects.all()
    serializer_class = ListingSerializer
    permission = "hazard.view"
    write_permission = "listing.manage"
    filterset_class = ListingFilter
    http_method_names = ["get", "post", "head", "options"]

    def narrow(self, queryset):
        return queryset.select_related("hazard", "organization")


class InspectionResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionResult
        fields = ["id", "item", "outcome", "location", "note", "hazard"]


class SafetyInspectionSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    results = InspectionResultSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "kind",
            "organization",
            "inspected_on",
            "inspectors",
            "version",
            "status",
            "summary",
            "notice_no",
            "results",
        ]


class InspectionViewSet(ScopedReadOnlyViewSet):
    """Inspections with their item results (recording happens on the inspection page)."""

    queryset = Inspection.objects.all()
    serializer_class = SafetyInspectionSerializer
    permission = "inspection.view"
    filterset_class = InspectionFilter

    def narrow(self, queryset):
        return queryset.select_related("enterprise").prefetch_related("results")


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "order", "category", "content", "method", "basis", "criterion", "element"]


class TemplateSerializer(serializers.ModelSerializer):
    current_version = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()

    class Meta:
        model = ChecklistTemplate
        fields = [
            "id",
            "kind",
            "name",
            "description",
            "organization",
            "enterprise",
            "extends",
            "industries",
            "current_version",
            "items",
        ]

    def _current(self, obj):
        published = obj.versions.all()  # prefetched by the viewset: published versions, newest first
        return published[0] if published else None

    def get_current_version(self, obj) -> int | None:
        version = self._current(obj)
        return version.number if version else None

    @extend_schema(responses=ItemSerializer(many=True))
    def get_items(self, obj) -> list[dict]:
        version = self._current(obj)
        return ItemSerializer(version.all_items() if version else [], many=True).data


class TemplateViewSet(ScopedReadOnlyViewSet):
    """Checklist templates usable by the caller (own and inherited), with the current version's items."""

    queryset = ChecklistTemplate.objects.all()
    serializer_class = TemplateSerializer
    permission = "checklist.view"

    def narrow(self, queryset):
        items = ChecklistItem.objects.select_related("criterion", "element")
        published = (
            ChecklistVersion.objects.filter(number__isnull=False)
            .order_by("-number")
            .select_related("base")
            .prefetch_related(Prefetch("items", queryset=items), Prefetch("base__items", queryset=items))
        )
        return (
            queryset.filter(is_active=True)
            .prefetch_related("industries", Prefetch("versions", queryset=published))
            .order_by("kind", "name", "id")
        )


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = InternalReport
        fields = [
            "id",
            "enterprise",
            "description",
            "location",
            "reporter_name",
            "received_at",
            "status",
            "hazard",
            "reject_reason",
            "handled_on",
            "reward_amount",
            "reward_paid_on",
            "reward_paid_by",
        ]


class ReportViewSet(ScopedReadOnlyViewSet):
    """职工内部报告 (verification and rewards are POST verbs)."""

    queryset = InternalReport.objects.all()
    serializer_class = ReportSerializer
    permission = "internal_report.view"
    write_permission = "internal_report.handle"

    def narrow(self, queryset):
        return queryset.order_by("-received_at", "-id")

    @extend_schema(request=ReasonSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """核实不属实."""
        target = self.get_object()
        s = ReasonSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        report = report_services.report_reject(
            actor=request.user, scope=self.scope, report=target, reason=s.validated_data["reason"]
        )
        return Response(ReportSerializer(report).data)


def register(router):
    router.register("hazards", HazardViewSet, basename="hazard")
    router.register("hazard-listings", ListingViewSet, basename="hazard-listing")
    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("checklists", TemplateViewSet, basename="checklist")
    router.register("internal-reports", ReportViewSet, basename="internal-report")
