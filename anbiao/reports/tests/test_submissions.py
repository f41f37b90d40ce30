import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anbiao.core.testing import png_bytes, system_scope
from anbiao.reports import figures, selectors, services
from anbiao.reports.cells import CELLS
from anbiao.reports.context import Quarter, ReportContext
from anbiao.reports.models import Adjustment, Submission, SubmissionVersion

pytestmark = pytest.mark.django_db

Q3 = Quarter(2025, 3)
SELF_FOUND = "t1.lists.self_found"


def hazard(world, enterprise, day):
    from anbiao.hazards.tests import factories as hf

    return hf.hazard(world, enterprise, found_on=day)


def evidence():
    return SimpleUploadedFile("签到表.png", png_bytes(), content_type="image/png")


def submit(world, unit, quarter=Q3, actor=None):
    return services.submit(
        actor=actor,
        scope=system_scope(world.county),
        unit=unit,
        quarter=quarter,
        filler_name="张三",
        filler_phone="0595-87000000",
    )


def live_values(world, unit, quarter=Q3, own_only=False):
    ctx = ReportContext(scope=system_scope(world.county), unit=unit, as_of=quarter.end, own_only=own_only)
    return figures.live(ctx)


def test_a_submission_freezes_every_value_and_the_ids_of_the_rows_behind_it(world):
    h = hazard(world, world.ent_a1, datetime.date(2025, 2, 1))
    version = submit(world, world.unit_a)
    assert set(version.values) == set(CELLS)
    assert version.values[SELF_FOUND] == 1
    assert version.row_ids[SELF_FOUND] == [h.pk]
    assert version.row_ids["t1.base.total"] == sorted([world.ent_a.pk, world.ent_a1.pk])
    assert version.submission.status == "submitted" and version.number == 1


def test_a_later_back_dated_record_leaves_the_submitted_version_unchanged_and_shows_the_difference(world):
    version = submit(world, world.unit_a)
    late = hazard(world, world.ent_a, datetime.date(2025, 5, 2))  # typed in after submitting, dated Q2
    version.refresh_from_db()
    assert version.values[SELF_FOUND] == 0
    ctx = ReportContext(scope=system_scope(world.county), unit=world.unit_a, as_of=Q3.end)
    diffs = {d["cell"].key: d for d in figures.differences(version, ctx)}
    assert diffs[SELF_FOUND]["before"] == 0 and diffs[SELF_FOUND]["after"] == 1
    assert diffs[SELF_FOUND]["added"] == [late.pk] and diffs[SELF_FOUND]["removed"] == []
    assert "t1.base.total" not in diffs


def test_a_quarter_can_be_submitted_once_until_it_is_returned_and_resubmitting_keeps_the_history(world):
    first = submit(world, world.unit_a)
    with pytest.raises(ValidationError, match="已报送"):
        submit(world, world.unit_a)
    scope = system_scope(world.county)
    with pytest.raises(ValidationError):
        services.review(actor=None, scope=scope, submission=first.submission, verb="return", reason=" ")
    services.review(actor=None, scope=scope, submission=first.submission, verb="return", reason="数据有误")
    second = submit(world, world.unit_a)
    assert second.number == 2 and second.submission_id == first.submission_id
    services.review(actor=None, scope=scope, submission=second.submission, verb="accept")
    versions = list(SubmissionVersion.objects.filter(submission=first.submission).order_by("number"))
    assert [(v.number, v.decision, v.reason) for v in versions] == [
        (1, "returned", "数据有误"),
        (2, "accepted", ""),
    ]
    assert Submission.objects.get(pk=first.submission_id).status == "accepted"
    with pytest.raises(ValidationError):
        services.review(actor=None, scope=scope, submission=second.submission, verb="return", reason="再退")


def test_only_the_supervising_unit_may_accept_or_return_a_report(world):
    version = submit(world, world.unit_a1)
    a_scope = system_scope(world.unit_a)
    services.review(actor=None, scope=a_scope, submission=version.submission, verb="accept")  # parent of A1
    own = submit(world, world.unit_a)
    with pytest.raises(PermissionDenied):
        services.review(actor=None, scope=a_scope, submission=own.submission, verb="accept")
    with pytest.raises(PermissionDenied):
        services.review(
            actor=None, scope=system_scope(world.unit_b), submission=own.submission, verb="accept"
        )


