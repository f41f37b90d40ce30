"""Risk points with their dated assessments: factors from the current band set's value tables, the score
their product, the level ``scoring.classify`` gives with that band set, the review date from the level
policy, re-assessments on (or after) the review date, a few raises and retirements; each point carries its
latest assessment's level, score and dates as ``services._refresh_point`` keeps them."""

from __future__ import annotations

from anbiao.perf.synth import names
from anbiao.perf.synth.context import Context, Ent, add_days, pick, rand_day, ri, spread
from anbiao.risks import scoring, selectors
from anbiao.risks.choices import (
    METHOD_FACTORS,
    RANK,
    AssessmentKind,
    CheckCycle,
    Level,
    PointStatus,
)
from anbiao.risks.dates import add_months
from anbiao.risks.models import RiskAssessment, RiskPoint

MORE_SEVERE = {Level.LOW: Level.GENERAL, Level.GENERAL: Level.SIGNIFICANT, Level.SIGNIFICANT: Level.MAJOR}


class Method:
    def __init__(self, band_set):
        self.id = band_set.pk
        self.method = band_set.method
        self.bands = selectors.band_specs(band_set)
        options: dict[str, list] = {}
        for opt in band_set.factors.all():
            options.setdefault(opt.factor, []).append((opt.value, opt.label))
        self.options = {f: sorted(v) for f, v in options.items()}  # ascending: low values first

    def draw(self, rng, severe: bool):
        """Factor values, lower ones more likely (most points are 低/一般 risk)."""
        out = {}
        for factor in METHOD_FACTORS[self.method]:
            opts = self.options[factor]
            n = len(opts)
            weights = [(n - i) ** (1.2 if severe else 2.2) for i in range(n)]
            value, label = rng.choices(opts, weights)[0]
            out[factor] = {"value": float(value), "label": label}
        return out

    def level(self, factors):
        score = scoring.product(v["value"] for v in factors.values())
        return score, scoring.classify(score, self.bands).level


def build(ctx: Context) -> None:
    rng = ctx.rng("risks")
    sets = list(selectors.current_band_sets())
    default_of = {}
    for s in sets:
        default_of.setdefault(s.method, s)  # ordered: the default variant of each method first
    methods = [Method(default_of[m]) for m in ("lec", "ls", "mes") if m in default_of]
    method_weights = [50, 30, 20][: len(methods)]
    policies = selectors.level_policies()
    weights = []
    for e in ctx.enterprises:
        factor = {"above_scale": 3.0, "medium": 1.6}.get(e.current[3], 1.0)
        weights.append(
            factor * rng.uniform(0.6, 1.4) if ctx.active_span(e)[0] <= ctx.active_span(e)[1] else 0
        )
    per_enterprise = spread(rng, ctx.counts.risk_points, weights)
    for n, e in enumerate(ctx.enterprises):
        if per_enterprise[n]:
            method = rng.choices(methods, method_weights)[0]
            _enterprise(ctx, rng, e, per_enterprise[n], method, policies)
        if n % 200 == 199:
            ctx.writer.maybe_flush()


def _enterprise(ctx: Context, rng, e: Ent, count: int, method: Method, policies) -> None:
    w = ctx.writer
    first, last = ctx.active_span(e)
    severe = e.current[6]
    used: dict[str, int] = {}
    for _ in range(count):
        base, kind, factors_codes, accident_codes = pick(rng, names.RISK_POINTS)
        k = used[base] = used.get(base, 0) + 1
        name = base if k == 1 else f"{base}（{k}）"
        created = (
            rand_day(rng, first, min(last, add_days(first, 120)))
            if rng.random() < 0.8
            else rand_day(rng, first, last)
        )
        point_id = w.new_id(RiskPoint)
        rows = []
        day = add_days(created, ri(rng, 0, 10))
        factors = method.draw(rng, severe)
        retire_on = None
        while day <= last:
            if rows and rng.random() < 0.3:
                factors = method.draw(rng, severe)
            score, level = method.level(factors)
            previous = rows[-1]["level"] if rows else ""
            note = ""
            if previous and RANK[level] > RANK[previous]:
                note = "复评：管控措施已落实，风险降低"
            nxt = add_months(day, policies[level].review_months)
            typed, backdated = ctx.entry(rng, day)
            rows.append(
                {
                    "risk_point_id": point_id,
                    "kind": AssessmentKind.ASSESS,
                    "band_set_id": method.id,
                    "method": method.method,
                    "factors": factors,
                    "score": score,
                    "computed_level": level,
                    "raised_level": "",
                    "raise_reason": "",
                    "level": level,
                    "controls_effective": rng.random() < 0.97,
                    "assessed_on": day,
                    "next_review_on": nxt,
                    "assessor": e.safety or e.principal,
                    "note": note,
                    "recorded_at": typed,
                    "backdated": backdated,
                }
            )
            if level in MORE_SEVERE and rng.random() < 0.01:
                on = add_days(day, ri(rng, 1, 30))
                if on <= last:
                    raised = MORE_SEVERE[level]
                    typed, backdated = ctx.entry(rng, on)
                    rows.append(
                        dict(
                            rows[-1],
                            kind=AssessmentKind.RAISE,
                            raised_level=raised,
                            raise_reason="从严从高：周边环境变化",
                            level=raised,
                            assessed_on=on,
                            next_review_on=nxt if nxt > on else add_months(on, 6),
                            assessor=ctx.root.admin_name,
                            note="",
                            recorded_at=typed,
                            backdated=backdated,
                        )
                    )
            if rng.random() < 0.004:
                retire_on = min(last, add_days(rows[-1]["assessed_on"], ri(rng, 10, 200)))
                break
            if rng.random() < 0.06:
                break  # the next review has not been done (逾期未复评 once its date passes)
            day = add_days(nxt, ri(rng, -10, 20))
        latest = sorted(rows, key=lambda r: r["assessed_on"])[-1] if rows else None  # ties: the later row
        for r in rows:
            w.add(RiskAssessment, **r)
        typed, _ = ctx.entry(rng, created, 0)
        w.add(
            RiskPoint,
            id=point_id,
            enterprise_id=e.id,
            name=name,
            kind=kind,
            location=pick(rng, names.LOCATIONS),
            hazard_factors=factors_codes,
            hazard_description=f"{base}存在{pick(rng, names.NOTES)}等情形",
            accident_types=accident_codes,
            measures_engineering="设置防护设施，定期检测",
            measures_management="落实岗位责任，建立巡查记录",
            measures_training="岗前培训和年度再培训",
            measures_ppe="按规定佩戴防护用品",
            measures_emergency="发现异常立即停止作业并报告",
            control_level=policies[latest["level"]].control_level if latest else "",
            responsible_department="安全部" if e.current[3] != "small" else "综合部",
            responsible_person=e.safety or e.principal,
            responsible_phone=f"15{ri(rng, 100000000, 999999999)}",
            check_content=f"检查{base}的防护、标识和记录",
            check_cycle=pick(rng, [CheckCycle.DAILY, CheckCycle.WEEKLY, CheckCycle.MONTHLY]),
            status=PointStatus.RETIRED if retire_on else PointStatus.ACTIVE,
            retired_on=retire_on,
            level=latest["level"] if latest else "",
            score=latest["score"] if latest else None,
            assessed_on=latest["assessed_on"] if latest else None,
            next_review_on=latest["next_review_on"] if latest else None,
            created_at=typed,
            updated_at=latest["recorded_at"] if latest else typed,
        )
