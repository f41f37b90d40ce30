"""Pure rules (no database): Art. 24 staffing check, assessment scoring and result bands.

Thresholds come in as data (``StaffingRule``/``ResultBand`` rows or plain tuples in tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ONE_DP = Decimal("0.1")


# --- 安全生产法 第24条 ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StaffingThresholds:
    headcount_threshold: int = 100
    strict_min_full_time: int = 1
    basic_min_officers: int = 1
    source: str = "《安全生产法》第二十四条"


@dataclass(frozen=True)
class Art24Result:
    compliant: bool
    strict: bool  # must have a body or full-time officers
    requirement: str
    reason: str


def art24_check(
    *,
    dangerous_goods: bool,
    employees: int,
    has_body: bool,
    full_time: int,
    part_time: int,
    rule: StaffingThresholds,
) -> Art24Result:
    """Whether an enterprise meets Art. 24 (thresholds from ``rule``) and why.

    危险物品 生产/经营/储存/装卸 or more than ``headcount_threshold`` 从业人员 → a 安全生产管理机构 or at
    least
    ``strict_min_full_time`` 专职 officers. Otherwise at least ``basic_min_officers`` 专职 or 兼职 officers.
    """
    why_strict = []
    if dangerous_goods:
        why_strict.append("危险物品生产经营储存单位")
    if employees > rule.headcount_threshold:
        why_strict.append(f"从业人员{employees}人，超过{rule.headcount_threshold}人")
    if why_strict:
        requirement = f"应设置安全生产管理机构或配备不少于{rule.strict_min_full_time}名专职安全生产管理人员"
        compliant = has_body or full_time >= rule.strict_min_full_time
        basis = "、".join(why_strict)
        if compliant:
            have = "已设置安全生产管理机构" if has_body else f"已配备专职{full_time}人"
            reason = f"{basis}，{requirement}；{have}，符合{rule.source}。"
        else:
            have = f"未设置机构，专职{full_time}人" + (
                f"（兼职{part_time}人不能替代专职）" if part_time else ""
            )
            reason = f"{basis}，{requirement}；{have}，不符合{rule.source}。"
        return Art24Result(compliant, True, requirement, reason)
    requirement = f"应配备不少于{rule.basic_min_officers}名专职或兼职安全生产管理人员"
    total = full_time + part_time
    compliant = total >= rule.basic_min_officers
    basis = f"非危险物品单位，从业人员{employees}人（不超过{rule.headcount_threshold}人）"
    have = f"专职{full_time}人、兼职{part_time}人"
    verdict = "符合" if compliant else "不符合"
    return Art24Result(
        compliant, False, requirement, f"{basis}，{requirement}；现有{have}，{verdict}{rule.source}。"
    )


# --- 年度考核 ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Band:
    label: str
    min_score: Decimal
    passed: bool


@dataclass(frozen=True)
class ScoreResult:
    full_marks: Decimal
    score: Decimal
    percent: Decimal
    band: str
    passed: bool


class ScoringError(ValueError):
    """A deduction that cannot be applied; the message names the item."""


def band_for(percent: Decimal, bands: Iterable[Band]) -> Band:
    """The highest band whose minimum the (百分制) score reaches."""
    ordered = sorted(bands, key=lambda b: b.min_score, reverse=True)
    if not ordered:
        raise ScoringError("没有配置考核结果档次。")
    for band in ordered:
        if percent >= band.min_score:
            return band
    return ordered[-1]


def score(
    items: Sequence[tuple[int, Decimal]], deductions: dict[int, Decimal], bands: Iterable[Band]
) -> ScoreResult:
    """Score a post-holder: ``items`` are (number, full marks); ``deductions`` map item number → points.

    A deduction above an item's full marks, a negative one, or one against an item not on the list is refused
    with a message naming the item. The total is converted to 百分制 when the list's full marks are not 100,
    then banded.
    """
    full = sum((Decimal(m) for _, m in items), Decimal("0"))
    if full <= 0:
        raise ScoringError("考核清单没有考核条目，无法评分。")
    numbers = {n for n, _ in items}
    for n in deductions:
        if n not in numbers:
            raise ScoringError(f"第{n}项不在考核清单中。")
    taken = Decimal("0")
    for n, marks in items:
        d = Decimal(deductions.get(n, 0))
        if d < 0:
            raise ScoringError(f"第{n}项扣分不能为负数。")
        if d > Decimal(marks):
            raise ScoringError(f"第{n}项扣分（{d}）超过该项满分（{marks}）。")
        taken += d
    got = (full - taken).quantize(ONE_DP, ROUND_HALF_UP)
    percent = (got * 100 / full).quantize(ONE_DP, ROUND_HALF_UP)
    band = band_for(percent, bands)
    return ScoreResult(full.quantize(ONE_DP), got, percent, band.label, band.passed)