def test_an_unfinished_quarter_cannot_be_submitted_or_adjusted(world):
    with pytest.raises(ValidationError):
        submit(world, world.unit_a, Quarter(2026, 4))
    with pytest.raises(ValidationError):
        services.adjustment_save(
            actor=None,
            scope=system_scope(world.county),
            unit=world.unit_a,
            quarter=Quarter(2026, 4),
            cell_key=SELF_FOUND,
            delta=1,
            reason="外单位组织的检查",
            evidence=evidence(),
        )


def adjust(
    world, unit=None, delta="2", reason="县应急局组织，记录在主办单位", key="t2.training.sessions", **kw
):
    return services.adjustment_save(
        actor=None,
        scope=system_scope(world.county),
        unit=unit or world.unit_a,
        quarter=Q3,
        cell_key=key,
        delta=delta,
        reason=reason,
        evidence=kw.get("evidence", evidence()),
    )


def test_an_adjustment_needs_a_reason_evidence_and_a_whole_number_for_counts_and_writes_nothing_otherwise(
    world,
):
    for bad, field in (
        ({"reason": "短"}, "reason"),
        ({"delta": "1.5"}, "delta"),
        ({"delta": "abc"}, "delta"),
        ({"delta": "0"}, "delta"),
        ({"evidence": None}, "evidence"),
    ):
        with pytest.raises(ValidationError) as exc:
            adjust(world, **bad)
        assert field in exc.value.message_dict
    assert not Adjustment.objects.exists()
    assert adjust(world, key="t3.fine.amount", delta="0.0125").delta == Decimal("0.0125")


def test_an_adjustment_adds_to_the_computed_value_and_both_stay_visible(world):
    adjust(world, delta="2")
    live = live_values(world, world.unit_a)
    assert live.computed["t2.training.sessions"] == 0
    assert live.values["t2.training.sessions"] == 2
    county = live_values(world, world.county)
    assert county.values["t2.training.sessions"] == 2  # a parent's figures include its sub-units' adjustments
    assert live_values(world, world.unit_b).values["t2.training.sessions"] == 0


def test_a_submitted_quarter_locks_its_adjustments_until_it_is_returned(world):
    a = adjust(world)
    version = submit(world, world.unit_a)
    assert version.values["t2.training.sessions"] == 2 and version.computed["t2.training.sessions"] == 0
    assert version.adjustments[0]["reason"] == a.reason
    with pytest.raises(ValidationError, match="已报送"):
        adjust(world, delta="3")
    with pytest.raises(ValidationError, match="已报送"):
        services.adjustment_delete(actor=None, scope=system_scope(world.county), adjustment=a)
    services.review(
        actor=None,
        scope=system_scope(world.county),
        submission=version.submission,
        verb="return",
        reason="核实",
    )
    assert adjust(world, delta="3").delta == 3


def test_the_roll_up_of_children_and_own_records_equals_the_parents_own_computation(world):
    hazard(world, world.ent_a, datetime.date(2025, 2, 1))
    hazard(world, world.ent_a1, datetime.date(2025, 3, 1))
    for unit in (world.county, world.unit_a):
        parts = selectors.parts(scope=system_scope(world.county), unit=unit, quarter=Q3)
        total = dict(selectors.blocks(parts))[selectors.TOTAL_LABEL]
        assert total == live_values(world, unit).values, unit


def test_the_roll_up_counts_a_childs_submitted_figures_not_later_edits(world):
    hazard(world, world.ent_a1, datetime.date(2025, 2, 1))
    submit(world, world.unit_a1)
    hazard(world, world.ent_a1, datetime.date(2025, 2, 3))  # after the child submitted
    parts = selectors.parts(scope=system_scope(world.county), unit=world.unit_a, quarter=Q3)
    child = next(p for p in parts if p.unit == world.unit_a1)
    assert child.source == "submitted" and child.values[SELF_FOUND] == 1
    total = dict(selectors.blocks(parts))[selectors.TOTAL_LABEL]
    assert total[SELF_FOUND] == 1
    assert live_values(world, world.unit_a).values[SELF_FOUND] == 2


