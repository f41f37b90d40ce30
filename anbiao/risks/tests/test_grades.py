"""The enterprise overall 四色 grade: rules over the registry's facts, dated history, override and expiry."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from anbiao.core import notifications, registry
from anbiao.core.models import AuditEvent, Notification
from anbiao.core.scope import Scope
from anbiao.core.testing import system_scope
from anbiao.orgs.models import Enterprise
from anbiao.risks import grading, selectors
from anbiao.risks.models import EnterpriseGrade
from anbiao.risks.testing import make_point

D1 = datetime.date(2025, 9, 30)
D2 = datetime.date(2025, 12, 31)
ORANGE = {"L": 3, "E": 6, "C": 15}  # 270
RED = {"L": 3, "E": 6, "C": 40}  # 720


@pytest.fixture
def extra_facts(monkeypatch):
    """Facts other modules would publish (hazards, accidents), added on top of the real registry."""
    extra: dict[int, dict] = {}
    original = registry.enterprise_facts

    def facts(ids, as_of):
        merged = original(ids, as_of)
        for pk, more in extra.items():
            if pk in merged:
                merged[pk].update(more)
        return merged

    monkeypatch.setattr(registry, "enterprise_facts", facts)
    return extra


def recompute(world, on):
    return grading.grades_recompute(actor=None, scope=system_scope(world.county), on=on)


def current(enterprise):
    return EnterpriseGrade.objects.get(enterprise=enterprise, valid_to__isnull=True)


def test_the_risk_facts_are_published_to_the_registry(world):
    make_point(world, world.ent_a, name="油罐", factors=RED)
    make_point(world, world.ent_a, name="仓库", factors=ORANGE)
    facts = registry.enterprise_facts([world.ent_a.pk, world.ent_b.pk], D1)
    assert {k: facts[world.ent_a.pk][k] for k in selectors_facts()} == {
        "risk_points_red": 1,
        "risk_points_orange": 1,
        "risk_points_red_uncontrolled": 0,
        "risk_points_review_overdue": 0,
    }
    assert facts[world.ent_b.pk]["risk_points_red"] == 0
    later = registry.enterprise_facts([world.ent_a.pk], datetime.date(2026, 7, 1))[world.ent_a.pk]
    assert later["risk_points_review_overdue"] == 2  # both reviews were due within 12 (red, orange: 6) months
    before = registry.enterprise_facts([world.ent_a.pk], datetime.date(2025, 1, 1))[world.ent_a.pk]
    assert before["risk_points_red"] == 0  # not yet assessed on that date


def selectors_facts():
    from anbiao.risks.hooks import FACTS

    return list(FACTS)


def test_grades_on_constructed_enterprises_give_the_expected_colours_and_reasons(world, extra_facts):
    make_point(world, world.ent_a, name="仓库一", factors=ORANGE)
    make_point(world, world.ent_a, name="仓库二", factors=ORANGE)
    extra_facts[world.ent_a.pk] = {"hazards_overdue": 1}
    from anbiao.risks import services

    red = make_point(world, world.ent_a1, name="油罐", factors=RED)
    services.assessment_create(
        actor=None,
        scope=system_scope(world.county),
        point=red,
        band_set=red.assessments.first().band_set,
        factors=RED,
        assessed_on=datetime.date(2025, 7, 1),
        controls_effective=False,
    )
    counts = recompute(world, D1)
    assert counts["changed"] == 3
    assert current(world.ent_a).summary == "橙：2 项较大风险，1 条逾期隐患"
    assert current(world.ent_a1).summary == "红：1 项重大风险未有效管控，1 项重大风险"
    assert current(world.ent_b).summary == "蓝：未触发评定规则"
    assert current(world.ent_a).facts["hazards_overdue"] == 1
    assert AuditEvent.objects.filter(action="risks.grade_compute").count() == 3


def test_recomputing_keeps_dated_history_and_counts_as_of_a_date(world, extra_facts):
    recompute(world, D1)
    assert recompute(world, D1)["changed"] == 0  # nothing changed: no new rows
    make_point(world, world.ent_a, name="仓库一", factors=ORANGE)
    extra_facts[world.ent_a.pk] = {"hazards_overdue": 2}
    point = make_point(world, world.ent_a, name="仓库二", factors=ORANGE)
    point.assessments.update(assessed_on=datetime.date(2025, 11, 1))
    recompute(world, D2)
    rows = list(EnterpriseGrade.objects.filter(enterprise=world.ent_a).order_by("valid_from"))
    assert [(r.level, r.valid_from, r.valid_to) for r in rows] == [("low", D1, D2), ("significant", D2, None)]
    qs = Enterprise.objects.all()
    assert selectors.enterprise_colour_on(qs, D1)[world.ent_a.pk] == "low"
    assert selectors.enterprise_colour_on(qs, D2)[world.ent_a.pk] == "significant"
    assert selectors.count_enterprises_by_colour(qs, D1) == {
        "major": 0,
        "significant": 0,
        "general": 0,
        "low": 3,
    }
    assert selectors.count_enterprises_by_colour(qs, D2) == {
        "major": 0,
        "significant": 1,
        "general": 0,
        "low": 2,
    }
    assert list(selectors.enterprises_with_colour(qs, D2, "significant")) == [world.ent_a]
    assert selectors.count_enterprises_by_colour(qs, datetime.date(2025, 1, 1)) == dict.fromkeys(
        ["major", "significant", "general", "low"], 0
    )
    # history is never rewritten backwards: ent_a's last change is after D1
    assert recompute(world, D1)["skipped"] == 1
    assert EnterpriseGrade.objects.filter(enterprise=world.ent_a).count() == 2


def test_a_unit_admins_counts_cover_only_their_subtree(world):
    recompute(world, D1)
    visible = Enterprise.objects.visible_to(Scope.for_user(world.admin_a))
    assert sum(selectors.count_enterprises_by_colour(visible, D1).values()) == 2


def test_an_override_stands_until_its_expiry_then_the_rules_apply_again(world, login):
    recompute(world, D1)
    today = timezone.localdate()
    client = login(world.admin_a)
    url = reverse("risks:grade_override", args=[world.ent_a.pk])
    assert client.get(url).status_code == 200
    until = today + datetime.timedelta(days=30)
    response = client.post(url, {"level": "major", "reason": "督查发现违规储存", "until": until.isoformat()})
    assert response.status_code == 302
    g = current(world.ent_a)
    assert (g.level, g.source, g.computed_level, g.override_until) == ("major", "override", "low", until)
    assert g.summary == "红：监管调整（督查发现违规储存）"
    assert AuditEvent.objects.filter(action="risks.grade_override", enterprise_id=world.ent_a.pk).exists()
    qs = Enterprise.objects.filter(pk=world.ent_a.pk)
    assert selectors.enterprise_colour_on(qs, today)[world.ent_a.pk] == "major"
    # before expiry the daily recompute keeps it
    recompute(world, today + datetime.timedelta(days=10))
    assert current(world.ent_a).source == "override"
    # after expiry the selector already reads the computed colour, and the recompute closes the override
    after = until + datetime.timedelta(days=1)
    assert selectors.enterprise_colour_on(qs, after + datetime.timedelta(days=3))[world.ent_a.pk] == "low"
    recompute(world, after + datetime.timedelta(days=3))
    rows = list(EnterpriseGrade.objects.filter(enterprise=world.ent_a).order_by("valid_from"))
    assert [(r.source, r.level, r.valid_from, r.valid_to) for r in rows][-2:] == [
        ("override", "major", today, after),
        ("computed", "low", after, None),
    ]


def test_an_override_needs_a_reason_and_a_future_expiry_and_writes_nothing_otherwise(world):
    recompute(world, D1)
    before = EnterpriseGrade.objects.count()
    today = timezone.localdate()
    for kwargs in (
        {"reason": "", "until": today + datetime.timedelta(days=5)},
        {"reason": "x", "until": today - datetime.timedelta(days=1)},
        {"reason": "x", "until": today + datetime.timedelta(days=400)},
    ):
        with pytest.raises(ValidationError):
            grading.grade_override(
                actor=world.admin_a,
                scope=Scope.for_user(world.admin_a),
                enterprise=world.ent_a,
                level="major",
                **kwargs,
            )
    assert EnterpriseGrade.objects.count() == before


def test_a_sibling_unit_cannot_override_and_an_enterprise_user_cannot_either(world, login):
    recompute(world, D1)
    until = timezone.localdate() + datetime.timedelta(days=5)
    with pytest.raises(PermissionDenied):
        grading.grade_override(
            actor=world.admin_b,
            scope=Scope.for_user(world.admin_b),
            enterprise=world.ent_a,
            level="major",
            reason="x",
            until=until,
        )
    assert login(world.admin_b).get(reverse("risks:grade_override", args=[world.ent_a.pk])).status_code == 404
    assert (
        login(world.principal_a).get(reverse("risks:grade_override", args=[world.ent_a.pk])).status_code
        == 403
    )


def test_unit_admin_lists_grades_filtered_by_colour_with_counts(world, login, django_assert_max_num_queries):
    make_point(world, world.ent_a, name="仓库一", factors=ORANGE)
    recompute(world, D1)
    client = login(world.admin_a)
    page = client.get(reverse("risks:grade_list"))
    assert {g.enterprise for g in page.context["object_list"]} == {world.ent_a, world.ent_a1}
    counts = {c["level"]: c["count"] for c in page.context["colour_links"]}
    assert counts == {"major": 0, "significant": 0, "general": 1, "low": 1}
    yellow = client.get(reverse("risks:grade_list"), {"level": "general"})
    assert [g.enterprise for g in yellow.context["object_list"]] == [world.ent_a]
    assert "1 项较大风险" in yellow.content.decode()
    with django_assert_max_num_queries(16):
        client.get(reverse("risks:grade_list"))


def test_the_grade_map_export_and_enterprise_page(world, login):
    world.ent_a.longitude, world.ent_a.latitude = 118.8, 25.0
    world.ent_a.save()
    world.ent_a1.longitude, world.ent_a1.latitude = 118.9, 25.1
    world.ent_a1.save()
    recompute(world, D1)
    client = login(world.admin_a)
    m = client.get(reverse("risks:grade_map"))
    assert m.status_code == 200 and len(m.context["dots"]) == 2 and m.context["missing"] == 0
    assert "<svg" in m.content.decode() and 'fill="#0d6efd"' in m.content.decode()
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(client.get(reverse("risks:grade_export")).content))
    names = {r[0] for r in wb.active.iter_rows(min_row=2, values_only=True)}
    assert names == {world.ent_a.name, world.ent_a1.name}
    detail = client.get(reverse("risks:enterprise_grade", args=[world.ent_a.pk]))
    assert detail.status_code == 200 and detail.context["current"].level == "low"
    assert (
        login(world.principal_a).get(reverse("risks:enterprise_grade", args=[world.ent_a.pk])).status_code
        == 200
    )


def test_the_recompute_button_works_for_a_unit_admin_and_is_refused_to_a_leader(world, login):
    response = login(world.admin_a).post(reverse("risks:grade_recompute"))
    assert response.status_code == 302
    assert set(EnterpriseGrade.objects.values_list("enterprise_id", flat=True)) == {
        world.ent_a.pk,
        world.ent_a1.pk,
    }
    assert login(world.leader).post(reverse("risks:grade_recompute")).status_code == 403


def test_reminders_name_overdue_reviews_and_enterprises_whose_grade_rose(world):
    today = timezone.localdate()
    recompute(world, today - datetime.timedelta(days=2))
    make_point(world, world.ent_a, name="油罐", factors=RED)  # assessed 2025-06-30: red, review overdue
    notifications.notifications_create(today=today)
    notes = Notification.objects.all()
    overdue = notes.filter(key__startswith="risks.review:")
    assert {n.user for n in overdue} == {world.principal_a, world.safety_a}
    rose = notes.filter(key__startswith="risks.grade_rose:")
    assert world.admin_a in {n.user for n in rose} and world.admin_b not in {n.user for n in rose}
    assert "由蓝升为橙" in rose.filter(user=world.admin_a).get().title
    notifications.notifications_create(today=today)  # rerun: no duplicates
    assert Notification.objects.count() == notes.count()


def test_the_colour_counts_follow_the_unit_filter(world, login):
    make_point(world, world.ent_a, name="仓库一", factors=ORANGE)
    recompute(world, D1)
    page = login(world.county_admin).get(
        reverse("risks:grade_list"), {"unit": world.unit_a1.pk, "level": "low"}
    )
    counts = {c["level"]: c["count"] for c in page.context["colour_links"]}
    assert counts == {"major": 0, "significant": 0, "general": 0, "low": 1}
    assert [g.enterprise for g in page.context["object_list"]] == [world.ent_a1]


def test_a_closed_enterprise_loses_its_colour_from_the_closing_date(world):
    from anbiao.orgs import services as org_services

    recompute(world, D1)
    org_services.enterprise_close(
        actor=None, scope=system_scope(world.county), enterprise=world.ent_b, on=datetime.date(2025, 11, 1)
    )
    counts = recompute(world, D2)
    assert counts["closed"] == 1
    qs = Enterprise.objects.all()
    assert world.ent_b.pk in selectors.enterprise_colour_on(qs, D1)
    assert world.ent_b.pk not in selectors.enterprise_colour_on(qs, D2)
    assert AuditEvent.objects.filter(action="risks.grade_close", enterprise_id=world.ent_b.pk).exists()


def test_the_daily_reminder_command_recomputes_grades(world):
    from io import StringIO

    from django.core.management import call_command

    call_command("anbiao_remind", stdout=StringIO())
    assert EnterpriseGrade.objects.filter(valid_to__isnull=True).count() == 3
