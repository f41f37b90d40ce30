"""Cell values on constructed data: records on both sides of every window edge, of as_of and of the
sibling boundary; parent == sum of children for additive cells."""

import datetime
from decimal import Decimal

import pytest

from anbiao.campaigns.choices import EnforcementKind
from anbiao.campaigns.models import EnforcementAction
from anbiao.core.testing import system_scope
from anbiao.hazards.choices import Source
from anbiao.hazards.tests import factories as hf
from anbiao.orgs import services as org_services
from anbiao.orgs.choices import SizeClass, Status
from anbiao.orgs.tests.factories import enterprise_data
from anbiao.reports.cells import CELLS
from anbiao.reports.context import Quarter, ReportContext
from anbiao.reports.tables import compute
from anbiao.standards.services import records as std_records

pytestmark = pytest.mark.django_db

Q3 = Quarter(2025, 3)
Q4 = Quarter(2025, 4)
D = datetime.date


def values(world, unit, quarter=Q3):
    ctx = ReportContext(scope=system_scope(world.county), unit=unit, as_of=quarter.end)
    return compute(ctx)


def test_a_quarter_ends_on_its_last_day_and_the_default_is_the_last_finished_quarter():
    assert Quarter.parse("2025q3").end == D(2025, 9, 30)
    assert Quarter(2025, 4).end == D(2025, 12, 31)
    assert Quarter.last_finished(D(2026, 11, 29)) == Quarter(2026, 3)
    assert Quarter.last_finished(D(2026, 2, 1)) == Quarter(2025, 4)
    assert Quarter.parse("2025Q5") is None
    assert Quarter.finished(D(2021, 12, 1))[-1] == Quarter(2021, 3)


def test_the_enterprise_base_counts_operating_enterprises_where_they_were_on_the_quarters_last_day(world):
    root = system_scope(world.county)
    late = org_services.enterprise_create(
        actor=None, scope=root, data=enterprise_data(unit=world.unit_a, registered_on=D(2025, 10, 1))
    )
    org_services.enterprise_update(
        actor=None,
        scope=root,
        enterprise=world.ent_a1,
        data={"size_class": SizeClass.ABOVE_SCALE},
        effective=D(2025, 9, 30),
    )
    org_services.enterprise_update(
        actor=None, scope=root, enterprise=world.ent_a, data={"unit": world.unit_b}, effective=D(2025, 10, 1)
    )
    org_services.enterprise_close(actor=None, scope=root, enterprise=world.ent_b, on=D(2025, 9, 30))

    a3, b3 = values(world, world.unit_a), values(world, world.unit_b)
    assert (a3["t1.base.total"], a3["t1.base.above_scale"], a3["t1.base.small"]) == (2, 1, 1)
    assert b3["t1.base.total"] == 0  # closed on the quarter's last day
    a4, b4 = values(world, world.unit_a, Q4), values(world, world.unit_b, Q4)
    assert a4["t1.base.total"] == 2  # ent_a moved out, the late registration came in
    assert b4["t1.base.total"] == 1
    assert late.states.first().status == Status.OPERATING


def test_self_found_hazards_count_from_2025_01_01_to_the_quarters_last_day_inside_the_subtree(world):
    for day in (D(2024, 12, 31), D(2025, 1, 1), D(2025, 9, 30), D(2025, 10, 1)):
        hf.hazard(world, world.ent_a1, found_on=day)
    hf.hazard(world, world.ent_b, found_on=D(2025, 3, 1))
    hf.hazard(world, world.ent_a, found_on=D(2025, 3, 1), source=Source.INTERNAL)
    assert values(world, world.unit_a)["t1.lists.self_found"] == 2
    assert values(world, world.unit_a, Q4)["t1.lists.self_found"] == 3
    assert values(world, world.unit_a)["t3.reporting.hazards"] == 1
    assert values(world, world.unit_b)["t1.lists.self_found"] == 1
    assert values(world, world.unit_a)["t1.lists.self_rectified"] == 0


