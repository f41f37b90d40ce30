"""The API calls the same services as the pages: a whole year of 全员责任制 through /api/v1/duty-…"""

import pytest
from django.urls import reverse

from anbiao.core.models import AuditEvent
from anbiao.duty.models import AssessmentScore, Person, Post, RescueTeamMember, SafetyOfficer

pytestmark = pytest.mark.django_db


def test_a_principal_runs_posts_lists_and_an_assessment_through_the_api(world, login):
    client = login(world.principal_a)
    person = client.post(
        reverse("api:duty-person-list"),
        {"enterprise": world.ent_a.pk, "name": "陈老板", "phone": "13900000000"},
    )
    assert person.status_code == 201, person.json()
    pid = person.json()["id"]
    patched = client.patch(
        reverse("api:duty-person-detail", args=[pid]), {"note": "法定代表人"}, content_type="application/json"
    )
    assert patched.status_code == 200 and Person.objects.get(pk=pid).note == "法定代表人"
    post = client.post(
        reverse("api:duty-post-list"),
        {
            "enterprise": world.ent_a.pk,
            "name": "总经理",
            "level": "principal",
            "established_on": "2025-01-01",
        },
    )
    assert post.status_code == 201
    post_id = post.json()["id"]
    holding = client.post(
        reverse("api:duty-post-holders", args=[post_id]), {"person": pid, "valid_from": "2025-01-01"}
    )
    assert holding.status_code == 201 and holding.json()["backdated"] is True
    assert (
        client.get(reverse("api:duty-post-detail", args=[post_id])).json()["holders"][0]["person_name"]
        == "陈老板"
    )
    draft = client.post(reverse("api:duty-post-adopt", args=[post_id]), {}, content_type="application/json")
    assert draft.status_code == 201 and len(draft.json()["duty_items"]) == 7
    list_id = draft.json()["id"]
    items = {
        "duty_items": [{"text": "落实责任制", "basis": "第21条"}],
        "assess_items": [{"content": "责任制落实", "full_marks": "100"}],
        "note": "精简",
    }
    saved = client.post(
        reverse("api:duty-list-items", args=[list_id]), items, content_type="application/json"
    )
    assert saved.status_code == 200 and saved.json()["assess_items"][0]["number"] == 1
    published = client.post(
        reverse("api:duty-list-publish", args=[list_id]),
        {"effective_from": "2025-02-01", "published_on": "2025-02-01", "published_place": "公示栏"},
    )
    assert published.status_code == 200 and published.json()["status"] == "effective"
    assert client.get(reverse("api:duty-list-detail", args=[list_id])).status_code == 200
    status = client.get(reverse("api:duty-status-detail", args=[world.ent_a.pk])).json()
    assert (
        status["lists_complete"] is True
        and status["art24_ok"] is False
        and "不符合" in status["art24_reason"]
    )

    a = client.post(
        reverse("api:duty-assessment-list"),
        {"enterprise": world.ent_a.pk, "year": 2025, "started_on": "2025-12-01"},
    )
    assert a.status_code == 201
    aid = a.json()["id"]
    item_id = saved.json()["assess_items"][0]["id"]
    score = client.post(
        reverse("api:duty-assessment-score", args=[aid]),
        {
            "holding": holding.json()["id"],
            "scored_on": "2025-12-10",
            "deductions": [{"item": item_id, "points": "12", "reason": "公示不及时"}],
        },
        content_type="application/json",
    )
    assert score.status_code == 201 and score.json()["band"] == "良好" and score.json()["score"] == "88.0"
    sid = score.json()["id"]
    bad = client.post(reverse("api:duty-score-outcome", args=[sid]), {"outcome": "reward", "amount": "100"})
    assert bad.status_code == 400 and "decided_on" in bad.json()
    outcome = client.post(
        reverse("api:duty-score-outcome", args=[sid]),
        {"outcome": "reward", "amount": "800", "decided_on": "2025-12-15", "paid_on": "2025-12-30"},
    )
    assert outcome.status_code == 200 and outcome.json()["paid_on"] == "2025-12-30"
    assert (
        client.get(reverse("api:duty-score-detail", args=[sid])).json()["deductions"][0]["reason"]
        == "公示不及时"
    )
    done = client.post(reverse("api:duty-assessment-complete", args=[aid]), {"completed_on": "2025-12-31"})
    assert done.status_code == 200 and done.json()["completed_on"] == "2025-12-31"
    assert client.get(reverse("api:duty-assessment-detail", args=[aid])).status_code == 200
    assert AuditEvent.objects.filter(action="duty.assessment_complete", actor=world.principal_a).exists()


