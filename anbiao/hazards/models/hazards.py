"""隐患 (the 隐患清单 and 整改清单 in one record), its timeline, 挂牌督办 and internal reporting."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anbiao.core.concurrency import revision_field
from anbiao.core.scope import ScopedManager, ScopeSpec
from anbiao.hazards.choices import (
    OVERDUE_STATES,
    SUPERVISOR_SOURCES,
    HazardKind,
    Level,
    ReportStatus,
    Source,
    State,
)

ENTERPRISE_SCOPE = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")


class Hazard(models.Model):
    """One hidden hazard from registration to 销号.

    Dates are when things happened (found, rectified, accepted), separate from when they were typed; the
    state on any past date is read from ``HazardEvent`` rows (append-only).
    """

    scope_spec = ENTERPRISE_SCOPE

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="hazards"
    )
    code = models.CharField(_("隐患编号"), max_length=30)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    kind = models.CharField(_("隐患类型"), max_length=20, choices=HazardKind.choices)
    location = models.CharField(_("部位/区域"), max_length=120)
    description = models.TextField(_("隐患描述"))
    level = models.CharField(_("隐患等级"), max_length=10, choices=Level.choices, default=Level.GENERAL)
    level_reason = models.CharField(_("定级说明"), max_length=300, blank=True)
    criterion = models.ForeignKey(
        "hazards.HazardCriterion",
        verbose_name=_("重大隐患判定条款"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    checklist_item = models.ForeignKey(
        "hazards.ChecklistItem",
        verbose_name=_("对应检查项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    risk_point = models.ForeignKey(
        "risks.RiskPoint",
        verbose_name=_("关联风险点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hazards",
    )
    inspection = models.ForeignKey(
        "hazards.Inspection",
        verbose_name=_("所属检查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    found_on = models.DateField(_("发现日期"), default=timezone.localdate)
    found_by_name = models.CharField(_("发现人"), max_length=100, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.REGISTERED)
    # 五定
    responsible_person = models.CharField(_("整改责任人"), max_length=50, blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    funds = models.DecimalField(_("整改资金（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    acceptor_name = models.CharField(_("验收人"), max_length=50, blank=True)
    # 重大隐患: 治理方案 and the report to the supervising unit
    stop_scope = models.CharField(
        _("停产停业范围"),
        max_length=10,
        choices=[("", "不涉及"), ("partial", "局部停产停业"), ("full", "全部停产停业")],
        blank=True,
    )
    plan_goal = models.TextField(_("治理的目标和任务"), blank=True)
    plan_method = models.TextField(_("采取的方法和措施"), blank=True)
    plan_resources = models.TextField(_("经费和物资的落实"), blank=True)
    plan_organisation = models.TextField(_("负责治理的机构和人员"), blank=True)
    plan_schedule = models.TextField(_("治理的时限和要求"), blank=True)
    plan_safety = models.TextField(_("安全措施和应急预案"), blank=True)
    reported_on = models.DateField(_("报告监管单位日期"), null=True, blank=True)
    # rectification and acceptance
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    rectification_note = models.TextField(_("整改情况"), blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("整改提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_on = models.DateField(_("验收销号日期"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("验收人（账号）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acceptance_note = models.CharField(_("验收意见"), max_length=300, blank=True)
    voided_on = models.DateField(_("作废日期"), null=True, blank=True)
    void_reason = models.CharField(_("作废原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    revision = revision_field()

    objects = ScopedManager()

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        ordering = ["-found_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "code"], name="hazard_code_per_enterprise")
        ]
        indexes = [
            models.Index(fields=["state", "deadline"]),
            models.Index(fields=["source", "found_on"]),
            models.Index(fields=["accepted_on"]),
            models.Index(fields=["enterprise", "state"]),
            # The list filtered by state, newest first, and its count, read from the index alone (a city
            # holds millions of hazards; without it each page touched one table page per matching hazard).
            models.Index(fields=["state", "found_on", "id", "enterprise"], name="hazard_state_found_idx"),
            # The unfiltered list in its own order (newest first): the page is read from the top of this
            # index instead of sorting every hazard in scope (city-wide: 2.5 million rows, 3 s → ms).
            models.Index(fields=["-found_on", "-id"], name="hazard_found_order_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.description[:30]}"

    @property
    def is_major(self) -> bool:
        return self.level == Level.MAJOR

    @property
    def accepted_by_supervisor(self) -> bool:
        """Hazards a supervisor's inspection found are accepted by the supervising side."""
        return self.source in SUPERVISOR_SOURCES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.deadline and self.state in OVERDUE_STATES and self.deadline < today)

    def days_overdue(self, today: datetime.date | None = None) -> int:
        today = today or timezone.localdate()
        return (today - self.deadline).days if self.is_overdue(today) else 0