def test_stars_count_from_2024_04_01_and_grades_from_2021_08_01(world):
    root = system_scope(world.county)
    for ent, day in ((world.ent_a, D(2024, 3, 31)), (world.ent_a1, D(2024, 4, 1))):
        std_records.star_rate(
            actor=None, scope=root, enterprise=ent, stars=4, rated_on=day, basis="达标", rater_name="县社"
        )
    for ent, day in ((world.ent_a, D(2021, 7, 31)), (world.ent_a1, D(2021, 8, 1))):
        std_records.grade_create(
            actor=None,
            scope=root,
            enterprise=ent,
            data={
                "grade_type": "national",
                "level": 2,
                "reviewing_body": "泉州市应急管理局",
                "certified_on": day,
                "valid_to": D(2027, 12, 31),
            },
        )
    v = values(world, world.unit_a)
    assert v["t1.stars.4"] == 1 and v["t1.stars.5"] == 0
    assert v["t1.grade.national.2"] == 1 and v["t1.grade.national.total"] == 1
    assert v["t1.grade.local.1"] == 0 and v["t1.grade.provincial.total"] == 0


def test_fines_count_from_2025_01_01_and_sum_in_wan_yuan_to_four_places(world):
    for day, amount in ((D(2024, 12, 31), 9999), (D(2025, 1, 1), 12344.5), (D(2025, 10, 1), 7000)):
        EnforcementAction.objects.create(
            enterprise=world.ent_a1,
            kind=EnforcementKind.FINE,
            authority="惠安县应急管理局",
            action_on=day,
            amount=Decimal(str(amount)),
        )
    v = values(world, world.unit_a)
    assert v["t3.fine.count"] == 1
    assert v["t3.fine.amount"] == Decimal("1.2345")
    assert values(world, world.unit_b)["t3.fine.count"] == 0


def test_every_cell_has_a_value_and_no_cell_is_blank_even_without_records(world):
    v = values(world, world.unit_b)
    assert set(v) == set(CELLS)
    assert all(value is not None for value in v.values())


def test_the_county_figure_is_the_sum_of_its_units_for_every_additive_cell(world):
    for ent in (world.ent_a, world.ent_a1, world.ent_b):
        hf.hazard(world, ent, found_on=D(2025, 5, 1))
        EnforcementAction.objects.create(
            enterprise=ent, kind=EnforcementKind.INTERVIEW, authority="本单位", action_on=D(2025, 5, 2)
        )
    county = values(world, world.county)
    a, b = values(world, world.unit_a), values(world, world.unit_b)
    assert county["t1.lists.self_found"] == 3 and county["t3.interview"] == 3
    for key, cell in CELLS.items():
        if cell.additive:
            assert county[key] == a[key] + b[key], key


def test_cross_checks_flag_a_broken_identity_and_pass_a_consistent_table():
    from anbiao.reports import checks

    values = dict.fromkeys(CELLS, 0)
    assert all(c["ok"] for c in checks.run(values))
    values.update({"t1.base.total": 3, "t1.base.small": 2, "t2.commitments": 2, "t2.letters": 1})
    failed = {c["text"] for c in checks.run(values) if not c["ok"]}
    assert failed == {"规上+中等+小微 = 企业底数总数", "签订承诺书企业数 ≤ 函告企业数"}


EDGES = ((D(2024, 12, 31), False), (D(2025, 1, 1), True), (D(2025, 9, 30), True), (D(2025, 10, 1), False))


@pytest.mark.parametrize(
    ("builder", "field", "keys"),
    [
        ("sessions", "held_on", ("t2.training.sessions",)),
        ("attendances", None, ("t2.training.enterprises", "t2.training.persons")),
        ("showcase", "recognised_on", ("t2.enterprise_cases.county.",)),
        ("norms", "issued_on", ("t3.norms.checklist",)),
        ("letters", "delivered_on", ("t2.letters",)),
        ("letters", "signed_on", ("t2.commitments",)),
        ("enforcement", "action_on", ("t3.fine.count", "t3.fine.amount")),
    ],
)
def test_table_2_and_3_records_count_from_2025_01_01_to_the_quarters_last_day_not_a_day_outside(
    world, builder, field, keys
):
    from anbiao.campaigns import testing as campaign_pairs

    inside, outside = getattr(campaign_pairs, builder)(world)  # one in unit A, one in sibling unit B
    dated = inside.session if field is None else inside
    field = field or "held_on"

    def counted():
        v = values(world, world.unit_a)
        return sum(v[k] for k in CELLS if k.startswith(keys))

    for day, counts in EDGES:
        setattr(dated, field, day)
        dated.save()
        assert bool(counted()) is counts, (builder, day)
    setattr(dated, field, D(2025, 6, 1))
    dated.save()
    in_a = counted()
    sibling = outside.session if builder == "attendances" else outside
    setattr(sibling, field, D(2025, 6, 1))
    sibling.save()
    assert counted() == in_a > 0  # the sibling unit's record does not count in unit A
