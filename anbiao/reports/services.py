"""Writes for the quarterly tables: adjustments, submission (freezing the figures), return and accept.

Each write checks the permission on the unit, validates, writes and records an audit event in one
transaction. A submitted or accepted quarter is locked: its adjustments cannot change until it is returned.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from anbiao.core import audit, files
from anbiao.core.models import EvidenceFile
from anbiao.core.scope import Scope
from anbiao.reports import figures
from anbiao.reports.cells import CELLS
from anbiao.reports.choices import Decision, SubmissionStatus
from anbiao.reports.context import Quarter, ReportContext
from anbiao.reports.models import Adjustment, Submission, SubmissionVersion

LOCKED = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


def _require(scope: Scope, perm: str, unit) -> None:
    if not scope.can(perm, unit):
        raise PermissionDenied("没有权限执行此操作。")


def _finished(quarter: Quarter) -> None:
    if not quarter.is_finished(timezone.localdate()):
        raise ValidationError({"quarter": "只能填报已结束的季度。"})


def is_locked(unit, quarter: Quarter) -> bool:
    return Submission.objects.filter(unit=unit, quarter=quarter.code, status__in=LOCKED).exists()


def _unlocked(unit, quarter: Quarter) -> None:
    if is_locked(unit, quarter):
        raise ValidationError("该季度报表已报送，不能再修改调整；如需修改，请联系上级单位退回。")


def parse_delta(raw, cell_key: str) -> Decimal:
    """The adjustment as a number; whole numbers for cells that count (only 金额 may have decimals)."""
    try:
        delta = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"delta": "调整值须为数字，例如 2 或 -1。"}) from None
    if not delta.is_finite():
        raise ValidationError({"delta": "调整值须为数字，例如 2 或 -1。"})
    if delta == 0:
        raise ValidationError({"delta": "调整值不能为 0；不需要调整时请删除调整。"})
    decimals = CELLS[cell_key].extra.get("decimals", 0)
    if delta != delta.quantize(Decimal(1).scaleb(-decimals)) or abs(delta) >= Decimal(10) ** 9:
        if decimals:
            raise ValidationError({"delta": f"调整值最多保留 {decimals} 位小数。"})
        raise ValidationError({"delta": "该栏目计数，调整值须为整数。"})
    return delta


@transaction.atomic
def adjustment_save(
    *, actor, scope: Scope, unit, quarter: Quarter, cell_key: str, delta, reason: str, evidence=None
) -> Adjustment:
    """Enter (or replace) the unit's adjustment to one cell of one quarter, with a reason and evidence."""
    _require(scope, "report.adjust", unit)
    if cell_key not in CELLS:
        raise ValidationError({"cell_key": "没有这个报表栏目。"})
    _finished(quarter)
    _unlocked(unit, quarter)
    amount = parse_delta(delta, cell_key)
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": "请写明调整原因（至少 4 个字），例如记录无法反映的具体情况。"})
    adjustment = Adjustment.objects.filter(unit=unit, quarter=quarter.code, cell_key=cell_key).first()
    before = audit.snapshot(adjustment) if adjustment else None
    if adjustment is None:
        adjustment = Adjustment(unit=unit, quarter=quarter.code, cell_key=cell_key)
    adjustment.delta = amount
    adjustment.reason = reason[:500]
    adjustment.recorded_by = actor if getattr(actor, "pk", None) else None
    if evidence is not None:
        try:
            adjustment.evidence = files.store(
                actor=actor,
                upload=evidence,
                organization=unit,
                kind=EvidenceFile.Kind.DOCUMENT,
                title=f"{quarter.label}报表调整佐证：{cell_key}",
            )
        except ValidationError as exc:
            raise ValidationError({"evidence": exc.messages}) from exc
    elif adjustment.evidence_id is None:
        raise ValidationError({"evidence": "请上传佐证材料（照片、PDF、Word 或 Excel）。"})
    adjustment.save()
    audit.record(
        actor=actor,
        action="reports.adjustment_save",
        obj=adjustment,
        org_path=unit.path,
        before=before,
        after=audit.snapshot(adjustment),
    )
    return adjustment


