"""Risk points, their dated assessments, versioned band sets, four-colour site maps, enterprise grades."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.core.concurrency import revision_field
from anbiao.core.scope import ScopedManager, ScopeSpec
from anbiao.risks.choices import (
    COLOUR_NAME,
    RANK,
    AssessmentKind,
    CheckCycle,
    Comparison,
    ControlLevel,
    GradeSource,
    Level,
    Method,
    PointKind,
    PointStatus,
    ShapeKind,
)

ENTERPRISE_SCOPE = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")


# --- Catalogue: band sets (versioned), level policy, grade rules (versioned) ---------------------
class BandSet(models.Model):
    """One version of a method's value tables and score → level bands (e.g. "LS 变体A v2").

    A revision creates a new row (``version`` + 1) and retires the old one; assessments keep a foreign key
    to the exact row they were made with, so an old assessment keeps its bands.
    """

    method = models.CharField(_("评价方法"), max_length=8, choices=Method.choices)
    variant = models.CharField(_("分级方案"), max_length=20)
    name = models.CharField(_("名称"), max_length=80)
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_current = models.BooleanField(_("现行"), default=True)
    is_default = models.BooleanField(_("默认方案"), default=False)
    valid_from = models.DateField(_("启用日期"))
    source = models.TextField(_("依据与来源"), blank=True)
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("风险评价标准")
        verbose_name_plural = _("风险评价标准")
        ordering = ["method", "variant", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["method", "variant", "version"], name="bandset_version_unique"),
            models.UniqueConstraint(
                fields=["method", "variant"], condition=models.Q(is_current=True), name="bandset_one_current"
            ),
        ]

    def __str__(self):
        return f"{self.name}（第{self.version}版）"


class Band(models.Model):
    """Score ≥ ``lower`` (or > when not inclusive) → ``level``; the highest matching lower bound wins."""

    band_set = models.ForeignKey(BandSet, on_delete=models.CASCADE, related_name="bands")
    level = models.CharField(_("风险等级"), max_length=12, choices=Level.choices)
    lower = models.DecimalField(_("下限"), max_digits=8, decimal_places=2)
    lower_inclusive = models.BooleanField(_("含下限"), default=True)
    meaning = models.CharField(_("含义"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("分级区间")
        verbose_name_plural = _("分级区间")
        ordering = ["band_set", "-lower"]

    def __str__(self):
        op = "≥" if self.lower_inclusive else ">"
        return f"{op}{self.lower:g} {self.get_level_display()}"


class FactorOption(models.Model):
    """One row of a method's value table: factor L/E/C/S/M, its value and the label shown to users."""

    band_set = models.ForeignKey(BandSet, on_delete=models.CASCADE, related_name="factors")
    factor = models.CharField(_("因子"), max_length=2)
    value = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    label = models.CharField(_("说明"), max_length=80)

    class Meta:
        verbose_name = _("因子取值")
        verbose_name_plural = _("因子取值")
        ordering = ["band_set", "factor", "-value"]
        constraints = [
            models.UniqueConstraint(fields=["band_set", "factor", "value"], name="factor_value_unique")
        ]

    def __str__(self):
        return f"{self.factor}={self.value:g} {self.label}"


class LevelPolicy(models.Model):
    """Per level: the default control level and review interval (domain.md §2.5 [P]); editable data."""

    level = models.CharField(_("风险等级"), max_length=12, choices=Level.choices, unique=True)
    control_level = models.CharField(_("默认管控层级"), max_length=12, choices=ControlLevel.choices)
    review_months = models.PositiveSmallIntegerField(_("复评周期（月）"), default=12)
    responsible = models.CharField(_("管控责任人"), max_length=60, blank=True)
    source = models.TextField(_("依据与来源"), blank=True)

    class Meta:
        verbose_name = _("分级管控要求")
        verbose_name_plural = _("分级管控要求")
        ordering = ["level"]

    def __str__(self):
        return f"{self.get_level_display()} → {self.get_control_level_display()}"


