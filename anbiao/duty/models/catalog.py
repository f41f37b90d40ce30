"""Thresholds as data (county-admin-editable, ``catalog.manage``), versioned by validity period."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ResultBand(models.Model):
    """年度考核结果档次: a score ≥ ``min_score`` falls in the highest band it reaches.

    Seeded from the safehoo 考核表 template (优秀 ≥ 90 · 良好 75– · 合格 60– · 不合格 < 60). Bands valid on
    the
    assessment date are used; a score keeps the band label it was given.
    """

    label = models.CharField(_("档次"), max_length=20)
    min_score = models.DecimalField(
        _("最低得分（百分制）"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    passed = models.BooleanField(_("视为合格"), default=True)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("考核结果档次")
        verbose_name_plural = _("考核结果档次")
        ordering = ["-valid_from", "-min_score"]

    def __str__(self):
        return f"{self.label} ≥ {self.min_score}"

    def clean(self):
        if self.valid_to and self.valid_from and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("截止日期须晚于起始日期。")})


class StaffingRule(models.Model):
    """安全生产法第24条: when an enterprise needs a 安全生产管理机构 or full-time officers.

    High-risk categories (危险物品 生产/经营/储存/装卸) or more than ``headcount_threshold`` 从业人员 → a body
    or at least ``strict_min_full_time`` full-time officers; otherwise at least ``basic_min_officers``
    full- or part-time officers. Versioned by validity period so a past check keeps its rule.
    """

    headcount_threshold = models.PositiveIntegerField(_("从业人员人数界限"), default=100)
    strict_min_full_time = models.PositiveSmallIntegerField(_("严格情形最少专职人数"), default=1)
    basic_min_officers = models.PositiveSmallIntegerField(_("一般情形最少专兼职人数"), default=1)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=200)

    class Meta:
        verbose_name = _("第24条配备规则")
        verbose_name_plural = _("第24条配备规则")
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.source}（{self.valid_from} 起）"

    def clean(self):
        if self.valid_to and self.valid_from and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("截止日期须晚于起始日期。")})
        if self.strict_min_full_time < 1:
            raise ValidationError({"strict_min_full_time": _("至少为 1。")})
        if self.basic_min_officers < 1:
            raise ValidationError({"basic_min_officers": _("至少为 1。")})
