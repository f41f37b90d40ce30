"""The API: register a hazard, workflow verbs calling the same services (Chinese 400s, 403, 404), listings,
inspections, checklists and internal reports read through the same scope."""

import datetime
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from anbiao.core.models import AuditEvent, EvidenceFile
from anbiao.hazards.choices import Level, Source, State
from anbiao.hazards.models import Hazard, HazardListing
from anbiao.hazards.tests import factories
from anbiao.hazards.tests.helpers import DAY, PLAN, build, counts, criterion, five, photo

TODAY = timezone.localdate()
NEW = {
    "source": "self",
    "kind": "thing",
    "location": "二号仓库",
    "description": "货架超高",
    "found_on": "2025-03-10",
}


def _text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def _verb(client, h, verb, data=None, **kw):
    return client.post(f"/api/v1/hazards/{h.pk}/{verb}/", data or {}, **kw)


def test_a_hazard_is_registered_with_a_token(world):
    token = Token.objects.create(user=world.safety_a)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post("/api/v1/hazards/", {**NEW, "enterprise": world.ent_a.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["code"], body["state"], body["state_label"], body["level"]) == (
        "YH2025-0001",
        "registered",
        "登记",
        "general",
    )
    h = Hazard.objects.get(pk=body["id"])
    assert h.created_by == world.safety_a and h.events.count() == 1
    assert AuditEvent.objects.filter(action="hazards.hazard_register", object_id=str(h.pk)).exists()


def test_a_hazard_is_registered_with_a_session_and_a_major_criterion_makes_it_major(world, login):
    major = criterion(major=True)
    response = login(world.principal_a).post(
        "/api/v1/hazards/",
        {**NEW, "enterprise": world.ent_a.pk, "criterion": major.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["level"] == "major"


def test_registering_reports_bad_input_in_chinese(world, api):
    client = api(world.safety_a)
    response = client.post("/api/v1/hazards/", {"enterprise": world.ent_a.pk}, format="json")
    assert response.status_code == 400
    assert "该字段是必填项" in _text(response)
    response = client.post(
        "/api/v1/hazards/",
        {**NEW, "enterprise": world.ent_a.pk, "criterion": criterion(major=True).pk, "level": "general"},
        format="json",
    )
    assert response.status_code == 400 and "须填写定级说明" in _text(response)
    response = client.post(
        "/api/v1/hazards/",
        {**NEW, "enterprise": world.ent_a.pk, "found_on": (TODAY + datetime.timedelta(1)).isoformat()},
        format="json",
    )
    assert response.status_code == 400 and "不能晚于今天" in _text(response)
    assert not Hazard.objects.exists()


def test_registering_for_an_enterprise_outside_the_scope_is_refused(world, api):
    response = api(world.safety_a).post(
        "/api/v1/hazards/", {**NEW, "enterprise": world.ent_b.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["enterprise"]
    assert (
        api(world.leader)
        .post("/api/v1/hazards/", {**NEW, "enterprise": world.ent_a.pk}, format="json")
        .status_code
        == 403
    )
    assert not Hazard.objects.exists()


def test_the_whole_loop_through_the_api_verbs(world, api):
    h = factories.hazard(world, world.ent_a)
    safety, principal = api(world.safety_a), api(world.principal_a)
    response = _verb(
        safety, h, "assign", {**five(deadline=TODAY.isoformat()), "funds": "300.00"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == State.PENDING and response.json()["deadline"] == TODAY.isoformat()
    assert _verb(safety, h, "start").json()["state"] == State.RECTIFYING
    response = _verb(
        safety,
        h,
        "submit",
        {"rectified_on": TODAY.isoformat(), "note": "已清理", "photos": [photo("a.png"), photo("b.png")]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == State.AWAITING
    assert (
        EvidenceFile.objects.filter(owner_type="hazards.hazard", owner_id=str(h.pk), title="整改后").count()
        == 2
    )
    response = _verb(safety, h, "accept", {"accepted_on": TODAY.isoformat()}, format="json")
    assert response.status_code == 403 and "验收人不能是提交整改的人" in _text(response)
    response = _verb(principal, h, "reject", {"reason": "照片不清"}, format="json")
    assert response.json()["state"] == State.RECTIFYING
    _verb(
        safety,
        h,
        "submit",
        {"rectified_on": TODAY.isoformat(), "note": "重拍", "photos": [photo()]},
        format="multipart",
    )
    response = _verb(
        principal, h, "accept", {"accepted_on": TODAY.isoformat(), "note": "合格"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == State.CLOSED
    assert [e.verb for e in Hazard.objects.get(pk=h.pk).events.all()] == [
        "register",
        "assign",
        "start",
        "submit",
        "reject",
        "submit",
        "accept",
    ]


def test_void_through_the_api_needs_a_reason(world, api):
    h = factories.hazard(world, world.ent_a)
    client = api(world.safety_a)
    response = _verb(client, h, "void", {}, format="json")
    assert response.status_code == 400 and "该字段是必填项" in _text(response)
    response = _verb(client, h, "void", {"reason": "重复登记"}, format="json")
    assert response.status_code == 200 and response.json()["void_reason"] == "重复登记"


def test_bad_workflow_input_is_400_in_chinese_and_writes_nothing(world, api):
    h = factories.hazard(world, world.ent_a, level=Level.MAJOR)
    client = api(world.safety_a)
    before = counts(h)
    response = _verb(client, h, "assign", five(deadline=DAY.isoformat()), format="json")
    assert response.status_code == 400
    assert "重大隐患须填写治理方案" in _text(response) and "reported_on" in response.json()
    assert counts(h) == before
    response = _verb(
        client,
        h,
        "assign",
        {**five(deadline=DAY.isoformat()), **PLAN, "reported_on": DAY.isoformat()},
        format="json",
    )
    assert response.status_code == 200
    response = _verb(client, h, "submit", {"rectified_on": DAY.isoformat(), "note": "x"}, format="multipart")
    assert response.status_code == 400 and "photos" in response.json()
    bad = SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png")
    response = _verb(
        client,
        h,
        "submit",
        {"rectified_on": DAY.isoformat(), "note": "x", "photos": [bad]},
        format="multipart",
    )
    assert response.status_code == 400
    assert Hazard.objects.get(pk=h.pk).state == State.PENDING


def test_an_illegal_move_through_the_api_is_400_with_the_reason(world, api):
    h = factories.hazard(world, world.ent_a)
    client = api(world.safety_a)
    client.raise_request_exception = False
    response = _verb(client, h, "start")
    assert response.status_code == 400
    assert "不能「开始整改」" in _text(response)


def test_the_sibling_gets_404_and_the_leader_403_on_every_verb(world, api):
    h = build(world, world.ent_a, State.REGISTERED)
    for verb in ("assign", "start", "submit", "accept", "reject", "void"):
        assert _verb(api(world.admin_b), h, verb, {}, format="json").status_code == 404
        assert _verb(api(world.principal_b), h, verb, {}, format="json").status_code == 404
        assert _verb(api(world.leader), h, verb, {}, format="json").status_code == 403
    assert api(world.admin_b).get(f"/api/v1/hazards/{h.pk}/").status_code == 404
    assert api(world.leader).get(f"/api/v1/hazards/{h.pk}/").status_code == 200
    assert Hazard.objects.get(pk=h.pk).state == State.REGISTERED


def test_the_enterprise_is_refused_acceptance_of_a_supervisor_found_hazard_via_the_api(world, api):
    h = build(world, world.ent_a, State.AWAITING, source=Source.SUPERVISOR, rectifier=world.safety_a)
    response = _verb(api(world.principal_a), h, "accept", {"accepted_on": TODAY.isoformat()}, format="json")
    assert response.status_code == 403 and "须由监管方验收" in _text(response)
    response = _verb(api(world.admin_a), h, "accept", {"accepted_on": TODAY.isoformat()}, format="json")
    assert response.status_code == 200 and response.json()["state"] == State.CLOSED


def test_the_hazard_list_filters_and_stays_in_scope(world, api):
    build(world, world.ent_a, State.CLOSED)
    build(world, world.ent_a1, State.PENDING)
    build(world, world.ent_b, State.REGISTERED)
    ids = {r["enterprise"] for r in api(world.admin_a).get("/api/v1/hazards/").json()["results"]}
    assert ids == {world.ent_a.pk, world.ent_a1.pk}
    rows = api(world.admin_a).get("/api/v1/hazards/", {"state": "closed"}).json()["results"]
    assert [r["enterprise"] for r in rows] == [world.ent_a.pk]
    rows = api(world.county_admin).get("/api/v1/hazards/", {"overdue": "true"}).json()["results"]
    assert [r["enterprise_name"] for r in rows] == ["甲二仓储"] and rows[0]["overdue"] is True


def test_listings_are_created_by_the_supervising_unit_through_the_api(world, api):
    h = factories.hazard(world, world.ent_a, level=Level.MAJOR)
    data = {
        "hazard": h.pk,
        "organization": world.unit_a.pk,
        "listed_on": DAY.isoformat(),
        "deadline": "2025-04-30",
        "requirements": "限期",
    }
    assert api(world.principal_a).post("/api/v1/hazard-listings/", data, format="json").status_code == 403
    response = api(world.admin_b).post("/api/v1/hazard-listings/", data, format="json")
    assert response.status_code == 400
    response = api(world.admin_a).post("/api/v1/hazard-listings/", data, format="json")
    assert response.status_code == 201, response.content
    assert HazardListing.objects.get().organization == world.unit_a
    response = api(world.admin_a).post("/api/v1/hazard-listings/", data, format="json")
    assert response.status_code == 400 and "已挂牌督办" in _text(response)
    general = factories.hazard(world, world.ent_a)
    response = api(world.admin_a).post(
        "/api/v1/hazard-listings/", {**data, "hazard": general.pk}, format="json"
    )
    assert response.status_code == 400 and "只有重大隐患" in _text(response)
    assert [
        r["hazard"] for r in api(world.principal_a).get("/api/v1/hazard-listings/").json()["results"]
    ] == [h.pk]
    assert api(world.admin_b).get("/api/v1/hazard-listings/").json()["results"] == []


def test_inspections_checklists_and_reports_read_through_the_scope(world, api):
    inspection = factories.inspection(world, world.ent_a)
    factories.inspection(world, world.ent_b)
    rows = api(world.principal_a).get("/api/v1/inspections/").json()["results"]
    assert [r["id"] for r in rows] == [inspection.pk]
    assert {r["outcome"] for r in rows[0]["results"]} == {"fail", "pass"}
    assert rows[0]["notice_no"].startswith("ZG2025-")
    assert api(world.admin_b).get(f"/api/v1/inspections/{inspection.pk}/").status_code == 404

    unit = factories.template(world, organization=world.unit_a, name="甲清单", items=2)
    rows = api(world.principal_a).get("/api/v1/checklists/").json()["results"]
    mine = next(r for r in rows if r["id"] == unit.pk)
    assert mine["current_version"] == 1 and len(mine["items"]) == 2
    assert unit.pk not in {
        r["id"] for r in api(world.principal_b).get("/api/v1/checklists/").json()["results"]
    }
    assert api(world.admin_b).get(f"/api/v1/checklists/{unit.pk}/").status_code == 404

    report = factories.internal_report(world, world.ent_a)
    assert [r["id"] for r in api(world.admin_a).get("/api/v1/internal-reports/").json()["results"]] == [
        report.pk
    ]
    assert api(world.admin_b).get("/api/v1/internal-reports/").json()["results"] == []


def test_an_internal_report_is_rejected_through_the_api_by_the_enterprise_only(world, api):
    report = factories.internal_report(world, world.ent_a)
    url = f"/api/v1/internal-reports/{report.pk}/reject/"
    assert api(world.admin_a).post(url, {"reason": "x"}, format="json").status_code == 403
    assert api(world.admin_b).post(url, {"reason": "x"}, format="json").status_code == 404
    assert api(world.principal_a).post(url, {}, format="json").status_code == 400
    response = api(world.principal_a).post(url, {"reason": "核查无此情况"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "rejected"


def test_the_api_refuses_anonymous_callers(client):
    for url in (
        "/api/v1/hazards/",
        "/api/v1/inspections/",
        "/api/v1/checklists/",
        "/api/v1/hazard-listings/",
        "/api/v1/internal-reports/",
    ):
        assert client.get(url).status_code in {401, 403}
