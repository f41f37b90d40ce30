"""Counting selectors of the quarterly tables on constructed data: dates on both sides of the window and the
as_of boundary (accepted after as_of is not rectified on as_of; voided after as_of still counts)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from anbiao.hazards import selectors
from anbiao.hazards.choices import Level, Source, State
from anbiao.hazards.models import Hazard, HazardListing, Inspection, InternalReport
from anbiao.hazards.tests import factories
from anbiao.hazards.tests.helpers import build
from anbiao.orgs.models import Enterprise

START = datetime.date(2025, 1, 1)
AS_OF = datetime.date(2025, 3, 31)
D = datetime.date


def _h(world, enterprise, found_on, *, source=Source.SELF, **fields):
    h = factories.hazard(world, enterprise, source=source, found_on=found_on)
    if fields:
        Hazard.objects.filter(pk=h.pk).update(**fields)
        h.refresh_from_db()
    return h


def _subtree(world, unit):
    return Enterprise.objects.filter(unit__path__startswith=unit.path)


def _pks(qs):
    return set(qs.values_list("pk", flat=True))


@pytest.fixture
def self_hazards(world):
    return {
        "rectified": _h(world, world.ent_a, D(2025, 2, 1), state=State.CLOSED, accepted_on=D(2025, 3, 15)),
        "accepted_on_as_of": _h(world, world.ent_a1, D(2025, 1, 1), state=State.CLOSED, accepted_on=AS_OF),
        "accepted_later": _h(
            world, world.ent_a, D(2025, 3, 20), state=State.CLOSED, accepted_on=D(2025, 4, 5)
        ),
        "before_window": _h(world, world.ent_a, D(2024, 12, 31)),
        "after_as_of": _h(world, world.ent_a, D(2025, 4, 1)),
        "voided_in_window": _h(
            world, world.ent_a, D(2025, 2, 10), state=State.VOIDED, voided_on=D(2025, 3, 1)
        ),
        "voided_later": _h(world, world.ent_a, D(2025, 2, 10), state=State.VOIDED, voided_on=D(2025, 4, 10)),
        "supervisor": _h(world, world.ent_a, D(2025, 2, 1), source=Source.SUPERVISOR),
        "sibling": _h(world, world.ent_b, D(2025, 2, 1)),
    }


def test_self_found_hazards_count_the_window_and_voids_after_as_of(world, self_hazards):
    got = _pks(selectors.self_found_hazards(_subtree(world, world.unit_a), START, AS_OF))
    names = {k for k, h in self_hazards.items() if h.pk in got}
    assert names == {"rectified", "accepted_on_as_of", "accepted_later", "voided_later"}


def test_self_hazards_rectified_are_those_accepted_by_as_of(world, self_hazards):
    got = _pks(selectors.self_hazards_rectified(_subtree(world, world.unit_a), START, AS_OF))
    assert got == {self_hazards["rectified"].pk, self_hazards["accepted_on_as_of"].pk}
    later = _pks(selectors.self_hazards_rectified(_subtree(world, world.unit_a), START, D(2025, 4, 5)))
    assert self_hazards["accepted_later"].pk in later


def test_the_sibling_units_enterprises_are_counted_only_in_their_own_subtree(world, self_hazards):
    assert _pks(selectors.self_found_hazards(_subtree(world, world.unit_b), START, AS_OF)) == {
        self_hazards["sibling"].pk
    }
    assert selectors.self_found_hazards(_subtree(world, world.county), START, AS_OF).count() == 5


def test_enterprises_with_three_lists_need_a_completed_self_inspection_with_a_checklist_in_the_window(world):
    t = factories.template(world, organization=world.county, name="通用清单")
    factories.inspection(world, world.ent_a, kind="self", t=t)
    late = factories.inspection(world, world.ent_a1, kind="self", t=t)
    Inspection.objects.filter(pk=late.pk).update(inspected_on=D(2025, 4, 2))
    factories.inspection(world, world.ent_b, kind="self", t=t, complete=False)
    factories.inspection(world, world.ent_b, kind="unit", t=t)
    got = _pks(selectors.enterprises_with_three_lists(Enterprise.objects.all(), START, AS_OF))
    assert got == {world.ent_a.pk}


@pytest.fixture
def supervised(world):
    t = factories.template(world, organization=world.county, name="通用清单", items=3)
    in_window = factories.inspection(world, world.ent_a, kind="unit", t=t, fail=2)
    grid = factories.inspection(world, world.ent_a1, kind="grid", t=t, fail=1)
    outside = factories.inspection(world, world.ent_a, kind="county", t=t, fail=1)
    Inspection.objects.filter(pk=outside.pk).update(inspected_on=D(2024, 12, 20))
    Hazard.objects.filter(inspection=outside).update(found_on=D(2024, 12, 20))
    draft = factories.inspection(world, world.ent_a, kind="unit", t=t, complete=False)
    own = factories.inspection(world, world.ent_a, kind="self", t=t, fail=1)
    first, second = in_window.hazards.order_by("code")
    Hazard.objects.filter(pk=first.pk).update(state=State.CLOSED, accepted_on=D(2025, 3, 30))
    Hazard.objects.filter(pk=second.pk).update(state=State.CLOSED, accepted_on=D(2025, 4, 1))
    Hazard.objects.filter(pk=grid.hazards.get().pk).update(state=State.VOIDED, voided_on=D(2025, 4, 2))
    return {
        "in_window": in_window,
        "grid": grid,
        "outside": outside,
        "draft": draft,
        "own": own,
        "first": first,
    }


def test_supervisor_inspections_count_completed_supervisor_inspections_in_the_window(world, supervised):
    got = _pks(selectors.supervisor_inspections(Enterprise.objects.all(), START, AS_OF))
    assert got == {supervised["in_window"].pk, supervised["grid"].pk}


def test_supervisor_found_and_rectified_hazards_follow_as_of(world, supervised):
    found = selectors.supervisor_found_hazards(Enterprise.objects.all(), START, AS_OF)
    assert found.count() == 3
    assert not found.filter(inspection=supervised["own"]).exists()
    rectified = _pks(selectors.supervisor_hazards_rectified(Enterprise.objects.all(), START, AS_OF))
    assert rectified == {supervised["first"].pk}
    assert selectors.supervisor_hazards_rectified(Enterprise.objects.all(), START, D(2025, 4, 1)).count() == 2
    assert selectors.supervisor_found_hazards(Enterprise.objects.all(), START, D(2025, 4, 3)).count() == 2


def test_listings_count_the_window_and_listed_hazards_rectified_by_as_of(world):
    def listed(enterprise, listed_on, accepted_on=None):
        h = _h(world, enterprise, D(2024, 12, 1), level=Level.MAJOR)
        if accepted_on:
            Hazard.objects.filter(pk=h.pk).update(state=State.CLOSED, accepted_on=accepted_on)
        return HazardListing.objects.create(
            hazard=h,
            organization=world.unit_a,
            listed_on=listed_on,
            deadline=D(2025, 6, 1),
            requirements="限期",
        )

    a = listed(world.ent_a, D(2025, 1, 5), accepted_on=D(2025, 3, 31))
    b = listed(world.ent_a1, D(2025, 3, 31), accepted_on=D(2025, 4, 1))
    listed(world.ent_a, D(2024, 12, 31))
    listed(world.ent_a, D(2025, 4, 1))
    enterprises = _subtree(world, world.unit_a)
    assert _pks(selectors.listings(enterprises, START, AS_OF)) == {a.pk, b.pk}
    assert _pks(selectors.listed_hazards_rectified(enterprises, START, AS_OF)) == {a.pk}


def test_enterprises_with_a_reporting_mechanism_need_date_and_document_by_as_of(world):
    factories.channel(world, world.ent_a)  # established on DAY (2025-03-10) with a document
    factories.channel(world, world.ent_a1, established=False)
    factories.channel(world, world.ent_b)
    assert _pks(selectors.enterprises_with_reporting_mechanism(_subtree(world, world.unit_a), AS_OF)) == {
        world.ent_a.pk
    }
    assert not selectors.enterprises_with_reporting_mechanism(
        Enterprise.objects.all(), D(2025, 3, 9)
    ).exists()


def _reward(world, enterprise, amount, paid_on):
    report = factories.internal_report(world, enterprise)
    InternalReport.objects.filter(pk=report.pk).update(
        status="verified", reward_amount=Decimal(amount), reward_paid_on=paid_on
    )
    return report


def test_reward_summary_counts_firms_people_and_ten_thousands_of_yuan_to_four_places(world):
    _reward(world, world.ent_a, "1234.56", D(2025, 2, 1))
    _reward(world, world.ent_a, "100", D(2025, 3, 31))
    _reward(world, world.ent_a1, "50", D(2025, 1, 1))
    _reward(world, world.ent_a, "999", D(2025, 4, 1))
    _reward(world, world.ent_b, "999", D(2025, 2, 1))
    summary = selectors.reward_summary(_subtree(world, world.unit_a), START, AS_OF)
    assert summary == {"enterprises": 2, "amount_wan": Decimal("0.1385"), "people": 3}
    assert str(summary["amount_wan"]) == "0.1385"
    assert selectors.reward_summary(_subtree(world, world.unit_a), D(2026, 1, 1), D(2026, 3, 31)) == {
        "enterprises": 0,
        "amount_wan": Decimal("0.0000"),
        "people": 0,
    }


def test_reward_summary_rounds_half_up_like_the_other_quarterly_tables(world):
    _reward(world, world.ent_a, "12344.50", D(2025, 2, 1))
    assert selectors.reward_summary(_subtree(world, world.unit_a), START, AS_OF)["amount_wan"] == Decimal(
        "1.2345"
    )


def test_internal_reports_count_hazards_from_reports_found_in_the_window(world):
    inside = _h(world, world.ent_a, D(2025, 2, 1), source=Source.INTERNAL)
    _h(world, world.ent_a, D(2025, 4, 1), source=Source.INTERNAL)
    _h(world, world.ent_a, D(2025, 2, 1), source=Source.INTERNAL, state=State.VOIDED, voided_on=D(2025, 3, 1))
    voided_later = _h(
        world, world.ent_a, D(2025, 2, 1), source=Source.INTERNAL, state=State.VOIDED, voided_on=D(2025, 4, 1)
    )
    _h(world, world.ent_a, D(2025, 2, 1), source=Source.SELF)
    got = _pks(selectors.internal_reports(_subtree(world, world.unit_a), START, AS_OF))
    assert got == {inside.pk, voided_later.pk}


def test_enterprise_facts_on_a_date(world):
    ent = world.ent_a
    _h(world, ent, D(2025, 3, 1), state=State.PENDING, deadline=D(2025, 3, 20))  # open, overdue on AS_OF
    _h(  # rectified before AS_OF, accepted after: open but not overdue
        world,
        ent,
        D(2025, 3, 1),
        state=State.CLOSED,
        deadline=D(2025, 3, 20),
        rectified_on=D(2025, 3, 19),
        accepted_on=D(2025, 4, 2),
    )
    _h(world, ent, D(2025, 3, 1), state=State.CLOSED, accepted_on=D(2025, 3, 30))  # closed by AS_OF
    _h(world, ent, D(2025, 3, 1), state=State.VOIDED, voided_on=D(2025, 4, 5))  # voided after AS_OF: open
    _h(world, ent, D(2025, 4, 1))  # found after AS_OF
    major = _h(world, ent, D(2024, 6, 1), level=Level.MAJOR)
    HazardListing.objects.create(
        hazard=major,
        organization=world.unit_a,
        listed_on=D(2025, 1, 1),
        deadline=D(2025, 6, 1),
        requirements="x",
    )
    delisted = _h(world, ent, D(2024, 6, 1), level=Level.MAJOR)
    HazardListing.objects.create(
        hazard=delisted,
        organization=world.unit_a,
        listed_on=D(2025, 1, 1),
        deadline=D(2025, 6, 1),
        requirements="x",
        delisted_on=D(2025, 3, 1),
    )
    _h(world, ent, D(2024, 1, 1))  # more than 12 months before AS_OF, still open
    facts = selectors.enterprise_facts([ent.pk, world.ent_b.pk], AS_OF)
    assert facts[ent.pk] == {
        "hazards_open": 6,
        "hazards_overdue": 1,
        "major_hazards_open": 2,
        "major_hazards_listed": 1,
        "hazards_found_12m": 6,
    }
    assert world.ent_b.pk not in facts


def test_state_on_reads_the_timeline(world):
    h = build(world, world.ent_a, State.AWAITING)  # registered DAY, submitted DAY+5 (assign/start today)
    assert selectors.state_on(h, D(2025, 3, 9)) is None
    assert selectors.state_on(h, D(2025, 3, 10)) == State.REGISTERED
    assert selectors.state_on(h, D(2025, 3, 15)) == State.AWAITING


def test_state_on_today_of_a_hazard_closed_by_back_dated_entry_is_closed(world):
    h = build(world, world.ent_a, State.CLOSED)
    assert h.state == State.CLOSED
    assert selectors.state_on(h, timezone.localdate()) == State.CLOSED
