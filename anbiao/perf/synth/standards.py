"""Standardisation records: 达标评审 grades (3-year validity, renewed back to back, a few revoked), annual
self-assessments scored item by item with ``scoring.score`` and capped by the 安全绩效 rules on the facts of
their completion day, star ratings from the star rules on the facts of the rating day, and 5S/六有 site
assessments passed by their checklist's rule.

The rule inputs are the registry's enterprise facts (``registry.enterprise_facts``), read from the rows
already written. Two facts the services read *before* their own row exists are taken from memory instead:
the enterprise's previous star rating when it is re-rated (``stars``) and its previous self-assessment score
when it submits (``self_assessment_score``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction

from anbiao.core import audit
from anbiao.perf.synth.context import Context, Ent, add_days, person_name, pick, rand_day, ri, spread
from anbiao.perf.synth.facts import enterprise_facts
from anbiao.standards import scoring, selectors
from anbiao.standards.choices import AssessmentStatus, GradeType, RuleKind, SiteKind
from anbiao.standards.models import (
    AssessmentEntry,
    GradeRecord,
    SelfAssessment,
    SiteAssessment,
    SiteResult,
    Standard,
    StandardItem,
    StandardsEvent,
    StarRating,
)
from anbiao.standards.services.records import GRADE_VALIDITY_YEARS, add_years

STAR_FROM = datetime.date(2024, 4, 1)


def build(ctx: Context) -> None:
    rng = ctx.rng("standards")
    _grades(ctx, ctx.rng("standards.grades"))
    ctx.writer.flush()
    pending = _self_assessments(ctx, ctx.rng("standards.self"))
    ctx.writer.flush()
    _stars(ctx, ctx.rng("standards.stars"))
    ctx.writer.flush()
    _settle(ctx, pending)
    _sites(ctx, rng)


def facts_on(ids: list[int], day: datetime.date) -> dict[int, dict]:
    return enterprise_facts(ids, day)


# --- 达标评审 ---------------------------------------------------------------------------------------------
def _grades(ctx: Context, rng) -> None:
    w = ctx.writer
    ctx.grade_levels = defaultdict(list)  # enterprise id → [(valid_from, valid_to, revoked_on, level)]
    for e in ctx.enterprises:
        first, last = ctx.active_span(e)
        size = e.current[3]
        if first > last or rng.random() > {"above_scale": 0.35, "medium": 0.15}.get(size, 0.06):
            continue
        if size == "above_scale":
            grade_type, level = GradeType.NATIONAL, rng.choices([1, 2, 3], [1, 4, 8])[0]
        elif rng.random() < 0.3:
            grade_type, level = GradeType.PROVINCIAL, pick(rng, [2, 3, 3])
        else:
            grade_type, level = GradeType.LOCAL, None
        certified = rand_day(rng, add_days(first, -700), last)
        valid_from = min(ctx.today, add_days(certified, ri(rng, 0, 10)))
        while True:
            valid_to = add_years(valid_from, GRADE_VALIDITY_YEARS)
            revoked = None
            if rng.random() < 0.02:
                revoked = rand_day(rng, valid_from, min(add_days(valid_to, -1), ctx.today))
            typed, backdated = ctx.entry(rng, certified)
            w.add(
                GradeRecord,
                enterprise_id=e.id,
                grade_type=grade_type,
                level=level,
                reviewing_body="泉州市应急管理局" if grade_type == GradeType.LOCAL else "福建省安全生产协会",
                certificate_no=f"闽AQBZ{certified:%Y}{ri(rng, 100000, 999999)}",
                certified_on=certified,
                valid_from=valid_from,
                valid_to=valid_to,
                revoked_on=revoked,
                revoke_reason="发生生产安全事故，撤销达标等级" if revoked else "",
                recorded_at=typed,
                recorded_by_id=None,
                backdated=backdated,
            )
            if revoked or valid_to > ctx.today or rng.random() > 0.7:
                break
            # renewed before the old certificate runs out, valid from the day it does
            certified, valid_from = add_days(valid_to, -ri(rng, 0, 30)), valid_to
        w.maybe_flush()


# --- 自评 ---------------------------------------------------------------------------------------------------
class Catalogue:
    def __init__(self):
        self.standards = list(Standard.objects.filter(is_active=True).order_by("sort_order", "code"))
        self.items = {}
        for s in self.standards:
            rows = StandardItem.objects.filter(standard=s, level=3).select_related("parent__parent")
            self.items[s.pk] = [
                (
                    i.pk,
                    i.code,
                    i.parent.parent.code if i.parent and i.parent.parent else i.code,
                    i.score,
                    i.is_veto,
                )
                for i in rows
            ]

    def standard_for(self, size: str) -> Standard | None:  # as selectors.standard_for
        return next((s for s in self.standards if size in (s.applies_to or [])), None)


def _self_assessments(ctx: Context, rng) -> list:
    """Writes the assessments with their entries and returns what ``_settle`` needs for the submitted ones."""
    w = ctx.writer
    cat = Catalogue()
    weights, spans = [], []
    for e in ctx.enterprises:
        first, last = ctx.active_span(e)
        years = [y for y in range(max(first.year, 2022), last.year + 1)]
        spans.append(years)
        factor = {"above_scale": 2.0, "medium": 1.5}.get(e.current[3], 1.0)
        weights.append(len(years) * factor)
    per_enterprise = spread(rng, ctx.counts.self_assessments, weights)
    ctx.sa_history = defaultdict(list)  # enterprise id → [(assessed_on, id, percent)] submitted
    pending = []
    for n, e in enumerate(ctx.enterprises):
        years = spans[n]
        count = min(len(years), per_enterprise[n])
        if not count:
            continue
        first, last = ctx.active_span(e)
        for year in sorted(rng.sample(years, count)):
            lo, hi = max(first, datetime.date(year, 3, 1)), min(last, datetime.date(year, 11, 30))
            if lo > hi:
                continue
            started = rand_day(rng, lo, hi)
            standard = cat.standard_for(e.size_on(started))
            if standard is None:
                continue
            # completed on the next of the year's four 自评 deadlines (the 20th of Mar/Jun/Sep/Dec)
            done_by = add_days(started, ri(rng, 10, 60))
            assessed = next(
                (d for m in (3, 6, 9, 12) if (d := datetime.date(year, m, 20)) >= done_by),
                datetime.date(year + 1, 3, 20),
            )
            submitted = assessed <= last and assessed.year == year
            pending.append(
                _assessment(ctx, rng, e, year, started, assessed if submitted else None, standard, cat)
            )
        w.maybe_flush()
    return [p for p in pending if p is not None]


def _assessment(ctx: Context, rng, e: Ent, year, started, assessed, standard, cat: Catalogue):
    w = ctx.writer
    pk = w.new_id(SelfAssessment)
    inputs = []
    for item_id, code, element, score, is_veto in cat.items[standard.pk]:
        checked = assessed is not None or rng.random() < 0.5
        applicable, deduction, reason, veto = True, Decimal("0"), "", False
        if checked:
            applicable = rng.random() < 0.92
            if applicable and rng.random() < 0.3:
                deduction = min(Decimal(score), Decimal(pick(rng, [1, 1, 2, 2, 3, 5])))
                reason = "资料不全，部分内容未落实"
            if applicable and is_veto and rng.random() < 0.02:
                veto, reason = True, reason or "否决项不符合"
        w.add(
            AssessmentEntry,
            assessment_id=pk,
            item_id=item_id,
            applicable=applicable,
            deduction=deduction,
            reason=reason,
            description="对照评分标准逐项核查" if checked else "",
            veto_failed=veto,
            checked=checked,
            updated_at=ctx.at(assessed or started, 16),
        )
        inputs.append(
            scoring.ItemInput(
                code=code,
                element=element,
                score=score,
                applicable=applicable,
                deduction=deduction,
                is_veto=is_veto,
                veto_failed=veto,
            )
        )
    result = scoring.score(inputs)
    by_score = scoring.level_by_score(
        result.percent, standard.thresholds(), graded=standard.is_graded, veto_failed=bool(result.veto_failed)
    )
    reasons = [f"否决项不符合：{'、'.join(result.veto_failed)}"] if result.veto_failed else []
    status, announced, method = AssessmentStatus.DRAFT, None, ""
    if assessed is not None:
        status = AssessmentStatus.SUBMITTED
        day = add_days(assessed, ri(rng, 1, 20))
        if rng.random() < 0.4 and day <= ctx.today:
            status, announced, method = AssessmentStatus.ANNOUNCED, day, pick(rng, ["职工大会", "信息公示栏"])
    typed, _ = ctx.entry(rng, started, 0)
    w.add(
        SelfAssessment,
        id=pk,
        enterprise_id=e.id,
        standard_id=standard.pk,
        year=year,
        status=status,
        leader_name=e.principal,
        team_members=f"{e.principal} 主要负责人\n{e.safety or person_name(rng)} 安全管理员",
        method="对照评分标准逐项自评，查阅资料、现场检查",
        started_on=started,
        assessed_on=assessed,
        conclusion="基本达到标准化要求，存在问题已列入持续改进清单" if assessed else "",
        full_score=result.full,
        not_applicable_score=result.not_applicable,
        earned_score=result.earned,
        percent=result.percent,
        veto_failed=bool(result.veto_failed),
        level_by_score=by_score,
        level_supported=by_score,  # settled from the facts of the completion day for submitted ones
        level_reasons=reasons,
        result_basis={},
        ruleset_id=None,
        submitted_at=ctx.at(assessed, 17) if assessed else None,
        submitted_by_id=None,
        announced_on=announced,
        announce_method=method,
        created_by_id=None,
        created_at=typed,
        updated_at=ctx.at(announced or assessed or started, 17),
    )
    events = [("create", "开始自评", started)]
    if assessed:
        events.append(("submit", "提交自评（锁定）", assessed))
    if announced:
        events.append(("announce", f"通报：{method}", announced))
    for action, label, day in events:
        w.add(
            StandardsEvent,
            enterprise_id=e.id,
            organization_id=None,
            object_type="selfassessment",
            object_id=pk,
            action=action,
            label=label,
            happened_on=day,
            at=ctx.at(day, 17),
            actor_name="系统",
        )
    if assessed is None:
        return None
    ctx.sa_history[e.id].append((assessed, pk, float(result.percent)))
    return (pk, e.id, assessed, by_score, reasons, standard)


def _previous_score(ctx: Context, enterprise_id: int, day: datetime.date, exclude: int) -> float:
    """selectors.latest_scores for one enterprise without the assessment being submitted."""
    since = day - datetime.timedelta(days=365)
    best = None
    for assessed, pk, percent in ctx.sa_history.get(enterprise_id, []):
        if pk != exclude and since < assessed <= day and (best is None or (assessed, pk) > best[:2]):
            best = (assessed, pk, percent)
    return best[2] if best else 0


def _settle(ctx: Context, pending: list) -> None:
    """The submitted assessments' level under the 安全绩效 conditions on their completion day."""
    ruleset = selectors.active_ruleset(RuleKind.LEVEL_CAP)
    rows = selectors.rule_rows(ruleset)
    label = f"{ruleset.title} v{ruleset.version}" if ruleset else ""
    by_day = defaultdict(list)
    for p in pending:
        by_day[p[2]].append(p)
    updates = []
    for day, group in sorted(by_day.items()):
        facts = facts_on(sorted({p[1] for p in group}), day)
        for pk, enterprise_id, _, by_score, reasons, standard in group:
            f = dict(facts.get(enterprise_id, {}))
            f["self_assessment_score"] = _previous_score(ctx, enterprise_id, day, pk)
            level, cap_reasons = scoring.cap_level(by_score, rows, f)
            basis = {
                "thresholds": {str(k): str(v) for k, v in standard.thresholds().items()},
                "graded": standard.is_graded,
                "facts": audit.jsonable(f),
                "ruleset": label,
            }
            updates.append((level, reasons + cap_reasons, basis, ruleset.pk if ruleset else None, pk))
    _update_assessments(updates)


