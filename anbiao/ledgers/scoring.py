"""Pure rules: accident grade (国务院令第493号 第3条) and report timeliness (第9条), thresholds as data."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from anbiao.ledgers.choices import Timeliness


@dataclass(frozen=True)
class GradeThreshold:
    grade: str
    rank: int
    min_deaths: int
    min_serious_injuries: int
    min_direct_loss: Decimal


def accident_grade(
    *, deaths: int, serious_injuries: int, direct_loss: Decimal, thresholds: Iterable[GradeThreshold]
) -> str:
    """The most severe grade any one of the three figures reaches ("以上"含本数).

    The least severe row (一般事故, all minimums 0) catches everything else.
    """
    rows = sorted(thresholds, key=lambda t: t.rank, reverse=True)
    if not rows:
        raise ValueError("没有事故等级标准")
    for t in rows:
        if (
            deaths >= t.min_deaths
            or serious_injuries >= t.min_serious_injuries
            or Decimal(direct_loss) >= t.min_direct_loss
        ):
            return t.grade
    return rows[-1].grade


def report_timeliness(
    *,
    occurred_at: datetime.datetime,
    reported_at: datetime.datetime | None,
    limit_hours: int,
    now: datetime.datetime,
    is_near_miss: bool = False,
) -> str:
    """按时报告 / 迟报 / 未报告 (still inside the limit counts as not yet late) / 无需上报 for near misses."""
    if is_near_miss:
        return Timeliness.NOT_REQUIRED
    limit = datetime.timedelta(hours=limit_hours)
    if reported_at is None:
        return Timeliness.NOT_REPORTED
    return Timeliness.ON_TIME if reported_at - occurred_at <= limit else Timeliness.LATE


def investigation_overdue(
    *, occurred_on: datetime.date, closed: bool, today: datetime.date, limit_days: int
) -> bool:
    return not closed and today > occurred_on + datetime.timedelta(days=limit_days)
