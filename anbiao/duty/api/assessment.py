"""Duty API: assessment."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from anbiao.core.api import ScopedModelViewSet, ScopedReadOnlyViewSet
from anbiao.duty import services
from anbiao.duty.api.base import READ_WRITE, EnterpriseField, ScopedPK, actor_scope
from anbiao.duty.choices import Outcome
from anbiao.duty.models import (
    AnnualAssessment,
    AssessmentScore,
    PostHolding,
)


# --- assessments -------------------------------------------------------------------------------------------
class DeductionSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="考核条目 id（AssessItem）")
    points = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0)
    reason = serializers.CharField(max_length=200, allow_blank=True)


class ScoreSerializer(serializers.ModelSerializer):
    deductions = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentScore
        fields = [
            "id",
            "assessment",
            "person",
            "post",
            "duty_list",
            "scored_on",
            "assessor",
            "full_marks",
            "score",
            "percent",
            "band",
            "passed",
            "outcome",
            "amount",
            "decided_on",
            "paid_on",
            "outcome_note",
            "deductions",
        ]
        read_only_fields = fields

    @extend_schema_field(DeductionSerializer(many=True))
    def get_deductions(self, obj):
        return [
            {"item": d.item_id, "points": str(d.points), "reason": d.reason} for d in obj.deductions.all()
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseField()

    class Meta:
        model = AnnualAssessment
        fields = ["id", "enterprise", "year", "started_on", "completed_on", "note", "backdated"]
        read_only_fields = ["completed_on", "backdated"]

    def create(self, validated_data):
        actor, scope = actor_scope(self)
        return services.assessment_start(actor=actor, scope=scope, **validated_data)


class ScoreInput(serializers.Serializer):
    holding = ScopedPK(PostHolding)
    scored_on = serializers.DateField()
    assessor = serializers.CharField(required=False, allow_blank=True, default="")
    deductions = DeductionSerializer(many=True, required=False, default=list)


class CompleteInput(serializers.Serializer):
    completed_on = serializers.DateField()


class AssessmentViewSet(ScopedModelViewSet):
    """年度考核 per enterprise and year. ``score`` scores one post-holder; ``complete`` concludes it."""

    queryset = AnnualAssessment.objects.all()
    serializer_class = AssessmentSerializer
    permission = "duty.view"
    write_permission = "duty.assess"
    http_method_names = READ_WRITE
    filterset_fields = ["enterprise", "year"]

    def narrow(self, queryset):
        return queryset.order_by("-year", "enterprise_id")

    @extend_schema(request=ScoreInput, responses=ScoreSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        assessment = self.get_object()
        data = ScoreInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        score = services.score_record(
            actor=request.user,
            scope=self.scope,
            assessment=assessment,
            holding=d["holding"],
            scored_on=d["scored_on"],
            assessor=d["assessor"],
            deductions={row["item"]: (row["points"], row["reason"]) for row in d["deductions"]},
        )
        return Response(ScoreSerializer(score).data, status=201)

    @extend_schema(request=CompleteInput, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        assessment = self.get_object()
        data = CompleteInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.assessment_complete(
            actor=request.user, scope=self.scope, assessment=assessment, **data.validated_data
        )
        return Response(AssessmentSerializer(assessment, context={"request": request}).data)


class OutcomeInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False, default=0)
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)
    paid_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ScoreViewSet(ScopedReadOnlyViewSet):
    """Scores of post-holders; ``outcome`` records the reward or penalty and when it was paid."""

    queryset = AssessmentScore.objects.all()
    serializer_class = ScoreSerializer
    permission = "duty.view"
    write_permission = "duty.assess"
    filterset_fields = ["assessment", "person", "outcome"]

    def narrow(self, queryset):
        return queryset.prefetch_related("deductions").order_by("assessment_id", "id")

    @extend_schema(request=OutcomeInput, responses=ScoreSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        score = self.get_object()
        data = OutcomeInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.score_set_outcome(actor=request.user, scope=self.scope, score=score, **data.validated_data)
        return Response(ScoreSerializer(AssessmentScore.objects.get(pk=score.pk)).data)
