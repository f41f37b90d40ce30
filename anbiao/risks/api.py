"""REST API: risk points (with computed level), assessments, band sets, site maps and enterprise grades.

Writes go through the same services as the pages. Re-assessing is creating an assessment; a supervisor's
override is creating a grade row.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anbiao.core.api import PiiSerializerMixin, ScopedModelViewSet, revision_field
from anbiao.core.middleware import get_scope
from anbiao.orgs.models import Enterprise
from anbiao.risks import grading, selectors, services
from anbiao.risks.choices import COLOUR_NAME, METHOD_FACTORS, AccidentType, HazardFactor
from anbiao.risks.filters import AssessmentFilter, GradeHistoryFilter, RiskPointFilter, SiteMapFilter
from anbiao.risks.models import (
    Band,
    BandSet,
    EnterpriseGrade,
    FactorOption,
    GradeRule,
    GradeRuleSet,
    MapShape,
    RiskAssessment,
    RiskPoint,
    SiteMap,
)
from anbiao.risks.services import POINT_FIELDS


def _ctx(serializer):
    request = serializer.context["request"]
    return request.user, get_scope(request)


class ColourMixin:
    @extend_schema_field(serializers.CharField())
    def get_colour(self, obj):
        return COLOUR_NAME.get(obj.level, "")


# --- Risk points -----------------------------------------------------------------------------------------
class RiskPointSerializer(PiiSerializerMixin, ColourMixin, serializers.ModelSerializer):
    pii_fields = {"responsible_phone": "phone"}
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    hazard_factors = serializers.ListField(
        child=serializers.ChoiceField(choices=HazardFactor.choices), required=False
    )
    accident_types = serializers.ListField(
        child=serializers.ChoiceField(choices=AccidentType.choices), required=False
    )
    colour = serializers.SerializerMethodField()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    revision = revision_field()

    class Meta:
        model = RiskPoint
        fields = [
            "id",
            "revision",
            "enterprise",
            "enterprise_name",
            *POINT_FIELDS,
            "status",
            "retired_on",
            "level",
            "colour",
            "score",
            "assessed_on",
            "next_review_on",
        ]
        read_only_fields = ["status", "retired_on", "level", "score", "assessed_on", "next_review_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(
                get_scope(request), "risk.manage"
            )
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["enterprise"].read_only = True

    def create(self, validated_data):
        actor, scope = _ctx(self)
        enterprise = validated_data.pop("enterprise")
        validated_data.pop("revision", None)
        return services.point_create(actor=actor, scope=scope, enterprise=enterprise, data=validated_data)

    def update(self, instance, validated_data):
        actor, scope = _ctx(self)
        validated_data.pop("enterprise", None)
        return services.point_update(actor=actor, scope=scope, point=instance, data=validated_data)


class RiskPointViewSet(ScopedModelViewSet):
    """Risk points in the caller's scope, with their current (latest assessed) level and colour.

    Filters: q, enterprise, unit (subtree), level, kind, status, assessed (yes/no), overdue.
    """

    queryset = RiskPoint.objects.all()
    serializer_class = RiskPointSerializer
    permission = "risk.view"
    write_permission = "risk.manage"
    filterset_class = RiskPointFilter
    ordering_fields = ["name", "level", "next_review_on"]

    def narrow(self, queryset):
        return queryset.select_related("enterprise").order_by("enterprise_id", "name", "id")


# --- Assessments -----------------------------------------------------------------------------------------
class RiskAssessmentSerializer(ColourMixin, serializers.ModelSerializer):
    risk_point = serializers.PrimaryKeyRelatedField(queryset=RiskPoint.objects.none())
    band_set = serializers.PrimaryKeyRelatedField(queryset=BandSet.objects.filter(is_current=True))
    factors = serializers.DictField(
        child=serializers.DecimalField(max_digits=8, decimal_places=2),
        write_only=True,
        help_text='因子取值，如 LEC：{"L": 3, "E": 6, "C": 7}；须取自所选评价标准的取值表。',
    )
    factor_values = serializers.SerializerMethodField()
    colour = serializers.SerializerMethodField()
    factor_labels = serializers.SerializerMethodField()
    computed_level = serializers.CharField(
        read_only=True, help_text="按分级标准计算的等级（major/significant/general/low）。"
    )
    raised_level = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="从严调高后的等级（只能高于计算等级），须同时填写 raise_reason。",
    )

    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "risk_point",
            "kind",
            "band_set",
            "method",
            "factors",
            "factor_values",
            "factor_labels",
            "score",
            "computed_level",
            "raised_level",
            "raise_reason",
            "level",
            "colour",
            "controls_effective",
            "assessed_on",
            "next_review_on",
            "assessor",
            "note",
            "backdated",
        ]
        read_only_fields = ["kind", "method", "score", "computed_level", "level", "backdated"]
        extra_kwargs = {"next_review_on": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["risk_point"].queryset = RiskPoint.objects.visible_to(
                get_scope(request), "risk.manage"
            )

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_factor_labels(self, obj):
        return {k: v["label"] for k, v in obj.factors.items()}

    @extend_schema_field(serializers.DictField(child=serializers.FloatField()))
    def get_factor_values(self, obj):
        return {k: v["value"] for k, v in obj.factors.items()}

    def create(self, validated_data):
        actor, scope = _ctx(self)
        band_set = validated_data["band_set"]
        wanted = METHOD_FACTORS[band_set.method]
        return services.assessment_create(
            actor=actor,
            scope=scope,
            point=validated_data["risk_point"],
            band_set=band_set,
            factors={k: validated_data["factors"].get(k) for k in wanted},
            assessed_on=validated_data["assessed_on"],
            next_review_on=validated_data.get("next_review_on"),
            controls_effective=validated_data.get("controls_effective", True),
            raised_level=validated_data.get("raised_level", ""),
            raise_reason=validated_data.get("raise_reason", ""),
            assessor=validated_data.get("assessor", "") or actor.get_username(),
            note=validated_data.get("note", ""),
        )


class AssessmentViewSet(ScopedModelViewSet):
    """Every dated assessment and manual raise (history). POST assesses or re-assesses a risk point."""

    queryset = RiskAssessment.objects.all()
    serializer_class = RiskAssessmentSerializer
    permission = "risk.view"
    write_permission = "risk.manage"
    filterset_class = AssessmentFilter
    http_method_names = ["get", "post", "head", "options"]
    ordering_fields = ["assessed_on"]

    def narrow(self, queryset):
        return queryset.order_by("-assessed_on", "-id")


# --- Site maps -------------------------------------------------------------------------------------------
class RiskMapShapeSerializer(serializers.ModelSerializer):
    risk_point = serializers.IntegerField(source="risk_point_id")
    points = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2),
        help_text="归一化坐标 [[x, y], …]，0–1，原点在左上角。",
    )

    class Meta:
        model = MapShape
        fields = ["risk_point", "kind", "points"]


def _shapes(rows) -> list[dict]:
    return [{"risk_point": r["risk_point_id"], "kind": r["kind"], "points": r["points"]} for r in rows]


class RiskSiteMapSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    plan_upload = serializers.ImageField(
        write_only=True, required=False, help_text="平面图（图片），新建时必填。"
    )
    shapes = RiskMapShapeSerializer(many=True, required=False)

    class Meta:
        model = SiteMap
        fields = [
            "id",
            "enterprise",
            "title",
            "plan",
            "plan_upload",
            "width",
            "height",
            "shapes",
            "updated_at",
        ]
        read_only_fields = ["plan", "width", "height", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(
                get_scope(request), "risk.manage"
            )
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["enterprise"].read_only = True

    def create(self, validated_data):
        actor, scope = _ctx(self)
        if "plan_upload" not in validated_data:
            raise serializers.ValidationError({"plan_upload": "请上传平面图。"})
        site_map = services.sitemap_create(
            actor=actor,
            scope=scope,
            enterprise=validated_data["enterprise"],
            title=validated_data.get("title", ""),
            upload=validated_data["plan_upload"],
        )
        if validated_data.get("shapes"):
            services.sitemap_save_shapes(
                actor=actor, scope=scope, site_map=site_map, shapes=_shapes(validated_data["shapes"])
            )
        return site_map

    def update(self, instance, validated_data):
        actor, scope = _ctx(self)
        if "shapes" in validated_data:
            services.sitemap_save_shapes(
                actor=actor, scope=scope, site_map=instance, shapes=_shapes(validated_data["shapes"])
            )
        return SiteMap.objects.get(pk=instance.pk)


class SiteMapViewSet(ScopedModelViewSet):
    """Four-colour site maps: the plan (evidence file id) and the shapes of each risk point.

    PATCH ``shapes`` replaces all shapes of the map. The printable PNG is at /risks/maps/{id}/map.png.
    """

    queryset = SiteMap.objects.all()
    serializer_class = RiskSiteMapSerializer
    permission = "risk.view"
    write_permission = "risk.manage"
    filterset_class = SiteMapFilter

    def narrow(self, queryset):
        return queryset.prefetch_related("shapes").order_by("enterprise_id", "id")


# --- Enterprise grades -----------------------------------------------------------------------------------
class EnterpriseGradeSerializer(ColourMixin, serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    colour = serializers.SerializerMethodField()
    summary = serializers.CharField(read_only=True)
    computed_level = serializers.CharField(read_only=True, help_text="规则计算的等级。")
    reason = serializers.CharField(write_only=True, help_text="调整理由（监管调整时必填）。")
    until = serializers.DateField(write_only=True, help_text="调整有效期至。")

    class Meta:
        model = EnterpriseGrade
        fields = [
            "id",
            "enterprise",
            "valid_from",
            "valid_to",
            "level",
            "colour",
            "source",
            "computed_level",
            "reasons",
            "summary",
            "facts",
            "override_reason",
            "override_until",
            "reason",
            "until",
        ]
        read_only_fields = [
            "valid_from",
            "valid_to",
            "source",
            "computed_level",
            "reasons",
            "facts",
            "override_reason",
            "override_until",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(
                get_scope(request), "grade.override"
            )

    def create(self, validated_data):
        actor, scope = _ctx(self)
        return grading.grade_override(
            actor=actor,
            scope=scope,
            enterprise=validated_data["enterprise"],
            level=validated_data["level"],
            reason=validated_data["reason"],
            until=validated_data["until"],
        )


class GradeRecomputeResultSerializer(serializers.Serializer):
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    skipped = serializers.IntegerField()
    closed = serializers.IntegerField()


class EnterpriseGradeViewSet(ScopedModelViewSet):
    """Enterprise overall 四色 grades with their dated history (valid_from/valid_to).

    POST sets a supervisor's override (level, reason, until); ``recompute`` recomputes the caller's scope.
    Filters: q, level, unit (subtree), source, enterprise, current.
    """

    queryset = EnterpriseGrade.objects.all()
    serializer_class = EnterpriseGradeSerializer
    permission = "grade.view"
    write_permission = "grade.override"
    filterset_class = GradeHistoryFilter
    http_method_names = ["get", "post", "head", "options"]
    ordering_fields = ["valid_from", "level"]

    def narrow(self, queryset):
        return queryset.order_by("enterprise_id", "-valid_from", "-id")

    @extend_schema(
        request=None,
        responses={200: GradeRecomputeResultSerializer, 403: OpenApiResponse(description="无权限")},
    )
    @action(detail=False, methods=["post"])
    def recompute(self, request):
        scope = get_scope(request)
        if not scope.has_perm("grade.recompute"):
            return Response({"detail": "没有权限重新计算企业四色等级。"}, status=status.HTTP_403_FORBIDDEN)
        counts = grading.grades_recompute(actor=request.user, scope=scope)
        return Response({k: counts.get(k, 0) for k in ("changed", "unchanged", "skipped", "closed")})


# --- Catalogue (shared by everybody; read-only here, edited by county administrators on the pages) ---------
class RiskBandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Band
        fields = ["level", "lower", "lower_inclusive", "meaning"]


class RiskFactorSerializer(serializers.ModelSerializer):
    class Meta:
        model = FactorOption
        fields = ["factor", "value", "label"]


class RiskStandardSerializer(serializers.ModelSerializer):
    bands = RiskBandSerializer(many=True, read_only=True)
    factors = RiskFactorSerializer(many=True, read_only=True)

    class Meta:
        model = BandSet
        fields = [
            "id",
            "method",
            "variant",
            "name",
            "version",
            "is_current",
            "is_default",
            "valid_from",
            "source",
            "note",
            "bands",
            "factors",
        ]


class BandSetViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Risk assessment standards (value tables and score → level bands), every version. ``current=1`` for
    the versions in force."""

    serializer_class = RiskStandardSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None

    def get_queryset(self):
        selectors.ensure_catalogue()
        qs = BandSet.objects.prefetch_related("bands", "factors").order_by("method", "variant", "-version")
        if self.request.query_params.get("current") in {"1", "true"}:
            qs = qs.filter(is_current=True)
        return qs


