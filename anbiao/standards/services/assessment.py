"""Writes for self-assessments: create, edit the header, score entries (step by step), submit, announce,
return. A submitted assessment is locked: every write below refuses it unless it is a draft."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anbiao.core import audit, registry
from anbiao.core.scope import Scope
from anbiao.standards import scoring, selectors, workflow
from anbiao.standards.choices import AssessmentStatus, ItemLevel, RuleKind
from anbiao.standards.models import AssessmentEntry, SelfAssessment, Standard, StandardItem
from anbiao.standards.services.common import actor_name, event, not_future, require

HEADER_FIELDS = ["leader_name", "team_members", "method", "started_on"]


def _audit(actor, action, a: SelfAssessment, before=None, after=None):
    audit.record(
        actor=actor,
        action=f"standards.{action}",
        obj=a,
        org_path=a.enterprise.unit.path,
        enterprise_id=a.enterprise_id,
        before=before,
        after=after,
    )


def _locked_check(a: SelfAssessment) -> None:
    if a.status != AssessmentStatus.DRAFT:
        raise ValidationError("该自评已提交锁定，不能修改。")


@transaction.atomic
def assessment_create(
    *,
    actor,
    scope: Scope,
    enterprise,
    year: int,
    leader_name: str,
    started_on: datetime.date,
    standard: Standard | None = None,
    team_members: str = "",
    method: str = "",
) -> SelfAssessment:
    require(scope, "standards.assess", enterprise)
    standard = standard or selectors.standard_for(enterprise)
    if standard is None:
        raise ValidationError({"standard": "没有适用于该企业规模的启用标准，请先选择标准。"})
    if not standard.is_active:
        raise ValidationError({"standard": "该标准已停用。"})
    if SelfAssessment.objects.filter(enterprise=enterprise, year=year).exists():
        raise ValidationError({"year": f"{year}年度已有自评记录。"})
    not_future(started_on, "started_on", "开始日期")
    a = SelfAssessment(
        enterprise=enterprise,
        standard=standard,
        year=year,
        leader_name=leader_name,
        team_members=team_members,
        method=method,
        started_on=started_on,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    a.full_clean()
    a.save()
    items = StandardItem.objects.filter(standard=standard, level=ItemLevel.CONTENT)
    AssessmentEntry.objects.bulk_create([AssessmentEntry(assessment=a, item=i) for i in items])
    recompute(a)
    event(owner_obj=a, action="create", label="开始自评", actor=actor, happened_on=started_on)
    _audit(actor, "assessment_create", a, after={"year": year, "standard": standard.code})
    return a


@transaction.atomic
def assessment_update(*, actor, scope: Scope, assessment: SelfAssessment, data: dict) -> SelfAssessment:
    require(scope, "standards.assess", assessment)
    a = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    _locked_check(a)
    before = audit.snapshot(a, HEADER_FIELDS)
    for name, value in data.items():
        if name not in HEADER_FIELDS:
            raise ValidationError(f"不能修改字段 {name}。")
        setattr(a, name, value)
    not_future(a.started_on, "started_on", "开始日期")
    a.full_clean()
    a.save()
    _audit(actor, "assessment_update", a, before, audit.snapshot(a, HEADER_FIELDS))
    return a


ENTRY_FIELDS = ("applicable", "deduction", "reason", "description", "veto_failed")


def _apply_entry(entry: AssessmentEntry, data: dict) -> None:
    for name in ENTRY_FIELDS:
        if name in data:
            setattr(entry, name, data[name])
    if not entry.applicable:
        entry.deduction = scoring.ZERO
        entry.veto_failed = False
    entry.checked = True
    entry.updated_at = timezone.now()
    if entry.deduction is not None and entry.deduction < 0:
        raise ValidationError({"deduction": "扣分不能为负数。"})
    # the entry's row already exists (one per item, created with the assessment): no uniqueness to re-check
    entry.full_clean(exclude=["assessment", "item"], validate_unique=False, validate_constraints=False)


@transaction.atomic
def entries_save(*, actor, scope: Scope, assessment: SelfAssessment, rows: dict[int, dict]) -> SelfAssessment:
    """Save several entries of one draft at once (one step of the step-by-step entry).

    ``rows`` maps entry id → fields. All are validated first; any error means none is saved, and the
    error names the item code: ValidationError({"<entry id>": [...]}).
    """
    require(scope, "standards.assess", assessment)
    a = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    _locked_check(a)
    entries = {e.pk: e for e in a.entries.select_related("item").filter(pk__in=list(rows))}
    unknown = set(rows) - set(entries)
    if unknown:
        raise ValidationError("条目不属于该自评。")
    errors: dict[str, list[str]] = {}
    changed = []
    for pk, data in rows.items():
        entry = entries[pk]
        before = {f: getattr(entry, f) for f in ENTRY_FIELDS}
        try:
            _apply_entry(entry, data)
        except ValidationError as exc:
            errors[str(pk)] = [f"{entry.item.code}：{m}" for m in exc.messages]
            continue
        changed.append((entry, before))
    if errors:
        raise ValidationError(errors)
    AssessmentEntry.objects.bulk_update([e for e, _ in changed], [*ENTRY_FIELDS, "checked", "updated_at"])
    recompute(a)
    _audit(
        actor,
        "assessment_score",
        a,
        before={e.item.code: audit.jsonable(b) for e, b in changed},
        after={e.item.code: audit.jsonable({f: getattr(e, f) for f in ENTRY_FIELDS}) for e, _ in changed},
    )
    return a


def entry_save(*, actor, scope: Scope, entry: AssessmentEntry, data: dict) -> AssessmentEntry:
    entries_save(actor=actor, scope=scope, assessment=entry.assessment, rows={entry.pk: data})
    return AssessmentEntry.objects.select_related("item").get(pk=entry.pk)


def score_of(a: SelfAssessment) -> scoring.ScoreResult:
    entries = a.entries.select_related("item__parent__parent")
    return scoring.score(
        scoring.ItemInput(
            code=e.item.code,
            element=e.item.parent.parent.code if e.item.parent and e.item.parent.parent else e.item.code,
            score=e.item.score,
            applicable=e.applicable,
            deduction=e.deduction,
            is_veto=e.item.is_veto,
            veto_failed=e.veto_failed,
        )
        for e in entries
    )


def recompute(a: SelfAssessment, *, facts: dict | None = None) -> SelfAssessment:
    """Refresh the totals and the level the score supports; with ``facts``, apply the 安全绩效 rules."""
    result = score_of(a)
    a.full_score = result.full
    a.not_applicable_score = result.not_applicable
    a.earned_score = result.earned
    a.percent = result.percent
    a.veto_failed = bool(result.veto_failed)
    standard = a.standard
    a.level_by_score = scoring.level_by_score(
        result.percent, standard.thresholds(), graded=standard.is_graded, veto_failed=a.veto_failed
    )
    reasons = [f"否决项不符合：{'、'.join(result.veto_failed)}"] if result.veto_failed else []
    level = a.level_by_score
    if facts is not None:
        ruleset = selectors.active_ruleset(RuleKind.LEVEL_CAP)
        rows = selectors.rule_rows(ruleset)
        level, cap_reasons = scoring.cap_level(level, rows, facts)
        reasons += cap_reasons
        a.ruleset = ruleset
        a.result_basis = {
            "thresholds": {str(k): str(v) for k, v in standard.thresholds().items()},
            "graded": standard.is_graded,
            "facts": audit.jsonable(facts),
            "ruleset": f"{ruleset.title} v{ruleset.version}" if ruleset else "",
        }
    a.level_supported = level
    a.level_reasons = reasons
    a.save()
    return a


@transaction.atomic
def assessment_submit(
    *, actor, scope: Scope, assessment: SelfAssessment, assessed_on: datetime.date, conclusion: str
) -> SelfAssessment:
    a = (
        SelfAssessment.objects.select_for_update()
        .select_related("standard", "enterprise__unit")
        .get(pk=assessment.pk)
    )
    move = workflow.find(workflow.ASSESSMENT, a.status, "submit")
    require(scope, move.perm, a)
    unchecked = a.entries.filter(checked=False).count()
    if unchecked:
        raise ValidationError(f"还有 {unchecked} 项考评内容未评，全部评完后才能提交。")
    if not conclusion.strip():
        raise ValidationError({"conclusion": "请填写自评结论。"})
    not_future(assessed_on, "assessed_on", "完成日期")
    a.assessed_on = assessed_on
    a.conclusion = conclusion
    a.full_clean()
    facts = registry.enterprise_facts([a.enterprise_id], assessed_on).get(a.enterprise_id, {})
    recompute(a, facts=facts)
    a.status = move.target
    a.submitted_at = timezone.now()
    a.submitted_by = actor if getattr(actor, "pk", None) else None
    a.save()
    event(owner_obj=a, action="submit", label="提交自评（锁定）", actor=actor, happened_on=assessed_on)
    _audit(
        actor,
        "assessment_submit",
        a,
        before={"status": "draft"},
        after={"status": a.status, "percent": a.percent, "level_supported": a.level_supported},
    )
    return a


@transaction.atomic
def assessment_announce(
    *, actor, scope: Scope, assessment: SelfAssessment, announced_on: datetime.date, method: str
) -> SelfAssessment:
    a = SelfAssessment.objects.select_for_update().select_related("enterprise__unit").get(pk=assessment.pk)
    move = workflow.find(workflow.ASSESSMENT, a.status, "announce")
    require(scope, move.perm, a)
    if not method.strip():
        raise ValidationError({"method": "请填写通报方式（如职工大会、信息公示栏）。"})
    not_future(announced_on, "announced_on", "通报日期")
    if a.assessed_on and announced_on < a.assessed_on:
        raise ValidationError({"announced_on": "通报日期不能早于自评完成日期。"})
    a.status, a.announced_on, a.announce_method = move.target, announced_on, method.strip()
    a.save()
    event(
        owner_obj=a,
        action="announce",
        label=f"通报：{a.announce_method}",
        actor=actor,
        happened_on=announced_on,
    )
    _audit(
        actor,
        "assessment_announce",
        a,
        {"status": move.source},
        {"status": a.status, "announced_on": announced_on},
    )
    return a


@transaction.atomic
def assessment_reopen(*, actor, scope: Scope, assessment: SelfAssessment, reason: str) -> SelfAssessment:
    a = SelfAssessment.objects.select_for_update().select_related("enterprise__unit").get(pk=assessment.pk)
    move = workflow.find(workflow.ASSESSMENT, a.status, "reopen")
    require(scope, move.perm, a)
    if not reason.strip():
        raise ValidationError({"reason": "请填写退回原因。"})
    a.status = move.target
    a.submitted_at = None
    a.save()
    event(owner_obj=a, action="reopen", label="退回修改", actor=actor, note=reason.strip())
    _audit(actor, "assessment_reopen", a, {"status": move.source}, {"status": a.status, "reason": reason})
    return a


def perform(*, actor, scope: Scope, assessment: SelfAssessment, action: str, data: dict) -> SelfAssessment:
    """Dispatch a workflow action by name (used by the page and the API)."""
    if action == "submit":
        return assessment_submit(
            actor=actor,
            scope=scope,
            assessment=assessment,
            assessed_on=data.get("assessed_on") or timezone.localdate(),
            conclusion=data.get("conclusion", ""),
        )
    if action == "announce":
        return assessment_announce(
            actor=actor,
            scope=scope,
            assessment=assessment,
            announced_on=data.get("announced_on") or timezone.localdate(),
            method=data.get("method", ""),
        )
    if action == "reopen":
        return assessment_reopen(
            actor=actor, scope=scope, assessment=assessment, reason=data.get("reason", "")
        )
    raise workflow.WorkflowError(f"未知操作：{action}")


__all__ = [
    "actor_name",
    "assessment_announce",
    "assessment_create",
    "assessment_reopen",
    "assessment_submit",
    "assessment_update",
    "entries_save",
    "entry_save",
    "perform",
    "recompute",
]