def _update_assessments(updates) -> None:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    table = connection.ops.quote_name(SelfAssessment._meta.db_table)
    sql = (
        f"UPDATE {table} SET level_supported = %s, level_reasons = %s, result_basis = %s, ruleset_id = %s "
        "WHERE id = %s"
    )
    params = [
        (level, json.dumps(reasons, cls=DjangoJSONEncoder), json.dumps(basis, cls=DjangoJSONEncoder), rs, pk)
        for level, reasons, basis, rs, pk in updates
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(params), 5000):
            cursor.executemany(sql, params[start : start + 5000])


# --- 星级 ---------------------------------------------------------------------------------------------------
def star_days(start: datetime.date, today: datetime.date) -> list[datetime.date]:
    """The half-yearly rating days (from 2024-04, when 星级管理 began) inside the built history."""
    out = []
    for year in range(STAR_FROM.year, today.year + 1):
        for month, day in ((6, 28), (12, 20)):
            d = datetime.date(year, month, day)
            if max(STAR_FROM, start) <= d <= today:
                out.append(d)
    return out


def _stars(ctx: Context, rng) -> None:
    """Rating days in order; each rating closes the one before it (valid_to = the new rating day). The
    rows are written at the end, once every period is known: no fact but ``stars`` reads them, and that one
    is the rating in force before the day (kept in memory)."""
    w = ctx.writer
    ruleset = selectors.active_ruleset(RuleKind.STAR)
    rows = selectors.rule_rows(ruleset)
    by_id = {e.id: e for e in ctx.enterprises}
    raters = {u.id: u.admin_name for u in ctx.units}
    ratings: dict[int, list] = defaultdict(list)
    for day in star_days(ctx.start, ctx.today):
        chosen = [
            e.id
            for e in ctx.enterprises
            if e.operating_on(day) and rng.random() < (0.4 if ratings[e.id] else 0.45)
        ]
        facts = facts_on(chosen, day)
        for eid in chosen:
            f = dict(facts.get(eid, {}))
            previous = ratings[eid][-1] if ratings[eid] else None
            f["stars"] = previous["stars"] if previous else 0  # the rating in force before this one
            suggested, reasons = scoring.suggest_stars(rows, f)
            stars = suggested
            if stars is None:
                continue
            if rng.random() < 0.1:
                stars = max(1, min(5, stars + pick(rng, [-1, 1])))  # the rater departs from the rules
            if previous is not None:
                previous["valid_to"] = day
            typed, backdated = ctx.entry(rng, day)
            ratings[eid].append(
                {
                    "enterprise_id": eid,
                    "stars": stars,
                    "valid_from": day,
                    "valid_to": None,
                    "basis": "按星级评定规则并结合现场核查评定",
                    "rater_name": raters.get(by_id[eid].unit_on(day).id, "评定组"),
                    "suggested_stars": suggested,
                    "ruleset_id": ruleset.pk if ruleset else None,
                    "facts": audit.jsonable(f),
                    "reasons": reasons,
                    "recorded_at": typed,
                    "recorded_by_id": None,
                    "backdated": backdated,
                }
            )
    for e in ctx.enterprises:
        for r in ratings.get(e.id, []):
            w.add(StarRating, **r)
        w.maybe_flush()


