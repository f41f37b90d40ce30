"""The enterprises' overall 四色 grades as ``risks.grading.grades_recompute`` leaves them when it runs on each
quarter's last day (and today): the colour ``grading.compute`` gives from the rules in force and the
registry's facts of that day; a new dated row only where the colour or its reasons changed; the grade of an
enterprise that no longer operates closed that day."""

from __future__ import annotations

import datetime

from anbiao.perf.synth.context import DAY, Context
from anbiao.perf.synth.facts import enterprise_facts
from anbiao.risks import scoring, selectors
from anbiao.risks.choices import GradeSource
from anbiao.risks.models import EnterpriseGrade

CHUNK = 2000


def recompute_days(ctx: Context) -> list[datetime.date]:
    """Each year's last day, then each quarter's last day over the last two years, then today."""
    recent = datetime.date(ctx.today.year - 2, ctx.today.month, 1)
    days = []
    year, q = ctx.start.year, (ctx.start.month - 1) // 3 + 1
    while True:
        month = q * 3
        end = datetime.date(year + (month == 12), month % 12 + 1, 1) - DAY
        if end > ctx.today:
            break
        if end >= ctx.start and (end >= recent or end.month == 12):
            days.append(end)
        year, q = (year, q + 1) if q < 4 else (year + 1, 1)
    if not days or days[-1] != ctx.today:
        days.append(ctx.today)
    return days


def build(ctx: Context) -> None:
    current: dict[int, dict] = {}
    rows: list[dict] = []
    for day in recompute_days(ctx):
        operating = sorted(e.id for e in ctx.enterprises if e.operating_on(day))
        alive = set(operating)
        for pk, g in list(current.items()):
            if pk not in alive and g["valid_from"] < day:
                g["valid_to"] = day  # 不再在营：等级截止
                del current[pk]
        rule_set = selectors.rule_set_on(day)
        specs = selectors.rule_specs(rule_set)
        for start in range(0, len(operating), CHUNK):
            # grading.compute: the rules in force that day over the registry's facts
            facts_of = enterprise_facts(operating[start : start + CHUNK], day)
            for pk, facts in facts_of.items():
                result = scoring.grade(facts, specs, rule_set.default_level)
                g = current.get(pk)
                if g is not None and g["level"] == result.level and g["reasons"] == result.reasons:
                    continue
                if g is not None:
                    g["valid_to"] = day
                row = {
                    "enterprise_id": pk,
                    "valid_from": day,
                    "valid_to": None,
                    "level": result.level,
                    "source": GradeSource.COMPUTED,
                    "computed_level": result.level,
                    "reasons": result.reasons,
                    "facts": facts,
                    "rule_set_id": rule_set.pk,
                    "set_by_id": None,
                    "recorded_at": ctx.at(day, 6, 15),
                }
                current[pk] = row
                rows.append(row)
        ctx.out(
            f"            四色 recomputed on {day}: {len(operating):,} enterprises, {len(rows):,} grade rows"
        )
    w = ctx.writer
    for row in rows:
        w.add(EnterpriseGrade, **row)
        w.maybe_flush()