class GradeRuleSet(models.Model):
    """One version of the rules that give an enterprise its overall 四色 grade."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    is_current = models.BooleanField(_("现行"), default=True)
    valid_from = models.DateField(_("启用日期"))
    default_level = models.CharField(
        _("未触发规则时"), max_length=12, choices=Level.choices, default=Level.LOW
    )
    source = models.TextField(_("依据与来源"), blank=True)
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("企业四色评定规则")
        verbose_name_plural = _("企业四色评定规则")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="grade_rules_one_current"
            )
        ]

    def __str__(self):
        return f"企业四色评定规则（第{self.version}版）"


class GradeRule(models.Model):
    rule_set = models.ForeignKey(GradeRuleSet, on_delete=models.CASCADE, related_name="rules")
    fact = models.CharField(_("事实"), max_length=60)
    comparison = models.CharField(_("比较"), max_length=4, choices=Comparison.choices, default=Comparison.GTE)
    threshold = models.DecimalField(_("阈值"), max_digits=10, decimal_places=2)
    result = models.CharField(_("评定颜色"), max_length=12, choices=Level.choices)
    reason = models.CharField(_("理由模板"), max_length=80, help_text=_("{n} 代入事实的数值"))
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评定规则")
        verbose_name_plural = _("评定规则")
        ordering = ["rule_set", "sort_order", "id"]

    def __str__(self):
        return f"{self.fact} {self.get_comparison_display()} {self.threshold:g} → {self.get_result_display()}"


# --- Risk points and their assessments ----------------------------------------------------------------
class RiskPoint(models.Model):
    """A 风险点 of an enterprise. Its level is that of its latest assessment (history in RiskAssessment)."""

    scope_spec = ENTERPRISE_SCOPE

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="risk_points"
    )
    name = models.CharField(_("风险点名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=12, choices=PointKind.choices)
    location = models.CharField(_("位置"), max_length=100, blank=True)
    hazard_factors = models.JSONField(_("危险有害因素"), default=list, blank=True)
    hazard_description = models.TextField(_("主要危险有害因素描述"), blank=True)
    accident_types = models.JSONField(_("可能导致的事故类型"), default=list, blank=True)
    measures_engineering = models.TextField(_("工程技术措施"), blank=True)
    measures_management = models.TextField(_("管理措施"), blank=True)
    measures_training = models.TextField(_("培训教育措施"), blank=True)
    measures_ppe = models.TextField(_("个体防护措施"), blank=True)
    measures_emergency = models.TextField(_("应急处置措施"), blank=True)
    control_level = models.CharField(_("管控层级"), max_length=12, choices=ControlLevel.choices, blank=True)
    responsible_department = models.CharField(_("责任部门"), max_length=60, blank=True)
    responsible_person = models.CharField(_("责任人"), max_length=50, blank=True)
    responsible_phone = models.CharField(_("责任人电话"), max_length=20, blank=True)
    check_content = models.TextField(_("隐患排查内容"), blank=True)
    check_cycle = models.CharField(
        _("排查周期"), max_length=12, choices=CheckCycle.choices, default=CheckCycle.MONTHLY
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=PointStatus.choices, default=PointStatus.ACTIVE
    )
    retired_on = models.DateField(_("撤销日期"), null=True, blank=True)
    # Denormalised from the latest assessment (kept by the services) for lists and filters.
    level = models.CharField(_("风险等级"), max_length=12, choices=Level.choices, blank=True)
    score = models.DecimalField(_("分值"), max_digits=10, decimal_places=2, null=True, blank=True)
    assessed_on = models.DateField(_("评估日期"), null=True, blank=True)
    next_review_on = models.DateField(_("下次复评日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    revision = revision_field()

    objects = ScopedManager()

    class Meta:
        verbose_name = _("风险点")
        verbose_name_plural = _("风险点")
        ordering = ["enterprise", "name", "id"]
        indexes = [
            models.Index(fields=["enterprise", "status", "level"]),
            models.Index(fields=["next_review_on"]),
            # The list filtered by level and its count across a whole city, from the index alone.
            models.Index(fields=["level", "enterprise"], name="riskpoint_level_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def colour(self) -> str:
        return COLOUR_NAME.get(self.level, "")

    def measures(self) -> list[tuple[str, str]]:
        from anbiao.risks.choices import MEASURE_FIELDS

        return [(label, getattr(self, name)) for name, label in MEASURE_FIELDS if getattr(self, name)]

    def hazard_factor_labels(self) -> list[str]:
        from anbiao.risks.choices import HazardFactor

        names = dict(HazardFactor.choices)
        return [str(names.get(c, c)) for c in self.hazard_factors]

    def accident_type_labels(self) -> list[str]:
        from anbiao.risks.choices import AccidentType

        names = dict(AccidentType.choices)
        return [str(names.get(c, c)) for c in self.accident_types]


class RiskAssessment(models.Model):
    """One dated assessment (or manual raise) of a risk point. Append-only: re-assessing adds a row."""

    scope_spec = ScopeSpec(
        org_paths=("risk_point__enterprise__unit__path",), enterprise="risk_point__enterprise_id"
    )

    risk_point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(
        _("类型"), max_length=8, choices=AssessmentKind.choices, default=AssessmentKind.ASSESS
    )
    band_set = models.ForeignKey(
        BandSet, verbose_name=_("评价标准"), on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(_("评价方法"), max_length=8, choices=Method.choices)
    factors = models.JSONField(_("因子取值"), default=dict)
    score = models.DecimalField(_("分值"), max_digits=10, decimal_places=2)
    computed_level = models.CharField(_("计算等级"), max_length=12, choices=Level.choices)
    raised_level = models.CharField(_("调高后等级"), max_length=12, choices=Level.choices, blank=True)
    raise_reason = models.CharField(_("调高理由"), max_length=200, blank=True)
    level = models.CharField(_("风险等级"), max_length=12, choices=Level.choices)
    controls_effective = models.BooleanField(_("管控措施落实有效"), default=True)
    assessed_on = models.DateField(_("评估日期"))
    next_review_on = models.DateField(_("下次复评日期"))
    assessor = models.CharField(_("评估人"), max_length=60, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    backdated = models.BooleanField(_("补录"), default=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("风险评估记录")
        verbose_name_plural = _("风险评估记录")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["risk_point", "assessed_on"])]

    def __str__(self):
        return f"{self.risk_point} {self.assessed_on} {self.get_level_display()}"

    def clean(self):
        if self.raised_level:
            if RANK[self.raised_level] >= RANK[self.computed_level]:
                raise ValidationError(
                    {"raised_level": _("只能调高风险等级（从严从高），不能调低或保持不变。")}
                )
            if not self.raise_reason.strip():
                raise ValidationError({"raise_reason": _("调高风险等级须填写理由。")})
        if self.next_review_on and self.assessed_on and self.next_review_on <= self.assessed_on:
            raise ValidationError({"next_review_on": _("下次复评日期须晚于评估日期。")})

    def factor_text(self) -> str:
        from anbiao.risks.scoring import fmt_score

        parts = [f"{k}={fmt_score(v['value'])}（{v['label']}）" for k, v in self.factors.items()]
        return "，".join(parts)


# --- Four-colour site map -------------------------------------------------------------------------------
class SiteMap(models.Model):
    """四色安全风险空间分布图: a site or floor plan image with each risk point drawn on it."""

    scope_spec = ENTERPRISE_SCOPE

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="site_maps"
    )
    title = models.CharField(_("图名"), max_length=100)
    plan = models.ForeignKey(
        "core.EvidenceFile", verbose_name=_("平面图"), on_delete=models.PROTECT, related_name="+"
    )
    width = models.PositiveIntegerField(_("图宽（像素）"))
    height = models.PositiveIntegerField(_("图高（像素）"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("四色分布图")
        verbose_name_plural = _("四色分布图")
        ordering = ["enterprise", "title", "id"]

    def __str__(self):
        return self.title


class MapShape(models.Model):
    """A risk point's area (polygon) or marker on a site map, in coordinates normalised to 0–1."""

    scope_spec = ScopeSpec(
        org_paths=("site_map__enterprise__unit__path",), enterprise="site_map__enterprise_id"
    )

    site_map = models.ForeignKey(SiteMap, on_delete=models.CASCADE, related_name="shapes")
    risk_point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="shapes")
    kind = models.CharField(_("形状"), max_length=8, choices=ShapeKind.choices)
    points = models.JSONField(_("坐标"), default=list)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("图上区域")
        verbose_name_plural = _("图上区域")
        ordering = ["site_map", "id"]

    def __str__(self):
        return f"{self.site_map} · {self.risk_point}"


