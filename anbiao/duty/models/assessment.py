"""年度考核: per enterprise per year, each post-holder scored against the post's 考核清单."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.core.scope import ScopedManager, ScopeSpec
from anbiao.duty.choices import Outcome


class AnnualAssessment(models.Model):
    """An enterprise's 全员责任制年度考核 for one year; ``completed_on`` is the day it was concluded."""

    scope_spec = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="duty_assessments"
    )
    year = models.PositiveSmallIntegerField(_("考核年度"), validators=[MinValueValidator(2021)])
    started_on = models.DateField(_("开始日期"))
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    backdated = models.BooleanField(_("补录"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["-year", "enterprise"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="duty_assessment_once_a_year")
        ]

    def __str__(self):
        return f"{self.enterprise} {self.year}年度考核"

    @property
    def is_completed(self) -> bool:
        return self.completed_on is not None

    def clean(self):
        if self.completed_on and self.started_on and self.completed_on < self.started_on:
            raise ValidationError({"completed_on": _("完成日期不能早于开始日期。")})


class AssessmentScore(models.Model):
    """One post-holder's score: full marks of the list minus deductions, its band, and the reward/penalty."""

    scope_spec = ScopeSpec(
        org_paths=("assessment__enterprise__unit__path",), enterprise="assessment__enterprise_id"
    )

    assessment = models.ForeignKey(
        AnnualAssessment, verbose_name=_("年度考核"), on_delete=models.CASCADE, related_name="scores"
    )
    person = models.ForeignKey(
        "duty.Person", verbose_name=_("被考核人"), on_delete=models.PROTECT, related_name="scores"
    )
    post = models.ForeignKey(
        "duty.Post", verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="scores"
    )
    duty_list = models.ForeignKey(
        "duty.DutyList", verbose_name=_("考核清单版本"), on_delete=models.PROTECT, related_name="scores"
    )
    scored_on = models.DateField(_("考核日期"))
    assessor = models.CharField(_("考核人"), max_length=50, blank=True)
    full_marks = models.DecimalField(_("满分"), max_digits=6, decimal_places=1, default=Decimal("0"))
    score = models.DecimalField(_("实得分"), max_digits=6, decimal_places=1, default=Decimal("0"))
    percent = models.DecimalField(_("百分制得分"), max_digits=5, decimal_places=1, default=Decimal("0"))
    band = models.CharField(_("考核结果"), max_length=20, blank=True)
    passed = models.BooleanField(_("合格"), default=True)
    outcome = models.CharField(_("奖惩决定"), max_length=10, choices=Outcome.choices, default=Outcome.NONE)
    amount = models.DecimalField(
        _("金额（元）"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    paid_on = models.DateField(_("兑现日期"), null=True, blank=True)
    outcome_note = models.CharField(_("奖惩说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("考核得分")
        verbose_name_plural = _("考核得分")
        ordering = ["assessment", "post__level", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "person", "post"], name="duty_score_once_per_post")
        ]

    def __str__(self):
        return f"{self.person} · {self.post} · {self.score}"

    def clean(self):
        errors = {}
        if self.outcome == Outcome.NONE and (self.amount or self.paid_on):
            errors["outcome"] = _("不奖不罚时不应填写金额或兑现日期。")
        if self.outcome != Outcome.NONE and not self.decided_on:
            errors["decided_on"] = _("请填写奖惩决定日期。")
        if self.paid_on and self.decided_on and self.paid_on < self.decided_on:
            errors["paid_on"] = _("兑现日期不能早于决定日期。")
        if self.outcome == Outcome.REWARD and self.paid_on and not self.amount:
            errors["amount"] = _("已兑现的奖励须填写金额。")
        if errors:
            raise ValidationError(errors)


class ScoreDeduction(models.Model):
    """扣分: against one item of the assessed list version, with the reason."""

    scope_spec = ScopeSpec(
        org_paths=("score__assessment__enterprise__unit__path",),
        enterprise="score__assessment__enterprise_id",
    )

    score = models.ForeignKey(AssessmentScore, on_delete=models.CASCADE, related_name="deductions")
    item = models.ForeignKey(
        "duty.AssessItem", verbose_name=_("考核条目"), on_delete=models.PROTECT, related_name="deductions"
    )
    points = models.DecimalField(
        _("扣减分数"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )
    reason = models.CharField(_("扣分原因"), max_length=200)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("扣分")
        verbose_name_plural = _("扣分")
        ordering = ["score", "item__number"]
        constraints = [models.UniqueConstraint(fields=["score", "item"], name="duty_deduction_once_per_item")]

    def __str__(self):
        return f"-{self.points} {self.reason}"
