"""The benchmark's SQL floor gives the report's numbers, and the report's fast path (families of cells counted
together, tables.compute) gives every cell's own definition — on the persona world with a record behind
nearly every cell, and on a small synthetic county, for whole subtrees, 本级 and the roll-up."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from anbiao.core.registry import app_modules
from anbiao.core.testing import system_scope
from anbiao.orgs.models import Organization
from anbiao.perf import floor
from anbiao.reports import figures, selectors, tables
from anbiao.reports.cells import CELLS
from anbiao.reports.context import Quarter, ReportContext

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = timezone.localdate()
QUARTERS = (Quarter(2025, 3), Quarter(2025, 4), Quarter(TODAY.year, (TODAY.month - 1) // 3 + 1))
ALWAYS_ZERO = {"t1.grade.local.1", "t1.grade.local.2", "t1.grade.local.3"}  # 地标 不分级


def every_pair(world) -> None:
    """One record of every scoped model on each side of the sibling boundary (the apps' PAIRS builders;
    not the reports app's: its placeholder submissions freeze no figures)."""
    for module in app_modules("testing"):
        if module.__name__ != "anbiao.reports.testing":
            for builder in getattr(module, "PAIRS", {}).values():
                builder(world)


def more_records(world) -> None:
    """What the pairs leave at zero: the kinds, sources, levels and outcomes the other cells count."""
    from anbiao.campaigns import models as camp
    from anbiao.campaigns.choices import EnforcementKind, Level, PostType, SessionKind, ShowcaseCategory
    from anbiao.hazards.choices import Source
    from anbiao.hazards.tests import factories as hf
    from anbiao.orgs.choices import SizeClass
    from anbiao.standards.services import records as std_records

    root = system_scope(world.county)
    day = D(2025, 6, 2)
    for ent in (world.ent_a, world.ent_a1, world.ent_b):
        for source in (Source.SELF, Source.INTERNAL, Source.GRID):
            hf.hazard(world, ent, found_on=day, source=source)
        for kind in EnforcementKind.values:
            camp.EnforcementAction.objects.create(
                enterprise=ent,
                kind=kind,
                authority="惠安县应急管理局",
                action_on=day,
                amount=Decimal("12344.50") if kind == EnforcementKind.FINE else None,
                persons=2 if kind == EnforcementKind.JUDICIAL else None,
            )
    for unit in (world.unit_a, world.unit_a1, world.unit_b, world.county):
        for level in Level.values:
            camp.ShowcaseEntry.objects.create(
                unit=unit, category=ShowcaseCategory.TOWN_CASE, level=level, recognised_on=day, title="案例"
            )
            for size in SizeClass.values:
                camp.ShowcaseEntry.objects.create(
                    unit=unit,
                    category=ShowcaseCategory.ENTERPRISE_CASE,
                    level=level,
                    recognised_on=day,
                    title="百优",
                    enterprise=world.ent_a,
                    size_class=size,
                )
            for post in PostType.values:
                camp.ShowcaseEntry.objects.create(
                    unit=unit,
                    category=ShowcaseCategory.POST,
                    level=level,
                    recognised_on=day,
                    title="岗位",
                    post_type=post,
                )
        for ent in (
            world.ent_a,
            world.ent_b,
        ):  # the same enterprise reviewed by two units: a union, not a sum
            for size in (SizeClass.ABOVE_SCALE, SizeClass.MEDIUM):
                camp.ShowcaseEntry.objects.create(
                    unit=unit,
                    category=ShowcaseCategory.THOUSAND,
                    level=Level.COUNTY,
                    recognised_on=day,
                    title="千企",
                    enterprise=ent,
                    size_class=size,
                )
        for kind in SessionKind.values:
            session = camp.TrainingSession.objects.create(
                unit=unit, kind=kind, level=Level.COUNTY, organizer="县社", held_on=day, topic="专题"
            )
            for n, ent in enumerate((world.ent_a, world.ent_a, world.ent_b, None)):
                camp.Attendance.objects.create(session=session, enterprise=ent, person_name=f"学员{n}")
    for ent, stars in ((world.ent_a, 5), (world.ent_a1, 3), (world.ent_b, 1)):
        std_records.star_rate(
            actor=None,
            scope=root,
            enterprise=ent,
            stars=stars,
            rated_on=D(2025, 7, 1),
            basis="达标",
            rater_name="县社",
        )
    for ent, grade_type, level in (
        (world.ent_a, "national", 1),
        (world.ent_a1, "provincial", 2),
        (world.ent_b, "local", None),
    ):
        std_records.grade_create(
            actor=None,
            scope=root,
            enterprise=ent,
            data={
                "grade_type": grade_type,
                "level": level,
                "reviewing_body": "泉州市应急管理局",
                "certified_on": D(2022, 3, 1),
                "valid_to": D(2030, 12, 31),
            },
        )


def more_enterprises(world) -> None:
    """Enterprises of every size with the grades, stars, colours and self-assessments the pairs lack."""
    from anbiao.campaigns.choices import NormKind
    from anbiao.campaigns.models import EnterpriseLetter, NormDocument
    from anbiao.hazards.models import ChecklistVersion, Hazard, Inspection, InternalReport
    from anbiao.orgs import services as org_services
    from anbiao.orgs.tests.factories import enterprise_data
    from anbiao.reports.models import Adjustment
    from anbiao.risks.models import EnterpriseGrade
    from anbiao.standards import services as std
    from anbiao.standards.choices import SiteKind
    from anbiao.standards.models import SelfAssessment, Standard
    from anbiao.standards.selectors import active_checklist

    root = system_scope(world.county)
    made = [
        org_services.enterprise_create(
            actor=None,
            scope=root,
            data=enterprise_data(unit=unit, size_class=size, registered_on=D(2024, 1, 1)),
        )
        for unit, size in (
            (world.unit_a, "above_scale"),
            (world.unit_a1, "medium"),
            (world.unit_b, "above_scale"),
            (world.unit_b, "medium"),
            (world.unit_a1, "small"),
            (world.unit_a, "above_scale"),
            (world.unit_b, "small"),
        )
    ]
    for ent, grade_type, level in zip(
        made[:4], ("national", "national", "provincial", "provincial"), (2, 3, 1, 3), strict=True
    ):
        std.grade_create(
            actor=None,
            scope=root,
            enterprise=ent,
            data={
                "grade_type": grade_type,
                "level": level,
                "reviewing_body": "福建省应急管理厅",
                "certified_on": D(2022, 3, 1),
                "valid_to": D(2030, 12, 31),
            },
        )
    for ent, stars in zip(made[:4], (4, 2, 4, 2), strict=True):
        std.star_rate(
            actor=None,
            scope=root,
            enterprise=ent,
            stars=stars,
            rated_on=D(2025, 2, 1),
            basis="达标",
            rater_name="县社",
        )
    for ent, level, source, computed in (
        (made[0], "general", "computed", "general"),
        (made[1], "significant", "computed", "significant"),
        (made[2], "major", "override", "significant"),  # the override expired: counts as its computed colour
        (made[3], "low", "computed", "low"),
    ):
        EnterpriseGrade.objects.create(
            enterprise=ent,
            valid_from=D(2024, 6, 1),
            level=level,
            source=source,
            computed_level=computed,
            override_until=D(2025, 1, 31) if source == "override" else None,
            reasons=[],
            facts={},
        )
    for ent in made[4:]:
        a = std.assessment_create(
            actor=None, scope=root, enterprise=ent, year=2025, leader_name="张三", started_on=D(2025, 5, 1)
        )
        rows = {e.pk: {"applicable": True, "deduction": 0} for e in a.entries.all()}
        std.entries_save(actor=None, scope=root, assessment=a, rows=rows)
        std.assessment_submit(
            actor=None, scope=root, assessment=a, assessed_on=D(2025, 5, 2), conclusion="符合"
        )
        std.site_assessment_create(
            actor=None,
            scope=root,
            enterprise=ent,
            kind=SiteKind.SIX_HAVE,
            assessed_on=D(2025, 5, 3),
            assessor_name="王五",
            note="",
            results=[
                {"item": i, "passed": True, "score": 90, "photo": None}
                for i in active_checklist(SiteKind.SIX_HAVE).items.all()
            ],
        )
    provincial = Standard.objects.get(grade_type="national")  # no 省标 catalogue is seeded: a copy stands in
    provincial.pk, provincial.code, provincial.grade_type, provincial.is_active = (
        None,
        "FJ-TEST",
        "provincial",
        False,
    )
    provincial.save()
    for grade_type, sa in zip(
        ("national", "provincial", "local"), SelfAssessment.objects.filter(enterprise__in=made), strict=True
    ):
        SelfAssessment.objects.filter(pk=sa.pk).update(
            standard=Standard.objects.filter(grade_type=grade_type).first()
        )
    # records moved into the windows and given the outcomes counted (the report reads only dates and flags)
    version = ChecklistVersion.objects.first()
    Inspection.objects.filter(enterprise=world.ent_a).update(
        kind="self", status="done", version=version, inspected_on=D(2025, 4, 1)
    )
    supervised = Hazard.objects.filter(
        inspection__kind__in=["unit", "county", "expert", "enforcement", "grid"]
    )
    for n, h in enumerate(Hazard.objects.order_by("pk")):
        if n % 2 == 0 or h.pk == supervised.values_list("pk", flat=True).first():
            Hazard.objects.filter(pk=h.pk).update(accepted_on=h.found_on + datetime.timedelta(days=20))
    EnterpriseLetter.objects.update(delivered_on=D(2025, 3, 1), signed_on=D(2025, 3, 5))
    InternalReport.objects.update(reward_paid_on=D(2025, 6, 1), reward_amount=Decimal("500.00"))
    for unit in (world.unit_a1, world.unit_b):
        for kind in NormKind.values:
            NormDocument.objects.create(
                unit=unit, kind=kind, title="规范", version="1.0", issued_on=D(2025, 4, 1)
            )
    for unit, key, delta in (
        (world.unit_a1, "t2.thousand.medium", Decimal(1)),  # a union cell: the adjustment is added to it
        (world.unit_b, "t2.training.sessions", Decimal(2)),
        (world.county, "t3.fine.amount", Decimal("0.5")),
    ):
        Adjustment.objects.create(
            unit=unit, quarter=QUARTERS[0].code, cell_key=key, delta=delta, reason="补录"
        )


@pytest.fixture
def rich_world(world):
    every_pair(world)
    more_records(world)
    more_enterprises(world)
    return world


def contexts(top: Organization):
    scope = system_scope(top)
    for quarter in QUARTERS:
        for unit in Organization.objects.filter(path__startswith=top.path).order_by("path"):
            for own_only in (False, True):
                yield ReportContext(scope=scope, unit=unit, as_of=quarter.end, own_only=own_only), quarter


def assert_floor_equals_report(top: Organization) -> set[str]:
    nonzero: set[str] = set()
    for ctx, quarter in contexts(top):
        report = figures.report_values(ctx)
        ref, _queries = floor.unit_report(ctx.unit, ctx.as_of, quarter.code, own_only=ctx.own_only)
        assert report == ref, {k: (report[k], ref[k]) for k in report if report[k] != ref[k]}
        nonzero |= {k for k, v in report.items() if v}
    return nonzero


def assert_families_equal_definitions(top: Organization) -> None:
    for ctx, _quarter in contexts(top):
        fast = tables.compute(ctx)
        one_by_one = {key: cell.compute(ctx) for key, cell in CELLS.items()}
        assert fast == one_by_one, {k: (fast[k], one_by_one[k]) for k in CELLS if fast[k] != one_by_one[k]}
        assert all(type(fast[k]) is type(one_by_one[k]) for k in CELLS)


def assert_rollup_equals(top: Organization) -> None:
    scope = system_scope(top)
    for quarter in QUARTERS:
        app = selectors.blocks(selectors.parts(scope=scope, unit=top, quarter=quarter))
        ref, _queries = floor.rollup(top, quarter.end, quarter.code)
        assert [label for label, _ in app] == [label for label, _ in ref]
        for (label, a), (_, b) in zip(app, ref, strict=True):
            assert a == b, (label, {k: (a[k], b[k]) for k in a if a[k] != b[k]})


def test_the_floor_equals_the_report_in_every_cell_of_the_world(rich_world):
    nonzero = assert_floor_equals_report(rich_world.county)
    missing = sorted(set(CELLS) - ALWAYS_ZERO - nonzero)
    assert not missing, " ".join(missing)


def test_the_report_fast_path_equals_each_cells_definition_in_the_world(rich_world):
    assert_families_equal_definitions(rich_world.county)


def test_the_floor_equals_the_roll_up_with_a_submitted_child_and_adjustments(rich_world):
    from anbiao.reports import services

    w = rich_world
    quarter = QUARTERS[0]
    services.submit(
        actor=w.admin_b,
        scope=system_scope(w.county),
        unit=w.unit_b,
        quarter=quarter,
        filler_name="张三",
        filler_phone="0595-1",
    )
    assert_rollup_equals(w.county)


SMALL = ["--units", "4", "--enterprises", "40", "--years", "2", "--seed", "3"]


def test_the_floor_and_the_fast_path_equal_the_definitions_on_a_small_synthetic_county():
    call_command("anbiao_synth", *SMALL, stdout=open("/dev/null", "w"))  # noqa: SIM115
    top = Organization.objects.get(parent__isnull=True)
    nonzero = assert_floor_equals_report(top)
    assert len(nonzero) > 50  # the set has records behind most cells
    assert_families_equal_definitions(top)
    assert_rollup_equals(top)
