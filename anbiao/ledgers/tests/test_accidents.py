"""事故管理: reporting with the computed grade, timeliness, the investigation workflow by role, facts."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from anbiao.core.models import AuditEvent
from anbiao.core.registry import enterprise_facts
from anbiao.ledgers.models import Accident, AccidentEvent, AccidentRuleSet
from anbiao.ledgers.testing import make_accident


def _form(world, **overrides):
    data = {
        "enterprise": world.ent_a.pk,
        "occurred_at": "2026-11-20T09:30",
        "place": "装卸平台",
        "kind": "vehicle",
        "summary": "叉车倒车碰伤装卸工。",
        "deaths": "0",
        "serious_injuries": "0",
        "minor_injuries": "1",
        "direct_loss": "3000",
        "reported_at": "2026-11-20T10:10",
        "reported_to": "惠安县应急管理局",
    }
    data.update(overrides)
    return data


def test_an_enterprise_user_reports_an_accident_and_its_grade_and_timeliness_are_computed(world, login):
    client = login(world.safety_a)
    assert client.get(reverse("ledgers:accident_create")).status_code == 200
    response = client.post(reverse("ledgers:accident_create"), _form(world, serious_injuries="3"))
    assert response.status_code == 302, response.context and response.context["form"].errors
    a = Accident.objects.get()
    assert (a.grade, a.status, a.rule_set.name) == ("ordinary", "reported", "国务院令第493号")
    assert a.backdated
    assert AuditEvent.objects.filter(action="ledgers.accident_report", object_id=str(a.pk)).exists()
    assert list(a.events.values_list("action", flat=True)) == ["登记"]
    page = client.get(reverse("ledgers:accident_detail", args=[a.pk])).content.decode()
    assert "一般事故" in page and "按时报告" in page


def test_a_late_report_shows_as_late(world, login):
    client = login(world.safety_a)
    client.post(reverse("ledgers:accident_create"), _form(world, reported_at="2026-11-20T12:00"))
    a = Accident.objects.get()
    assert "迟报" in client.get(reverse("ledgers:accident_detail", args=[a.pk])).content.decode()


def test_three_deaths_make_a_larger_accident_through_the_page(world, login):
    login(world.admin_a).post(reverse("ledgers:accident_create"), _form(world, deaths="3"))
    assert Accident.objects.get().grade == "larger"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("occurred_at", "2099-01-01T00:00", "发生时间不能晚于现在"),
        ("reported_at", "2026-11-19T08:00", "报告时间不能早于发生时间"),
        ("reported_to", "", "已报告的须填写报告部门"),
        ("deaths", "-1", "0"),
        ("place", "", "必填"),
    ],
)
def test_bad_accident_input_is_named_and_nothing_is_written(world, login, field, value, message):
    client = login(world.safety_a)
    before = (Accident.objects.count(), AuditEvent.objects.count())
    response = client.post(reverse("ledgers:accident_create"), _form(world, **{field: value}))
    assert response.status_code == 200 and message in response.content.decode()
    assert (Accident.objects.count(), AuditEvent.objects.count()) == before


def test_a_near_miss_has_no_grade_and_may_not_have_casualties(world, login):
    client = login(world.safety_a)
    bad = client.post(reverse("ledgers:accident_create"), _form(world, is_near_miss="on"))
    assert "有人员伤亡的不是未遂事件" in bad.content.decode()
    client.post(reverse("ledgers:accident_create"), _form(world, is_near_miss="on", minor_injuries="0"))
    assert Accident.objects.get().grade == ""


def test_editing_the_figures_regrades_the_accident_and_records_it_on_the_timeline(world, login):
    a = make_accident(world.ent_a)
    client = login(world.safety_a)
    data = {k: v for k, v in _form(world).items() if k != "enterprise"}
    data["direct_loss"] = "10000000"
    response = client.post(reverse("ledgers:accident_update", args=[a.pk]), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    a.refresh_from_db()
    assert a.grade == "larger"
    assert a.events.filter(action="修改").exists()
    assert AuditEvent.objects.filter(action="ledgers.accident_update", object_id=str(a.pk)).exists()


def _close_ready(a):
    Accident.objects.filter(pk=a.pk).update(
        causes="违章",
        responsibility="处理",
        measures="整改",
        causes_found=True,
        responsible_handled=True,
        measures_done=True,
        people_educated=True,
    )


MOVES = [
    ("investigate", "reported"),
    ("conclude", "investigating"),
    ("close", "rectifying"),
    ("reopen", "closed"),
]
ALLOWED = {
    "investigate": {"county_admin", "admin_a", "principal_a", "safety_a"},
    "conclude": {"county_admin", "admin_a", "principal_a", "safety_a"},
    "close": {"county_admin", "admin_a", "principal_a"},
    "reopen": {"county_admin", "admin_a"},
}
USERS = ["county_admin", "leader", "admin_a", "principal_a", "safety_a", "inspector", "expert", "admin_b"]


@pytest.mark.parametrize(("action", "status"), MOVES)
@pytest.mark.parametrize("user", USERS)
def test_every_workflow_move_by_every_role(world, login, action, status, user):
    a = make_accident(world.ent_a)
    _close_ready(a)
    Accident.objects.filter(pk=a.pk).update(status=status)
    before_events = AccidentEvent.objects.count()
    response = login(getattr(world, user)).post(
        reverse("ledgers:accident_transition", args=[a.pk]), {"action": action, "note": "说明"}
    )
    a.refresh_from_db()
    if user in ALLOWED[action]:
        assert response.status_code == 302
        assert a.status != status
        assert AuditEvent.objects.filter(action=f"ledgers.accident_{action}", object_id=str(a.pk)).exists()
        assert AccidentEvent.objects.count() == before_events + 1
    else:
        assert response.status_code in {403, 404}, response.status_code
        if user in {"admin_b", "inspector", "expert"}:
            assert response.status_code == 404
        assert a.status == status
        assert AccidentEvent.objects.count() == before_events


def test_closing_needs_the_four_nots_and_conclusion_needs_the_findings(world, login):
    a = make_accident(world.ent_a)
    client = login(world.principal_a)
    url = reverse("ledgers:accident_transition", args=[a.pk])
    client.post(url, {"action": "investigate"})
    refused = client.post(url, {"action": "conclude"}, follow=True).content.decode()
    assert "事故原因" in refused
    a.refresh_from_db()
    assert a.status == "investigating"
    Accident.objects.filter(pk=a.pk).update(causes="违章", responsibility="处理", measures="整改")
    client.post(url, {"action": "conclude"})
    refused = client.post(url, {"action": "close"}, follow=True).content.decode()
    assert "有关人员已受到教育" in refused
    _close_ready(a)
    client.post(url, {"action": "close"})
    a.refresh_from_db()
    assert a.status == "closed" and a.closed_on == timezone.localdate()
    assert login(world.safety_a).get(reverse("ledgers:accident_update", args=[a.pk])).status_code == 302
    response = client.post(reverse("ledgers:accident_update", args=[a.pk]), {"place": "x"}, follow=True)
    assert "已结案的事故不能修改" in response.content.decode()
    a.refresh_from_db()
    assert a.place == "一号仓库"


def test_reopening_clears_the_closure(world, login):
    a = make_accident(world.ent_a)
    _close_ready(a)
    Accident.objects.filter(pk=a.pk).update(status="closed", closed_on=datetime.date(2025, 9, 1))
    login(world.admin_a).post(reverse("ledgers:accident_transition", args=[a.pk]), {"action": "reopen"})
    a.refresh_from_db()
    assert a.status == "investigating" and a.closed_on is None and not a.causes_found


def test_a_sibling_admin_cannot_see_or_move_an_accident(world, login):
    a = make_accident(world.ent_a)
    client = login(world.admin_b)
    assert client.get(reverse("ledgers:accident_detail", args=[a.pk])).status_code == 404
    assert client.get(reverse("ledgers:accident_update", args=[a.pk])).status_code == 404
    assert a.pk not in {o.pk for o, _ in client.get(reverse("ledgers:accident_list")).context["rows"]}


def test_the_accident_list_runs_a_fixed_number_of_queries_and_exports(
    world, login, django_assert_max_num_queries
):
    for i in range(12):
        make_accident(world.ent_a if i % 2 else world.ent_b, minor_injuries=i)
    client = login(world.admin_a)
    client.get(reverse("ledgers:accident_list"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("ledgers:accident_list"))
    assert len(response.context["rows"]) == 6
    wb = openpyxl.load_workbook(io.BytesIO(client.get(reverse("ledgers:accident_export")).content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][5] == "等级" and len(rows) == 7
    assert {r[0] for r in rows[1:]} == {world.ent_a.name} and rows[1][5] == "一般事故"


def test_the_list_filters_by_year_grade_and_near_miss(world, login):
    make_accident(world.ent_a, deaths=3)
    make_accident(world.ent_a, minor_injuries=0, is_near_miss=True)
    make_accident(world.ent_a, occurred_at=timezone.make_aware(datetime.datetime(2024, 3, 1, 8)))
    client = login(world.admin_a)

    def count(**params):
        return len(client.get(reverse("ledgers:accident_list"), params).context["rows"])

    assert count(year=2025) == 2 and count(grade="larger") == 1 and count(near_miss="yes") == 1


# --- Facts published to the other apps' rules ---------------------------------------------------------
def test_accident_facts_count_the_twelve_months_ending_on_the_day_asked(world):
    make_accident(world.ent_a, serious_injuries=2, minor_injuries=1, direct_loss=Decimal("5000"))
    make_accident(world.ent_a, deaths=1, minor_injuries=0)
    make_accident(world.ent_a, minor_injuries=0, is_near_miss=True)
    day = datetime.date(2025, 8, 1)
    facts = enterprise_facts([world.ent_a.pk, world.ent_b.pk], day)
    a = facts[world.ent_a.pk]
    assert (a["accidents_12m"], a["accident_deaths_12m"], a["accident_injuries_12m"]) == (2, 1, 2)
    assert a["accident_minor_injuries_12m"] == 1 and a["accident_direct_loss_12m"] == 5000.0
    assert a["accident_late_reports_12m"] == 2  # neither was reported to the authority
    assert facts[world.ent_b.pk]["accidents_12m"] == 0
    assert (
        enterprise_facts([world.ent_a.pk], day - datetime.timedelta(days=1))[world.ent_a.pk]["accidents_12m"]
        == 0
    )
    last_day = day + datetime.timedelta(days=364)
    assert enterprise_facts([world.ent_a.pk], last_day)[world.ent_a.pk]["accidents_12m"] == 2
    assert (
        enterprise_facts([world.ent_a.pk], last_day + datetime.timedelta(days=1))[world.ent_a.pk][
            "accidents_12m"
        ]
        == 0
    )


def test_a_report_later_than_the_rule_sets_limit_counts_as_late(world):
    occurred = timezone.make_aware(datetime.datetime(2025, 8, 1, 10, 0))
    make_accident(world.ent_a, reported_at=occurred + datetime.timedelta(minutes=60), reported_to="县应急局")
    make_accident(world.ent_a, reported_at=occurred + datetime.timedelta(minutes=61), reported_to="县应急局")
    facts = enterprise_facts([world.ent_a.pk], datetime.date(2025, 9, 1))[world.ent_a.pk]
    assert (facts["accidents_12m"], facts["accident_late_reports_12m"]) == (2, 1)


def test_facts_for_many_enterprises_take_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    from anbiao.ledgers.hooks import enterprise_facts as ours

    make_accident(world.ent_a)
    with django_assert_max_num_queries(2):
        ours([world.ent_a.pk, world.ent_a1.pk, world.ent_b.pk], datetime.date(2025, 9, 1))


def test_a_new_rule_version_applies_from_its_date_and_old_accidents_keep_their_grade(world, login):
    old = make_accident(world.ent_a, deaths=3)
    client = login(world.county_admin)
    assert client.get(reverse("ledgers:accident_rules")).status_code == 200
    data = {
        "name": "修订版",
        "source": "测试依据",
        "valid_from": "2026-01-01",
        "report_limit_hours": "2",
        "investigation_limit_days": "60",
    }
    values = {
        "extraordinary": (30, 100, "100000000"),
        "major": (10, 50, "50000000"),
        "larger": (5, 10, "10000000"),
        "ordinary": (0, 0, "0"),
    }
    for grade, (d, s, loss) in values.items():
        data.update(
            {
                f"{grade}__min_deaths": d,
                f"{grade}__min_serious_injuries": s,
                f"{grade}__min_direct_loss": loss,
            }
        )
    response = client.post(reverse("ledgers:accident_rules"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AccidentRuleSet.objects.count() == 2
    assert AuditEvent.objects.filter(action="ledgers.rule_set_create").exists()
    new = make_accident(
        world.ent_a, deaths=3, occurred_at=timezone.make_aware(datetime.datetime(2026, 2, 1, 8))
    )
    old.refresh_from_db()
    assert (old.grade, new.grade) == ("larger", "ordinary")
    assert new.rule_set.name == "修订版"


def test_only_a_county_admin_adds_rule_versions_and_thresholds_must_rise_with_severity(world, login):
    assert login(world.admin_a).post(reverse("ledgers:accident_rules"), {}).status_code == 403
    client = login(world.county_admin)
    data = {
        "name": "坏",
        "source": "x",
        "valid_from": "2026-01-01",
        "report_limit_hours": "1",
        "investigation_limit_days": "60",
    }
    for grade in ("extraordinary", "major", "larger", "ordinary"):
        data.update(
            {f"{grade}__min_deaths": 3, f"{grade}__min_serious_injuries": 1, f"{grade}__min_direct_loss": 1}
        )
    response = client.post(reverse("ledgers:accident_rules"), data)
    assert "各项下限须越大" in response.content.decode()
    assert AccidentRuleSet.objects.count() == 1