@transaction.atomic
def adjustment_delete(*, actor, scope: Scope, adjustment: Adjustment) -> None:
    _require(scope, "report.adjust", adjustment.unit)
    _unlocked(adjustment.unit, Quarter.parse(adjustment.quarter))
    audit.record(
        actor=actor,
        action="reports.adjustment_delete",
        obj=adjustment,
        org_path=adjustment.unit.path,
        before=audit.snapshot(adjustment),
    )
    adjustment.delete()


def _adjustment_rows(adjustments) -> list[dict]:
    return [
        {
            "unit": a.unit.name,
            "unit_id": a.unit_id,
            "cell_key": a.cell_key,
            "delta": a.delta,
            "reason": a.reason,
            "evidence_id": str(a.evidence_id) if a.evidence_id else "",
        }
        for a in adjustments
    ]


@transaction.atomic
def submit(
    *, actor, scope: Scope, unit, quarter: Quarter, filler_name: str, filler_phone: str, note: str = ""
) -> SubmissionVersion:
    """Freeze the unit's figures for the quarter (values, computed values, adjustments, row ids)."""
    _require(scope, "report.submit", unit)
    _finished(quarter)
    errors = {}
    if not (filler_name or "").strip():
        errors["filler_name"] = "请填写填表人。"
    if not (filler_phone or "").strip():
        errors["filler_phone"] = "请填写联系电话。"
    if errors:
        raise ValidationError(errors)
    submission = Submission.objects.select_for_update().filter(unit=unit, quarter=quarter.code).first()
    if submission is not None and submission.status in LOCKED:
        raise ValidationError("该季度报表已报送，不能重复报送；如需更正，请联系上级单位退回。")
    if submission is None:
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    unit=unit, quarter=quarter.code, status=SubmissionStatus.SUBMITTED
                )
        except IntegrityError:
            raise ValidationError("该季度报表已由他人报送，请刷新页面查看。") from None
    before = audit.snapshot(submission)
    ctx = ReportContext(scope=scope, unit=unit, as_of=quarter.end)
    live = figures.live(ctx)
    submission.version_count += 1
    submission.status = SubmissionStatus.SUBMITTED
    submission.save()
    version = SubmissionVersion.objects.create(
        submission=submission,
        number=submission.version_count,
        values=live.values,
        computed=live.computed,
        adjustments=_adjustment_rows(live.adjustments),
        row_ids=figures.row_ids(ctx, live.computed),
        filler_name=filler_name.strip()[:50],
        filler_phone=filler_phone.strip()[:30],
        note=(note or "").strip()[:500],
        submitted_by=actor if getattr(actor, "pk", None) else None,
        submitted_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="reports.submit",
        obj=submission,
        org_path=unit.path,
        before=before,
        after={**audit.snapshot(submission), "version": version.number},
    )
    return version


def can_review(scope: Scope, unit) -> bool:
    """The supervising unit reviews: the reviewer must hold the permission on the unit's parent."""
    return unit.parent_id is not None and scope.can("report.review", unit.parent)


@transaction.atomic
def review(*, actor, scope: Scope, submission: Submission, verb: str, reason: str = "") -> SubmissionVersion:
    """Accept the latest version, or return it with a reason (the unit then corrects and submits again)."""
    submission = (
        Submission.objects.select_for_update(of=("self",)).select_related("unit").get(pk=submission.pk)
    )
    if not can_review(scope, submission.unit):
        raise PermissionDenied("只有上级单位可以签收或退回报表。")
    if verb not in ("accept", "return"):
        raise ValidationError("未知的审核操作。")
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(f"报表当前状态为“{submission.get_status_display()}”，不能{_verb_label(verb)}。")
    reason = (reason or "").strip()
    if verb == "return" and not reason:
        raise ValidationError({"reason": "退回须填写原因。"})
    before = audit.snapshot(submission)
    version = submission.versions.order_by("-number").first()
    version.decision = Decision.ACCEPTED if verb == "accept" else Decision.RETURNED
    version.decided_by = actor if getattr(actor, "pk", None) else None
    version.decided_at = timezone.now()
    version.reason = reason[:500]
    version.save()
    submission.status = SubmissionStatus.ACCEPTED if verb == "accept" else SubmissionStatus.RETURNED
    submission.save()
    audit.record(
        actor=actor,
        action=f"reports.{verb}",
        obj=submission,
        org_path=submission.unit.path,
        before=before,
        after={**audit.snapshot(submission), "reason": reason},
    )
    return version


def _verb_label(verb: str) -> str:
    return {"accept": "签收", "return": "退回"}[verb]
