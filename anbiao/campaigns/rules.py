"""Pure rules of the campaign ledgers: deliverable lateness, task overdue, money in 万元. No database."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from anbiao.campaigns.choices import FilingStatus, TaskStatus, Timeliness
from anbiao.core.money import wan_yuan

WAN_PLACES = Decimal("0.0001")
# 季报表(二)(三): "所有数据均为2025年1月1日以来累计" (report-tables.md)
REPORT_WINDOW_START = datetime.date(2025, 1, 1)


@dataclass(frozen=True)
class FilingFact:
    """What the lateness rule needs of a filing: when it was filed, whether (and when) it was returned."""

    filed_on: datetime.date
    status: str
    returned_on: datetime.date | None = None


def filing_timeliness(due: datetime.date, filings: Iterable[FilingFact], as_of: datetime.date) -> str:
    """Where a unit stands on a deliverable due on ``due``, seen on ``as_of``.

    Only filings made on or before ``as_of`` count; a filing returned on or before ``as_of`` does not count.
    Filing on the due date is on time (the notice says "…前报送", read as "by the end of that day");
    the day after is late. Without a standing filing: 未到期 while ``as_of <= due``, 逾期未报 after, and
    被退回待重报 when the only filings were returned.
    """
    seen = [f for f in filings if f.filed_on <= as_of]
    standing = [
        f
        for f in seen
        if not (f.status == FilingStatus.RETURNED and (f.returned_on is None or f.returned_on <= as_of))
    ]
    if standing:
        first = min(f.filed_on for f in standing)
        return Timeliness.ON_TIME if first <= due else Timeliness.LATE
    if seen:
        return Timeliness.RETURNED
    return Timeliness.PENDING if as_of <= due else Timeliness.MISSING


def days_late(due: datetime.date, filed_on: datetime.date) -> int:
    return max(0, (filed_on - due).days)


def task_overdue(
    status: str, due: datetime.date, done_on: datetime.date | None, as_of: datetime.date
) -> bool:
    """Open past its due date on ``as_of``, or finished after it."""
    if status == TaskStatus.DONE and done_on is not None and done_on <= as_of:
        return done_on > due
    return as_of > due


def format_wan(yuan: Decimal | int | None) -> str:
    return f"{wan_yuan(yuan):.4f}"
