"""Writes for the enterprise overall 四色 grade: recompute for a scope, supervisor override.

The colour itself is a pure function (``scoring.grade``) of the rule rows over
``registry.enterprise_facts(...)``; this module keeps its dated history in ``EnterpriseGrade``.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anbiao.core import audit, registry
from anbiao.core.scope import Scope
from anbiao.orgs.models import Enterprise
from anbiao.orgs.selectors import enterprise_states_on
from anbiao.risks import scoring, selectors
from anbiao.risks.choices import COLOUR_NAME, GradeSource, Level
from anbiao.risks.models import EnterpriseGrade, GradeRuleSet


def compute(enterprise_ids, on: datetime.date, rule_set: GradeRuleSet | None = None):
    """{enterprise id: (GradeResult, facts)} on ``on`` with the rule set in force then."""
    rule_set = rule_set or selectors.rule_set_on(on)
    specs = selectors.rule_specs(rule_set)
    facts = registry.enterprise_facts(enterprise_ids, on)
    return rule_set, {pk: (scoring.grade(f, specs, rule_set.default_level), f) for pk, f in facts.items()}


def _open(enterprise_id, on, **fields) -> EnterpriseGrade:
    return EnterpriseGrade.objects.create(enterprise_id=enterprise_id, valid_from=on, **fields)


def _close(current: EnterpriseGrade, on: datetime.date) -> None:
    if current.valid_from >= on:
        current.delete()
    else:
        current.valid_to = on
        current.save(update_fields=["valid_to"])


@transaction.atomic
def grades_recompute(*, actor, scope: Scope, on: datetime.date | None = None, enterprises=None) -> Counter:
    """Recompute the grade of every operating enterprise in the scope on ``on`` (default today).

    A new dated row opens only where the colour or its reasons changed; an override stands until its expiry.
    Enterprises whose last change is later than ``on`` are skipped (history is never rewritten backwards).
    Returns counts: changed, unchanged, skipped, closed.
    """
    if not scope.has_perm("grade.recompute"):
        raise PermissionDenied("没有权限重新计算企业四色等级。")
    on = on or timezone.localdate()
    visible = Enterprise.objects.visible_to(scope, "grade.recompute")
    if enterprises is not None:
        visible = visible.filter(pk__in=[e.pk for e in enterprises])
    # One recomputation of an enterprise at a time (each hazard or accident recorded triggers one after its
    # commit): its row is locked until this transaction ends, in id order so two runs cannot deadlock.
    list(visible.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
    states = enterprise_states_on(scope=scope, on=on).filter(enterprise__in=visible)
    operating = {s.enterprise_id for s in states if s.status == "operating"}
    current = {
        g.enterprise_id: g
        for g in EnterpriseGrade.objects.filter(enterprise__in=visible, valid_to__isnull=True).select_related(
            "enterprise__unit"
        )
    }
    counts: Counter = Counter()
    # Enterprises closed (or not yet registered) on ``on`` lose their colour from that day.
    for pk, g in current.items():
        if pk not in operating and g.valid_from < on:
            _close(g, on)
            audit.record(
                actor=actor,
                action="risks.grade_close",
                obj=g,
                object_repr=f"{g.enterprise.name} 不再在营，四色等级截止 {on}",
                org_path=g.enterprise.unit.path,
                enterprise_id=pk,
                before={"level": g.level},
                after={"valid_to": on},
            )
            counts["closed"] += 1
    rule_set, results = compute(sorted(operating), on)
    units = dict(visible.filter(pk__in=operating).values_list("pk", "unit__path"))
    for pk, (result, facts) in results.items():
        g = current.get(pk)
        if g is not None and g.valid_from > on:
            counts["skipped"] += 1
            continue
        if g is not None and g.source == GradeSource.OVERRIDE and g.override_until and g.override_until >= on:
            if g.computed_level != result.level:
                g.computed_level, g.facts = result.level, facts
                g.save(update_fields=["computed_level", "facts"])
            counts["unchanged"] += 1
            continue
        if (
            g is not None
            and g.source == GradeSource.COMPUTED
            and g.level == result.level
            and g.reasons == result.reasons
        ):
            counts["unchanged"] += 1
            continue
        before = {"level": g.level, "reasons": g.reasons, "source": g.source} if g else None
        start = on
        if g is not None and g.source == GradeSource.OVERRIDE and g.override_until and g.override_until < on:
            start = max(g.valid_from, g.override_until + datetime.timedelta(days=1))
            if start > g.valid_from:
                _close(g, start)
            else:
                g.delete()
        elif g is not None:
            _close(g, on)
        row = _open(
            pk,
            start,
            level=result.level,
            computed_level=result.level,
            source=GradeSource.COMPUTED,
            reasons=result.reasons,
            facts=facts,
            rule_set=rule_set,
            set_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor=actor,
            action="risks.grade_compute",
            obj=row,
            object_repr=f"企业{pk} 四色等级 {result.summary}",
            org_path=units.get(pk, ""),
            enterprise_id=pk,
            before=before,
            after={"level": row.level, "reasons": row.reasons, "valid_from": row.valid_from},
        )
        counts["changed"] += 1
    return counts


@transaction.atomic
def grade_override(
    *,
    actor,
    scope: Scope,
    enterprise: Enterprise,
    level: str,
    reason: str,
    until: datetime.date,
    on: datetime.date | None = None,
) -> EnterpriseGrade:
    """A supervisor sets a different colour with a reason, until a date; afterwards the rules apply again."""
    if not scope.can("grade.override", enterprise):
        raise PermissionDenied("没有权限调整企业四色等级。")
    on = on or timezone.localdate()
    errors = {}
    if level not in Level.values:
        errors["level"] = "请选择四色等级。"
    if not reason.strip():
        errors["reason"] = "请填写调整理由。"
    if until is None or until < on:
        errors["until"] = "调整有效期须不早于今天。"
    elif until > on + datetime.timedelta(days=366):
        errors["until"] = "调整有效期最长一年，到期后按规则重新评定。"
    if errors:
        raise ValidationError(errors)
    current = (
        EnterpriseGrade.objects.select_for_update()
        .filter(enterprise=enterprise, valid_to__isnull=True)
        .first()
    )
    if current is not None and current.valid_from > on:
        raise ValidationError(
            {"until": f"该企业的四色等级在 {current.valid_from} 已有变更，不能早于该日期调整。"}
        )
    rule_set, results = compute([enterprise.pk], on)
    result, facts = results[enterprise.pk]
    before = {"level": current.level, "source": current.source} if current else None
    if current is not None:
        _close(current, on)
    row = _open(
        enterprise.pk,
        on,
        level=level,
        computed_level=result.level,
        source=GradeSource.OVERRIDE,
        reasons=result.reasons,
        facts=facts,
        rule_set=rule_set,
        override_reason=reason.strip(),
        override_until=until,
        set_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor,
        action="risks.grade_override",
        obj=row,
        object_repr=f"{enterprise.name} 四色等级调整为{COLOUR_NAME[level]}",
        org_path=enterprise.unit.path,
        enterprise_id=enterprise.pk,
        before=before,
        after={"level": level, "reason": reason, "until": until, "computed_level": result.level},
    )
    return row
