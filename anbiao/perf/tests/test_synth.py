"""anbiao_synth builds every kind of row, and the rows are what the services would have written: valid
models, gap-free dated histories that match the current fields, hazards in the state their timeline gives,
report cross-checks that hold and drill-downs that list exactly the counted rows; the same seed builds the
same data; it refuses a database that already has enterprises."""

from __future__ import annotations

import datetime
import io
import itertools
import random
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from anbiao.accounts.models import Membership, User
from anbiao.campaigns import models as camp
from anbiao.core import registry
from anbiao.core.models import EvidenceFile
from anbiao.core.scope import system_scope
from anbiao.duty import models as duty
from anbiao.hazards import models as hz
from anbiao.hazards.choices import Level, State
from anbiao.hazards.selectors import state_on
from anbiao.ledgers import models as led
from anbiao.orgs.models import Enterprise, EnterpriseState, Organization
from anbiao.perf.synth import facts
from anbiao.reports import checks
from anbiao.reports.cells import CELLS
from anbiao.reports.context import Quarter, ReportContext
from anbiao.reports.figures import report_values
from anbiao.reports.tables import compute
from anbiao.risks import models as rk
from anbiao.risks import scoring as risk_scoring
from anbiao.risks import selectors as risk_selectors
from anbiao.standards import models as std

TODAY = datetime.date(2026, 6, 30)
Q3 = Quarter(2025, 3)
SMALL = ["--units", "4", "--enterprises", "60", "--years", "1", "--seed", "7", "--today", TODAY.isoformat()]

EVERY_KIND = [
    Organization,
    Enterprise,
    EnterpriseState,
    User,
    Membership,
    EvidenceFile,
    duty.Department,
    duty.Person,
    duty.Post,
    duty.PostHolding,
    duty.DutyList,
    duty.DutyItem,
    duty.AssessItem,
    duty.SafetyBody,
    duty.SafetyOfficer,
    duty.RescueTeam,
    duty.RescueTeamMember,
    duty.Certificate,
    duty.AnnualAssessment,
    duty.AssessmentScore,
    duty.ScoreDeduction,
    hz.ChecklistTemplate,
    hz.ChecklistVersion,
    hz.ChecklistItem,
    hz.Inspection,
    hz.InspectionResult,
    hz.InspectionPlan,
    hz.Hazard,
    hz.HazardEvent,
    hz.HazardListing,
    hz.ReportingChannel,
    hz.InternalReport,
    rk.RiskPoint,
    rk.RiskAssessment,
    rk.EnterpriseGrade,
    led.TrainingSession,
    led.TrainingAttendance,
    led.Equipment,
    led.EquipmentInspection,
    led.EmergencyPlan,
    led.Drill,
    led.RuleDocument,
    led.Accident,
    led.AccidentEvent,
    camp.EnterpriseLetter,
    camp.LetterEvent,
    camp.TrainingSession,
    camp.Attendance,
    camp.ShowcaseEntry,
    camp.NormDocument,
    camp.EnforcementAction,
    camp.Filing,
    camp.WorkTask,
    std.GradeRecord,
    std.SelfAssessment,
    std.AssessmentEntry,
    std.StandardsEvent,
    std.StarRating,
    std.SiteAssessment,
    std.SiteResult,
]


