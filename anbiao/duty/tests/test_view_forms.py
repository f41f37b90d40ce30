"""The small forms on the enterprise, post, person, list and team pages write through the services."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from anbiao.core.models import AuditEvent
from anbiao.core.testing import png_bytes
from anbiao.duty.models import (
    Certificate,
    Department,
    DutyListSignature,
    Person,
    PostHolding,
    RescueTeam,
    RescueTeamMember,
    SafetyBody,
    SafetyOfficer,
)
from anbiao.duty.tests.conftest import publish

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate().isoformat()


def test_people_departments_and_certificates_from_the_pages(world, shop, login):
    client = login(world.safety_a)
    client.post(reverse("duty:department_add", args=[world.ent_a.pk]), {"name": "仓储部"})
    dept = Department.objects.get(enterprise=world.ent_a, name="仓储部")
    page = client.get(reverse("duty:person_create", args=[world.ent_a.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("duty:person_create", args=[world.ent_a.pk]),
        {"name": "吴仓管", "phone": "13800000000", "department": dept.pk, "is_active": "on"},
    )
    person = Person.objects.get(name="吴仓管")
    assert response["Location"] == reverse("duty:person_detail", args=[person.pk])
    bad = client.post(
        reverse("duty:person_update", args=[person.pk]), {"name": "吴仓管", "phone": "abc", "is_active": "on"}
    )
    assert "电话号码格式不正确" in bad.content.decode()
    client.post(
        reverse("duty:person_update", args=[person.pk]),
        {
            "name": "吴仓管",
            "phone": "13800000001",
            "department": dept.pk,
            "is_active": "on",
            "note": "叉车司机",
        },
    )
    person.refresh_from_db()
    assert person.note == "叉车司机"
    client.post(
        reverse("duty:certificate_add", args=[person.pk]),
        {
            "kind": "special_operation",
            "operation_type": "叉车司机",
            "number": "T350521",
            "issuer": "泉州市市场监督管理局",
            "issued_on": "2024-05-01",
            "expires_on": "2028-05-01",
            "upload": SimpleUploadedFile("cert.png", png_bytes()),
        },
    )
    cert = Certificate.objects.get(person=person)
    assert cert.file is not None and cert.operation_type == "叉车司机"
    detail = client.get(reverse("duty:person_detail", args=[person.pk])).content.decode()
    assert "T350521" in detail and "有效" in detail
    # training received shows only when the ledgers app provides Person.trainings
    assert ("接受培训（来自教育培训台账）" in detail) == hasattr(person, "trainings")
    assert login(world.principal_b).get(reverse("duty:person_detail", args=[person.pk])).status_code == 404


def test_holdings_and_posts_from_the_post_page(world, shop, login):
    client = login(world.principal_a)
    post = shop["clerk_post"]
    response = client.post(
        reverse("duty:holding_add", args=[post.pk]),
        {"person": shop["boss"].pk, "valid_from": "2025-06-01", "note": ""},
    )
    assert response["Location"] == reverse("duty:post_detail", args=[post.pk])
    holding = PostHolding.objects.get(post=post, person=shop["boss"])
    client.post(reverse("duty:holding_end", args=[holding.pk]), {"valid_to": "2025-07-01"})
    holding.refresh_from_db()
    assert holding.valid_to == datetime.date(2025, 7, 1)
    bad = client.post(reverse("duty:holding_end", args=[holding.pk]), {"valid_to": "2025-08-01"}, follow=True)
    assert "该记录已经结束" in bad.content.decode()
    client.post(reverse("duty:post_abolish", args=[post.pk]), {"on": "2025-10-01"})
    post.refresh_from_db()
    assert post.abolished_on == datetime.date(2025, 10, 1)


def test_signed_letters_are_uploaded_for_a_published_list(world, shop, login):
    dl = publish(shop, shop["principal_post"])
    client = login(world.principal_a)
    client.post(
        reverse("duty:list_sign", args=[dl.pk]),
        {
            "person": shop["boss"].pk,
            "signed_on": "2025-03-02",
            "upload": SimpleUploadedFile("letter.png", png_bytes()),
        },
    )
    sig = DutyListSignature.objects.get(duty_list=dl)
    assert sig.file.enterprise == world.ent_a
    bad = client.post(
        reverse("duty:list_sign", args=[dl.pk]),
        {
            "person": shop["boss"].pk,
            "signed_on": "2025-03-02",
            "upload": SimpleUploadedFile("x.html", b"<html>"),
        },
        follow=True,
    )
    assert "不支持的文件类型" in bad.content.decode()
    assert DutyListSignature.objects.count() == 1
    page = client.get(reverse("duty:list_detail", args=[dl.pk])).content.decode()
    assert reverse("core:file_download", args=[sig.file.pk]) in page


def test_body_officers_and_rescue_teams_from_the_pages(world, shop, login):
    client = login(world.principal_a)
    client.post(
        reverse("duty:body_add", args=[world.ent_a.pk]),
        {"name": "安全生产管理部", "document": "甲〔2025〕1号", "valid_from": "2025-02-01"},
    )
    body = SafetyBody.objects.get(enterprise=world.ent_a)
    client.post(
        reverse("duty:officer_add", args=[world.ent_a.pk]),
        {"person": shop["clerk"].pk, "employment": "full_time", "valid_from": "2025-02-01", "document": ""},
    )
    officer = SafetyOfficer.objects.get(enterprise=world.ent_a)
    hub = client.get(reverse("duty:enterprise", args=[world.ent_a.pk])).content.decode()
    assert "安全生产管理部" in hub and "符合" in hub
    client.post(reverse("duty:officer_end", args=[officer.pk]), {"valid_to": TODAY})
    client.post(reverse("duty:body_end", args=[body.pk]), {"valid_to": TODAY})
    officer.refresh_from_db()
    body.refresh_from_db()
    assert officer.valid_to and body.valid_to

    page = client.get(reverse("duty:team_create", args=[world.ent_a.pk]))
    assert page.status_code == 200
    client.post(
        reverse("duty:team_create", args=[world.ent_a.pk]),
        {
            "name": "义务消防队",
            "employment": "part_time",
            "contact_name": "陈",
            "contact_phone": "13900000000",
            "equipment": "灭火器",
            "note": "",
            "valid_from": "2025-03-01",
        },
    )
    team = RescueTeam.objects.get(enterprise=world.ent_a)
    client.post(
        reverse("duty:member_add", args=[team.pk]),
        {"person": shop["clerk"].pk, "role": "leader", "valid_from": "2025-03-01"},
    )
    member = RescueTeamMember.objects.get(team=team)
    client.post(
        reverse("duty:team_update", args=[team.pk]),
        {
            "name": "义务消防队",
            "employment": "part_time",
            "equipment": "灭火器 20 具",
            "contact_phone": "13900000000",
        },
    )
    team.refresh_from_db()
    assert team.equipment == "灭火器 20 具"
    detail = client.get(reverse("duty:team_detail", args=[team.pk])).content.decode()
    assert shop["clerk"].name in detail and "队长" in detail
    client.post(reverse("duty:member_end", args=[member.pk]), {"valid_to": TODAY})
    client.post(reverse("duty:team_disband", args=[team.pk]), {"valid_to": TODAY})
    team.refresh_from_db()
    assert team.valid_to is not None
    actions = set(AuditEvent.objects.filter(enterprise_id=world.ent_a.pk).values_list("action", flat=True))
    assert {
        "duty.body_create",
        "duty.officer_end",
        "duty.team_update",
        "duty.member_end",
        "duty.team_disband",
    } <= actions
    # a leader reads but may not write
    before = SafetyBody.objects.count()
    assert (
        login(world.leader)
        .post(reverse("duty:body_add", args=[world.ent_a.pk]), {"name": "x", "valid_from": "2025-02-01"})
        .status_code
        == 403
    )
    assert SafetyBody.objects.count() == before
