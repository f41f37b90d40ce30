"""Pure functions: score → level by a band set, and an enterprise's overall colour from its facts.

No database access here: callers pass the bands and rules as plain values, so the tables from the
standards can be tested directly (architecture §3.5).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from anbiao.risks.choices import COLOUR_NAME, RANK, Level


@dataclass(frozen=True)
class BandSpec:
    level: str
    lower: Decimal
    inclusive: bool = True
    meaning: str = ""


def product(values: Iterable) -> Decimal:
    result = Decimal(1)
    for v in values:
        result *= Decimal(str(v))
    return result.quantize(Decimal("0.01"))


def classify(score, bands: Iterable[BandSpec]) -> BandSpec:
    """The band a score falls in: the one with the highest lower bound the score reaches."""
    score = Decimal(str(score))
    for band in sorted(bands, key=lambda b: b.lower, reverse=True):
        if score > band.lower or (band.inclusive and score == band.lower):
            return band
    raise ValueError(f"分值 {score} 不在任何分级区间内。")


def final_level(computed: str, raised: str | None) -> str:
    """从严从高: a manual raise may only make the level more severe."""
    if not raised:
        return computed
    if RANK[raised] >= RANK[computed]:
        raise ValueError("只能调高风险等级，不能调低。")
    return raised


@dataclass(frozen=True)
class RuleSpec:
    fact: str
    comparison: str
    threshold: Decimal
    result: str
    reason: str


@dataclass
class GradeResult:
    level: str
    reasons: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"{COLOUR_NAME[self.level]}：" + (
            "，".join(self.reasons) if self.reasons else "未触发评定规则"
        )


COMPARE = {
    "gte": lambda v, t: v >= t,
    "gt": lambda v, t: v > t,
    "eq": lambda v, t: v == t,
    "lte": lambda v, t: v <= t,
    "lt": lambda v, t: v < t,
}


def _fmt(value: Decimal) -> str:
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"


def grade(facts: Mapping[str, float], rules: Iterable[RuleSpec], default: str = Level.LOW) -> GradeResult:
    """The most severe colour of the rules that match, and the reasons of every matched rule (worst first)."""
    matched: list[tuple[int, int, str]] = []
    level = default
    for order, rule in enumerate(rules):
        value = Decimal(str(facts.get(rule.fact, 0) or 0))
        if COMPARE[rule.comparison](value, Decimal(str(rule.threshold))):
            if RANK[rule.result] < RANK[level]:
                level = rule.result
            matched.append((RANK[rule.result], order, rule.reason.replace("{n}", _fmt(value))))
    reasons = list(dict.fromkeys(text for _, _, text in sorted(matched)))  # the same text once
    return GradeResult(level=level, reasons=reasons)


def fmt_score(value) -> str:
    """A score for people: 70, 0.5, 126 (no trailing zeros, no exponent)."""
    if value is None:
        return "—"
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
