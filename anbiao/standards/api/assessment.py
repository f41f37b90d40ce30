"""Standards API: assessment."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from anbiao.core.api import ScopedModelViewSet
from anbiao.core.middleware import get_scope
from anbiao.orgs.models import Enterprise
from anbiao.standards import services
from anbiao.standards.api.common import StandardsMoveInfoSerializer, _ctx, _move_info
from anbiao.standards.filters import (
    AssessmentFilter,
)
from anbiao.standards.models import (
    AssessmentEntry,
    SelfAssessment,
    Standard,
)


# --- self-assessment --------------------------------------------------------------------------------------
class AssessmentEntrySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="item.code", read_only=True)
    title = serializers.CharField(source="item.title", read_only=True)
    score = serializers.DecimalField(source="item.score", max_digits=7, decimal_places=2, read_only=True)
    is_veto = serializers.BooleanField(source="item.is_veto", read_only=True)

    class Meta:
        model = AssessmentEntry
        fields = [
            "id",
            "code",
            "title",
            "score",
            "is_veto",
            "applicable",
            "deduction",
            "reason",
            "description",
            "veto_failed",
            "checked",
        ]
        read_only_fields = ["checked"]


class AssessmentEntryWriteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    applicable = serializers.BooleanField(required=False)
    deduction = serializers.DecimalField(max_digits=7, decimal_places=2, required=False, min_value=0)
    reason = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    veto_failed = serializers.BooleanField(required=False)


class AssessmentScoreSerializer(serializers.Serializer):
    entries = AssessmentEntryWriteSerializer(many=True)


class SelfAssessmentSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    standard = serializers.PrimaryKeyRelatedField(
        queryset=Standard.objects.filter(is_active=True), required=False
    )
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = SelfAssessment
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "standard",
            "year",
            "status",
            "status_display",
            "leader_name",
            "team_members",
            "method",
            "started_on",
            "assessed_on",
            "conclusion",
            "full_score",
            "not_applicable_score",
            "earned_score",
            "percent",
            "veto_failed",
            "level_by_score",
            "level_supported",
            "level_reasons",
            "announced_on",
            "announce_method",
        ]
        read_only_fields = [
            f
            for f in fields
            if f
            not in ("enterprise", "standard", "year", "leader_name", "team_members", "method", "started_on")
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(
                get_scope(request), "standards.assess"
            )
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            for name in ("enterprise", "standard", "year"):
                self.fields[name].read_only = True

    def create(self, data):
        request = self.context["request"]
        return services.assessment_create(actor=request.user, scope=get_scope(request), **data)

    def update(self, instance, data):
        request = self.context["request"]
        return services.assessment_update(
            actor=request.user, scope=get_scope(request), assessment=instance, data=data
        )


class AssessmentSubmitSerializer(serializers.Serializer):
    assessed_on = serializers.DateField(required=False)
    conclusion = serializers.CharField()


class AssessmentAnnounceSerializer(serializers.Serializer):
    announced_on = serializers.DateField(required=False)
    method = serializers.CharField()


class AssessmentReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class SelfAssessmentViewSet(ScopedModelViewSet):
    """Self-assessments in the caller's scope. Score entries with POST score; then submit (locks), announce;
    a supervisor may reopen a submitted one."""

    queryset = SelfAssessment.objects.all()
    serializer_class = SelfAssessmentSerializer
    permission = "standards.view"
    write_permission = "standards.assess"
    filterset_class = AssessmentFilter

    def narrow(self, queryset):
        return queryset.select_related("enterprise").order_by("-year", "id")

    def _move(self, request, action_name, serializer_class):
        a = self.get_object()
        s = serializer_class(data=request.data)
        s.is_valid(raise_exception=True)
        user, scope = _ctx(self)
        a = services.perform(actor=user, scope=scope, assessment=a, action=action_name, data=s.validated_data)
        return Response(SelfAssessmentSerializer(a, context={"request": request}).data)

    @extend_schema(methods=["GET"], responses=AssessmentEntrySerializer(many=True))
    @extend_schema(methods=["POST"], request=AssessmentScoreSerializer, responses=SelfAssessmentSerializer)
    @action(detail=True, methods=["get", "post"])
    def entries(self, request, pk=None):
        """GET: the entries (考评内容) with their scores. POST: score several entries at once (draft only)."""
        a = self.get_object()
        if request.method == "GET":
            return Response(AssessmentEntrySerializer(a.entries.select_related("item"), many=True).data)
        s = AssessmentScoreSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        rows = {row.pop("id"): row for row in s.validated_data["entries"]}
        user, scope = _ctx(self)
        a = services.entries_save(actor=user, scope=scope, assessment=a, rows=rows)
        return Response(SelfAssessmentSerializer(a, context={"request": request}).data)

    def _step(self, request, name, serializer_class):
        if request.method == "GET":
            from anbiao.standards import workflow

            return _move_info(request, self.get_object(), workflow.ASSESSMENT, name)
        return self._move(request, name, serializer_class)

    @extend_schema(methods=["GET"], responses=StandardsMoveInfoSerializer)
    @extend_schema(methods=["POST"], request=AssessmentSubmitSerializer, responses=SelfAssessmentSerializer)
    @action(detail=True, methods=["get", "post"])
    def submit(self, request, pk=None):
        """POST submits and locks the assessment (every entry must be scored); GET says whether you may."""
        return self._step(request, "submit", AssessmentSubmitSerializer)

    @extend_schema(methods=["GET"], responses=StandardsMoveInfoSerializer)
    @extend_schema(methods=["POST"], request=AssessmentAnnounceSerializer, responses=SelfAssessmentSerializer)
    @action(detail=True, methods=["get", "post"])
    def announce(self, request, pk=None):
        """POST records the 通报 (date and how); GET says whether you may."""
        return self._step(request, "announce", AssessmentAnnounceSerializer)

    @extend_schema(methods=["GET"], responses=StandardsMoveInfoSerializer)
    @extend_schema(methods=["POST"], request=AssessmentReasonSerializer, responses=SelfAssessmentSerializer)
    @action(detail=True, methods=["get", "post"])
    def reopen(self, request, pk=None):
        """POST returns a submitted assessment to draft (supervisors); GET says whether you may."""
        return self._step(request, "reopen", AssessmentReasonSerializer)