class HazardEvent(models.Model):
    """The hazard's timeline: one row per step, with the date it happened. Append-only."""

    scope_spec = ScopeSpec(org_paths=("hazard__enterprise__unit__path",), enterprise="hazard__enterprise_id")

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="events")
    verb = models.CharField(_("操作"), max_length=20)
    from_state = models.CharField(_("原状态"), max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, choices=State.choices)
    occurred_on = models.DateField(_("发生日期"))
    backdated = models.BooleanField(_("补录"), default=False)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("操作人"), max_length=150)
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("隐患处理记录")
        verbose_name_plural = _("隐患处理记录")
        ordering = ["occurred_on", "at", "id"]
        indexes = [models.Index(fields=["hazard", "occurred_on"])]

    def __str__(self):
        return f"{self.occurred_on:%Y-%m-%d} {self.get_to_state_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("隐患处理记录只能追加。")
        super().save(*args, **kwargs)


class HazardListing(models.Model):
    """重大隐患挂牌督办: a supervising unit lists a major hazard, follows it and delists it after 销号."""

    scope_spec = ScopeSpec(org_paths=("hazard__enterprise__unit__path",), enterprise="hazard__enterprise_id")

    hazard = models.OneToOneField(
        Hazard, verbose_name=_("重大隐患"), on_delete=models.PROTECT, related_name="listing"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("督办单位"),
        on_delete=models.PROTECT,
        related_name="hazard_listings",
    )
    document_no = models.CharField(_("督办文号"), max_length=60, blank=True)
    listed_on = models.DateField(_("挂牌日期"))
    deadline = models.DateField(_("督办期限"))
    requirements = models.TextField(_("督办要求"))
    delisted_on = models.DateField(_("摘牌日期"), null=True, blank=True)
    delist_note = models.CharField(_("摘牌意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("挂牌督办")
        verbose_name_plural = _("挂牌督办")
        ordering = ["-listed_on", "-id"]

    def __str__(self):
        return f"挂牌督办：{self.hazard}"

    @property
    def is_active(self) -> bool:
        return self.delisted_on is None


def new_token() -> str:
    return secrets.token_urlsafe(16)


class ReportingChannel(models.Model):
    """An enterprise's 事故隐患内部报告奖励机制: its 制度 document and the link/QR staff report through."""

    scope_spec = ENTERPRISE_SCOPE

    enterprise = models.OneToOneField(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="reporting_channel"
    )
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    is_open = models.BooleanField(_("接受报告"), default=True)
    established_on = models.DateField(_("制度建立日期"), null=True, blank=True)
    rule = models.TextField(_("奖励办法"), blank=True)
    document = models.ForeignKey(
        "core.EvidenceFile",
        verbose_name=_("制度文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("内部报告渠道")
        verbose_name_plural = _("内部报告渠道")

    def __str__(self):
        return f"{self.enterprise} 内部报告"

    @property
    def mechanism_established(self) -> bool:
        return bool(self.established_on and self.document_id)


class InternalReport(models.Model):
    """A hazard reported by an employee through the enterprise's link, without an account."""

    scope_spec = ENTERPRISE_SCOPE

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="internal_reports"
    )
    description = models.TextField(_("发现的问题"))
    location = models.CharField(_("位置"), max_length=120)
    reporter_name = models.CharField(_("报告人"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    received_at = models.DateTimeField(_("报告时间"), default=timezone.now)
    status = models.CharField(
        _("核实结果"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.NEW
    )
    hazard = models.OneToOneField(
        Hazard,
        verbose_name=_("登记的隐患"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report",
    )
    reject_reason = models.CharField(_("不属实原因"), max_length=300, blank=True)
    handled_on = models.DateField(_("核实日期"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reward_amount = models.DecimalField(
        _("奖励金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    reward_paid_on = models.DateField(_("兑现日期"), null=True, blank=True)
    reward_paid_by = models.CharField(_("兑现经办人"), max_length=50, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("内部报告")
        verbose_name_plural = _("内部报告")
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.received_at:%Y-%m-%d} {self.location}"
