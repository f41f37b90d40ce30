"""Dated records per enterprise: 达标评审 grades, 星级, 5S/六有 site assessments,
持续改进清单 and 回头看 reports."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.core.scope import ScopedManager, ScopeSpec
from anbiao.standards.choices import GradeLevel, GradeType, ImprovementSource, ImprovementStatus, SiteKind

ENTERPRISE_SCOPE = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")
OWNER_SCOPE = ScopeSpec(
    org_paths=("enterprise__unit__path", "organization__path"), enterprise="enterprise_id"
)


class RecordedMixin(models.Model):
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    backdated = models.BooleanField(_("补录"), default=False)

    class Meta:
        abstract = True


class GradeRecord(RecordedMixin):
    """A 达标评审 result: valid from ``valid_from`` to ``valid_to`` (half-open) unless revoked earlier."""

    scope_spec = ENTERPRISE_SCOPE

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="grade_records"
    )
    grade_type = models.CharField(_("达标类型"), max_length=20, choices=GradeType.choices)
    level = models.PositiveSmallIntegerField(
        _("等级"), choices=GradeLevel.choices, null=True, blank=True, help_text=_("地标不分级，留空。")
    )
    reviewing_body = models.CharField(_("评审（定级）单位"), max_length=120)
    certificate_no = models.CharField(_("证书编号"), max_length=80, blank=True)
    certified_on = models.DateField(_("发证（公告）日期"))
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期至"))
    note = models.TextField(_("备注"), blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revoke_reason = models.TextField(_("撤销原因"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("达标评审记录")
        verbose_name_plural = _("达标评审记录")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gt=models.F("valid_from")), name="grade_period"
            )
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self):
        return f"{self.enterprise} {self.label}"

    @property
    def label(self) -> str:
        if self.level:
            return f"{self.get_grade_type_display()}{self.get_level_display()}"
        return f"{self.get_grade_type_display()}（不分级）"

    def clean(self):
        errors = {}
        if self.grade_type == GradeType.LOCAL and self.level:
            errors["level"] = _("地标不分级，等级须留空。")
        if self.grade_type != GradeType.LOCAL and not self.level:
            errors["level"] = _("国标、省标须选择等级。")
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            errors["valid_to"] = _("有效期至须晚于有效期起。")
        if self.revoked_on and self.valid_from and self.revoked_on < self.valid_from:
            errors["revoked_on"] = _("撤销日期不能早于有效期起。")
        if errors:
            raise ValidationError(errors)

    def state_on(self, day) -> str:
        if self.revoked_on and self.revoked_on <= day:
            return "revoked"
        if day < self.valid_from:
            return "future"
        if day >= self.valid_to:
            return "expired"
        return "valid"


class StarRating(RecordedMixin):
    """An enterprise's star rating (1–5), dated: the current row has ``valid_to`` empty."""

    scope_spec = ENTERPRISE_SCOPE

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="star_ratings"
    )
    stars = models.PositiveSmallIntegerField(
        _("星级"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    valid_from = models.DateField(_("评定日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    basis = models.TextField(_("评定依据"))
    rater_name = models.CharField(_("评定人 / 单位"), max_length=100)
    suggested_stars = models.PositiveSmallIntegerField(_("规则建议星级"), null=True, blank=True)
    ruleset = models.ForeignKey(
        "standards.RuleSet", verbose_name=_("规则版本"), null=True, blank=True, on_delete=models.PROTECT
    )
    facts = models.JSONField(_("评定时的事实"), default=dict, blank=True)
    reasons = models.JSONField(_("规则说明"), default=list, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("星级评定")
        verbose_name_plural = _("星级评定")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"], condition=models.Q(valid_to__isnull=True), name="one_current_star"
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.stars}星"


class SiteAssessment(RecordedMixin):
    """A dated 5S or 六有 assessment of one enterprise against a checklist version."""

    scope_spec = ENTERPRISE_SCOPE

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="site_assessments"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=SiteKind.choices)
    checklist = models.ForeignKey(
        "standards.SiteChecklist", verbose_name=_("检查表"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(_("检查日期"))
    assessor_name = models.CharField(_("检查人"), max_length=100)
    passed = models.BooleanField(_("达标"), default=False)
    average = models.DecimalField(_("平均分"), max_digits=5, decimal_places=1, null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("5S/六有检查")
        verbose_name_plural = _("5S/六有检查")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["kind", "assessed_on"])]

    def __str__(self):
        return f"{self.enterprise} {self.get_kind_display()} {self.assessed_on}"


class SiteResult(models.Model):
    scope_spec = ScopeSpec(
        org_paths=("assessment__enterprise__unit__path",), enterprise="assessment__enterprise_id"
    )

    assessment = models.ForeignKey(SiteAssessment, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey("standards.SiteChecklistItem", on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField(_("合格"), default=False)
    score = models.DecimalField(
        _("得分"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    photo = models.ForeignKey(
        "core.EvidenceFile", verbose_name=_("照片"), null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("检查项结果")
        verbose_name_plural = _("检查项结果")
        ordering = ["assessment", "item__order"]

    def __str__(self):
        return f"{self.item} {'合格' if self.passed else '不合格'}"


class OwnerMixin(models.Model):
    """Owned by an enterprise, or by a unit (a 基层社 filing its own 回头看 and list)."""

    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def owner(self):
        return self.enterprise or self.organization

    @property
    def owner_path(self) -> str:
        return self.enterprise.unit.path if self.enterprise_id else self.organization.path

    def clean(self):
        if bool(self.enterprise_id) == bool(self.organization_id):
            raise ValidationError(_("须且只能选择一个企业或一个单位。"))


class LookbackReport(OwnerMixin, RecordedMixin):
    """回头看 评估报告: the work since 2021-08 evaluated, signed by the principal, filed with its list."""

    scope_spec = OWNER_SCOPE

    title = models.CharField(_("报告标题"), max_length=200)
    period_start = models.DateField(_("评估起始"))
    reported_on = models.DateField(_("报告日期"))
    signed_by = models.CharField(_("审核签字（主要负责人）"), max_length=50)
    summary = models.TextField(_("主要问题和薄弱环节"))
    document = models.ForeignKey(
        "core.EvidenceFile",
        verbose_name=_("签字盖章的报告"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("回头看评估报告")
        verbose_name_plural = _("回头看评估报告")
        ordering = ["-reported_on", "-id"]

    def __str__(self):
        return self.title


class ImprovementItem(OwnerMixin, RecordedMixin):
    """持续改进清单 row: a non-conformity with 责任人, 措施, 时限 and 验收 (acceptor ≠ responsible)."""

    scope_spec = OWNER_SCOPE

    source = models.CharField(_("来源"), max_length=20, choices=ImprovementSource.choices)
    assessment = models.ForeignKey(
        "standards.SelfAssessment",
        verbose_name=_("自评"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvements",
    )
    entry = models.ForeignKey(
        "standards.AssessmentEntry",
        verbose_name=_("扣分条目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvements",
    )
    lookback = models.ForeignKey(
        LookbackReport,
        verbose_name=_("回头看报告"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    problem = models.TextField(_("问题（不符合项）"))
    measure = models.TextField(_("整改措施"))
    responsible_name = models.CharField(_("整改责任人"), max_length=50)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    found_on = models.DateField(_("发现日期"))
    deadline = models.DateField(_("整改时限"))
    status = models.CharField(
        _("状态"), max_length=20, choices=ImprovementStatus.choices, default=ImprovementStatus.OPEN
    )
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    completion_note = models.TextField(_("整改情况"), blank=True)
    acceptor_name = models.CharField(_("验收人"), max_length=50, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    acceptance_note = models.TextField(_("验收意见"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("持续改进项")
        verbose_name_plural = _("持续改进清单")
        ordering = ["status", "deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return self.problem[:40]

    def clean(self):
        super().clean()
        if self.deadline and self.found_on and self.deadline < self.found_on:
            raise ValidationError({"deadline": _("整改时限不能早于发现日期。")})

    def is_overdue(self, today) -> bool:
        return self.status in (ImprovementStatus.OPEN, ImprovementStatus.DONE) and self.deadline < today


class StandardsEvent(models.Model):
    """The timeline users read on a workflow object (self-assessment, improvement item)."""

    scope_spec = OWNER_SCOPE

    enterprise = models.ForeignKey(
        "orgs.Enterprise", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_type = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(_("动作"), max_length=40)
    label = models.CharField(_("事件"), max_length=100)
    happened_on = models.DateField(_("发生日期"))
    at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    actor_name = models.CharField(_("操作人"), max_length=150)
    note = models.TextField(_("说明"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("标准化事件")
        verbose_name_plural = _("标准化事件")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.happened_on} {self.label}"