def _sites(ctx: Context, rng) -> None:
    w = ctx.writer
    checklists = {kind: selectors.active_checklist(kind) for kind in (SiteKind.FIVE_S, SiteKind.SIX_HAVE)}
    for e in ctx.enterprises:
        first, last = ctx.active_span(e)
        for kind, checklist in checklists.items():
            if checklist is None:
                continue
            items = list(checklist.items.all())
            for year in range(max(first.year, 2022), last.year + 1):
                if rng.random() > 0.35:
                    continue
                lo, hi = max(first, datetime.date(year, 1, 1)), min(last, datetime.date(year, 12, 31))
                if lo > hi:
                    continue
                day = rand_day(rng, lo, hi)
                results = []
                for item in items:
                    if kind == SiteKind.FIVE_S:
                        score = Decimal(ri(rng, 70, 100))
                        results.append((item.pk, score >= checklist.pass_threshold, score))
                    else:
                        results.append((item.pk, rng.random() < 0.93, None))
                inputs = [scoring.SiteInput(passed=p, score=s) for _, p, s in results]
                typed, backdated = ctx.entry(rng, day)
                site = w.add(
                    SiteAssessment,
                    enterprise_id=e.id,
                    kind=kind,
                    checklist_id=checklist.pk,
                    assessed_on=day,
                    assessor_name=e.unit_on(day).admin_name or "检查组",
                    passed=scoring.site_passes(checklist.pass_mode, checklist.pass_threshold, inputs),
                    average=scoring.site_average(inputs),
                    note="",
                    recorded_at=typed,
                    recorded_by_id=None,
                    backdated=backdated,
                )
                for item_id, passed, score in results:
                    w.add(
                        SiteResult,
                        assessment_id=site,
                        item_id=item_id,
                        passed=passed,
                        score=score,
                        note="",
                        photo_id=None,
                    )
        w.maybe_flush()