# --- Enterprise overall grade -----------------------------------------------------------------------------
class EnterpriseGrade(models.Model):
    """Dated history of an enterprise's overall 四色 grade (valid_from/valid_to, half-open).

    ``level`` is the effective colour: the computed one, or a supervisor's override until ``override_until``.
    """

    scope_spec = ENTERPRISE_SCOPE

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="risk_grades"
    )
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    level = models.CharField(_("四色等级"), max_length=12, choices=Level.choices)
    source = models.CharField(
        _("来源"), max_length=10, choices=GradeSource.choices, default=GradeSource.COMPUTED
    )
    computed_level = models.CharField(_("规则计算等级"), max_length=12, choices=Level.choices)
    reasons = models.JSONField(_("理由"), default=list)
    facts = models.JSONField(_("计算依据"), default=dict)
    rule_set = models.ForeignKey(
        GradeRuleSet, verbose_name=_("评定规则"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    override_reason = models.CharField(_("调整理由"), max_length=200, blank=True)
    override_until = models.DateField(_("调整有效期至"), null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("企业四色等级")
        verbose_name_plural = _("企业四色等级")
        ordering = ["enterprise", "-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"], condition=models.Q(valid_to__isnull=True), name="one_current_grade"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
                name="grade_period_positive",
            ),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"]), models.Index(fields=["level"])]

    def __str__(self):
        return f"{self.enterprise_id} {self.get_level_display()} {self.valid_from}–{self.valid_to or ''}"

    @property
    def colour(self) -> str:
        return COLOUR_NAME.get(self.level, "")

    @property
    def summary(self) -> str:
        """E.g. "橙：2 项较大风险，1 条逾期隐患"."""
        head = self.colour
        if self.source == GradeSource.OVERRIDE:
            return f"{head}：监管调整（{self.override_reason}）"
        return f"{head}：" + ("，".join(self.reasons) if self.reasons else "未触发评定规则")
