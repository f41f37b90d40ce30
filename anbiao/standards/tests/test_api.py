"""The standards API: scoped lists and details, writes through the services, workflow steps as POSTs."""

import datetime

import pytest
from django.urls import reverse

from anbiao.core.models import AuditEvent
from anbiao.standards.models import GradeRecord, ImprovementItem, SelfAssessment, SiteAssessment, StarRating


def test_lists_show_only_the_callers_scope(world, recs, api):
    client = api(world.admin_a)
    for name, model in [
        ("api:self-assessment-list", SelfAssessment),
        ("api:grade-list", GradeRecord),
        ("api:star-list", StarRating),
        ("api:site-assessment-list", SiteAssessment),
        ("api:improvement-list", ImprovementItem),
    ]:
        ids = {r["id"] for r in client.get(reverse(name)).json()["results"]}
        assert recs[0][model].pk in ids and recs[1][model].pk not in ids, name


def test_details_and_workflow_info_are_404_for_the_sibling(world, recs, api):
    client = api(world.admin_b)
    a = recs[0][SelfAssessment]
    assert client.get(reverse("api:self-assessment-detail", args=[a.pk])).status_code == 404
    assert (
        client.post(
            reverse("api:self-assessment-submit", args=[a.pk]), {"conclusion": "x"}, format="json"
        ).status_code
        == 404
    )
    assert api(world.admin_a).get(reverse("api:self-assessment-reopen", args=[a.pk])).json() == {
        "action": "reopen",
        "label": "退回修改",
        "status": "submitted",
        "allowed": True,
    }
    assert (
        api(world.principal_a).get(reverse("api:self-assessment-reopen", args=[a.pk])).json()["allowed"]
        is False
    )


