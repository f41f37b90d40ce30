"""What a unit files: its adjustments to computed cells, and its submissions with every version frozen.

A ``Submission`` is the one record per unit and quarter (a unique constraint says so); each time the unit
submits, a ``SubmissionVersion`` freezes the figures, the computed values, the adjustments and the ids of the
rows behind every cell. Later edits to records never change a version; recomputing shows the difference.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.core.scope import ScopedManager, ScopeSpec
from anbiao.reports.choices import Decision, SubmissionStatus

USER = settings.AUTH_USER_MODEL


class Adjustment(models.Model):
    """A change a unit makes to one computed cell of one quarter, because the records cannot know it."""

    scope_spec = ScopeSpec(org_paths=("unit__path",))

    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="+"
    )
    quarter = models.CharField(_("季度"), max_length=6)
    cell_key = models.CharField(_("栏目"), max_length=60)
    delta = models.DecimalField(_("调整值"), max_digits=14, decimal_places=4)
    reason = models.CharField(_("原因"), max_length=500)
    evidence = models.ForeignKey(
        "core.EvidenceFile",
        verbose_name=_("佐证材料"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("报表调整")
        verbose_name_plural = _("报表调整")
        ordering = ["quarter", "cell_key", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "quarter", "cell_key"], name="reports_one_adjustment")
        ]

    def __str__(self):
        return f"{self.quarter} {self.cell_key} {self.delta:+}"


class Submission(models.Model):
    """A unit's quarterly report to its supervising unit: one per unit and quarter."""

    scope_spec = ScopeSpec(org_paths=("unit__path",))

    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="+"
    )
    quarter = models.CharField(_("季度"), max_length=6)
    status = models.CharField(_("状态"), max_length=10, choices=SubmissionStatus.choices)
    version_count = models.PositiveSmallIntegerField(_("报送次数"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("季度报表报送")
        verbose_name_plural = _("季度报表报送")
        ordering = ["-quarter", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "quarter"], name="reports_one_submission_per_quarter")
        ]
        indexes = [models.Index(fields=["quarter", "status"])]

    def __str__(self):
        return f"{self.unit} {self.quarter}"


class SubmissionVersion(models.Model):
    """One submission of the figures, frozen; the supervising unit's decision on it."""

    scope_spec = ScopeSpec(org_paths=("submission__unit__path",))

    submission = models.ForeignKey(
        Submission, verbose_name=_("报送"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("第几次报送"))
    values = models.JSONField(_("报送数值"), encoder=DjangoJSONEncoder)
    computed = models.JSONField(_("计算数值"), encoder=DjangoJSONEncoder)
    adjustments = models.JSONField(_("调整"), encoder=DjangoJSONEncoder, default=list)
    row_ids = models.JSONField(_("各栏目的记录编号"), default=dict)
    filler_name = models.CharField(_("填表人"), max_length=50)
    filler_phone = models.CharField(_("联系电话"), max_length=30)
    note = models.CharField(_("报送说明"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        USER, verbose_name=_("报送人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"))
    decision = models.CharField(_("审核结果"), max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        USER, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.CharField(_("退回原因"), max_length=500, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("报送版本")
        verbose_name_plural = _("报送版本")
        ordering = ["submission_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="reports_one_version_number")
        ]

    def __str__(self):
        return f"{self.submission} 第{self.number}次报送"
