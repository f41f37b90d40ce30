"""Standards API: records."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from anbiao.core.api import ScopedReadOnlyViewSet
from anbiao.core.middleware import get_scope
from anbiao.orgs.models import Enterprise
from anbiao.standards import services
from anbiao.standards.api.common import StandardsMoveInfoSerializer, _ctx, _move_info
from anbiao.standards.filters import (
    GradeFilter,
    ImprovementFilter,
    SiteFilter,
    StarFilter,
)
from anbiao.standards.models import (
    GradeRecord,
    ImprovementItem,
    SiteAssessment,
    SiteChecklistItem,
    SiteResult,
    StarRating,
)


# --- grades -----------------------------------------------------------------------------------------------
class GradeRecordSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    label = serializers.CharField(read_only=True)

    class Meta:
        model = GradeRecord
        fields = [
            "id",
            "enterprise",
            "grade_type",
            "level",
            "label",
            "reviewing_body",
            "certificate_no",
            "certified_on",
            "valid_from",
            "valid_to",
            "note",
            "revoked_on",
            "revoke_reason",
            "backdated",
        ]
        read_only_fields = ["revoked_on", "revoke_reason", "backdated"]
        extra_kwargs = {"valid_from": {"required": False}, "valid_to": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(
                get_scope(request), "standards.grade"
            )

    def validate(self, attrs):
        return attrs  # the model's rules run in the service (full_clean), with the same messages

    def create(self, data):
        request = self.context["request"]
        enterprise = data.pop("enterprise")
        return services.grade_create(
            actor=request.user, scope=get_scope(request), enterprise=enterprise, data=data
        )


class GradeRevokeSerializer(serializers.Serializer):
    revoked_on = serializers.DateField()
    revoke_reason = serializers.CharField()


class GradeViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """达标评审 records (dated validity; revocation is a POST action)."""

    queryset = GradeRecord.objects.all()
    serializer_class = GradeRecordSerializer
    permission = "standards.view"
    write_permission = "standards.grade"
    filterset_class = GradeFilter

    def narrow(self, queryset):
        return queryset.select_related("enterprise").order_by("-valid_from", "-id")

    @extend_schema(methods=["GET"], responses=StandardsMoveInfoSerializer)
    @extend_schema(methods=["POST"], request=GradeRevokeSerializer, responses=GradeRecordSerializer)
    @action(detail=True, methods=["get", "post"])
    def revoke(self, request, pk=None):
        """POST revokes the grade from a date with a reason; GET says whether you may."""
        g = self.get_object()
        if request.method == "GET":
            allowed = not g.revoked_on and get_scope(request).can("standards.grade", g)
            return Response(
                {
                    "action": "revoke",
                    "label": "撤销",
                    "status": "revoked" if g.revoked_on else "active",
                    "allowed": allowed,
                }
            )
        s = GradeRevokeSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        user, scope = _ctx(self)
        g = services.grade_revoke(
            actor=user,
            scope=scope,
            grade=g,
            on=s.validated_data["revoked_on"],
            reason=s.validated_data["revoke_reason"],
        )
        return Response(GradeRecordSerializer(g, context={"request": request}).data)


# --- stars ------------------------------------------------------------------------------------------------
class StarRatingSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())

    class Meta:
        model = StarRating
        fields = [
            "id",
            "enterprise",
            "stars",
            "valid_from",
            "valid_to",
            "basis",
            "rater_name",
            "suggested_stars",
            "ruleset",
            "facts",
            "reasons",
            "backdated",
        ]
        read_only_fields = ["valid_to", "suggested_stars", "ruleset", "facts", "reasons", "backdated"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(
                get_scope(request), "standards.star"
            )

    def create(self, data):
        request = self.context["request"]
        return services.star_rate(
            actor=request.user,
            scope=get_scope(request),
            enterprise=data["enterprise"],
            stars=data["stars"],
            rated_on=data["valid_from"],
            basis=data["basis"],
            rater_name=data["rater_name"],
        )


class StarViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Star ratings (dated history; a new rating closes the previous one). GET suggestion?enterprise=ID
    gives what the active rules suggest today."""

    queryset = StarRating.objects.all()
    serializer_class = StarRatingSerializer
    permission = "standards.view"
    write_permission = "standards.star"
    filterset_class = StarFilter

    def narrow(self, queryset):
        return queryset.select_related("enterprise").order_by("-valid_from", "-id")

    @extend_schema(
        parameters=[OpenApiParameter("enterprise", int, required=True)],
        responses=inline_serializer(
            "StandardsStarSuggestion",
            {
                "stars": serializers.IntegerField(allow_null=True),
                "reasons": serializers.ListField(child=serializers.CharField()),
                "facts": serializers.DictField(),
            },
        ),
    )
    @action(detail=False, methods=["get"])
    def suggestion(self, request):
        raw = request.query_params.get("enterprise", "")
        enterprise = (
            Enterprise.objects.visible_to(get_scope(request)).filter(pk=raw).first()
            if raw.isdigit()
            else None
        )
        if enterprise is None:
            return Response({"detail": "企业不存在或不在您的管辖范围内。"}, status=status.HTTP_404_NOT_FOUND)
        s = services.star_suggestion(enterprise.pk, timezone.localdate())
        return Response({"stars": s["stars"], "reasons": s["reasons"], "facts": s["facts"]})