def test_cells_counting_enterprises_that_two_units_may_share_are_merged_as_a_union(world):
    parts = [
        {"values": {**dict.fromkeys(CELLS, 0), "t2.thousand.medium": 2}, "computed": dict.fromkeys(CELLS, 0)},
        {"values": {**dict.fromkeys(CELLS, 0), "t2.thousand.medium": 1}, "computed": dict.fromkeys(CELLS, 0)},
    ]
    parts[0]["computed"]["t2.thousand.medium"] = 2
    parts[1]["computed"]["t2.thousand.medium"] = 1
    parts[0]["row_ids"] = {"t2.thousand.medium": [7, 8]}
    parts[1]["row_ids"] = {"t2.thousand.medium": [8]}
    assert figures.rollup(parts)["t2.thousand.medium"] == 2
    parts[1]["values"]["t1.base.total"] = 3
    assert figures.rollup(parts)["t1.base.total"] == 3


def test_submission_states_show_who_has_not_submitted_and_who_is_overdue(world):
    submit(world, world.unit_a)
    states = {
        s["unit"].pk: s
        for s in selectors.submission_states([world.unit_a, world.unit_b], Q3, datetime.date(2025, 10, 2))
    }
    assert states[world.unit_a.pk]["status"] == "submitted" and not states[world.unit_a.pk]["overdue"]
    assert states[world.unit_b.pk]["status_label"] == "未报送" and states[world.unit_b.pk]["overdue"]
    assert Q3.due == datetime.date(2025, 10, 1)


def test_unit_admins_are_reminded_from_the_deadline_until_they_submit(world):
    from anbiao.reports import hooks

    admin_a = world.users["admin_a"]
    key = f"reports:2025Q3:unit:{world.unit_a.pk}"

    def reminded(day):
        return {r.key: r.level for r in hooks.reminders(day) if r.user_id == admin_a.pk}

    assert key not in reminded(datetime.date(2025, 9, 30))  # the quarter has not ended
    assert reminded(datetime.date(2025, 10, 1))[key] == "warning"  # due today
    assert reminded(datetime.date(2025, 10, 9))[key] == "danger"
    submit(world, world.unit_a)
    assert key not in reminded(datetime.date(2025, 10, 9))


# --- pages ----------------------------------------------------------------------------------------------
def page(unit, name="unit_report", quarter=Q3):
    return f"{reverse(f'reports:{name}', args=[unit.pk])}?quarter={quarter.code}"


def test_the_unit_admin_submits_from_the_report_page_and_the_county_returns_and_accepts(world, login):
    client = login(world.admin_a)
    html = client.get(page(world.unit_a)).content.decode()
    assert 'data-testid="submit-report"' in html and "未报送" in html
    bad = client.post(
        reverse("reports:submit", args=[world.unit_a.pk]), {"quarter": Q3.code, "filler_name": ""}
    )
    assert bad.status_code == 302 and not Submission.objects.exists()
    client.post(
        reverse("reports:submit", args=[world.unit_a.pk]),
        {"quarter": Q3.code, "filler_name": "张三", "filler_phone": "0595-1"},
    )
    submission = Submission.objects.get(unit=world.unit_a, quarter=Q3.code)
    html = client.get(page(world.unit_a)).content.decode()
    assert "已报送" in html and 'data-testid="submit-report"' not in html and "accept-report" not in html
    assert client.post(reverse("reports:submission_accept", args=[submission.pk])).status_code == 403
    county = login(world.county_admin)
    county.post(reverse("reports:submission_return", args=[submission.pk]), {"reason": "请核实"})
    submission.refresh_from_db()
    assert submission.status == "returned"
    client = login(world.admin_a)
    assert "上级单位已退回：请核实" in client.get(page(world.unit_a)).content.decode()


def test_a_sibling_units_report_submission_and_versions_are_not_found(world, login):
    version = submit(world, world.unit_b)
    client = login(world.admin_a)
    for url in (
        reverse("reports:version", args=[version.pk]),
        reverse("reports:version_export", args=[version.pk]),
        reverse("reports:version_rows", args=[version.pk]) + "?cell=t1.base.total",
        page(world.unit_b, "rollup"),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("reports:submit", args=[world.unit_b.pk]), {"quarter": Q3.code}).status_code
        == 404
    )


