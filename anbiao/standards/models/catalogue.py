"""The standards catalogue as versioned data: GB/T 33000-2016, the 中等/小微 达标细则, later ones by import.

Catalogues are shared reference data (like 行业): every user reads them; county administrators
(``catalog.manage``) import, export and edit them. A self-assessment records the standard it used.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.orgs.choices import SizeClass
from anbiao.standards.choices import GradeType, ItemLevel, PassMode, RuleEffect, RuleKind, RuleOp, SiteKind

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Standard(models.Model):
    """A versioned catalogue of elements and 考评内容 with their scores and 评分标准."""

    code = models.CharField(_("标准编号"), max_length=60, unique=True)
    title = models.CharField(_("标准名称"), max_length=200)
    version = models.CharField(_("版本"), max_length=40)
    source = models.TextField(_("来源与说明"), blank=True)
    grade_type = models.CharField(
        _("达标类型"), max_length=20, choices=GradeType.choices, default=GradeType.NATIONAL
    )
    applies_to = models.JSONField(
        _("适用企业规模"), default=list, blank=True, help_text=_("规上企业 / 中等企业 / 小微企业")
    )
    level1_min = models.DecimalField(
        _("一级分数线"), max_digits=5, decimal_places=1, default=Decimal("90"), validators=PERCENT
    )
    level2_min = models.DecimalField(
        _("二级分数线"), max_digits=5, decimal_places=1, default=Decimal("75"), validators=PERCENT
    )
    level3_min = models.DecimalField(
        _("三级分数线"), max_digits=5, decimal_places=1, default=Decimal("60"), validators=PERCENT
    )
    is_graded = models.BooleanField(
        _("分级"), default=True, help_text=_("地标（泉州标准）不分级：达到三级分数线即为达标。")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("标准化标准")
        verbose_name_plural = _("标准化标准")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.title}（{self.version}）"

    def clean(self):
        errors = {}
        bad = [c for c in self.applies_to or [] if c not in SizeClass.values]
        if bad:
            errors["applies_to"] = _("适用企业规模不正确：%(v)s") % {"v": "、".join(map(str, bad))}
        if not (self.level1_min >= self.level2_min >= self.level3_min):
            errors["level1_min"] = _("分数线须满足 一级 ≥ 二级 ≥ 三级。")
        if errors:
            raise ValidationError(errors)

    def applies_to_labels(self) -> str:
        labels = dict(SizeClass.choices)
        return "、".join(str(labels.get(c, c)) for c in self.applies_to or []) or "—"

    def thresholds(self) -> dict[int, Decimal]:
        return {1: self.level1_min, 2: self.level2_min, 3: self.level3_min}


class StandardItem(models.Model):
    """One node of the tree: 一级要素 (level 1), 二级要素 (2), 考评内容 (3, the scored items)."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("层级"), choices=ItemLevel.choices)
    code = models.CharField(_("编号"), max_length=30)
    title = models.CharField(_("名称 / 考评内容"), max_length=500)
    score = models.DecimalField(_("标准分值"), max_digits=7, decimal_places=2, default=Decimal("0"))
    scoring_rule = models.TextField(_("评分标准"), blank=True)
    is_veto = models.BooleanField(_("否决项"), default=False)
    unverified = models.BooleanField(_("待核实"), default=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("标准条款")
        verbose_name_plural = _("标准条款")
        ordering = ["standard", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["standard", "code"], name="standard_item_code_unique")]

    def __str__(self):
        return f"{self.code} {self.title}"


class RuleSet(models.Model):
    """A versioned set of rules over ``registry.enterprise_facts``. Only one version per kind is active;
    a version that has been used by a record is never edited (saving it makes a new version)."""

    kind = models.CharField(_("规则类别"), max_length=20, choices=RuleKind.choices)
    version = models.PositiveIntegerField(_("版本"), default=1)
    title = models.CharField(_("名称"), max_length=200)
    source = models.TextField(_("依据"), blank=True)
    is_active = models.BooleanField(_("启用"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("规则集")
        verbose_name_plural = _("规则集")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="ruleset_kind_version_unique"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(is_active=True), name="ruleset_one_active_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"


class Rule(models.Model):
    """One row: when ``fact`` ``op`` ``threshold`` holds, ``effect`` with ``result``; ``reason`` explains."""

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveIntegerField(_("顺序"), default=0)
    fact = models.CharField(_("事实"), max_length=60, blank=True)
    op = models.CharField(_("比较"), max_length=10, choices=RuleOp.choices, default=RuleOp.GE)
    threshold = models.DecimalField(_("阈值"), max_digits=9, decimal_places=2, default=Decimal("0"))
    effect = models.CharField(_("作用"), max_length=10, choices=RuleEffect.choices, default=RuleEffect.SET)
    result = models.IntegerField(_("结果"), default=0)
    reason = models.CharField(_("理由"), max_length=300)
    unverified = models.BooleanField(_("待核实"), default=False)

    class Meta:
        verbose_name = _("规则")
        verbose_name_plural = _("规则")
        ordering = ["ruleset", "order", "id"]

    def __str__(self):
        return self.reason


class SiteChecklist(models.Model):
    """The 5S or 六有 checklist (versioned) and its pass rule."""

    kind = models.CharField(_("类别"), max_length=20, choices=SiteKind.choices)
    version = models.PositiveIntegerField(_("版本"), default=1)
    title = models.CharField(_("名称"), max_length=200)
    pass_mode = models.CharField(_("达标规则"), max_length=20, choices=PassMode.choices)
    pass_threshold = models.DecimalField(
        _("阈值（分）"), max_digits=5, decimal_places=1, default=Decimal("80"), validators=PERCENT
    )
    source = models.TextField(_("依据"), blank=True)
    unverified = models.BooleanField(_("待核实"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("现场检查表")
        verbose_name_plural = _("现场检查表")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="site_checklist_kind_version_unique"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(is_active=True), name="site_checklist_one_active"
            ),
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"


class SiteChecklistItem(models.Model):
    checklist = models.ForeignKey(SiteChecklist, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("顺序"), default=0)
    label = models.CharField(_("项目"), max_length=100)
    guidance = models.CharField(_("要求"), max_length=300, blank=True)
    unverified = models.BooleanField(_("待核实"), default=False)

    class Meta:
        verbose_name = _("现场检查项")
        verbose_name_plural = _("现场检查项")
        ordering = ["checklist", "order", "id"]

    def __str__(self):
        return self.label
