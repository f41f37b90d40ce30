"""应急管理 (GB/T 33000-2016 §5.6): emergency plans, drills, emergency supplies."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.ledgers.choices import DocumentStatus, DrillEffect, DrillForm, PlanKind
from anbiao.ledgers.models.base import EnterpriseRecord, file_field

# Drill frequency by plan kind, in months. 《生产安全事故应急预案管理办法》(应急管理部令第2号) 第33条:
# 综合或专项预案 at least once a year, 现场处置方案 at least once every half year [R: recalled, not
# verified]. Only the form's initial value: each plan stores its own, editable interval.
DEFAULT_DRILL_MONTHS = {PlanKind.COMPREHENSIVE: 12, PlanKind.SPECIAL: 12, PlanKind.ONSITE: 6}


class EmergencyPlan(EnterpriseRecord):
    """One version of an emergency plan (综合 / 专项 / 现场处置方案), its 备案 and its review date."""

    audit_name = "plan"

    kind = models.CharField(_("类别"), max_length=20, choices=PlanKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    version = models.CharField(_("版本"), max_length=30, default="1.0")
    issued_on = models.DateField(_("发布实施日期"))
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    filed_with = models.CharField(_("备案部门"), max_length=100, blank=True)
    filing_number = models.CharField(_("备案编号"), max_length=60, blank=True)
    review_due = models.DateField(_("下次评估修订日期"))
    drill_interval_months = models.PositiveSmallIntegerField(
        _("演练周期（月）"), default=12, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.EFFECTIVE
    )
    file = file_field(_("预案文本"))

    class Meta:
        verbose_name = _("应急预案")
        verbose_name_plural = _("应急预案")
        ordering = ["enterprise", "kind", "title", "-issued_on", "id"]

    def __str__(self):
        return f"{self.title}（{self.version}）"

    def clean(self):
        errors = {}
        if self.filed_on and not self.filed_with:
            errors["filed_with"] = _("已备案的预案须填写备案部门。")
        if self.filed_on and self.issued_on and self.filed_on < self.issued_on:
            errors["filed_on"] = _("备案日期不能早于发布实施日期。")
        if self.review_due and self.issued_on and self.review_due <= self.issued_on:
            errors["review_due"] = _("下次评估修订日期须晚于发布实施日期。")
        if errors:
            raise ValidationError(errors)


class EmergencySupply(EnterpriseRecord):
    """应急物资装备: one line of the emergency supplies list."""

    audit_name = "supply"

    name = models.CharField(_("名称"), max_length=100)
    spec = models.CharField(_("规格型号"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("数量"))
    unit_label = models.CharField(_("计量单位"), max_length=10, default="个")
    location = models.CharField(_("存放位置"), max_length=150)
    keeper = models.CharField(_("管理人"), max_length=50, blank=True)
    checked_on = models.DateField(_("最近检查日期"), null=True, blank=True)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("应急物资")
        verbose_name_plural = _("应急物资")
        ordering = ["enterprise", "name", "id"]

    def __str__(self):
        return f"{self.name} × {self.quantity}{self.unit_label}"


class Drill(EnterpriseRecord):
    """One emergency drill: date, scenario, participants, evaluation and photos (owned EvidenceFiles)."""

    audit_name = "drill"

    plan = models.ForeignKey(
        EmergencyPlan,
        verbose_name=_("所演练的预案"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drills",
    )
    team = models.ForeignKey(
        "duty.RescueTeam",
        verbose_name=_("参演救援队伍"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drills",
    )
    held_on = models.DateField(_("演练日期"))
    form = models.CharField(_("演练形式"), max_length=20, choices=DrillForm.choices)
    scenario = models.CharField(_("演练情景"), max_length=200)
    participants = models.PositiveIntegerField(_("参演人数"))
    evaluation = models.TextField(_("演练评估"), blank=True)
    effect = models.CharField(_("演练效果"), max_length=10, choices=DrillEffect.choices, blank=True)
    improvements = models.TextField(_("发现问题和改进措施"), blank=True)

    class Meta:
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")
        ordering = ["enterprise", "-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on} {self.scenario}"

    def clean(self):
        errors = {}
        if self.plan_id and self.plan.enterprise_id != self.enterprise_id:
            errors["plan"] = _("预案不属于该企业。")
        if self.team_id and self.team.enterprise_id != self.enterprise_id:
            errors["team"] = _("救援队伍不属于该企业。")
        if errors:
            raise ValidationError(errors)
