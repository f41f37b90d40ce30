"""Writes for the 持续改进清单 (its own small workflow, see workflow.IMPROVEMENT) and 回头看 reports."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anbiao.core import audit, files
from anbiao.core.models import EvidenceFile
from anbiao.core.scope import Scope
from anbiao.standards import workflow
from anbiao.standards.choices import AssessmentStatus, ImprovementSource
from anbiao.standards.models import ImprovementItem, LookbackReport, SelfAssessment
from anbiao.standards.services.common import actor_name, event, not_future, org_path_of, require

ITEM_FIELDS = ["problem", "measure", "responsible_name", "responsible_user", "found_on", "deadline", "source"]


def _audit(actor, action, obj, before=None, after=None):
    audit.record(
        actor=actor,
        action=f"standards.{action}",
        obj=obj,
        org_path=org_path_of(obj),
        enterprise_id=obj.enterprise_id,
        before=before,
        after=after,
    )


def _same_person(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


@transaction.atomic
def improvement_create(
    *,
    actor,
    scope: Scope,
    data: dict,
    enterprise=None,
    organization=None,
    assessment: SelfAssessment | None = None,
    entry=None,
    lookback: LookbackReport | None = None,
) -> ImprovementItem:
    owner = enterprise or organization
    require(scope, "standards.improve", owner)
    if entry is not None:
        assessment = entry.assessment
    if assessment is not None:
        if assessment.enterprise_id != getattr(enterprise, "pk", None):
            raise ValidationError("自评与企业不一致。")
        if (
            entry is not None
            and ImprovementItem.objects.filter(entry=entry).exclude(status="cancelled").exists()
        ):
            raise ValidationError("该扣分项已列入持续改进清单。")
    if lookback is not None and (lookback.enterprise_id, lookback.organization_id) != (
        getattr(enterprise, "pk", None),
        getattr(organization, "pk", None),
    ):
        raise ValidationError("回头看报告与所属单位不一致。")
    fields = {k: v for k, v in data.items() if k in ITEM_FIELDS}
    fields.setdefault("found_on", timezone.localdate())
    fields.setdefault(
        "source",
        ImprovementSource.SELF_ASSESSMENT
        if assessment
        else ImprovementSource.LOOKBACK
        if lookback
        else ImprovementSource.OTHER,
    )
    item = ImprovementItem(
        enterprise=enterprise,
        organization=organization,
        assessment=assessment,
        entry=entry,
        lookback=lookback,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
    item.full_clean()
    not_future(item.found_on, "found_on", "发现日期")
    item.backdated = item.found_on < timezone.localdate()
    item.save()
    event(owner_obj=item, action="create", label="列入持续改进清单", actor=actor, happened_on=item.found_on)
    _audit(actor, "improvement_create", item, after=audit.snapshot(item, ITEM_FIELDS))
    return item


@transaction.atomic
def improvements_from_assessment(
    *, actor, scope: Scope, assessment: SelfAssessment, responsible_name: str, deadline: datetime.date
) -> list[ImprovementItem]:
    """One improvement item for every deduction or failed veto item that has none yet."""
    if assessment.status == AssessmentStatus.DRAFT:
        raise ValidationError("自评提交后才能生成持续改进清单。")
    entries = (
        assessment.entries.select_related("item")
        .filter(applicable=True)
        .exclude(deduction=0, veto_failed=False)
        .exclude(improvements__status__in=["open", "done", "accepted"])
    )
    created = []
    for e in entries:
        problem = f"{e.item.code} {e.item.title}：{e.reason or '否决项不符合'}"
        created.append(
            improvement_create(
                actor=actor,
                scope=scope,
                enterprise=assessment.enterprise,
                entry=e,
                data={
                    "problem": problem[:2000],
                    "measure": f"对照评分标准整改：{e.item.scoring_rule}"[:2000] or "对照评分标准整改。",
                    "responsible_name": responsible_name,
                    "deadline": deadline,
                    "found_on": assessment.assessed_on or timezone.localdate(),
                },
            )
        )
    if not created:
        raise ValidationError("没有尚未列入清单的扣分项。")
    return created


def _move(item: ImprovementItem, action: str, scope: Scope):
    """Lock the row, then look the move up from its current status (an illegal move raises)."""
    locked = (
        ImprovementItem.objects.select_for_update(of=("self",))
        .select_related("enterprise__unit", "organization")
        .get(pk=item.pk)
    )
    move = workflow.find(workflow.IMPROVEMENT, locked.status, action)
    require(scope, move.perm, locked)
    return move, locked


@transaction.atomic
def improvement_complete(
    *, actor, scope: Scope, item: ImprovementItem, completed_on: datetime.date, note: str, photo=None
) -> ImprovementItem:
    move, it = _move(item, "complete", scope)
    if not note.strip():
        raise ValidationError({"completion_note": "请填写整改情况。"})
    not_future(completed_on, "completed_on", "完成日期")
    if completed_on < it.found_on:
        raise ValidationError({"completed_on": "完成日期不能早于发现日期。"})
    it.status, it.completed_on, it.completion_note = move.target, completed_on, note.strip()
    it.save()
    if photo:
        files.store(
            actor=actor,
            upload=photo,
            enterprise=it.enterprise,
            organization=it.organization if not it.enterprise_id else None,
            owner=it,
            kind=EvidenceFile.Kind.PHOTO,
            title=f"整改完成 {completed_on}",
        )
    event(
        owner_obj=it,
        action="complete",
        label="报告整改完成",
        actor=actor,
        happened_on=completed_on,
        note=note,
    )
    _audit(
        actor,
        "improvement_complete",
        it,
        {"status": move.source},
        {"status": it.status, "completed_on": completed_on},
    )
    return it


@transaction.atomic
def improvement_accept(
    *,
    actor,
    scope: Scope,
    item: ImprovementItem,
    accepted_on: datetime.date,
    acceptor_name: str,
    note: str = "",
) -> ImprovementItem:
    """验收: the acceptor must not be the responsible person (by account and by name)."""
    move, it = _move(item, "accept", scope)
    acceptor_name = (acceptor_name or actor_name(actor)).strip()
    if (it.responsible_user_id and it.responsible_user_id == getattr(actor, "pk", None)) or _same_person(
        acceptor_name, it.responsible_name
    ):
        raise ValidationError({"acceptor_name": "验收人不能是整改责任人。"})
    not_future(accepted_on, "accepted_on", "验收日期")
    if it.completed_on and accepted_on < it.completed_on:
        raise ValidationError({"accepted_on": "验收日期不能早于完成日期。"})
    it.status, it.accepted_on, it.acceptor_name = move.target, accepted_on, acceptor_name
    it.accepted_by = actor if getattr(actor, "pk", None) else None
    it.acceptance_note = note.strip()
    it.save()
    event(
        owner_obj=it,
        action="accept",
        label=f"验收通过（{acceptor_name}）",
        actor=actor,
        happened_on=accepted_on,
        note=note,
    )
    _audit(
        actor,
        "improvement_accept",
        it,
        {"status": move.source},
        {"status": it.status, "acceptor": acceptor_name},
    )
    return it


@transaction.atomic
def improvement_reject(*, actor, scope: Scope, item: ImprovementItem, note: str) -> ImprovementItem:
    move, it = _move(item, "reject", scope)
    if not note.strip():
        raise ValidationError({"acceptance_note": "请填写验收不通过的原因。"})
    it.status, it.completed_on = move.target, None
    it.acceptance_note = note.strip()
    it.save()
    event(owner_obj=it, action="reject", label="验收不通过，退回整改", actor=actor, note=note)
    _audit(actor, "improvement_reject", it, {"status": move.source}, {"status": it.status, "note": note})
    return it


@transaction.atomic
def improvement_cancel(*, actor, scope: Scope, item: ImprovementItem, note: str) -> ImprovementItem:
    move, it = _move(item, "cancel", scope)
    if not note.strip():
        raise ValidationError({"acceptance_note": "请填写撤销原因。"})
    it.status = move.target
    it.save()
    event(owner_obj=it, action="cancel", label="撤销", actor=actor, note=note)
    _audit(actor, "improvement_cancel", it, {"status": move.source}, {"status": it.status, "note": note})
    return it


def improvement_perform(*, actor, scope: Scope, item: ImprovementItem, action: str, data: dict):
    today = timezone.localdate()
    if action == "complete":
        return improvement_complete(
            actor=actor,
            scope=scope,
            item=item,
            completed_on=data.get("completed_on") or today,
            note=data.get("note", ""),
            photo=data.get("photo"),
        )
    if action == "accept":
        return improvement_accept(
            actor=actor,
            scope=scope,
            item=item,
            accepted_on=data.get("accepted_on") or today,
            acceptor_name=data.get("acceptor_name", ""),
            note=data.get("note", ""),
        )
    if action == "reject":
        return improvement_reject(actor=actor, scope=scope, item=item, note=data.get("note", ""))
    if action == "cancel":
        return improvement_cancel(actor=actor, scope=scope, item=item, note=data.get("note", ""))
    raise workflow.WorkflowError(f"未知操作：{action}")


# --- 回头看 评估报告 --------------------------------------------------------------------------------------
@transaction.atomic
def lookback_create(
    *, actor, scope: Scope, data: dict, enterprise=None, organization=None, document=None
) -> LookbackReport:
    owner = enterprise or organization
    require(scope, "standards.improve", owner)
    report = LookbackReport(
        enterprise=enterprise,
        organization=organization,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        **{k: data[k] for k in ("title", "period_start", "reported_on", "signed_by", "summary") if k in data},
    )
    report.full_clean()
    not_future(report.reported_on, "reported_on", "报告日期")
    if report.period_start >= report.reported_on:
        raise ValidationError({"period_start": "评估起始须早于报告日期。"})
    report.backdated = report.reported_on < timezone.localdate()
    report.save()
    if document:
        report.document = files.store(
            actor=actor,
            upload=document,
            enterprise=enterprise,
            organization=organization if enterprise is None else None,
            owner=report,
            kind=EvidenceFile.Kind.DOCUMENT,
            title=report.title,
        )
        report.save(update_fields=["document"])
    _audit(
        actor,
        "lookback_create",
        report,
        after=audit.snapshot(report, ["title", "period_start", "reported_on", "signed_by"]),
    )
    return report