def test_an_enterprise_user_runs_a_self_assessment_through_the_api(world, api):
    client = api(world.principal_a)
    response = client.post(
        reverse("api:self-assessment-list"),
        {"enterprise": world.ent_a.pk, "year": 2026, "leader_name": "张三", "started_on": "2026-02-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    entries = client.get(reverse("api:self-assessment-entries", args=[pk])).json()
    assert all(not e["checked"] for e in entries)
    bad = client.post(
        reverse("api:self-assessment-entries", args=[pk]),
        {"entries": [{"id": entries[0]["id"], "deduction": "1"}]},
        format="json",
    )
    assert bad.status_code == 400 and "扣分说明" in str(bad.json())
    rows = [{"id": e["id"], "applicable": True, "deduction": "0"} for e in entries]
    rows[0].update(deduction="2", reason="未公示")
    scored = client.post(reverse("api:self-assessment-entries", args=[pk]), {"entries": rows}, format="json")
    assert scored.status_code == 200 and scored.json()["percent"] == "98.0"
    assert client.get(reverse("api:self-assessment-submit", args=[pk])).json()["allowed"] is True
    submitted = client.post(
        reverse("api:self-assessment-submit", args=[pk]),
        {"conclusion": "符合", "assessed_on": "2026-03-01"},
        format="json",
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    locked = client.post(reverse("api:self-assessment-entries", args=[pk]), {"entries": rows}, format="json")
    assert locked.status_code == 400 and "锁定" in str(locked.json())
    patch = client.patch(
        reverse("api:self-assessment-detail", args=[pk]), {"leader_name": "李四"}, format="json"
    )
    assert patch.status_code == 400
    announced = client.post(
        reverse("api:self-assessment-announce", args=[pk]),
        {"method": "公示栏", "announced_on": "2026-03-05"},
        format="json",
    )
    assert announced.json()["status"] == "announced"
    reopen = api(world.admin_a).post(
        reverse("api:self-assessment-reopen", args=[pk]), {"reason": "x"}, format="json"
    )
    assert reopen.status_code == 400
    assert AuditEvent.objects.filter(action="standards.assessment_announce").count() == 1


def test_grades_stars_and_improvements_are_written_through_the_api(world, api):
    admin = api(world.admin_a)
    g = admin.post(
        reverse("api:grade-list"),
        {
            "enterprise": world.ent_a.pk,
            "grade_type": "provincial",
            "level": 2,
            "reviewing_body": "省评审中心",
            "certified_on": "2025-01-01",
        },
        format="json",
    )
    assert g.status_code == 201 and g.json()["valid_to"] == "2028-01-01"
    gid = g.json()["id"]
    assert admin.get(reverse("api:grade-revoke", args=[gid])).json()["allowed"] is True
    revoked = admin.post(
        reverse("api:grade-revoke", args=[gid]),
        {"revoked_on": "2025-06-01", "revoke_reason": "事故"},
        format="json",
    )
    assert revoked.json()["revoked_on"] == "2025-06-01"
    assert api(world.principal_a).post(reverse("api:grade-list"), {}, format="json").status_code == 403
    s = admin.post(
        reverse("api:star-list"),
        {
            "enterprise": world.ent_a.pk,
            "stars": 3,
            "valid_from": "2025-07-01",
            "basis": "复评",
            "rater_name": "县社",
        },
        format="json",
    )
    assert s.status_code == 201 and s.json()["suggested_stars"] == 1
    suggestion = admin.get(reverse("api:star-suggestion"), {"enterprise": world.ent_a.pk}).json()
    assert suggestion["stars"] == 1 and suggestion["facts"]["stars"] == 3
    assert admin.get(reverse("api:star-suggestion"), {"enterprise": world.ent_b.pk}).status_code == 404
    it = api(world.safety_a).post(
        reverse("api:improvement-list"),
        {
            "enterprise": world.ent_a.pk,
            "source": "other",
            "problem": "p",
            "measure": "m",
            "responsible_name": "李四",
            "found_on": "2025-06-01",
            "deadline": "2025-07-01",
        },
        format="json",
    )
    assert it.status_code == 201
    iid = it.json()["id"]
    api(world.safety_a).post(
        reverse("api:improvement-complete", args=[iid]), {"on": "2025-06-10", "note": "done"}, format="json"
    )
    refused = api(world.principal_a).post(
        reverse("api:improvement-accept", args=[iid]), {"acceptor_name": "李四"}, format="json"
    )
    assert refused.status_code == 400
    accepted = api(world.principal_a).post(
        reverse("api:improvement-accept", args=[iid]),
        {"acceptor_name": "张三", "on": "2025-06-11"},
        format="json",
    )
    assert accepted.json()["status"] == "accepted"
    for name in ("complete", "reject", "cancel"):
        assert (
            api(world.admin_a).get(reverse(f"api:improvement-{name}", args=[iid])).json()["allowed"] is False
        )
    assert (
        api(world.admin_a)
        .post(reverse("api:improvement-cancel", args=[iid]), {"note": "x"}, format="json")
        .status_code
        == 400
    )


def test_detail_endpoints_answer_for_their_own_side(world, recs, api):
    client = api(world.admin_a)
    inside = recs[0]
    for name, model in [
        ("api:grade-detail", GradeRecord),
        ("api:star-detail", StarRating),
        ("api:site-assessment-detail", SiteAssessment),
        ("api:improvement-detail", ImprovementItem),
    ]:
        assert client.get(reverse(name, args=[inside[model].pk])).status_code == 200, name


@pytest.mark.parametrize(
    "name",
    [
        "api:self-assessment-list",
        "api:grade-list",
        "api:star-list",
        "api:site-assessment-list",
        "api:improvement-list",
        "api:standard-list",
    ],
)
def test_api_lists_run_a_fixed_number_of_queries(world, recs, api, name, django_assert_max_num_queries):
    from anbiao.core.testing import system_scope
    from anbiao.standards import services

    scope = system_scope(world.county)
    for n in range(5):
        services.improvement_create(
            actor=None,
            scope=scope,
            enterprise=world.ent_a,
            data={
                "problem": f"p{n}",
                "measure": "m",
                "responsible_name": "x",
                "found_on": datetime.date(2025, 1, 1),
                "deadline": datetime.date(2025, 2, 1),
            },
        )
        services.star_rate(
            actor=None,
            scope=scope,
            enterprise=world.ent_a,
            stars=2,
            rated_on=datetime.date(2025, 7, 1 + n),
            basis="x",
            rater_name="x",
        )
    client = api(world.county_admin)
    client.get(reverse(name))
    with django_assert_max_num_queries(12):
        assert client.get(reverse(name)).status_code == 200


def test_the_schema_documents_the_standards_api_without_warnings(world, login, capsys):
    from drf_spectacular.generators import SchemaGenerator

    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    paths = [p for p in schema["paths"] if "/standards/" in p]
    assert "/api/v1/standards/assessments/{id}/submit/" in paths
    captured = capsys.readouterr()
    standards_warnings = [
        line
        for line in (captured.err + captured.out).splitlines()
        if "standards" in line.lower() and "warn" in line.lower() and "hazards" not in line
    ]
    assert standards_warnings == []
    assert login(world.admin_a).get(reverse("api_schema")).status_code == 200


def test_a_5s_check_is_recorded_through_the_api_and_its_result_computed(world, api):
    from anbiao.standards.selectors import active_checklist

    items = list(active_checklist("five_s").items.all())
    body = {
        "enterprise": world.ent_a.pk,
        "kind": "five_s",
        "assessed_on": "2025-05-01",
        "assessor_name": "网格员",
        "results": [{"item": i.pk, "passed": True, "score": "85"} for i in items],
    }
    response = api(world.principal_a).post(reverse("api:site-assessment-list"), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["passed"] is True and response.json()["average"] == "85.0"
    body["results"] = body["results"][:-1]
    refused = api(world.principal_a).post(reverse("api:site-assessment-list"), body, format="json")
    assert refused.status_code == 400 and "检查项" in str(refused.json())
    assert SiteAssessment.objects.count() == 1
    assert api(world.leader).post(reverse("api:site-assessment-list"), body, format="json").status_code == 403
