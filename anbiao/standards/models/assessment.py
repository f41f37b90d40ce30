"""Annual self-assessment (自评) per enterprise and its per-item entries."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.core.scope import ScopedManager, ScopeSpec
from anbiao.standards.choices import AssessmentStatus


class SelfAssessment(models.Model):
    """One enterprise's self-assessment for one year against one standard.

    Draft → submitted (locked) → announced (通报). The result fields are computed by ``scoring`` on every
    save of an entry and frozen at submission together with the thresholds, rule set and facts used.
    """

    scope_spec = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="self_assessments"
    )
    standard = models.ForeignKey(
        "standards.Standard", verbose_name=_("对标标准"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    leader_name = models.CharField(_("自评组组长（主要负责人）"), max_length=50)
    team_members = models.TextField(_("自评组成员"), blank=True, help_text=_("每行一人：姓名 职务"))
    method = models.TextField(_("自评方式"), blank=True)
    started_on = models.DateField(_("开始日期"))
    assessed_on = models.DateField(_("完成日期"), null=True, blank=True)
    conclusion = models.TextField(_("自评结论"), blank=True)
    # results (recomputed while a draft, frozen at submission)
    full_score = models.DecimalField(_("满分"), max_digits=8, decimal_places=2, default=Decimal("0"))
    not_applicable_score = models.DecimalField(
        _("不涉及分值"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    earned_score = models.DecimalField(_("实得分"), max_digits=8, decimal_places=2, default=Decimal("0"))
    percent = models.DecimalField(_("百分制得分"), max_digits=4, decimal_places=1, default=Decimal("0"))
    veto_failed = models.BooleanField(_("否决项不符合"), default=False)
    level_by_score = models.PositiveSmallIntegerField(_("按得分可支持等级"), null=True, blank=True)
    level_supported = models.PositiveSmallIntegerField(_("可支持等级"), null=True, blank=True)
    level_reasons = models.JSONField(_("等级说明"), default=list, blank=True)
    result_basis = models.JSONField(_("计算依据"), default=dict, blank=True)
    ruleset = models.ForeignKey(
        "standards.RuleSet",
        verbose_name=_("安全绩效条件版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    announced_on = models.DateField(_("通报日期"), null=True, blank=True)
    announce_method = models.CharField(_("通报方式"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("标准化自评")
        verbose_name_plural = _("标准化自评")
        ordering = ["-year", "enterprise__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="one_self_assessment_per_year")
        ]
        indexes = [models.Index(fields=["status", "assessed_on"])]

    def __str__(self):
        return f"{self.enterprise} {self.year}年度自评"

    @property
    def is_locked(self) -> bool:
        return self.status != AssessmentStatus.DRAFT

    def clean(self):
        if self.assessed_on and self.started_on and self.assessed_on < self.started_on:
            raise ValidationError({"assessed_on": _("完成日期不能早于开始日期。")})
        if self.started_on and self.started_on.year != self.year:
            raise ValidationError({"started_on": _("开始日期须在自评年度内。")})


class AssessmentEntry(models.Model):
    """One 考评内容 in one self-assessment: 涉及/不涉及, deduction with reason, veto finding, evidence."""

    scope_spec = ScopeSpec(
        org_paths=("assessment__enterprise__unit__path",), enterprise="assessment__enterprise_id"
    )

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey("standards.StandardItem", on_delete=models.PROTECT, related_name="+")
    applicable = models.BooleanField(_("涉及"), default=True)
    deduction = models.DecimalField(_("扣分"), max_digits=7, decimal_places=2, default=Decimal("0"))
    reason = models.TextField(_("扣分说明"), blank=True)
    description = models.TextField(_("自评描述"), blank=True)
    veto_failed = models.BooleanField(_("否决项不符合"), default=False)
    checked = models.BooleanField(_("已评"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("自评条目")
        verbose_name_plural = _("自评条目")
        ordering = ["assessment", "item__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="one_entry_per_item"),
            models.CheckConstraint(condition=models.Q(deduction__gte=0), name="deduction_not_negative"),
        ]

    def __str__(self):
        return f"{self.item.code} {self.item.title[:30]}"

    @property
    def earned(self) -> Decimal:
        if not self.applicable:
            return Decimal("0")
        return max(Decimal("0"), self.item.score - self.deduction)

    def clean(self):
        errors = {}
        if self.deduction and self.deduction > 0 and not self.reason.strip():
            errors["reason"] = _("有扣分时须填写扣分说明。")
        if self.deduction and self.item_id and self.deduction > self.item.score:
            errors["deduction"] = _("扣分不能超过该项标准分值 %(s)s。") % {"s": self.item.score}
        if self.veto_failed and self.item_id and not self.item.is_veto:
            errors["veto_failed"] = _("该项不是否决项。")
        if self.veto_failed and not self.reason.strip():
            errors["reason"] = _("否决项不符合时须填写说明。")
        if errors:
            raise ValidationError(errors)
