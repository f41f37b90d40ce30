"""Pure rules: the 493 grade table at every threshold, report timeliness, the workflow table."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from anbiao.ledgers import scoring, workflow
from anbiao.ledgers.models import AccidentRuleSet
from anbiao.ledgers.seed import GRADES
from anbiao.ledgers.services import thresholds

TABLE = [scoring.GradeThreshold(g, r, d, s, loss) for g, r, d, s, loss in GRADES]
WAN = Decimal("10000")


def grade(deaths=0, serious=0, loss=Decimal("0"), table=TABLE):
    return scoring.accident_grade(deaths=deaths, serious_injuries=serious, direct_loss=loss, thresholds=table)


@pytest.mark.parametrize(
    ("deaths", "expected"),
    [
        (0, "ordinary"),
        (2, "ordinary"),
        (3, "larger"),
        (9, "larger"),
        (10, "major"),
        (29, "major"),
        (30, "extraordinary"),
        (31, "extraordinary"),
    ],
)
def test_the_grade_follows_the_deaths_at_every_threshold_of_order_493(deaths, expected):
    assert grade(deaths=deaths) == expected


@pytest.mark.parametrize(
    ("serious", "expected"),
    [
        (0, "ordinary"),
        (9, "ordinary"),
        (10, "larger"),
        (49, "larger"),
        (50, "major"),
        (99, "major"),
        (100, "extraordinary"),
    ],
)
def test_the_grade_follows_the_serious_injuries_at_every_threshold_of_order_493(serious, expected):
    assert grade(serious=serious) == expected


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        (Decimal("0"), "ordinary"),
        (1000 * WAN - Decimal("0.01"), "ordinary"),
        (1000 * WAN, "larger"),
        (5000 * WAN - Decimal("0.01"), "larger"),
        (5000 * WAN, "major"),
        (10000 * WAN - Decimal("0.01"), "major"),
        (10000 * WAN, "extraordinary"),
    ],
)
def test_the_grade_follows_the_direct_loss_at_every_threshold_of_order_493(loss, expected):
    assert grade(loss=loss) == expected


def test_the_most_severe_of_the_three_figures_decides_the_grade():
    assert grade(deaths=1, serious=12, loss=Decimal("1")) == "larger"
    assert grade(deaths=10, serious=0, loss=1000 * WAN) == "major"


def test_the_seeded_rule_set_is_the_493_table_and_the_service_reads_it_as_data(db):
    rule_set = AccidentRuleSet.objects.get()
    assert (rule_set.report_limit_hours, rule_set.investigation_limit_days) == (1, 60)
    table = thresholds(rule_set)
    assert grade(deaths=3, table=table) == "larger"
    row = rule_set.grades.get(grade="larger")
    row.min_deaths = 4
    row.save()
    assert grade(deaths=3, table=thresholds(rule_set)) == "ordinary"


def test_a_grade_table_without_rows_is_refused():
    with pytest.raises(ValueError):
        grade(table=[])


T0 = datetime.datetime(2025, 8, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0, "on_time"), (59, "on_time"), (60, "on_time"), (61, "late"), (600, "late")],
)
def test_report_timeliness_counts_the_hour_after_the_accident(minutes, expected):
    reported = T0 + datetime.timedelta(minutes=minutes)
    assert (
        scoring.report_timeliness(occurred_at=T0, reported_at=reported, limit_hours=1, now=reported)
        == expected
    )


def test_an_unreported_accident_is_not_reported_and_a_near_miss_needs_no_report():
    assert (
        scoring.report_timeliness(occurred_at=T0, reported_at=None, limit_hours=1, now=T0) == "not_reported"
    )
    assert (
        scoring.report_timeliness(occurred_at=T0, reported_at=None, limit_hours=1, now=T0, is_near_miss=True)
        == "not_required"
    )


def test_an_investigation_is_overdue_only_after_its_limit_and_only_while_open():
    day = datetime.date(2025, 1, 1)
    assert not scoring.investigation_overdue(
        occurred_on=day, closed=False, today=day + datetime.timedelta(60), limit_days=60
    )
    assert scoring.investigation_overdue(
        occurred_on=day, closed=False, today=day + datetime.timedelta(61), limit_days=60
    )
    assert not scoring.investigation_overdue(
        occurred_on=day, closed=True, today=day + datetime.timedelta(99), limit_days=60
    )


@pytest.mark.parametrize(
    ("action", "status", "target"),
    [
        ("investigate", "reported", "investigating"),
        ("conclude", "investigating", "rectifying"),
        ("close", "rectifying", "closed"),
        ("reopen", "closed", "investigating"),
    ],
)
def test_every_allowed_move_of_the_workflow_table(action, status, target):
    assert workflow.transition_for(action, status).target == target


@pytest.mark.parametrize("action", list(workflow.TRANSITIONS))
@pytest.mark.parametrize("status", ["reported", "investigating", "rectifying", "closed"])
def test_every_other_move_is_refused_with_a_chinese_message(action, status):
    if status in workflow.TRANSITIONS[action].sources:
        return
    with pytest.raises(ValidationError, match="不能执行"):
        workflow.transition_for(action, status)


def test_an_unknown_move_is_refused():
    with pytest.raises(ValidationError, match="未知"):
        workflow.transition_for("delete", "reported")
