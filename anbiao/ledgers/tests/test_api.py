"""The ledgers' REST API: scoped lists, writes through the services, the accident workflow, the schema."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from anbiao.core.models import AuditEvent
from anbiao.ledgers.kinds import KINDS
from anbiao.ledgers.models import (
    Accident,
    Equipment,
    EquipmentInspection,
    RuleDocument,
    TrainingAttendance,
    TrainingSession,
)
from anbiao.ledgers.testing import make, make_accident, make_attendance, make_inspection, make_person

from .test_ledgers import FORMS


@pytest.fixture
def api():
    def _client(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    return _client


@pytest.mark.parametrize("key", list(KINDS))
def test_every_ledger_api_lists_the_scope_only_and_shows_one_row(world, api, key):
    model = KINDS[key].model
    inside, outside = make(model, world.ent_a), make(model, world.ent_b)
    client = api(world.admin_a)
    ids = {r["id"] for r in client.get(reverse(f"api:ledger-{key}-list")).json()["results"]}
    assert inside.pk in ids and outside.pk not in ids
    assert client.get(reverse(f"api:ledger-{key}-detail", args=[inside.pk])).status_code == 200
    assert client.get(reverse(f"api:ledger-{key}-detail", args=[outside.pk])).status_code == 404


@pytest.mark.parametrize("key", list(KINDS))
def test_every_ledger_api_creates_through_the_service_and_audits(world, api, key):
    payload = {k: v for k, v in FORMS[key].items()}
    payload["enterprise"] = world.ent_a.pk
    response = api(world.safety_a).post(reverse(f"api:ledger-{key}-list"), payload, format="json")
    assert response.status_code == 201, response.content
    obj = KINDS[key].model.objects.get(pk=response.json()["id"])
    assert AuditEvent.objects.filter(
        action=f"ledgers.{obj.audit_name}_create", object_id=str(obj.pk)
    ).exists()


def test_the_api_refuses_another_enterprise_and_bad_dates_and_writes_nothing(world, api):
    client = api(world.safety_a)
    url = reverse("api:ledger-documents-list")
    other = client.post(url, {**FORMS["documents"], "enterprise": world.ent_b.pk}, format="json")
    assert other.status_code == 400 and "enterprise" in other.json()
    bad = client.post(
        url,
        {**FORMS["documents"], "enterprise": world.ent_a.pk, "next_review_on": "2020-01-01"},
        format="json",
    )
    assert bad.status_code == 400 and "下次评审修订日期须晚于批准发布日期" in str(bad.json())
    assert RuleDocument.objects.count() == 0


def test_the_api_updates_and_a_leader_cannot_write(world, api):
    doc = make(RuleDocument, world.ent_a)
    url = reverse("api:ledger-documents-detail", args=[doc.pk])
    assert api(world.leader).patch(url, {"title": "改"}, format="json").status_code == 403
    response = api(world.principal_a).patch(
        url, {"title": "新版制度", "enterprise": world.ent_b.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    doc.refresh_from_db()
    assert doc.title == "新版制度" and doc.enterprise == world.ent_a


def test_the_ledger_api_list_runs_a_fixed_number_of_queries(world, api, django_assert_max_num_queries):
    for i in range(20):
        session = make(TrainingSession, world.ent_a, title=f"培训{i}")
    make_attendance(session, make_person(world.ent_a))
    client = api(world.county_admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("api:ledger-training-list"))
    assert response.json()["count"] == 20


def test_inspections_are_appended_through_the_api_and_move_the_due_date(world, api):
    eq = make(Equipment, world.ent_a)
    make_inspection(make(Equipment, world.ent_b))
    client = api(world.safety_a)
    payload = {
        "equipment": eq.pk,
        "kind": "periodic",
        "inspected_on": "2026-04-01",
        "agency": "检验所",
        "result": "pass",
        "next_due": "2027-04-01",
    }
    response = client.post(reverse("api:ledger-inspection-list"), payload, format="json")
    assert response.status_code == 201, response.content
    eq.refresh_from_db()
    assert str(eq.next_inspection_due) == "2027-04-01"
    rows = client.get(reverse("api:ledger-inspection-list")).json()["results"]
    assert [r["equipment"] for r in rows] == [eq.pk]
    one = EquipmentInspection.objects.get(equipment=eq)
    assert client.get(reverse("api:ledger-inspection-detail", args=[one.pk])).status_code == 200
    other = client.post(
        reverse("api:ledger-inspection-list"),
        {**payload, "equipment": make(Equipment, world.ent_b).pk},
        format="json",
    )
    assert other.status_code == 400


def test_attendees_are_added_through_the_api_only_for_people_in_reach(world, api):
    session = make(TrainingSession, world.ent_a)
    person = make_person(world.ent_a)
    client = api(world.safety_a)
    url = reverse("api:ledger-attendance-list")
    refused = client.post(
        url, {"session": session.pk, "person": make_person(world.ent_b).pk, "hours": "4"}, format="json"
    )
    assert refused.status_code == 400
    ok = client.post(
        url,
        {"session": session.pk, "person": person.pk, "hours": "4", "exam_score": "90", "passed": True},
        format="json",
    )
    assert ok.status_code == 201, ok.content
    row = TrainingAttendance.objects.get()
    assert (
        client.get(reverse("api:ledger-attendance-detail", args=[row.pk])).json()["person_name"]
        == person.name
    )


def test_an_accident_is_reported_graded_and_moved_through_the_api(world, api):
    client = api(world.safety_a)
    payload = {
        "enterprise": world.ent_a.pk,
        "occurred_at": "2026-11-01T08:00:00+08:00",
        "place": "仓库",
        "kind": "fall",
        "summary": "跌落",
        "serious_injuries": 10,
    }
    created = client.post(reverse("api:ledger-accident-list"), payload, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["grade"] == "larger" and created.json()["status"] == "reported"
    pk = created.json()["id"]
    url = reverse("api:ledger-accident-transition", args=[pk])
    moves = client.get(url).json()
    assert moves["status"] == "reported" and [m["action"] for m in moves["moves"]] == ["investigate"]
    assert client.post(url, {"action": "investigate"}, format="json").json()["status"] == "investigating"
    refused = client.post(url, {"action": "conclude"}, format="json")
    assert refused.status_code == 400 and "事故原因" in str(refused.json())
    detail = reverse("api:ledger-accident-detail", args=[pk])
    patch = {
        "causes": "违章",
        "responsibility": "处理",
        "measures": "整改",
        "grade": "ordinary",
        "status": "closed",
    }
    assert client.patch(detail, patch, format="json").status_code == 200
    a = Accident.objects.get(pk=pk)
    assert (a.grade, a.status) == ("larger", "investigating")
    client.post(url, {"action": "conclude"}, format="json")
    a.refresh_from_db()
    assert a.status == "rectifying"
    Accident.objects.filter(pk=pk).update(
        causes_found=True, responsible_handled=True, measures_done=True, people_educated=True
    )
    assert client.post(url, {"action": "close"}, format="json").status_code == 403
    assert api(world.principal_a).post(url, {"action": "close"}, format="json").json()["status"] == "closed"


def test_accidents_of_a_sibling_unit_are_404_in_the_api(world, api):
    a = make_accident(world.ent_b)
    client = api(world.admin_a)
    assert client.get(reverse("api:ledger-accident-detail", args=[a.pk])).status_code == 404
    assert (
        client.post(
            reverse("api:ledger-accident-transition", args=[a.pk]), {"action": "investigate"}, format="json"
        ).status_code
        == 404
    )
    assert client.get(reverse("api:ledger-accident-list")).json()["count"] == 0


def test_the_schema_documents_the_ledger_endpoints_without_errors(world):
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.routers import DefaultRouter

    from anbiao.ledgers.api import register

    router = DefaultRouter()
    register(router)
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=[path("api/v1/", include(router.urls))]).get_schema(public=True)
    for p in (
        "/api/v1/ledgers/accidents/{id}/transition/",
        "/api/v1/ledgers/equipment/",
        "/api/v1/ledgers/inspections/",
    ):
        assert p in schema["paths"]
    assert not GENERATOR_STATS._error_cache
    assert "事故" in schema["paths"]["/api/v1/ledgers/accidents/"]["get"]["description"]
