"""Counts as of a date for the 季报表(一) cells, published facts, the supervisor view, reminders, todos."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from anbiao.core import registry
from anbiao.core.testing import system_scope
from anbiao.orgs.models import Enterprise
from anbiao.standards import exports, hooks, selectors, services
from anbiao.standards.models import GradeRecord, SelfAssessment

D = datetime.date


@pytest.fixture
def scope(world):
    return system_scope(world.county)


def _grade(scope, e, **data):
    base = {"grade_type": "national", "level": 2, "reviewing_body": "省应急厅", "certified_on": D(2022, 3, 1)}
    return services.grade_create(actor=None, scope=scope, enterprise=e, data=base | data)


def _assess(world, scope, e, year, assessed_on, submit=True):
    a = services.assessment_create(
        actor=None, scope=scope, enterprise=e, year=year, leader_name="x", started_on=D(year, 1, 2)
    )
    services.entries_save(
        actor=None, scope=scope, assessment=a, rows={x.pk: {"deduction": 0} for x in a.entries.all()}
    )
    if submit:
        a = services.assessment_submit(
            actor=None, scope=scope, assessment=a, assessed_on=assessed_on, conclusion="x"
        )
    return a


def _ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_grade_cells_count_grades_valid_on_the_quarter_end(world, scope):
    ents = Enterprise.objects.all()
    g = _grade(scope, world.ent_a, certified_on=D(2022, 3, 1))  # valid to 2025-03-01
    _grade(scope, world.ent_b, grade_type="local", level=None, certified_on=D(2024, 7, 1))
    _grade(scope, world.ent_a1, level=3, certified_on=D(2021, 7, 1))  # before the 2021-08 window
    assert _ids(selectors.enterprises_with_grade(ents, D(2024, 12, 31), "national", 2)) == {world.ent_a.pk}
    assert _ids(selectors.enterprises_with_grade(ents, D(2025, 3, 31), "national", 2)) == set()  # expired
    assert _ids(selectors.enterprises_with_grade(ents, D(2024, 6, 30), "national", 3)) == set()  # window
    assert _ids(selectors.enterprises_with_grade(ents, D(2024, 9, 30), "local")) == {world.ent_b.pk}
    assert _ids(selectors.enterprises_with_grade(ents, D(2024, 9, 30), "local", 1)) == set()  # 地标不分级
    services.grade_revoke(actor=None, scope=scope, grade=g, on=D(2023, 6, 1), reason="事故")
    assert _ids(selectors.enterprises_with_grade(ents, D(2023, 3, 31), "national")) == {world.ent_a.pk}
    assert _ids(selectors.enterprises_with_grade(ents, D(2023, 6, 30), "national")) == set()


def test_the_self_assessment_cell_counts_only_enterprises_without_a_grade_since_2025(world, scope):
    ents = Enterprise.objects.all()
    _assess(world, scope, world.ent_a, 2025, D(2025, 3, 10))
    _assess(world, scope, world.ent_b, 2025, D(2025, 4, 10))
    _assess(world, scope, world.ent_a1, 2024, D(2024, 5, 10))  # before 2025: not counted
    _grade(scope, world.ent_b, grade_type="local", level=None, certified_on=D(2025, 5, 1))
    assert _ids(selectors.enterprises_self_assessed(ents, D(2025, 3, 31))) == {world.ent_a.pk}
    assert _ids(selectors.enterprises_self_assessed(ents, D(2025, 4, 30))) == {world.ent_a.pk, world.ent_b.pk}
    assert _ids(selectors.enterprises_self_assessed(ents, D(2025, 6, 30))) == {
        world.ent_a.pk
    }  # ent_b now graded
    assert _ids(selectors.enterprises_self_assessed(ents, D(2025, 6, 30), "local")) == {world.ent_a.pk}
    assert _ids(selectors.enterprises_self_assessed(ents, D(2025, 6, 30), "national")) == set()


def test_star_cells_count_the_rating_current_on_the_date_since_2024_04(world, scope):
    ents = Enterprise.objects.all()
    services.star_rate(
        actor=None,
        scope=scope,
        enterprise=world.ent_a,
        stars=3,
        rated_on=D(2024, 5, 1),
        basis="x",
        rater_name="x",
    )
    services.star_rate(
        actor=None,
        scope=scope,
        enterprise=world.ent_a,
        stars=5,
        rated_on=D(2025, 5, 1),
        basis="x",
        rater_name="x",
    )
    services.star_rate(
        actor=None,
        scope=scope,
        enterprise=world.ent_b,
        stars=2,
        rated_on=D(2024, 2, 1),
        basis="x",
        rater_name="x",
    )
    assert _ids(selectors.enterprises_with_stars(ents, D(2024, 12, 31), 3)) == {world.ent_a.pk}
    assert _ids(selectors.enterprises_with_stars(ents, D(2025, 6, 30), 3)) == set()
    assert _ids(selectors.enterprises_with_stars(ents, D(2025, 6, 30), 5)) == {world.ent_a.pk}
    assert _ids(selectors.enterprises_with_stars(ents, D(2025, 6, 30), 2)) == set()  # rated before 2024-04


def test_5s_and_six_have_cells_follow_the_latest_check_up_to_the_date(world, scope):
    ents = Enterprise.objects.all()
    cl = selectors.active_checklist("five_s")

    def check(day, ok):
        services.site_assessment_create(
            actor=None,
            scope=scope,
            enterprise=world.ent_a,
            kind="five_s",
            assessed_on=day,
            assessor_name="x",
            note="",
            results=[{"item": i, "passed": ok, "score": 90 if ok else 50} for i in cl.items.all()],
        )

    check(D(2024, 3, 1), True)
    check(D(2025, 3, 1), False)
    assert _ids(selectors.enterprises_with_5s(ents, D(2024, 12, 31))) == {world.ent_a.pk}
    assert _ids(selectors.enterprises_with_5s(ents, D(2025, 3, 31))) == set()
    assert _ids(selectors.enterprises_with_six_have(ents, D(2025, 3, 31))) == set()


def test_every_table1_cell_selector_runs(world, recs):
    cells = selectors.table1_cells()
    assert len(cells) == 3 * 5 + 5 + 2
    ents = Enterprise.objects.all()
    values = {key: fn(ents, D(2025, 6, 30)).count() for key, (_label, fn) in cells.items()}
    assert (
        values["table1.grade.local.total"] == 2
        and values["table1.stars.3"] == 2
        and values["table1.five_s"] == 2
    )
    assert values["table1.self_assessment.local"] == 0  # both are graded (地标) on 2025-06-30


def test_the_published_facts(world, scope):
    _grade(scope, world.ent_a, grade_type="local", level=None, certified_on=D(2025, 1, 1))
    _grade(scope, world.ent_a, level=3, certified_on=D(2025, 2, 1))
    _assess(world, scope, world.ent_b, 2025, D(2025, 4, 1))
    services.star_rate(
        actor=None,
        scope=scope,
        enterprise=world.ent_b,
        stars=2,
        rated_on=D(2025, 5, 1),
        basis="x",
        rater_name="x",
    )
    facts = hooks.enterprise_facts([world.ent_a.pk, world.ent_b.pk, world.ent_a1.pk], D(2025, 6, 1))
    assert facts[world.ent_a.pk] == {"standard_grade_level": 3, "self_assessment_score": 0, "stars": 0}
    assert facts[world.ent_b.pk] == {"standard_grade_level": 0, "self_assessment_score": 100.0, "stars": 2}
    assert (
        hooks.enterprise_facts([world.ent_b.pk], D(2026, 5, 1))[world.ent_b.pk]["self_assessment_score"] == 0
    )
    merged = registry.enterprise_facts([world.ent_a.pk], D(2025, 6, 1))[world.ent_a.pk]
    assert merged["standard_grade_level"] == 3 and "stars" in registry.fact_labels()


def test_the_accident_record_caps_the_submitted_level(world, scope, monkeypatch):
    original = registry.enterprise_facts

    def with_accident(ids, as_of):
        facts = original(ids, as_of)
        for f in facts.values():
            f["accident_deaths_12m"] = 1
        return facts

    monkeypatch.setattr(registry, "enterprise_facts", with_accident)
    a = _assess(world, scope, world.ent_a, 2025, D(2025, 4, 1))
    assert a.level_by_score == 4 and a.level_supported is None
    assert a.result_basis["facts"]["accident_deaths_12m"] == 1 and "死亡" in a.level_reasons[0]


def test_the_supervisor_view_lists_the_subtree_with_status_and_exports_it(
    world, recs, login, django_assert_max_num_queries
):
    client = login(world.admin_a)
    client.get(reverse("standards:overview"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("standards:overview"))
    rows = {e.pk: e for e in response.context["object_list"]}
    assert set(rows) == {world.ent_a.pk, world.ent_a1.pk}
    a = rows[world.ent_a.pk]
    assert a.grade_type == "local" and a.stars == 3 and a.five_s_ok is True and a.six_have_ok is None
    filtered = client.get(reverse("standards:overview"), {"graded": "none"}).context["object_list"]
    assert [e.pk for e in filtered] == [world.ent_a1.pk]
    export = client.get(reverse("standards:overview_export"), {"graded": "local"})
    ws = openpyxl.load_workbook(io.BytesIO(export.content))[exports.OVERVIEW_SHEET]
    assert [c.value for c in ws[1]] == exports.OVERVIEW_HEADERS
    data = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[1]]
    assert (
        len(data) == 1
        and data[0][0] == "甲一超市"
        and data[0][8] == "地标"
        and data[0][11] == 3
        and data[0][12] == "达标"
    )
    assert data[0][10] == datetime.datetime(2028, 6, 1)


def test_the_enterprise_record_page_shows_its_facts(world, recs, login):
    response = login(world.principal_a).get(reverse("standards:enterprise", args=[world.ent_a.pk]))
    assert response.status_code == 200 and response.context["facts"]["stars"] == 3
    assert (
        login(world.principal_a).get(reverse("standards:enterprise", args=[world.ent_b.pk])).status_code
        == 404
    )


def test_reminders_for_expiring_grades_and_overdue_items_go_to_the_enterprise_and_its_unit_admins(
    world, scope
):
    g = _grade(scope, world.ent_a, certified_on=D(2023, 6, 1))
    today = g.valid_to - datetime.timedelta(days=20)
    reminders = [r for r in hooks.reminders(today) if "grade" in r.key]
    users = {r.user_id for r in reminders}
    assert users == {world.principal_a.pk, world.safety_a.pk, world.admin_a.pk}
    assert all(r.level == "warning" and r.key.endswith(".30") for r in reminders)
    assert {r.level for r in hooks.reminders(g.valid_to) if "grade" in r.key} == {"danger"}
    services.improvement_create(
        actor=None,
        scope=scope,
        enterprise=world.ent_b,
        data={
            "problem": "p",
            "measure": "m",
            "responsible_name": "x",
            "found_on": D(2025, 1, 1),
            "deadline": D(2025, 2, 1),
        },
    )
    late = [r for r in hooks.reminders(D(2025, 3, 1)) if "improvement" in r.key]
    assert {r.user_id for r in late} == {world.principal_b.pk, world.admin_b.pk}


def test_home_todos_name_the_missing_self_assessment_and_expiring_grades(world, scope, login):
    from django.utils import timezone

    todos = hooks.todos(
        world.principal_a,
        __import__("anbiao.core.scope", fromlist=["Scope"]).Scope.for_user(world.principal_a),
    )
    assert any("自评尚未提交" in t for t, _ in todos)
    today = timezone.localdate()
    _grade(scope, world.ent_a, certified_on=today.replace(year=today.year - 3) + datetime.timedelta(days=30))
    from anbiao.core.scope import Scope

    assert any("90天内到期" in t for t, _ in hooks.todos(world.admin_a, Scope.for_user(world.admin_a)))
    assert login(world.principal_a).get(reverse("home")).status_code == 200


def test_grade_list_filters_by_state(world, scope, login):
    from django.utils import timezone

    today = timezone.localdate()
    _grade(scope, world.ent_a, certified_on=today - datetime.timedelta(days=3 * 365 - 30))
    _grade(scope, world.ent_a1, certified_on=D(2021, 9, 1))
    client = login(world.admin_a)
    assert len(client.get(reverse("standards:grade_list"), {"state": "expiring"}).context["object_list"]) == 1
    assert len(client.get(reverse("standards:grade_list"), {"state": "expired"}).context["object_list"]) == 1
    assert GradeRecord.objects.count() == 2 and SelfAssessment.objects.count() == 0


def test_from_october_enterprises_without_this_years_self_assessment_are_reminded(world, scope):
    assert not [r for r in hooks.reminders(D(2025, 9, 30)) if ".assessment." in r.key]
    _assess(world, scope, world.ent_a, 2025, D(2025, 4, 1))
    due = [r for r in hooks.reminders(D(2025, 10, 8)) if ".assessment." in r.key]
    assert {r.enterprise_id for r in due} == {world.ent_a1.pk, world.ent_b.pk}
    assert {r.user_id for r in due if r.enterprise_id == world.ent_b.pk} == {
        world.principal_b.pk,
        world.admin_b.pk,
    }


def test_the_supervisor_view_filters_who_has_not_self_assessed_this_year(world, scope, login):
    from django.utils import timezone

    year = timezone.localdate().year
    _assess(world, scope, world.ent_a, year, timezone.localdate())
    client = login(world.admin_a)
    done = client.get(reverse("standards:overview"), {"assessed": "1"}).context["object_list"]
    missing = client.get(reverse("standards:overview"), {"assessed": "0"}).context["object_list"]
    assert [e.pk for e in done] == [world.ent_a.pk] and [e.pk for e in missing] == [world.ent_a1.pk]
    unrated = client.get(reverse("standards:overview"), {"stars": "0"}).context["object_list"]
    assert {e.pk for e in unrated} == {world.ent_a.pk, world.ent_a1.pk}
    assert client.get(reverse("standards:overview"), {"expiring": "0"}).context["paginator"].count == 2
