"""The risks API: points with computed level, assessments, standards, site maps, grades; same services."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from anbiao.core.models import AuditEvent
from anbiao.core.testing import png_bytes, system_scope
from anbiao.risks import grading
from anbiao.risks.models import EnterpriseGrade, RiskAssessment, RiskPoint, SiteMap
from anbiao.risks.testing import lec, make_map, make_point


@pytest.fixture
def api():
    def _client(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    return _client


def test_a_point_is_created_and_assessed_through_the_api(world, api):
    client = api(world.safety_a)
    created = client.post(
        reverse("api:riskpoint-list"),
        {
            "enterprise": world.ent_a.pk,
            "name": "卸油作业",
            "kind": "activity",
            "accident_types": ["08", "18"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["level"] == ""
    response = client.post(
        reverse("api:riskassessment-list"),
        {
            "risk_point": pk,
            "band_set": lec().pk,
            "factors": {"L": 1, "E": 6, "C": 40},
            "assessed_on": "2026-10-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["score"], body["level"], body["colour"]) == ("240.00", "significant", "橙")
    assert body["factor_labels"]["C"] == "灾难，数人死亡"
    point = client.get(reverse("api:riskpoint-detail", args=[pk])).json()
    assert (point["level"], point["colour"], point["next_review_on"]) == ("significant", "橙", "2027-04-01")
    assert AuditEvent.objects.filter(action="risks.assessment_create").count() == 1


def test_the_api_refuses_a_factor_outside_the_table_with_the_same_message(world, api):
    point = make_point(world, world.ent_a)
    before = RiskAssessment.objects.count()
    response = api(world.safety_a).post(
        reverse("api:riskassessment-list"),
        {
            "risk_point": point.pk,
            "band_set": lec().pk,
            "factors": {"L": 2, "E": 6, "C": 7},
            "assessed_on": "2026-10-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "因子 L" in json.dumps(response.json(), ensure_ascii=False)
    assert RiskAssessment.objects.count() == before


def test_the_api_cannot_create_a_point_at_a_sibling_enterprise(world, api):
    before = RiskPoint.objects.count()
    response = api(world.admin_a).post(
        reverse("api:riskpoint-list"),
        {"enterprise": world.ent_b.pk, "name": "x", "kind": "area"},
        format="json",
    )
    assert response.status_code == 400 and "enterprise" in response.json()
    assert RiskPoint.objects.count() == before


def test_patching_a_point_goes_through_the_service(world, api):
    point = make_point(world, world.ent_a)
    response = api(world.safety_a).patch(
        reverse("api:riskpoint-detail", args=[point.pk]), {"responsible_person": "林主管"}, format="json"
    )
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="risks.point_update", object_id=str(point.pk)).exists()


def test_api_lists_show_only_the_scope_and_run_few_queries(world, api, django_assert_max_num_queries):
    for i in range(10):
        make_point(world, world.ent_a, name=f"点{i}")
    make_point(world, world.ent_b, name="乙点")
    make_map(world, world.ent_a)
    grading.grades_recompute(actor=None, scope=system_scope(world.county), on=datetime.date(2025, 9, 30))
    client = api(world.admin_a)
    for name, ceiling in [
        ("api:riskpoint-list", 6),
        ("api:riskassessment-list", 6),
        ("api:risksitemap-list", 7),
        ("api:enterprisegrade-list", 6),
    ]:
        client.get(reverse(name))
        with django_assert_max_num_queries(ceiling):
            rows = client.get(reverse(name)).json()["results"]
        assert rows, name
        assert all(r.get("enterprise", world.ent_a.pk) != world.ent_b.pk for r in rows), name
    points = client.get(reverse("api:riskpoint-list"), {"level": "general"}).json()
    assert points["count"] == 10


def test_the_standards_and_rules_are_readable_by_any_signed_in_user(world, api):
    client = api(world.principal_a)
    sets = client.get(reverse("api:riskstandard-list"), {"current": "1"}).json()
    by_key = {(s["method"], s["variant"]): s for s in sets}
    assert len(by_key) == 5
    seventy = next(b for b in by_key[("lec", "classic")]["bands"] if b["level"] == "general")
    assert (seventy["lower"], seventy["lower_inclusive"]) == ("70.00", True)
    rules = client.get(reverse("api:graderule-list")).json()
    assert rules[0]["is_current"] and any(
        r["fact"] == "risk_points_red_uncontrolled" for r in rules[0]["rules"]
    )
    assert APIClient().get(reverse("api:riskstandard-list")).status_code in {401, 403}


def test_site_maps_are_created_and_redrawn_through_the_api(world, api):
    point = make_point(world, world.ent_a)
    client = api(world.safety_a)
    upload = SimpleUploadedFile("plan.png", png_bytes((300, 150)), content_type="image/png")
    created = client.post(
        reverse("api:risksitemap-list"),
        {"enterprise": world.ent_a.pk, "title": "一楼", "plan_upload": upload},
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert (created.json()["width"], created.json()["height"]) == (300, 150)
    shapes = [{"risk_point": point.pk, "kind": "marker", "points": [[0.2, 0.3]]}]
    patched = client.patch(reverse("api:risksitemap-detail", args=[pk]), {"shapes": shapes}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["shapes"] == shapes
    bad = client.patch(
        reverse("api:risksitemap-detail", args=[pk]),
        {"shapes": [{"risk_point": point.pk, "kind": "marker", "points": [[2, 0.3]]}]},
        format="json",
    )
    assert bad.status_code == 400 and "超出图面范围" in json.dumps(bad.json(), ensure_ascii=False)
    assert SiteMap.objects.get(pk=pk).shapes.count() == 1


def test_grades_are_overridden_and_recomputed_through_the_api(world, api):
    grading.grades_recompute(actor=None, scope=system_scope(world.county), on=datetime.date(2025, 9, 30))
    client = api(world.admin_a)
    until = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    response = client.post(
        reverse("api:enterprisegrade-list"),
        {"enterprise": world.ent_a1.pk, "level": "significant", "reason": "检查发现问题较多", "until": until},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["summary"] == "橙：监管调整（检查发现问题较多）"
    history = client.get(reverse("api:enterprisegrade-list"), {"enterprise": world.ent_a1.pk}).json()[
        "results"
    ]
    assert [(h["source"], h["valid_to"] is None) for h in history] == [
        ("override", True),
        ("computed", False),
    ]
    refused = client.post(
        reverse("api:enterprisegrade-list"),
        {"enterprise": world.ent_b.pk, "level": "major", "reason": "x", "until": until},
        format="json",
    )
    assert refused.status_code == 400
    counts = client.post(reverse("api:enterprisegrade-recompute")).json()
    assert counts["unchanged"] == 2
    assert api(world.leader).post(reverse("api:enterprisegrade-recompute")).status_code == 403
    assert EnterpriseGrade.objects.filter(enterprise=world.ent_b, source="override").count() == 0


def test_the_schema_documents_the_risks_endpoints_without_warnings(world, api, capsys):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = [p for p in schema["paths"] if "risk" in p or "grade" in p]
    assert "/api/v1/risk-points/" in paths and "/api/v1/enterprise-grades/recompute/" in paths
    err = capsys.readouterr().err
    assert not [line for line in err.splitlines() if "risks" in line], err
    assert api(world.admin_a).get(reverse("api_schema")).status_code == 200
