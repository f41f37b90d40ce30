"""事故隐患内部报告奖励: the enterprise's mechanism and channel, anonymous reports, verification, rewards."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anbiao.core import audit, files
from anbiao.core.models import EvidenceFile
from anbiao.core.scope import Scope
from anbiao.hazards.choices import ReportStatus, Source
from anbiao.hazards.models import InternalReport, ReportingChannel
from anbiao.hazards.services.common import record, require
from anbiao.hazards.services.hazards import hazard_register


@transaction.atomic
def channel_save(*, actor, scope: Scope, enterprise, data: dict, document=None) -> ReportingChannel:
    """Set up or change the mechanism: 制度 date, 奖励办法, 制度文件, whether reports are accepted."""
    require(scope, "internal_report.handle", enterprise)
    channel, _ = ReportingChannel.objects.get_or_create(enterprise=enterprise)
    before = audit.snapshot(channel)
    for name in ("is_open", "established_on", "rule"):
        if name in data:
            setattr(channel, name, data[name])
    if channel.established_on and channel.established_on > timezone.localdate():
        raise ValidationError({"established_on": "制度建立日期不能晚于今天。"})
    if document is not None:
        channel.document = files.store(
            actor=actor, upload=document, enterprise=enterprise, owner=channel, title="内部报告奖励制度"
        )
    channel.full_clean()
    channel.save()
    record(actor, "channel_save", channel, enterprise, before=before, after=audit.snapshot(channel))
    return channel


@transaction.atomic
def report_submit(*, channel: ReportingChannel, data: dict, photo=None) -> InternalReport:
    """An employee's report through the public link (no account). Rate limits are applied by the view."""
    if not channel.is_open:
        raise ValidationError("该企业暂未开放内部报告。")
    report = InternalReport(enterprise=channel.enterprise, **data)
    report.full_clean()
    report.save()
    if photo is not None:
        files.store(
            actor=None,
            upload=photo,
            enterprise=channel.enterprise,
            owner=report,
            kind=EvidenceFile.Kind.PHOTO,
            title="报告照片",
            images_only=True,
        )
    record(None, "report_submit", report, channel.enterprise, after={"location": report.location})
    return report


def _require_new(report: InternalReport) -> None:
    if report.status != ReportStatus.NEW:
        raise ValidationError("该报告已核实处理。")


@transaction.atomic
def report_verify(*, actor, scope: Scope, report: InternalReport, data: dict) -> InternalReport:
    """属实: the report becomes a normal hazard (source 内部报告) with its photo."""
    require(scope, "internal_report.handle", report)
    report = InternalReport.objects.select_for_update().get(pk=report.pk)
    _require_new(report)
    hazard = hazard_register(
        actor=actor,
        scope=scope,
        enterprise=report.enterprise,
        data={
            "source": Source.INTERNAL,
            "kind": data["kind"],
            "location": report.location,
            "description": report.description,
            "found_on": timezone.localdate(report.received_at),
            "found_by_name": report.reporter_name or "匿名职工",
            "level": data.get("level", ""),
            "level_reason": data.get("level_reason", ""),
        },
    )
    EvidenceFile.objects.filter(owner_type="hazards.internalreport", owner_id=str(report.pk)).update(
        owner_type="hazards.hazard", owner_id=str(hazard.pk), title="整改前"
    )
    report.status = ReportStatus.VERIFIED
    report.hazard = hazard
    report.handled_on = timezone.localdate()
    report.handled_by = actor if getattr(actor, "pk", None) else None
    report.save()
    record(actor, "report_verify", report, report.enterprise, after={"hazard": hazard.code})
    return report


@transaction.atomic
def report_reject(*, actor, scope: Scope, report: InternalReport, reason: str) -> InternalReport:
    require(scope, "internal_report.handle", report)
    _require_new(report)
    if not reason.strip():
        raise ValidationError({"reason": "请填写不属实的原因。"})
    report.status = ReportStatus.REJECTED
    report.reject_reason = reason.strip()[:300]
    report.handled_on = timezone.localdate()
    report.handled_by = actor if getattr(actor, "pk", None) else None
    report.save()
    record(actor, "report_reject", report, report.enterprise, after={"reason": report.reject_reason})
    return report


@transaction.atomic
def report_reward(
    *, actor, scope: Scope, report: InternalReport, amount: Decimal, paid_on: datetime.date, paid_by: str
) -> InternalReport:
    """兑现奖励 for a verified report."""
    require(scope, "internal_report.handle", report)
    if report.status != ReportStatus.VERIFIED:
        raise ValidationError("只有核实属实的报告可以兑现奖励。")
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = "奖励金额须大于 0。"
    if not paid_on:
        errors["paid_on"] = "请填写兑现日期。"
    elif paid_on > timezone.localdate() or paid_on < timezone.localdate(report.received_at):
        errors["paid_on"] = "兑现日期须在报告日期与今天之间。"
    if not paid_by.strip():
        errors["paid_by"] = "请填写经办人。"
    if errors:
        raise ValidationError(errors)
    before = {"reward_amount": report.reward_amount, "reward_paid_on": report.reward_paid_on}
    report.reward_amount = amount
    report.reward_paid_on = paid_on
    report.reward_paid_by = paid_by.strip()[:50]
    report.save()
    record(
        actor,
        "report_reward",
        report,
        report.enterprise,
        before=before,
        after={"reward_amount": amount, "reward_paid_on": paid_on},
    )
    return report
