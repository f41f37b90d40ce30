"""REST API of the ledgers (/api/v1/ledgers/…): the same filters and services as the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from anbiao.core.api import ScopedModelViewSet
from anbiao.core.middleware import get_scope
from anbiao.ledgers import services, workflow
from anbiao.ledgers.filters import AccidentFilter
from anbiao.ledgers.forms import ACCIDENT_FACTS, ACCIDENT_INVESTIGATION
from anbiao.ledgers.kinds import KINDS, LedgerKind
from anbiao.ledgers.models import (
    Accident,
    Equipment,
    EquipmentInspection,
    TrainingAttendance,
    TrainingSession,
)
from anbiao.ledgers.views.generic import narrowed
from anbiao.orgs.models import Enterprise


def _editable_enterprises(serializer):
    request = serializer.context.get("request")
    if request is None:
        return Enterprise.objects.none()
    return Enterprise.objects.visible_to(get_scope(request), "ledger.edit")


class LedgerSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = _editable_enterprises(self)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["enterprise"].read_only = True
        request = self.context.get("request")
        for name in ("plan", "team"):
            if name in self.fields and request is not None:
                model = self.fields[name].queryset.model
                self.fields[name].queryset = model.objects.visible_to(get_scope(request), "ledger.edit")

    def create(self, validated_data):
        request = self.context["request"]
        enterprise = validated_data.pop("enterprise")
        return services.ledger_record_create(
            actor=request.user,
            scope=get_scope(request),
            model=self.Meta.model,
            enterprise=enterprise,
            data=validated_data,
        )

    def update(self, instance, validated_data):
        request = self.context["request"]
        validated_data.pop("enterprise", None)
        return services.ledger_record_update(
            actor=request.user, scope=get_scope(request), obj=instance, data=validated_data
        )


def _serializer_for(kind: LedgerKind):
    extra = ["next_inspection_due"] if kind.model is Equipment else []
    files = ["file"] if kind.has_file else []
    meta = type(
        "Meta",
        (),
        {
            "model": kind.model,
            "fields": ["id", "enterprise", "enterprise_name", *kind.fields, *extra, *files],
            "read_only_fields": [*extra, *files],
        },
    )
    return type(f"{kind.model.__name__}Serializer", (LedgerSerializer,), {"Meta": meta})


def _viewset_for(kind: LedgerKind):
    def narrow(self, queryset):
        return narrowed(kind, queryset).order_by(*kind.model._meta.ordering)

    return type(
        f"{kind.model.__name__}ViewSet",
        (ScopedModelViewSet,),
        {
            "__doc__": f"{kind.label}（{kind.group}）：列表按企业所在单位范围过滤；写入须有台账录入权限。",
            "queryset": kind.model.objects.all(),
            "serializer_class": _serializer_for(kind),
            "permission": "ledger.view",
            "write_permission": "ledger.edit",
            "filterset_class": kind.filterset,
            "narrow": narrow,
        },
    )


# --- Inspections and attendees (append through their own endpoints) --------------------------------------
class InspectionSerializer(serializers.ModelSerializer):
    equipment = serializers.PrimaryKeyRelatedField(queryset=Equipment.objects.none())

    class Meta:
        model = EquipmentInspection
        fields = [
            "id",
            "equipment",
            "kind",
            "inspected_on",
            "agency",
            "report_number",
            "result",
            "next_due",
            "note",
            "backdated",
            "recorded_at",
        ]
        read_only_fields = ["backdated", "recorded_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["equipment"].queryset = Equipment.objects.visible_to(
                get_scope(request), "ledger.edit"
            )

    def create(self, validated_data):
        request = self.context["request"]
        equipment = validated_data.pop("equipment")
        return services.equipment_inspection_add(
            actor=request.user, scope=get_scope(request), equipment=equipment, data=validated_data
        )


class InspectionViewSet(ScopedModelViewSet):
    """检验检查记录：只追加，不修改（下次检验日期随最新记录更新）。"""

    queryset = EquipmentInspection.objects.all()
    serializer_class = InspectionSerializer
    permission = "ledger.view"
    write_permission = "ledger.edit"
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["equipment", "kind", "result"]

    def narrow(self, queryset):
        return queryset.select_related("equipment").order_by("-inspected_on", "-id")


class AttendanceSerializer(serializers.ModelSerializer):
    session = serializers.PrimaryKeyRelatedField(queryset=TrainingSession.objects.none())
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = TrainingAttendance
        fields = ["id", "session", "person", "person_name", "hours", "exam_score", "passed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            scope = get_scope(request)
            self.fields["session"].queryset = TrainingSession.objects.visible_to(scope, "ledger.edit")
            self.fields["person"].queryset = self.fields["person"].queryset.model.objects.visible_to(scope)

    def create(self, validated_data):
        request = self.context["request"]
        return services.training_attendance_add(
            actor=request.user,
            scope=get_scope(request),
            session=validated_data.pop("session"),
            person=validated_data.pop("person"),
            data=validated_data,
        )


class AttendanceViewSet(ScopedModelViewSet):
    """参训人员（人员来自全员责任制的人员名单）。"""

    queryset = TrainingAttendance.objects.all()
    serializer_class = AttendanceSerializer
    permission = "ledger.view"
    write_permission = "ledger.edit"
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["session", "person"]

    def narrow(self, queryset):
        return queryset.select_related("person", "session").order_by("session", "id")


# --- Accidents ---------------------------------------------------------------------------------------------
class AccidentSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Accident
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            *ACCIDENT_FACTS,
            "grade",
            "rule_set",
            "status",
            *ACCIDENT_INVESTIGATION,
            "closed_on",
            "backdated",
        ]
        read_only_fields = ["grade", "rule_set", "status", "closed_on", "backdated"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = _editable_enterprises(self)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["enterprise"].read_only = True

    def create(self, validated_data):
        request = self.context["request"]
        enterprise = validated_data.pop("enterprise")
        return services.accident_report(
            actor=request.user, scope=get_scope(request), enterprise=enterprise, data=validated_data
        )

    def update(self, instance, validated_data):
        request = self.context["request"]
        validated_data.pop("enterprise", None)
        return services.accident_update(
            actor=request.user, scope=get_scope(request), accident=instance, data=validated_data
        )


class MoveSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(workflow.TRANSITIONS))
    note = serializers.CharField(required=False, allow_blank=True)


class MoveOptionSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    missing = serializers.ListField(child=serializers.CharField())


class MovesSerializer(serializers.Serializer):
    status = serializers.CharField()
    moves = MoveOptionSerializer(many=True)


class AccidentViewSet(ScopedModelViewSet):
    """事故和未遂事件：等级按国务院令第493号自动判定；调查处理按工作流（transition）推进。

    Filters: q, unit, enterprise, kind, grade, status, near_miss, year.
    """

    queryset = Accident.objects.all()
    serializer_class = AccidentSerializer
    permission = "ledger.view"
    write_permission = "ledger.edit"
    filterset_class = AccidentFilter

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "rule_set").order_by("-occurred_at", "-id")

    @extend_schema(request=MoveSerializer, responses={200: MovesSerializer})
    @action(detail=True, methods=["get", "post"])
    def transition(self, request, pk=None):
        """GET: the moves the caller may make now. POST {action, note}: make one."""
        accident = self.get_object()
        scope = get_scope(request)
        if request.method == "POST":
            body = MoveSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            accident = services.accident_transition(
                actor=request.user,
                scope=scope,
                accident=accident,
                action=body.validated_data["action"],
                note=body.validated_data.get("note", ""),
            )
        moves = [
            {"action": t.name, "label": t.label, "missing": workflow.missing_for(t.name, accident)}
            for t in workflow.available(accident.status)
            if scope.can(t.perm, accident)
        ]
        return Response({"status": accident.status, "moves": moves}, status=status.HTTP_200_OK)


def register(router) -> None:
    for key, kind in KINDS.items():
        router.register(f"ledgers/{key}", _viewset_for(kind), basename=f"ledger-{key}")
    router.register("ledgers/inspections", InspectionViewSet, basename="ledger-inspection")
    router.register("ledgers/attendances", AttendanceViewSet, basename="ledger-attendance")
    router.register("ledgers/accidents", AccidentViewSet, basename="ledger-accident")
