"""Pure rules of the standards app: self-assessment scores, levels, star suggestions, 5S/六有 pass.

Thresholds and rules are data (``Standard.level*_min``, ``RuleSet``/``Rule``, ``SiteChecklist``); these
functions only compute. Sources: domain.md §1.2 (百分制 = 实得分 ÷ (满分 − 不涉及分值) × 100, one decimal;
deductions stop at zero; 否决项 block a level whatever the score; the level is the lowest level satisfied by
both the score and the 安全绩效 conditions), appendix §2 (星级).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
NOT_GRADED = 4  # 达标 under a standard without levels (地标 / 不分级), as in the fact standard_grade_level
LEVEL_LABELS = {1: "一级", 2: "二级", 3: "三级", NOT_GRADED: "达标（不分级）"}


def round1(value: Decimal) -> Decimal:
    """One decimal, half up (0.05 → 0.1), as the 评分细则 round."""
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def item_earned(max_score: Decimal, applicable: bool, deduction: Decimal) -> Decimal:
    """实得分 of one 考评内容: the standard score less the deduction, never below zero; 0 when 不涉及."""
    if not applicable:
        return ZERO
    return max(ZERO, Decimal(max_score) - Decimal(deduction))


def percent(earned: Decimal, full: Decimal, not_applicable: Decimal) -> Decimal:
    """百分制得分 = 实得分 ÷ (满分 − 不涉及分值) × 100, one decimal; 0 when nothing applies."""
    denominator = Decimal(full) - Decimal(not_applicable)
    if denominator <= 0:
        return round1(ZERO)
    return round1(Decimal(earned) / denominator * 100)


@dataclass(frozen=True)
class ItemInput:
    code: str
    element: str  # code of the 一级要素
    score: Decimal
    applicable: bool = True
    deduction: Decimal = ZERO
    is_veto: bool = False
    veto_failed: bool = False


@dataclass
class ElementScore:
    code: str
    full: Decimal = ZERO
    not_applicable: Decimal = ZERO
    earned: Decimal = ZERO
    deductions: int = 0

    @property
    def percent(self) -> Decimal:
        return percent(self.earned, self.full, self.not_applicable)


@dataclass
class ScoreResult:
    full: Decimal
    not_applicable: Decimal
    earned: Decimal
    percent: Decimal
    elements: dict[str, ElementScore]
    veto_failed: list[str] = field(default_factory=list)


def score(items: Iterable[ItemInput]) -> ScoreResult:
    """Totals per 一级要素 and overall. A failed 否决项 is listed whatever its points."""
    elements: dict[str, ElementScore] = {}
    full = na = earned = ZERO
    vetoes: list[str] = []
    for it in items:
        el = elements.setdefault(it.element, ElementScore(it.element))
        el.full += it.score
        full += it.score
        if not it.applicable:
            el.not_applicable += it.score
            na += it.score
        else:
            got = item_earned(it.score, True, it.deduction)
            el.earned += got
            earned += got
            if it.deduction > 0:
                el.deductions += 1
        if it.is_veto and it.veto_failed and it.applicable:
            vetoes.append(it.code)
    return ScoreResult(full, na, earned, percent(earned, full, na), elements, vetoes)


def level_by_score(
    pct: Decimal, thresholds: Mapping[int, Decimal], *, graded: bool = True, veto_failed: bool = False
) -> int | None:
    """The best level the score supports (1 best); ``NOT_GRADED`` for a 不分级 standard; None below it.

    A failed 否决项 blocks every level whatever the score.
    """
    if veto_failed:
        return None
    if not graded:
        return NOT_GRADED if pct >= Decimal(thresholds[3]) else None
    for level in (1, 2, 3):
        if pct >= Decimal(thresholds[level]):
            return level
    return None


# --- rules over enterprise facts -----------------------------------------------------------------------
@dataclass(frozen=True)
class RuleRow:
    order: int
    fact: str
    op: str
    threshold: Decimal
    effect: str  # set / cap / flag
    result: int
    reason: str


OPS = {
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "eq": lambda a, b: a == b,
    "le": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
    "ne": lambda a, b: a != b,
    "always": lambda a, b: True,
}


def matches(row: RuleRow, facts: Mapping[str, float]) -> bool:
    value = Decimal(str(facts.get(row.fact, 0) or 0)) if row.fact else ZERO
    return OPS[row.op](value, Decimal(row.threshold))


def suggest_stars(rows: Sequence[RuleRow], facts: Mapping[str, float]) -> tuple[int | None, list[str]]:
    """The first matching ``set`` row gives the stars; every matching ``cap`` row limits them."""
    ordered = sorted(rows, key=lambda r: r.order)
    stars, reasons = None, []
    for row in ordered:
        if row.effect == "set" and matches(row, facts):
            stars = row.result
            reasons.append(f"{row.reason} → {row.result}星")
            break
    if stars is None:
        return None, ["没有适用的规则"]
    for row in ordered:
        if row.effect == "cap" and matches(row, facts) and row.result < stars:
            stars = row.result
            reasons.append(f"{row.reason} → 最高{row.result}星")
    return stars, reasons


def cap_level(
    level: int | None, rows: Sequence[RuleRow], facts: Mapping[str, float]
) -> tuple[int | None, list[str]]:
    """Apply the 安全绩效 conditions: a matching ``cap`` row allows at best level ``result`` (0 = none)."""
    reasons = []
    for row in sorted(rows, key=lambda r: r.order):
        if row.effect != "cap" or not matches(row, facts) or level is None:
            continue
        if row.result == 0:
            level = None
        elif level != NOT_GRADED and level < row.result:
            level = row.result
        else:
            continue
        reasons.append(row.reason)
    return level, reasons


def flags(rows: Sequence[RuleRow], facts: Mapping[str, float]) -> list[str]:
    return [r.reason for r in sorted(rows, key=lambda r: r.order) if r.effect == "flag" and matches(r, facts)]


# --- 5S / 六有 --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SiteInput:
    passed: bool
    score: Decimal | None = None


def site_average(results: Sequence[SiteInput]) -> Decimal | None:
    scores = [Decimal(r.score) for r in results if r.score is not None]
    if not scores or len(scores) != len(results):
        return None
    return round1(sum(scores) / len(scores))


def site_passes(mode: str, threshold: Decimal, results: Sequence[SiteInput]) -> bool:
    """Whether a 5S/六有 assessment passes under its checklist's rule (every item must be assessed)."""
    if not results:
        return False
    if mode == "all_pass":
        return all(r.passed for r in results)
    if mode == "min_each":
        return all(r.score is not None and Decimal(r.score) >= Decimal(threshold) for r in results)
    if mode == "min_average":
        avg = site_average(results)
        return avg is not None and avg >= Decimal(threshold)
    raise ValueError(f"unknown pass mode {mode}")
