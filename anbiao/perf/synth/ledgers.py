"""The enterprises' own ledgers: trainings with attendances (the people of the duty module), equipment and
special equipment with dated inspections (the due date follows the latest), emergency plans and drills,
rules and procedures, and accidents graded by the rules of the day they happened (国务院令493)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from anbiao.ledgers import scoring
from anbiao.ledgers.choices import (
    AccidentKind,
    AccidentStatus,
    DocumentKind,
    DrillEffect,
    DrillForm,
    EquipmentCategory,
    EquipmentStatus,
    InspectionKind,
    InspectionResult,
    PlanKind,
    SpecialKind,
    TrainingKind,
)
from anbiao.ledgers.models import (
    Accident,
    AccidentEvent,
    Drill,
    EmergencyPlan,
    Equipment,
    EquipmentInspection,
    RuleDocument,
    TrainingAttendance,
    TrainingSession,
)
from anbiao.ledgers.services import rule_set_on, thresholds
from anbiao.perf.synth import names
from anbiao.perf.synth.context import Context, Ent, add_days, person_name, pick, rand_day, ri, spread
from anbiao.risks.dates import add_months

SPECIAL = [
    (SpecialKind.VEHICLE, "叉车"),
    (SpecialKind.PRESSURE_VESSEL, "储气罐"),
    (SpecialKind.LIFT, "载货电梯"),
    (SpecialKind.LIFTING, "电动葫芦"),
]
GENERAL = ["货架", "配电柜", "制冷机组", "打包机", "监控系统"]
FIRE = ["灭火器", "消火栓", "火灾自动报警系统", "应急照明"]


ACCIDENTS_PER_YEAR = 0.004  # per enterprise; near misses 0.006 (at least two of each in any set)
NEAR_MISSES_PER_YEAR = 0.006


def build(ctx: Context) -> None:
    rng = ctx.rng("ledgers")
    rules_cache: dict = {}
    spans = [ctx.active_span(e) for e in ctx.enterprises]
    years = [_years(first, last) if first <= last else 0 for first, last in spans]
    total = sum(years)
    accidents = spread(rng, max(2, round(ACCIDENTS_PER_YEAR * total)), years)
    near_misses = spread(rng, max(2, round(NEAR_MISSES_PER_YEAR * total)), years)
    for n, e in enumerate(ctx.enterprises):
        first, last = spans[n]
        if first > last:
            continue
        _trainings(ctx, rng, e, first, last)
        _equipment(ctx, rng, e, first, last)
        _plans(ctx, rng, e, first, last)
        _documents(ctx, rng, e, first, last)
        _accidents(ctx, rng, e, first, last, rules_cache, accidents[n], near_misses[n])
        if n % 200 == 199:
            ctx.writer.maybe_flush()


def _years(first, last) -> float:
    return max(0.0, (last - first).days / 365.25)


def _trainings(ctx, rng, e: Ent, first, last) -> None:
    w = ctx.writer
    people = getattr(e, "people", [])
    if not people:
        return
    per_year = {"above_scale": 2.5, "medium": 1.5}.get(e.current[3], 0.8)
    n = int(per_year * _years(first, last) + rng.random())
    for _ in range(n):
        planned = rand_day(rng, first, add_days(last, 30))
        held = add_days(planned, ri(rng, 0, 7))
        held = held if held <= last else None
        hours = Decimal(pick(rng, [2, 4, 4, 8, 16]))
        typed, _ = ctx.entry(rng, min(planned, ctx.today))
        session = w.add(
            TrainingSession,
            enterprise_id=e.id,
            kind=pick(
                rng,
                [
                    TrainingKind.ANNUAL,
                    TrainingKind.ANNUAL,
                    TrainingKind.THREE_LEVEL,
                    TrainingKind.KEY_PERSONNEL,
                ],
            ),
            title=pick(rng, names.TRAINING_TOPICS),
            planned_on=planned,
            held_on=held,
            hours=hours,
            trainer=person_name(rng),
            location="会议室",
            content="法律法规、岗位操作规程、应急处置",
            created_at=typed,
            updated_at=typed,
        )
        if held is None:
            continue
        for pid in rng.sample(people, min(len(people), ri(rng, 3, 8))):
            score = Decimal(ri(rng, 60, 100)) if rng.random() < 0.8 else None
            w.add(
                TrainingAttendance,
                session_id=session,
                person_id=pid,
                hours=hours,
                exam_score=score,
                passed=None if score is None else score >= 70,
            )


def _equipment(ctx, rng, e: Ent, first, last) -> None:
    w = ctx.writer
    count = {"above_scale": ri(rng, 2, 6), "medium": ri(rng, 1, 4)}.get(e.current[3], ri(rng, 0, 2))
    for k in range(count):
        roll = rng.random()
        commissioned = rand_day(rng, add_days(first, -900), last)
        scrapped = None
        if rng.random() < 0.03:
            scrapped = rand_day(rng, max(commissioned, first), last)
        if roll < 0.25:
            kind, label = pick(rng, SPECIAL)
            category, interval = EquipmentCategory.SPECIAL, 12
            first_due = add_months(commissioned, 12)
            inspection_kind = InspectionKind.PERIODIC
        elif roll < 0.55:
            kind, label, category, interval = "", pick(rng, FIRE), EquipmentCategory.FIRE, 12
            first_due = add_months(commissioned, 12)
            inspection_kind = InspectionKind.SELF_CHECK
        else:
            kind, label, category, interval = "", pick(rng, GENERAL), EquipmentCategory.GENERAL, 12
            first_due, inspection_kind = None, None
        equipment_id = w.new_id(Equipment)
        due = first_due
        stop = scrapped or last
        if inspection_kind:
            while due and due <= stop and rng.random() > 0.06:
                on = max(commissioned, add_days(due, -ri(rng, 0, 20)))
                if on > stop:
                    break
                nxt = add_months(on, interval)
                typed, backdated = ctx.entry(rng, on)
                w.add(
                    EquipmentInspection,
                    equipment_id=equipment_id,
                    kind=inspection_kind,
                    inspected_on=on,
                    agency="泉州市特种设备检验研究院"
                    if category == EquipmentCategory.SPECIAL
                    else e.safety or e.principal,
                    report_number=f"JY{on:%Y}{ri(rng, 10000, 99999)}",
                    result=InspectionResult.PASS if rng.random() < 0.95 else InspectionResult.CONDITIONAL,
                    next_due=nxt,
                    backdated=backdated,
                    recorded_at=typed,
                )
                due = nxt
        typed, _ = ctx.entry(rng, max(commissioned, first), 0)
        w.add(
            Equipment,
            id=equipment_id,
            enterprise_id=e.id,
            category=category,
            special_kind=kind,
            name=label,
            code=f"SB-{k + 1:03d}",
            model_spec="",
            location=pick(rng, names.LOCATIONS),
            responsible=e.safety or e.principal,
            registration_number=f"容{ri(rng, 10000, 99999)}闽C"
            if category == EquipmentCategory.SPECIAL
            else "",
            commissioned_on=commissioned,
            inspection_interval_months=interval,
            first_due=first_due,
            next_inspection_due=due,
            status=EquipmentStatus.SCRAPPED if scrapped else EquipmentStatus.IN_USE,
            retired_on=scrapped,
            created_at=typed,
            updated_at=typed,
        )


def _plans(ctx, rng, e: Ent, first, last) -> None:
    w = ctx.writer
    if rng.random() > {"above_scale": 0.9, "medium": 0.7}.get(e.current[3], 0.4):
        return
    kinds = [PlanKind.COMPREHENSIVE] + ([PlanKind.ONSITE] if rng.random() < 0.4 else [])
    for kind in kinds:
        issued = rand_day(rng, first, last)
        filed = add_days(issued, ri(rng, 5, 40)) if rng.random() < 0.5 else None
        filed = filed if filed and filed <= last else None
        months = 6 if kind == PlanKind.ONSITE else 12
        typed, _ = ctx.entry(rng, issued)
        plan = w.add(
            EmergencyPlan,
            enterprise_id=e.id,
            kind=kind,
            title="生产安全事故综合应急预案" if kind == PlanKind.COMPREHENSIVE else "火灾现场处置方案",
            version="1.0",
            issued_on=issued,
            filed_on=filed,
            filed_with="县应急管理局" if filed else "",
            filing_number=f"备{ri(rng, 1000, 9999)}" if filed else "",
            review_due=add_days(issued, 3 * 365),
            drill_interval_months=months,
            created_at=typed,
            updated_at=typed,
        )
        day = add_months(issued, ri(rng, 1, months))
        while day <= last:
            if rng.random() < 0.8:
                typed, _ = ctx.entry(rng, day)
                w.add(
                    Drill,
                    enterprise_id=e.id,
                    plan_id=plan,
                    held_on=day,
                    form=pick(rng, [DrillForm.TABLETOP, DrillForm.FUNCTIONAL, DrillForm.FULL]),
                    scenario=pick(rng, ["仓库火灾疏散", "配电房触电救援", "液化气泄漏处置"]),
                    participants=ri(rng, 3, 30),
                    evaluation="演练达到预期目的",
                    effect=pick(rng, [DrillEffect.GOOD, DrillEffect.GOOD, DrillEffect.FAIR]),
                    created_at=typed,
                    updated_at=typed,
                )
            day = add_months(day, months)


def _documents(ctx, rng, e: Ent, first, last) -> None:
    w = ctx.writer
    if rng.random() > 0.5:
        return
    for k, (kind, title) in enumerate(
        [
            (DocumentKind.RULE, "安全生产责任制度"),
            (DocumentKind.RULE, "隐患排查治理制度"),
            (DocumentKind.PROCEDURE, "叉车安全操作规程"),
        ][: ri(rng, 1, 3)]
    ):
        approved = rand_day(rng, first, last)
        typed, _ = ctx.entry(rng, approved)
        w.add(
            RuleDocument,
            enterprise_id=e.id,
            kind=kind,
            title=title,
            code=f"ZD-{k + 1:02d}",
            version="1.0",
            approved_by=e.principal,
            approved_on=approved,
            next_review_on=add_days(approved, 365),
            created_at=typed,
            updated_at=typed,
        )


def _accidents(ctx, rng, e: Ent, first, last, rules_cache, accidents: int, near_misses: int) -> None:
    w = ctx.writer
    for near_miss, n in ((False, accidents), (True, near_misses)):
        for _ in range(n):
            day = rand_day(rng, first, last)
            occurred = ctx.at(day, ri(rng, 7, 20), ri(rng, 0, 59))
            deaths = serious = minor = 0
            loss = Decimal(ri(rng, 0, 5000))
            if not near_miss:
                minor = ri(rng, 1, 2)
                serious = 1 if rng.random() < 0.1 else 0
                deaths = 1 if rng.random() < 0.02 else 0
                loss = Decimal(ri(rng, 2000, 200000))
            rule_set = rules_cache.get(day)
            if rule_set is None:
                rule_set = rules_cache[day] = rule_set_on(day)
                rule_set.cached_thresholds = thresholds(rule_set)
            grade = (
                ""
                if near_miss
                else scoring.accident_grade(
                    deaths=deaths,
                    serious_injuries=serious,
                    direct_loss=loss,
                    thresholds=rule_set.cached_thresholds,
                )
            )
            reported = None
            if not near_miss:
                roll = rng.random()
                if roll < 0.8:
                    reported = occurred + datetime.timedelta(minutes=ri(rng, 10, 55))
                elif roll < 0.95:
                    reported = occurred + datetime.timedelta(hours=ri(rng, 2, 30))
            age = (ctx.today - day).days
            closed = add_days(day, ri(rng, 30, 80))
            if age > 90 and closed <= ctx.today:
                status, flags = AccidentStatus.CLOSED, True
            elif age > 20:
                status, flags, closed = AccidentStatus.RECTIFYING, False, None
            elif age > 2:
                status, flags, closed = AccidentStatus.INVESTIGATING, False, None
            else:
                status, flags, closed = AccidentStatus.REPORTED, False, None
            investigated = status != AccidentStatus.REPORTED
            concluded = status in (AccidentStatus.RECTIFYING, AccidentStatus.CLOSED)
            typed, backdated = ctx.entry(rng, day)
            accident = w.add(
                Accident,
                enterprise_id=e.id,
                occurred_at=occurred,
                place=pick(rng, names.LOCATIONS),
                kind=pick(
                    rng, [AccidentKind.STRUCK, AccidentKind.VEHICLE, AccidentKind.FALL, AccidentKind.FIRE]
                ),
                is_near_miss=near_miss,
                summary="作业过程中发生意外" if not near_miss else "险些发生意外，及时处置",
                deaths=deaths,
                serious_injuries=serious,
                minor_injuries=minor,
                direct_loss=loss,
                grade=grade,
                rule_set_id=rule_set.pk,
                reported_at=reported,
                reported_to="县应急管理局" if reported else "",
                status=status,
                causes="违章作业，安全意识淡薄" if concluded else "",
                responsibility="对直接责任人给予警告处分" if concluded else "",
                measures="加强培训，完善操作规程" if concluded else "",
                education="全员警示教育" if flags else "",
                causes_found=flags,
                responsible_handled=flags,
                measures_done=flags,
                people_educated=flags,
                closed_on=closed,
                backdated=backdated,
                created_at=typed,
                updated_at=typed,
            )
            steps = [("登记", "", AccidentStatus.REPORTED, day)]
            if investigated:
                steps.append(
                    ("开始调查", AccidentStatus.REPORTED, AccidentStatus.INVESTIGATING, add_days(day, 1))
                )
            if concluded:
                steps.append(
                    (
                        "调查结论，转入整改",
                        AccidentStatus.INVESTIGATING,
                        AccidentStatus.RECTIFYING,
                        add_days(day, 15),
                    )
                )
            if closed:
                steps.append(("四不放过，结案", AccidentStatus.RECTIFYING, AccidentStatus.CLOSED, closed))
            for k, (action, source, target, on) in enumerate(steps):
                w.add(
                    AccidentEvent,
                    accident_id=accident,
                    action=action,
                    from_status=source,
                    to_status=target,
                    actor_id=None,
                    actor_name=e.safety or e.principal,
                    at=ctx.at(min(on, ctx.today), 10) + datetime.timedelta(minutes=k),
                )
