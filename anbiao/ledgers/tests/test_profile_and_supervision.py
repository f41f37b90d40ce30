"""The enterprise safety file, the supervisor overview, certificates due, special equipment as of a date."""

import datetime
import io

import openpyxl
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from anbiao.core.registry import enterprise_facts
from anbiao.ledgers import selectors
from anbiao.ledgers.models import (
    Drill,
    EmergencyPlan,
    Equipment,
    RegulationItem,
    RuleDocument,
    TrainingSession,
)
from anbiao.ledgers.testing import make, make_accident, make_attendance, make_inspection, make_person

D = datetime.date


def _status(response, key):
    return next(g for g in response.context["groups"] if g.key == key).status


def test_an_empty_enterprise_file_asks_for_every_ledger(world, login):
    response = login(world.safety_a).get(reverse("ledgers:enterprise_profile", args=[world.ent_a.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "尚未登记适用的法律法规和标准",
        "尚未建立设备设施台账",
        "尚未登记应急预案",
        "近12个月没有已实施的培训记录",
    ):
        assert text in page
    assert _status(response, "accidents") == "complete"


def test_the_file_turns_complete_when_the_ledgers_are_kept_and_overdue_when_dates_pass(world, login):
    today = timezone.localdate()
    e = world.ent_a
    make(RegulationItem, e)
    make(RuleDocument, e, next_review_on=today + datetime.timedelta(days=200))
    make(
        RuleDocument,
        e,
        kind="procedure",
        title="叉车规程",
        next_review_on=today + datetime.timedelta(days=200),
    )
    eq = make(Equipment, e, first_due=today + datetime.timedelta(days=100))
    plan = make(
        EmergencyPlan,
        e,
        filed_on=D(2025, 3, 5),
        filed_with="县应急局",
        review_due=today + datetime.timedelta(days=300),
    )
    make(Drill, e, plan=plan, held_on=today - datetime.timedelta(days=30))
    session = make(
        TrainingSession,
        e,
        held_on=today - datetime.timedelta(days=10),
        planned_on=today - datetime.timedelta(days=10),
    )
    make_attendance(session, make_person(e))
    Certificate = apps.get_model("duty", "Certificate")
    for kind, name in (("principal_assessment", "陈主要"), ("safety_manager_assessment", "林安全")):
        Certificate.objects.create(
            person=make_person(e, name),
            kind=kind,
            number=f"K-{name}",
            issuer="泉州市应急管理局",
            issued_on=D(2024, 1, 1),
            expires_on=today + datetime.timedelta(days=700),
        )
    client = login(world.safety_a)
    url = reverse("ledgers:enterprise_profile", args=[e.pk])
    response = client.get(url)
    assert "两个关键少数 — 主要负责人：陈主要" in response.content.decode()
    for key in ("rules", "training", "equipment", "emergency", "accidents"):
        assert _status(response, key) == "complete", (
            key,
            next(g for g in response.context["groups"] if g.key == key).due,
        )
    Equipment.objects.filter(pk=eq.pk).update(
        first_due=today - datetime.timedelta(days=1), next_inspection_due=today - datetime.timedelta(days=1)
    )
    make_accident(e, occurred_at=timezone.now() - datetime.timedelta(days=70))
    response = client.get(url)
    assert _status(response, "equipment") == "overdue"
    assert _status(response, "accidents") == "overdue"
    page = response.content.decode()
    assert "超过调查结案时限" in page
    facts = dict(response.context["facts"])
    assert facts["近12个月事故起数（不含未遂事件）"] == 1
    assert facts["定期检验逾期的在用特种设备台数"] == 1


def test_expired_certificates_of_the_duty_app_make_training_overdue(world, login):
    Certificate = apps.get_model("duty", "Certificate")
    Certificate.objects.create(
        person=make_person(world.ent_a, "陈主要"),
        kind="principal_assessment",
        number="Z1",
        issuer="泉州市应急管理局",
        issued_on=D(2022, 1, 1),
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    response = login(world.principal_a).get(reverse("ledgers:enterprise_profile", args=[world.ent_a.pk]))
    assert _status(response, "training") == "overdue" and "陈主要" in response.content.decode()


def test_the_file_is_404_outside_the_scope(world, login):
    assert (
        login(world.principal_b).get(reverse("ledgers:enterprise_profile", args=[world.ent_a.pk])).status_code
        == 404
    )


def test_special_equipment_overdue_is_counted_as_of_a_date_from_the_inspection_history(world):
    eq = make(Equipment, world.ent_a, commissioned_on=D(2023, 1, 1), first_due=D(2024, 1, 1))
    make_inspection(eq, inspected_on=D(2024, 3, 1), next_due=D(2025, 3, 1))
    ids = [world.ent_a.pk]
    assert enterprise_facts(ids, D(2023, 12, 31))[world.ent_a.pk]["special_equipment_overdue"] == 0
    assert enterprise_facts(ids, D(2024, 2, 1))[world.ent_a.pk]["special_equipment_overdue"] == 1
    assert enterprise_facts(ids, D(2024, 6, 1))[world.ent_a.pk]["special_equipment_overdue"] == 0
    assert enterprise_facts(ids, D(2025, 3, 2))[world.ent_a.pk]["special_equipment_overdue"] == 1
    Equipment.objects.filter(pk=eq.pk).update(status="scrapped", retired_on=D(2025, 1, 1))
    assert enterprise_facts(ids, D(2024, 2, 1))[world.ent_a.pk]["special_equipment_overdue"] == 1
    assert enterprise_facts(ids, D(2025, 3, 2))[world.ent_a.pk]["special_equipment_overdue"] == 0


def test_fire_equipment_is_not_special_equipment(world):
    make(
        Equipment,
        world.ent_a,
        category="fire",
        special_kind="",
        registration_number="",
        first_due=D(2024, 1, 1),
    )
    assert selectors.special_equipment_overdue_counts([world.ent_a.pk], D(2025, 1, 1)) == {}


def test_the_supervisor_overview_counts_the_subtree_and_links_to_filtered_lists(world, login):
    today = timezone.localdate()
    make(Equipment, world.ent_a1, first_due=today - datetime.timedelta(days=3))
    make(Equipment, world.ent_b, first_due=today - datetime.timedelta(days=3))
    make(EmergencyPlan, world.ent_a)
    make_accident(world.ent_a, occurred_at=timezone.now() - datetime.timedelta(hours=5))
    client = login(world.admin_a)
    response = client.get(reverse("ledgers:supervision"))
    counts = response.context["counts"]
    assert (counts["equipment_overdue"], counts["plans_not_filed"], counts["accidents_year"]) == (1, 1, 1)
    narrowed = client.get(reverse("ledgers:supervision"), {"unit": world.unit_a1.pk}).context["counts"]
    assert (narrowed["equipment_overdue"], narrowed["plans_not_filed"]) == (1, 0)
    listing = client.get(reverse("ledgers:equipment_list"), {"category": "special", "inspection": "overdue"})
    assert [o.enterprise for o, _ in listing.context["rows"]] == [world.ent_a1]
    assert (
        login(world.county_admin).get(reverse("ledgers:supervision")).context["counts"]["equipment_overdue"]
        == 2
    )
    assert login(world.safety_a).get(reverse("ledgers:supervision")).status_code == 403


def test_certificates_due_lists_the_subtree_filters_the_key_few_and_exports(world, login):
    Certificate = apps.get_model("duty", "Certificate")
    today = timezone.localdate()

    def cert(enterprise, name, kind, days):
        Certificate.objects.create(
            person=make_person(enterprise, name),
            kind=kind,
            number=f"N-{name}",
            issuer="发证机关",
            issued_on=D(2020, 1, 1),
            expires_on=today + datetime.timedelta(days=days),
        )

    cert(world.ent_a, "甲负责人", "principal_assessment", -3)
    cert(world.ent_a1, "甲叉车工", "special_equipment", 20)
    cert(world.ent_b, "乙负责人", "principal_assessment", -3)
    cert(world.ent_a, "远期", "special_operation", 200)
    client = login(world.admin_a)
    url = reverse("ledgers:certificates_due")

    def names(**params):
        return [c.person.name for c, _ in client.get(url, params).context["rows"]]

    assert names() == ["甲负责人", "甲叉车工"]
    assert names(state="expired") == ["甲负责人"]
    assert names(kind="key_few") == ["甲负责人"]
    assert names(unit=world.unit_a1.pk) == ["甲叉车工"]
    assert names(unit=world.unit_b.pk) == []
    wb = openpyxl.load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][2] == "姓名" and [r[2] for r in rows[1:]] == ["甲负责人", "甲叉车工"]
    assert rows[1][7] == "已过期"


def test_the_supervision_page_takes_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    for i in range(10):
        make(Equipment, world.ent_a, name=f"叉车{i}")
    client = login(world.county_admin)
    client.get(reverse("ledgers:supervision"))
    with django_assert_max_num_queries(30):
        client.get(reverse("ledgers:supervision"))


def test_the_supervisor_table_rolls_each_unit_up_with_its_children_and_exports(world, login):
    today = timezone.localdate()
    make(Equipment, world.ent_a1, first_due=today - datetime.timedelta(days=3))
    make(EmergencyPlan, world.ent_a)
    make(EmergencyPlan, world.ent_b)
    client = login(world.admin_a)
    rows = {u.name: c for u, c in client.get(reverse("ledgers:supervision")).context["by_unit"]}
    assert set(rows) == {world.unit_a.name, world.unit_a1.name}
    assert (
        rows[world.unit_a.name]["equipment_overdue"] == 1
        and rows[world.unit_a1.name]["equipment_overdue"] == 1
    )
    assert (
        rows[world.unit_a.name]["plans_not_filed"] == 1 and rows[world.unit_a1.name]["plans_not_filed"] == 0
    )
    wb = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("ledgers:supervision"), {"format": "xlsx"}).content)
    )
    sheet = list(wb.active.iter_rows(values_only=True))
    assert sheet[0][:2] == ("单位", "特种设备检验逾期（台）")
    assert sheet[1][:3] == (world.unit_a.name, 1, 0)