def test_officers_bodies_teams_and_certificates_through_the_api(world, login):
    client = login(world.safety_a)
    pid = client.post(
        reverse("api:duty-person-list"), {"enterprise": world.ent_a.pk, "name": "林安全"}
    ).json()["id"]
    officer = client.post(
        reverse("api:duty-officer-list"),
        {"enterprise": world.ent_a.pk, "person": pid, "employment": "full_time", "valid_from": "2025-03-01"},
    )
    assert officer.status_code == 201
    oid = officer.json()["id"]
    assert client.get(reverse("api:duty-officer-detail", args=[oid])).json()["person_name"] == "林安全"
    ended = client.post(reverse("api:duty-officer-end", args=[oid]), {"valid_to": "2025-09-01"})
    assert ended.status_code == 200 and SafetyOfficer.objects.get(pk=oid).valid_to.isoformat() == "2025-09-01"
    body = client.post(
        reverse("api:duty-body-list"),
        {
            "enterprise": world.ent_a.pk,
            "name": "安全部",
            "document": "甲〔2025〕2号",
            "valid_from": "2025-04-01",
        },
    )
    assert body.status_code == 201
    assert client.get(reverse("api:duty-body-detail", args=[body.json()["id"]])).status_code == 200
    team = client.post(
        reverse("api:duty-team-list"),
        {
            "enterprise": world.ent_a.pk,
            "name": "义务消防队",
            "employment": "part_time",
            "valid_from": "2025-04-01",
        },
    )
    assert team.status_code == 201
    tid = team.json()["id"]
    member = client.post(
        reverse("api:duty-team-members", args=[tid]), {"person": pid, "valid_from": "2025-04-02"}
    )
    assert member.status_code == 201 and RescueTeamMember.objects.filter(team_id=tid).count() == 1
    assert (
        client.get(reverse("api:duty-team-detail", args=[tid])).json()["members"][0]["person_name"]
        == "林安全"
    )
    cert = client.post(
        reverse("api:duty-certificate-list"),
        {
            "person": pid,
            "kind": "safety_manager_assessment",
            "number": "A1",
            "issuer": "泉州市应急管理局",
            "issued_on": "2025-01-01",
            "expires_on": "2028-01-01",
        },
    )
    assert cert.status_code == 201
    assert client.get(reverse("api:duty-certificate-detail", args=[cert.json()["id"]])).status_code == 200
    # the safety officer may not run the annual assessment
    refused = client.post(
        reverse("api:duty-assessment-list"),
        {"enterprise": world.ent_a.pk, "year": 2025, "started_on": "2025-12-01"},
    )
    assert refused.status_code == 403


def test_writes_into_another_enterprise_are_refused_and_leave_nothing(world, login):
    client = login(world.principal_b)
    before = (Person.objects.count(), Post.objects.count(), AuditEvent.objects.count())
    person = client.post(reverse("api:duty-person-list"), {"enterprise": world.ent_a.pk, "name": "x"})
    post = client.post(
        reverse("api:duty-post-list"),
        {"enterprise": world.ent_a.pk, "name": "x", "level": "employee", "established_on": "2025-01-01"},
    )
    assert person.status_code == 400 and post.status_code == 400  # the enterprise is not one they may choose
    assert (Person.objects.count(), Post.objects.count(), AuditEvent.objects.count()) == before
    assert not AssessmentScore.objects.exists()
    anonymous = client.logout() or client.get(reverse("api:duty-status-list"))
    assert anonymous.status_code in {401, 403}
