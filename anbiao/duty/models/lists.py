"""责任清单 and 考核清单: templates kept by units (inherited downward) and the versions a post adopts."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.core.scope import ScopedManager, ScopeSpec
from anbiao.duty.choices import ListStatus, PostLevel


class DutyTemplate(models.Model):
    """A template of the duty and assessment lists for one post level.

    ``organization`` empty = 系统预置 (seeded from the law, read-only); otherwise kept by a unit and offered
    to
    every unit and enterprise below it. A unit adapts an inherited template by deriving its own copy
    (``derived_from``) and changing the copy; the nearest template up the tree wins.
    """

    scope_spec = ScopeSpec(org_paths=("organization__path",))

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("维护单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="duty_templates",
    )
    level = models.CharField(_("岗位层级"), max_length=20, choices=PostLevel.choices)
    title = models.CharField(_("模板名称"), max_length=100)
    derived_from = models.ForeignKey(
        "self",
        verbose_name=_("继承自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derivatives",
    )
    is_active = models.BooleanField(_("启用"), default=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("清单模板")
        verbose_name_plural = _("清单模板")
        ordering = ["level", "organization__path", "id"]

    def __str__(self):
        return self.title

    @property
    def is_system(self) -> bool:
        return self.organization_id is None


class TemplateDutyItem(models.Model):
    scope_spec = ScopeSpec(org_paths=("template__organization__path",))

    template = models.ForeignKey(
        DutyTemplate, on_delete=models.CASCADE, related_name="duty_items", verbose_name=_("模板")
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("责任内容"))
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("模板责任条目")
        verbose_name_plural = _("模板责任条目")
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="duty_tpl_duty_item_unique")
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:30]}"


class TemplateAssessItem(models.Model):
    scope_spec = ScopeSpec(org_paths=("template__organization__path",))

    template = models.ForeignKey(
        DutyTemplate, on_delete=models.CASCADE, related_name="assess_items", verbose_name=_("模板")
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    content = models.TextField(_("考核内容及标准"))
    indicator = models.CharField(_("指标"), max_length=100, blank=True)
    full_marks = models.DecimalField(
        _("满分"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    scoring_rule = models.CharField(_("评分办法"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("模板考核条目")
        verbose_name_plural = _("模板考核条目")
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="duty_tpl_assess_item_unique")
        ]

    def __str__(self):
        return f"{self.number}. {self.content[:30]}"


class DutyList(models.Model):
    """One version of a post's 责任清单 + 考核清单, adopted (and adapted) from a template or written locally.

    Versions of a post form a dated history: the effective version on a date D is the one with
    ``effective_from <= D`` and (``superseded_on`` empty or later than D).
    """

    scope_spec = ScopeSpec(org_paths=("post__enterprise__unit__path",), enterprise="post__enterprise_id")

    post = models.ForeignKey(
        "duty.Post", verbose_name=_("岗位"), on_delete=models.CASCADE, related_name="lists"
    )
    version = models.PositiveSmallIntegerField(_("版本"))
    status = models.CharField(_("状态"), max_length=20, choices=ListStatus.choices, default=ListStatus.DRAFT)
    template = models.ForeignKey(
        DutyTemplate,
        verbose_name=_("采用模板"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoptions",
    )
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    superseded_on = models.DateField(_("失效日期"), null=True, blank=True)
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    published_place = models.CharField(_("公示地点"), max_length=100, blank=True)
    backdated = models.BooleanField(_("补录"), default=False)
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("岗位责任清单")
        verbose_name_plural = _("岗位责任清单")
        ordering = ["post", "-version"]
        constraints = [models.UniqueConstraint(fields=["post", "version"], name="duty_list_version_unique")]

    def __str__(self):
        return f"{self.post} 第{self.version}版"

    @property
    def is_draft(self) -> bool:
        return self.status == ListStatus.DRAFT

    def full_marks(self) -> Decimal:
        return sum((i.full_marks for i in self.assess_items.all()), Decimal("0"))

    def clean(self):
        if self.effective_from and self.superseded_on and self.superseded_on <= self.effective_from:
            raise ValidationError({"superseded_on": _("失效日期须晚于生效日期。")})


class DutyItem(models.Model):
    scope_spec = ScopeSpec(
        org_paths=("duty_list__post__enterprise__unit__path",), enterprise="duty_list__post__enterprise_id"
    )

    duty_list = models.ForeignKey(DutyList, on_delete=models.CASCADE, related_name="duty_items")
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("责任内容"))
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("责任条目")
        verbose_name_plural = _("责任条目")
        ordering = ["duty_list", "number"]
        constraints = [models.UniqueConstraint(fields=["duty_list", "number"], name="duty_item_unique")]

    def __str__(self):
        return f"{self.number}. {self.text[:30]}"


class AssessItem(models.Model):
    scope_spec = ScopeSpec(
        org_paths=("duty_list__post__enterprise__unit__path",), enterprise="duty_list__post__enterprise_id"
    )

    duty_list = models.ForeignKey(DutyList, on_delete=models.CASCADE, related_name="assess_items")
    number = models.PositiveSmallIntegerField(_("序号"))
    content = models.TextField(_("考核内容及标准"))
    indicator = models.CharField(_("指标"), max_length=100, blank=True)
    full_marks = models.DecimalField(
        _("满分"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    scoring_rule = models.CharField(_("评分办法"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("考核条目")
        verbose_name_plural = _("考核条目")
        ordering = ["duty_list", "number"]
        constraints = [models.UniqueConstraint(fields=["duty_list", "number"], name="assess_item_unique")]

    def __str__(self):
        return f"{self.number}. {self.content[:30]}"


class DutyListSignature(models.Model):
    """A signed 责任书 for a list version: who signed, when, and the scan."""

    scope_spec = ScopeSpec(
        org_paths=("duty_list__post__enterprise__unit__path",), enterprise="duty_list__post__enterprise_id"
    )

    duty_list = models.ForeignKey(
        DutyList, verbose_name=_("清单"), on_delete=models.CASCADE, related_name="signatures"
    )
    person = models.ForeignKey(
        "duty.Person", verbose_name=_("签署人"), on_delete=models.PROTECT, related_name="signatures"
    )
    signed_on = models.DateField(_("签署日期"))
    file = models.ForeignKey(
        "core.EvidenceFile", verbose_name=_("责任书扫描件"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("责任书")
        verbose_name_plural = _("责任书")
        ordering = ["duty_list", "signed_on", "id"]

    def __str__(self):
        return f"{self.person} {self.signed_on}"
