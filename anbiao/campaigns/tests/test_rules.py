import datetime
from decimal import Decimal

import pytest

from anbiao.campaigns import rules, workflow
from anbiao.campaigns.choices import FilingStatus, TaskStatus, Timeliness
from anbiao.campaigns.rules import FilingFact

DUE = datetime.date(2025, 2, 10)
D = datetime.date


@pytest.mark.parametrize(
    ("filed", "as_of", "expected"),
    [
        (None, D(2025, 2, 9), Timeliness.PENDING),
        (None, DUE, Timeliness.PENDING),  # the due day itself is still in time
        (None, D(2025, 2, 11), Timeliness.MISSING),  # the day after: overdue, not filed
        (DUE, D(2025, 2, 11), Timeliness.ON_TIME),  # filed on the due day: on time
        (D(2025, 2, 9), D(2025, 3, 1), Timeliness.ON_TIME),
        (D(2025, 2, 11), D(2025, 2, 11), Timeliness.LATE),  # one day late
        (D(2025, 2, 11), D(2025, 2, 10), Timeliness.PENDING),  # a later filing is not seen on an earlier date
        (D(2025, 3, 1), D(2025, 2, 20), Timeliness.MISSING),
    ],
)
def test_lateness_is_computed_from_the_deadline_at_the_boundaries(filed, as_of, expected):
    facts = [FilingFact(filed, FilingStatus.SUBMITTED)] if filed else []
    assert rules.filing_timeliness(DUE, facts, as_of) == expected


def test_a_returned_filing_does_not_count_from_the_day_it_was_returned():
    facts = [FilingFact(D(2025, 2, 1), FilingStatus.RETURNED, returned_on=D(2025, 2, 5))]
    assert rules.filing_timeliness(DUE, facts, D(2025, 2, 4)) == Timeliness.ON_TIME
    assert rules.filing_timeliness(DUE, facts, D(2025, 2, 5)) == Timeliness.RETURNED


def test_refiling_after_a_return_counts_from_the_new_filing_date():
    facts = [
        FilingFact(D(2025, 2, 1), FilingStatus.RETURNED, returned_on=D(2025, 2, 5)),
        FilingFact(D(2025, 2, 12), FilingStatus.SUBMITTED),
    ]
    assert rules.filing_timeliness(DUE, facts, D(2025, 2, 12)) == Timeliness.LATE


def test_days_late_is_zero_on_the_due_day_and_counts_days_after():
    assert rules.days_late(DUE, DUE) == 0
    assert rules.days_late(DUE, D(2025, 2, 13)) == 3


@pytest.mark.parametrize(
    ("status", "done_on", "as_of", "overdue"),
    [
        (TaskStatus.NOT_STARTED, None, DUE, False),
        (TaskStatus.DOING, None, D(2025, 2, 11), True),
        (TaskStatus.DONE, DUE, D(2025, 3, 1), False),
        (TaskStatus.DONE, D(2025, 2, 11), D(2025, 3, 1), True),
    ],
)
def test_a_task_is_overdue_when_open_after_its_due_date_or_done_late(status, done_on, as_of, overdue):
    assert rules.task_overdue(status, DUE, done_on, as_of) is overdue


@pytest.mark.parametrize(
    ("yuan", "wan"),
    [
        (Decimal("5000"), "0.5000"),
        (Decimal("12500.50"), "1.2501"),  # 1.25005 rounds half up
        (Decimal("1"), "0.0001"),
        (Decimal("0.49"), "0.0000"),
        (None, "0.0000"),
        (Decimal("123456789.12"), "12345.6789"),
    ],
)
def test_money_in_yuan_is_shown_in_wan_yuan_to_four_decimals(yuan, wan):
    assert rules.format_wan(yuan) == wan


@pytest.mark.parametrize(
    ("current", "verb", "allowed"),
    [
        (FilingStatus.SUBMITTED, "accept", True),
        (FilingStatus.SUBMITTED, "return", True),
        (FilingStatus.ACCEPTED, "return", True),
        (FilingStatus.ACCEPTED, "accept", False),
        (FilingStatus.RETURNED, "accept", False),
        (FilingStatus.RETURNED, "return", False),
    ],
)
def test_the_filing_transition_table_allows_exactly_its_moves(current, verb, allowed):
    if allowed:
        to, perm = workflow.next_status(current, verb)
        assert perm == "campaign.review"
        assert to == (FilingStatus.ACCEPTED if verb == "accept" else FilingStatus.RETURNED)
    else:
        with pytest.raises(workflow.IllegalMove):
            workflow.next_status(current, verb)
