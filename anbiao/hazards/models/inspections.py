"""Inspections (企业自查 and supervisors' inspections) and the units' inspection plans."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anbiao.core.scope import ScopedManager, ScopeSpec
from anbiao.hazards.choices import SUPERVISOR_INSPECTIONS, InspectionKind, Outcome


class Inspection(models.Model):
    """One inspection of one enterprise on one date, against one published checklist version."""

    scope_spec = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")

    class Status(models.TextChoices):
        DRAFT = "draft", _("检查中")
        DONE = "done", _("已完成")

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("受检企业"), on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("检查类型"), max_length=20, choices=InspectionKind.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("检查单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
        help_text=_("监管方检查时填写；企业自查为空。"),
    )
    inspected_on = models.DateField(_("检查日期"), default=timezone.localdate)
    inspectors = models.CharField(_("检查人员"), max_length=200)
    version = models.ForeignKey(
        "hazards.ChecklistVersion",
        verbose_name=_("检查清单（版本）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("检查情况"), blank=True)
    notice_no = models.CharField(_("整改通知单编号"), max_length=40, blank=True)
    plan = models.OneToOneField(
        "hazards.InspectionPlan",
        verbose_name=_("检查计划"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspection",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("检查")
        verbose_name_plural = _("检查")
        ordering = ["-inspected_on", "-id"]
        indexes = [
            models.Index(fields=["kind", "inspected_on"]),
            models.Index(fields=["enterprise", "inspected_on"]),
        ]

    def __str__(self):
        return f"{self.inspected_on:%Y-%m-%d} {self.get_kind_display()} · {self.enterprise}"

    @property
    def by_supervisor(self) -> bool:
        return self.kind in SUPERVISOR_INSPECTIONS

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class InspectionResult(models.Model):
    """The finding on one checklist item (or an extra finding without an item)."""

    scope_spec = ScopeSpec(
        org_paths=("inspection__enterprise__unit__path",), enterprise="inspection__enterprise_id"
    )

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(
        "hazards.ChecklistItem", verbose_name=_("检查项"), null=True, blank=True, on_delete=models.PROTECT
    )
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    location = models.CharField(_("部位"), max_length=120, blank=True)
    note = models.CharField(_("情况说明"), max_length=500, blank=True)
    hazard = models.OneToOneField(
        "hazards.Hazard", null=True, blank=True, on_delete=models.SET_NULL, related_name="inspection_result"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["inspection", "item__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"],
                condition=models.Q(item__isnull=False),
                name="result_once_per_item",
            )
        ]

    def __str__(self):
        return f"{self.item or '其他'}：{self.get_outcome_display()}"


class InspectionPlan(models.Model):
    """A unit schedules an inspection of one of its enterprises: who, when, which checklist."""

    scope_spec = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("计划单位"),
        on_delete=models.PROTECT,
        related_name="inspection_plans",
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("检查企业"),
        on_delete=models.PROTECT,
        related_name="inspection_plans",
    )
    kind = models.CharField(_("检查类型"), max_length=20, choices=InspectionKind.choices)
    planned_on = models.DateField(_("计划日期"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspection_plans",
    )
    template = models.ForeignKey(
        "hazards.ChecklistTemplate",
        verbose_name=_("检查清单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    cancelled = models.BooleanField(_("已取消"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")
        ordering = ["planned_on", "id"]

    def __str__(self):
        return f"{self.planned_on:%Y-%m-%d} {self.enterprise}"

    def status_on(self, today: datetime.date) -> str:
        done = getattr(self, "inspection", None)
        if self.cancelled:
            return "已取消"
        if done is not None and done.is_done:
            return "已完成"
        return "已逾期" if self.planned_on < today else "待检查"