def test_the_version_page_and_export_show_the_frozen_figures_and_rows(world, login):
    h = hazard(world, world.ent_a1, datetime.date(2025, 2, 1))
    version = submit(world, world.unit_a)
    hazard(world, world.ent_a1, datetime.date(2025, 2, 3))
    client = login(world.admin_a)
    html = client.get(reverse("reports:version", args=[version.pk])).content.decode()
    assert 'data-testid="differences"' in html
    rows = client.get(
        reverse("reports:version_rows", args=[version.pk]), {"cell": SELF_FOUND}
    ).content.decode()
    assert h.code in rows
    response = client.get(reverse("reports:version_export", args=[version.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    detail = [r for r in wb["明细"].iter_rows(min_row=2, values_only=True) if r[1] == SELF_FOUND]
    assert [r[6] for r in detail] == [h.pk]
    assert "填表人：张三" in wb["季报表(一)"]["A2"].value


def test_adjusting_a_cell_from_its_drill_down_page_shows_computed_adjustment_and_reason(world, login):
    client = login(world.admin_a)
    url = page(world.unit_a, "cell_rows") + "&cell=t2.training.sessions"
    assert 'data-testid="save-adjustment"' in client.get(url).content.decode()
    client.post(
        reverse("reports:adjust", args=[world.unit_a.pk]),
        {
            "quarter": Q3.code,
            "cell_key": "t2.training.sessions",
            "delta": "1",
            "reason": "外单位组织的专题培训",
            "evidence": evidence(),
        },
    )
    html = client.get(url).content.decode()
    assert "按记录计算 0，调整 1（" in html and "报送值 1" in html
    report = client.get(page(world.unit_a)).content.decode()
    assert 'class="adjusted"' in report and "调整说明（1 项）" in report
    wb = openpyxl.load_workbook(io.BytesIO(client.get(page(world.unit_a, "export")).content))
    rows = list(wb["调整说明"].iter_rows(min_row=2, values_only=True))
    assert rows[0][1] == "t2.training.sessions" and rows[0][4:7] == (0, 1, 1)
    assert rows[0][8] == "外单位组织的专题培训"


def test_the_county_sees_its_childrens_states_the_rolled_up_tables_and_a_cells_breakdown(world, login):
    hazard(world, world.ent_a1, datetime.date(2025, 2, 1))
    submit(world, world.unit_a)
    client = login(world.county_admin)
    html = client.get(page(world.county, "rollup")).content.decode()
    assert world.unit_a.name in html and world.unit_b.name in html
    assert 'data-testid="missing-count">1 个单位' in html
    assert "合计" in html and 'data-cell="t1.base.total"' in html
    breakdown = client.get(page(world.county, "rollup_cell") + f"&cell={SELF_FOUND}").content.decode()
    assert "已报送" in breakdown and "本级" in breakdown
    wb = openpyxl.load_workbook(io.BytesIO(client.get(page(world.county, "rollup_export")).content))
    assert "分单位明细" in wb.sheetnames
    t1 = wb["季报表(一)"]
    labels = {t1.cell(row=r, column=1).value for r in range(7, 30)}
    assert "合计" in labels


def test_the_rollup_page_runs_a_bounded_number_of_queries_whatever_the_number_of_enterprises(
    world, login, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anbiao.orgs import services as org_services
    from anbiao.orgs.tests.factories import enterprise_data

    client = login(world.county_admin)
    submit(world, world.unit_a)
    url = page(world.county, "rollup")

    def add(i):
        org_services.enterprise_create(
            actor=None,
            scope=system_scope(world.county),
            data=enterprise_data(
                unit=world.unit_b, name=f"新增企业{i}", registered_on=datetime.date(2024, 1, 1)
            ),
        )
        hazard(world, world.ent_b, datetime.date(2025, 2, 1 + i))

    add(0)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for i in range(1, 7):
        add(i)
    with django_assert_max_num_queries(len(before)):
        client.get(url)