def synth(*args) -> str:
    out = io.StringIO()
    call_command("anbiao_synth", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def built(django_db_setup, django_db_blocker):
    """One small data set for the whole class, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        # a few hazards per enterprise more than the default, so every state and a listing turn up
        output = synth(*SMALL, "--hazards", "3000", "--inspections", "200")
        yield output
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("built")
class TestTheBuiltDataSet:
    def test_every_kind_of_row_is_built_and_progress_and_logins_are_printed(self, built):
        empty = [m._meta.label for m in EVERY_KIND if not m.objects.exists()]
        assert empty == []
        assert "rows/s" in built and "synth_admin" in built and "synth_u0001" in built
        assert Enterprise.objects.count() == pytest.approx(60, abs=3)

    def test_sample_rows_of_every_kind_pass_full_clean(self):
        rng = random.Random(1)
        for model in EVERY_KIND:
            ids = list(model.objects.values_list("pk", flat=True))
            json_fields = [
                f.name for f in model._meta.concrete_fields if f.get_internal_type() == "JSONField"
            ]
            for pk in rng.sample(ids, min(len(ids), 8)):
                row = model.objects.get(pk=pk)
                # an empty list or dict is what the services write (e.g. a grade no rule raised has no
                # reasons), though a JSONField without blank=True calls it blank
                empty = [name for name in json_fields if getattr(row, name) in ([], {})]
                row.full_clean(exclude=empty)

    def test_enterprise_states_do_not_overlap_and_the_last_one_is_the_enterprise_now(self):
        states = defaultdict(list)
        for s in EnterpriseState.objects.order_by("valid_from", "id"):
            states[s.enterprise_id].append(s)
        for e in Enterprise.objects.all():
            rows = states[e.pk]
            assert rows[0].valid_from == min(e.registered_on, e.status_since)
            for a, b in itertools.pairwise(rows):
                assert a.valid_to == b.valid_from and a.valid_to > a.valid_from
            last = rows[-1]
            assert last.valid_to is None
            assert (last.unit_id, last.size_class, last.status, last.employee_count) == (
                e.unit_id,
                e.size_class,
                e.status,
                e.employee_count,
            )
            assert last.handles_dangerous_goods == e.handles_dangerous_goods

    def test_each_hazards_state_is_the_one_its_timeline_gives_and_its_dates_are_in_order(self):
        hazards = list(hz.Hazard.objects.all())
        states = {h.state for h in hazards}
        assert {State.REGISTERED, State.PENDING, State.RECTIFYING, State.CLOSED} <= states
        events = defaultdict(list)
        for ev in hz.HazardEvent.objects.order_by("occurred_on", "at", "id"):
            events[ev.hazard_id].append(ev)
        overdue = 0
        for h in random.Random(2).sample(hazards, min(len(hazards), 150)):
            assert state_on(h, TODAY) == h.state  # the selector itself, on a sample (one query each)
        for h in hazards:
            assert events[h.pk][-1].to_state == h.state  # what state_on reads, for every hazard
            days = [ev.occurred_on for ev in events[h.pk]]
            assert days == sorted(days) and days[0] == h.found_on
            assert [ev.from_state for ev in events[h.pk][1:]] == [ev.to_state for ev in events[h.pk][:-1]]
            if h.state == State.CLOSED:
                assert h.found_on <= h.rectified_on <= h.accepted_on <= TODAY
                assert h.responsible_person and h.acceptor_name and h.responsible_person != h.acceptor_name
            if h.state == State.AWAITING:
                assert h.rectified_on is not None and h.accepted_on is None
            if h.state == State.VOIDED:
                assert h.voided_on is not None
            if h.is_major and h.state not in (State.REGISTERED, State.VOIDED):
                assert h.plan_goal and h.reported_on
            overdue += h.is_overdue(TODAY)
        assert overdue > 0
        assert not hz.HazardListing.objects.exclude(hazard__level=Level.MAJOR).exists()
        for listing in hz.HazardListing.objects.select_related("hazard"):
            assert listing.listed_on <= listing.deadline
            if listing.delisted_on:
                assert listing.hazard.state == State.CLOSED and listing.delisted_on >= listing.listed_on
        codes = list(hz.Hazard.objects.values_list("enterprise_id", "code"))
        assert len(codes) == len(set(codes))

    def test_risk_points_carry_their_latest_assessment_and_levels_follow_the_band_sets(self):
        latest = {}
        for a in rk.RiskAssessment.objects.select_related("band_set").order_by("assessed_on", "id"):
            latest[a.risk_point_id] = a
            if a.kind == "assess":
                band = risk_scoring.classify(a.score, risk_selectors.band_specs(a.band_set))
                assert band.level == a.computed_level == a.level
            assert a.next_review_on > a.assessed_on
        for p in rk.RiskPoint.objects.all():
            a = latest.get(p.pk)
            if a is None:  # registered, not assessed yet
                assert (p.level, p.score) == ("", None)
                continue
            assert (p.level, p.score, p.assessed_on, p.next_review_on) == (
                a.level,
                a.score,
                a.assessed_on,
                a.next_review_on,
            )

    def test_dated_histories_of_grades_stars_posts_and_lists_do_not_overlap(self):
        for model, key in ((rk.EnterpriseGrade, "enterprise_id"), (std.StarRating, "enterprise_id")):
            periods = defaultdict(list)
            for row in model.objects.order_by("valid_from", "id"):
                periods[getattr(row, key)].append(row)
            for rows in periods.values():
                for a, b in itertools.pairwise(rows):
                    assert a.valid_to is not None and a.valid_to <= b.valid_from
                assert sum(r.valid_to is None for r in rows) <= 1
        for grade_type in ("national", "provincial", "local"):
            by_enterprise = defaultdict(list)
            for g in std.GradeRecord.objects.filter(grade_type=grade_type).order_by("valid_from"):
                by_enterprise[g.enterprise_id].append(g)
            for rows in by_enterprise.values():
                for a, b in itertools.pairwise(rows):
                    assert (a.revoked_on or a.valid_to) <= b.valid_from
        lists = defaultdict(list)
        for dl in duty.DutyList.objects.exclude(status="draft").order_by("version"):
            lists[dl.post_id].append(dl)
        for rows in lists.values():
            for a, b in itertools.pairwise(rows):
                assert a.superseded_on == b.effective_from
            assert rows[-1].superseded_on is None
        for letter in camp.EnterpriseLetter.objects.exclude(signed_on=None):
            assert letter.delivered_on <= letter.signed_on and letter.signed_scan_id

    def test_the_bulk_fact_reader_gives_what_the_registry_gives(self):
        ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True)[:25])
        for day in (datetime.date(2025, 9, 30), TODAY):
            assert facts.enterprise_facts(ids, day) == registry.enterprise_facts(ids, day)

    @pytest.mark.parametrize("which", ["root", "unit"])
    def test_the_report_cross_checks_hold_and_every_drill_down_lists_its_value(self, which):
        root = Organization.objects.get(code="SYNTH")
        unit = root if which == "root" else Organization.objects.filter(code__startswith="SYNTH-U").first()
        ctx = ReportContext(scope=system_scope(root.path), unit=unit, as_of=Q3.end)
        values = report_values(ctx)
        assert [c["text"] for c in checks.run(values) if not c["ok"]] == []
        assert values["t1.base.total"] > 0 and values["t1.lists.self_found"] > 0 and values["t3.found"] > 0
        computed = compute(ctx)
        for key, cell in CELLS.items():
            if cell.measure == "rows":
                assert cell.rows(ctx).count() == computed[key], key


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_data():
    def snapshot():
        return (
            list(Enterprise.objects.order_by("pk").values_list("pk", "name", "uscc", "unit_id", "status")),
            list(
                hz.Hazard.objects.order_by("pk").values_list("pk", "code", "state", "found_on", "accepted_on")
            ),
            list(rk.RiskAssessment.objects.order_by("pk").values_list("pk", "score", "level", "assessed_on")),
            list(
                rk.EnterpriseGrade.objects.order_by("pk").values_list("pk", "level", "valid_from", "valid_to")
            ),
            list(std.StarRating.objects.order_by("pk").values_list("pk", "stars", "valid_from")),
        )

    args = [
        "--units",
        "2",
        "--enterprises",
        "15",
        "--years",
        "1",
        "--seed",
        "3",
        "--today",
        TODAY.isoformat(),
    ]
    with transaction.atomic():
        synth(*args)
        first = snapshot()
        transaction.set_rollback(True)
    synth(*args)
    assert snapshot() == first and first[1]


@pytest.mark.django_db
def test_it_refuses_a_database_that_already_has_enterprises_unless_appending():
    args = [
        "--units",
        "1",
        "--enterprises",
        "5",
        "--years",
        "1",
        "--hazards",
        "20",
        "--today",
        TODAY.isoformat(),
    ]
    synth(*args)
    before = Enterprise.objects.count()
    with pytest.raises(CommandError, match="已有企业数据"):
        synth(*args)
    assert Enterprise.objects.count() == before
    synth(*args, "--append")
    assert Organization.objects.filter(code="SYNTH2").exists()
    assert Enterprise.objects.count() > before


@pytest.mark.django_db
def test_it_refuses_production_settings_and_the_province_scale_on_sqlite(settings):
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="PostgreSQL"):
            synth("--scale", "province")
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境"):
        synth("--scale", "county")
    assert not Enterprise.objects.exists()


def foreign_keys() -> list:
    """Every foreign key of the database with its definition and whether it holds for every row."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated "
                "FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2"
            )
            return cursor.fetchall()
        cursor.execute("PRAGMA foreign_key_check")
        assert cursor.fetchall() == []
        tables = connection.introspection.table_names(cursor)
        return sorted(
            (table, str(key))
            for table in tables
            for key in cursor.execute(f'PRAGMA foreign_key_list("{table}")')
        )


@pytest.mark.django_db(transaction=True)
def test_a_build_outside_a_transaction_leaves_every_foreign_key_in_place_and_holding():
    before = foreign_keys()
    output = synth("--units", "1", "--enterprises", "4", "--years", "1", "--today", TODAY.isoformat())
    assert foreign_keys() == before and len(before) > 100
    assert Enterprise.objects.count() == 4 and "Done:" in output


@pytest.mark.django_db(transaction=True)
def test_foreign_keys_taken_off_for_a_load_come_back_when_the_load_fails():
    from anbiao.perf.synth.writer import foreign_keys_checked_once

    before = foreign_keys()
    with pytest.raises(RuntimeError), foreign_keys_checked_once():
        raise RuntimeError("a generator failed")
    assert foreign_keys() == before and len(before) > 100
