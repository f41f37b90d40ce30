"""事故管理 (GB/T 33000-2016 §5.7): accident and near-miss reports, their grade, investigation and closure.

The grade thresholds (国务院令第493号 第3条) and the report and investigation time limits are data:
``AccidentRuleSet`` rows, versioned by ``valid_from``; an accident keeps the rule set it was graded with.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anbiao.core.scope import ScopedManager, ScopeSpec
from anbiao.ledgers.choices import AccidentGrade, AccidentKind, AccidentStatus
from anbiao.ledgers.models.base import EnterpriseRecord


class AccidentRuleSet(models.Model):
    """One version of the accident rules: the grade table plus the report and investigation limits."""

    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("依据"), max_length=300)
    valid_from = models.DateField(_("起用日期"), unique=True)
    report_limit_hours = models.PositiveSmallIntegerField(
        _("报告时限（小时）"),
        help_text=_("单位负责人接到报告后向监管部门报告的时限（第9条：1小时）。"),
    )
    investigation_limit_days = models.PositiveSmallIntegerField(
        _("调查结案时限（天）"), help_text=_("事故调查报告提交时限（第29条：60日）。")
    )

    class Meta:
        verbose_name = _("事故规则版本")
        verbose_name_plural = _("事故规则版本")
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.name}（{self.valid_from} 起）"


class AccidentGradeRule(models.Model):
    """One row of the grade table: an accident reaching ANY of the three minimums has at least this grade."""

    rule_set = models.ForeignKey(
        AccidentRuleSet, verbose_name=_("规则版本"), on_delete=models.CASCADE, related_name="grades"
    )
    grade = models.CharField(_("等级"), max_length=20, choices=AccidentGrade.choices)
    rank = models.PositiveSmallIntegerField(_("严重程度（越大越严重）"))
    min_deaths = models.PositiveIntegerField(_("死亡人数下限"))
    min_serious_injuries = models.PositiveIntegerField(_("重伤人数下限（含急性工业中毒）"))
    min_direct_loss = models.DecimalField(_("直接经济损失下限（元）"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("事故等级标准")
        verbose_name_plural = _("事故等级标准")
        ordering = ["rule_set", "-rank"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "grade"], name="ledgers_grade_once_per_set"),
            models.UniqueConstraint(fields=["rule_set", "rank"], name="ledgers_rank_once_per_set"),
        ]

    def __str__(self):
        return self.get_grade_display()


class Accident(EnterpriseRecord):
    """An accident or near miss (未遂事件) of the enterprise, its report, investigation and closure."""

    audit_name = "accident"

    occurred_at = models.DateTimeField(_("发生时间"))
    place = models.CharField(_("发生地点"), max_length=200)
    kind = models.CharField(_("事故类别（GB 6441）"), max_length=20, choices=AccidentKind.choices)
    is_near_miss = models.BooleanField(_("未遂事件"), default=False)
    summary = models.TextField(_("经过简述"))
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    serious_injuries = models.PositiveIntegerField(_("重伤人数"), default=0)
    minor_injuries = models.PositiveIntegerField(_("轻伤人数"), default=0)
    direct_loss = models.DecimalField(
        _("直接经济损失（元）"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    grade = models.CharField(_("事故等级"), max_length=20, choices=AccidentGrade.choices, blank=True)
    rule_set = models.ForeignKey(
        AccidentRuleSet, verbose_name=_("定级所用规则"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("向监管部门报告时间"), null=True, blank=True)
    reported_to = models.CharField(_("报告部门"), max_length=100, blank=True)
    status = models.CharField(
        _("处理状态"), max_length=20, choices=AccidentStatus.choices, default=AccidentStatus.REPORTED
    )
    causes = models.TextField(_("事故原因"), blank=True)
    responsibility = models.TextField(_("责任认定和处理"), blank=True)
    measures = models.TextField(_("整改和防范措施"), blank=True)
    education = models.TextField(_("教育情况"), blank=True)
    causes_found = models.BooleanField(_("事故原因已查清"), default=False)
    responsible_handled = models.BooleanField(_("责任人员已处理"), default=False)
    measures_done = models.BooleanField(_("整改措施已落实"), default=False)
    people_educated = models.BooleanField(_("有关人员已受到教育"), default=False)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    backdated = models.BooleanField(_("补录"), default=False)

    class Meta:
        verbose_name = _("事故")
        verbose_name_plural = _("事故")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "occurred_at"])]

    def __str__(self):
        label = "未遂事件" if self.is_near_miss else "事故"
        return f"{self.occurred_at:%Y-%m-%d} {self.place}{self.get_kind_display()}{label}"

    def clean(self):
        errors = {}
        if self.occurred_at and self.occurred_at > timezone.now():
            errors["occurred_at"] = _("发生时间不能晚于现在。")
        if self.is_near_miss and (self.deaths or self.serious_injuries or self.minor_injuries):
            errors["is_near_miss"] = _("有人员伤亡的不是未遂事件。")
        if self.reported_at and self.occurred_at and self.reported_at < self.occurred_at:
            errors["reported_at"] = _("报告时间不能早于发生时间。")
        if self.reported_at and not self.reported_to:
            errors["reported_to"] = _("已报告的须填写报告部门。")
        if errors:
            raise ValidationError(errors)

    @property
    def four_nots(self) -> list[tuple[str, bool]]:
        """四不放过: the four closure conditions with their state."""
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in ("causes_found", "responsible_handled", "measures_done", "people_educated")
        ]


class AccidentEvent(models.Model):
    """The accident's own readable timeline (append-only): each report, edit and workflow move."""

    scope_spec = ScopeSpec(
        org_paths=("accident__enterprise__unit__path",), enterprise="accident__enterprise_id"
    )

    accident = models.ForeignKey(Accident, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=30)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, blank=True)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("事故处理记录")
        verbose_name_plural = _("事故处理记录")
        ordering = ["accident", "at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"