class EnterpriseGradeRuleSerializer(serializers.ModelSerializer):
    result = serializers.CharField(
        read_only=True, help_text="命中时的颜色等级（major/significant/general/low）。"
    )

    class Meta:
        model = GradeRule
        fields = ["fact", "comparison", "threshold", "result", "reason", "is_active", "sort_order"]


class EnterpriseGradeRuleSetSerializer(serializers.ModelSerializer):
    rules = EnterpriseGradeRuleSerializer(many=True, read_only=True)
    default_level = serializers.CharField(read_only=True, help_text="未命中任何规则时的颜色等级。")

    class Meta:
        model = GradeRuleSet
        fields = ["id", "version", "is_current", "valid_from", "default_level", "source", "note", "rules"]


class GradeRuleSetViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The enterprise 四色 grade rule sets, every version."""

    serializer_class = EnterpriseGradeRuleSetSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None

    def get_queryset(self):
        selectors.ensure_catalogue()
        return GradeRuleSet.objects.prefetch_related("rules").order_by("-version")


def register(router) -> None:
    router.register("risk-points", RiskPointViewSet, basename="riskpoint")
    router.register("risk-assessments", AssessmentViewSet, basename="riskassessment")
    router.register("risk-site-maps", SiteMapViewSet, basename="risksitemap")
    router.register("enterprise-grades", EnterpriseGradeViewSet, basename="enterprisegrade")
    router.register("risk-standards", BandSetViewSet, basename="riskstandard")
    router.register("grade-rules", GradeRuleSetViewSet, basename="graderule")