# --- 5S / 六有 (read; photos are uploaded through the page) -----------------------------------------------
class SiteResultSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="item.label", read_only=True)

    class Meta:
        model = SiteResult
        fields = ["item", "label", "passed", "score", "note", "photo"]
        read_only_fields = ["photo"]
        extra_kwargs = {"item": {"queryset": SiteChecklistItem.objects.all()}}


class SiteAssessmentSerializer(serializers.ModelSerializer):
    """Create with one result per item of the active checklist of ``kind``, in order (photos: on the page)."""

    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    results = SiteResultSerializer(many=True)

    class Meta:
        model = SiteAssessment
        fields = [
            "id",
            "enterprise",
            "kind",
            "checklist",
            "assessed_on",
            "assessor_name",
            "passed",
            "average",
            "note",
            "backdated",
            "results",
        ]
        read_only_fields = ["checklist", "passed", "average", "backdated"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(
                get_scope(request), "standards.site"
            )

    def create(self, data):
        request = self.context["request"]
        return services.site_assessment_create(
            actor=request.user,
            scope=get_scope(request),
            enterprise=data["enterprise"],
            kind=data["kind"],
            assessed_on=data["assessed_on"],
            assessor_name=data["assessor_name"],
            note=data.get("note", ""),
            results=[dict(r, photo=None) for r in data["results"]],
        )


class SiteViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """5S and 六有 assessments with per-item results; POST records one (passed is computed by the rule)."""

    queryset = SiteAssessment.objects.all()
    serializer_class = SiteAssessmentSerializer
    permission = "standards.view"
    write_permission = "standards.site"
    filterset_class = SiteFilter

    def narrow(self, queryset):
        return queryset.prefetch_related("results__item").order_by("-assessed_on", "-id")


# --- 持续改进清单 -----------------------------------------------------------------------------------------
class ImprovementItemSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ImprovementItem
        fields = [
            "id",
            "enterprise",
            "organization",
            "source",
            "assessment",
            "problem",
            "measure",
            "responsible_name",
            "found_on",
            "deadline",
            "status",
            "status_display",
            "completed_on",
            "completion_note",
            "acceptor_name",
            "accepted_on",
            "acceptance_note",
        ]
        read_only_fields = [
            "organization",
            "assessment",
            "status",
            "completed_on",
            "completion_note",
            "acceptor_name",
            "accepted_on",
            "acceptance_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(
                get_scope(request), "standards.improve"
            )

    def validate(self, attrs):
        return attrs

    def create(self, data):
        request = self.context["request"]
        enterprise = data.pop("enterprise")
        return services.improvement_create(
            actor=request.user, scope=get_scope(request), enterprise=enterprise, data=data
        )


class ImprovementMoveSerializer(serializers.Serializer):
    on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    acceptor_name = serializers.CharField(required=False, allow_blank=True, default="")


class ImprovementViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """持续改进清单 items; POST complete / accept / reject / cancel move them (acceptor ≠ responsible)."""

    queryset = ImprovementItem.objects.all()
    serializer_class = ImprovementItemSerializer
    permission = "standards.view"
    write_permission = "standards.improve"
    filterset_class = ImprovementFilter

    def narrow(self, queryset):
        return queryset.order_by("status", "deadline", "id")

    def _move(self, request, name):
        it = self.get_object()
        s = ImprovementMoveSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        on = d.pop("on", None)
        d[{"complete": "completed_on", "accept": "accepted_on"}.get(name, "on")] = on
        user, scope = _ctx(self)
        it = services.improvement_perform(actor=user, scope=scope, item=it, action=name, data=d)
        return Response(ImprovementItemSerializer(it, context={"request": request}).data)

    def _step(self, request, name):
        if request.method == "GET":
            from anbiao.standards import workflow

            return _move_info(request, self.get_object(), workflow.IMPROVEMENT, name)
        return self._move(request, name)

    @extend_schema(methods=["GET"], responses=StandardsMoveInfoSerializer)
    @extend_schema(methods=["POST"], request=ImprovementMoveSerializer, responses=ImprovementItemSerializer)
    @action(detail=True, methods=["get", "post"])
    def complete(self, request, pk=None):
        """POST: 报告整改完成; GET says whether you may."""
        return self._step(request, "complete")

    @extend_schema(methods=["GET"], responses=StandardsMoveInfoSerializer)
    @extend_schema(methods=["POST"], request=ImprovementMoveSerializer, responses=ImprovementItemSerializer)
    @action(detail=True, methods=["get", "post"])
    def accept(self, request, pk=None):
        """POST: 验收通过（验收人不能是整改责任人）; GET says whether you may."""
        return self._step(request, "accept")

    @extend_schema(methods=["GET"], responses=StandardsMoveInfoSerializer)
    @extend_schema(methods=["POST"], request=ImprovementMoveSerializer, responses=ImprovementItemSerializer)
    @action(detail=True, methods=["get", "post"])
    def reject(self, request, pk=None):
        """POST: 验收不通过，退回整改; GET says whether you may."""
        return self._step(request, "reject")

    @extend_schema(methods=["GET"], responses=StandardsMoveInfoSerializer)
    @extend_schema(methods=["POST"], request=ImprovementMoveSerializer, responses=ImprovementItemSerializer)
    @action(detail=True, methods=["get", "post"])
    def cancel(self, request, pk=None):
        """POST: 撤销（监管人员）; GET says whether you may."""
        return self._step(request, "cancel")
