"""F4: a departed person's personal data is erased on request (PIPL 47), the records that count them stay
(security.md F4, docs/privacy.md)."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anbiao.core.models import AuditEvent, EvidenceFile
from anbiao.core.scope import Scope
from anbiao.core.testing import png_bytes
from anbiao.duty import services
from anbiao.duty.choices import Employment, PostLevel
from anbiao.duty.models import Certificate, Person, PostHolding

START = datetime.date(2025, 1, 1)
LEFT = datetime.date(2025, 6, 1)
PHONE = "13611112222"
ID = "350521199001011234"


def _person(world, enterprise, user, *, name="陈离职"):
    scope = Scope.for_user(user)
    person = services.person_create(
        actor=user,
        scope=scope,
        enterprise=enterprise,
        data={"name": name, "phone": PHONE, "note": "住址：东街 8 号", "joined_on": START},
    )
    post = services.post_create(
        actor=user,
        scope=scope,
        enterprise=enterprise,
        data={"name": "仓管员", "level": PostLevel.EMPLOYEE, "established_on": START},
    )
    holding = services.holding_add(actor=user, scope=scope, post=post, person=person, valid_from=START)
    services.certificate_add(
        actor=user,
        scope=scope,
        person=person,
        data={
            "kind": "special_operation",
            "number": ID,
            "issuer": "泉州市应急管理局",
            "issued_on": datetime.date(2024, 5, 1),
            "expires_on": datetime.date(2030, 4, 30),
        },
        upload=SimpleUploadedFile(f"{name}身份证.png", png_bytes()),
    )
    return person, post, holding


@pytest.fixture
def departed(world):
    """A person of enterprise A who held a post, carries a certificate with its scan, and has left."""
    user = world.principal_a
    person, _, holding = _person(world, world.ent_a, user)
    scope = Scope.for_user(user)
    services.holding_end(actor=user, scope=scope, holding=holding, valid_to=LEFT)
    services.person_update(actor=user, scope=scope, person=person, data={"is_active": False, "left_on": LEFT})
    person.refresh_from_db()
    return person


def _counts():
    return (
        Person.objects.count(),
        PostHolding.objects.count(),
        Certificate.objects.count(),
        EvidenceFile.objects.count(),
        # not the logins, nor the record of a refusal (core.write_refused)
        AuditEvent.objects.exclude(action__startswith="accounts.")
        .exclude(action="core.write_refused")
        .count(),
    )


def test_anonymising_erases_the_personal_fields_and_keeps_the_rows(
    world, departed, django_capture_on_commit_callbacks
):
    cert = departed.certificates.get()
    scan = cert.file
    assert default_storage.exists(scan.storage_name)
    before = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        services.person_anonymise(
            actor=world.principal_a,
            scope=Scope.for_user(world.principal_a),
            person=departed,
            reason="本人离职后申请删除个人信息",
        )
    departed.refresh_from_db()
    cert.refresh_from_db()
    assert departed.name == f"已匿名化人员#{departed.pk}"
    assert (departed.phone, departed.note) == ("", "")
    assert departed.anonymised_at is not None
    assert (departed.joined_on, departed.left_on) == (START, LEFT)  # the employment period still counts
    assert departed.holdings.count() == 1
    assert (cert.number, cert.file) == ("已匿名化", None)
    assert not EvidenceFile.objects.filter(pk=scan.pk).exists()
    assert not default_storage.exists(scan.storage_name)
    people, holdings, certificates, files, events = _counts()
    assert (people, holdings, certificates) == before[:3]
    assert files == before[3] - 1
    assert events == before[4] + 2  # the file deletion and the anonymisation


def test_the_audit_keeps_the_reason_and_earlier_events_but_never_the_erased_values(world, departed):
    earlier = set(AuditEvent.objects.values_list("pk", flat=True))
    services.person_anonymise(
        actor=world.principal_a,
        scope=Scope.for_user(world.principal_a),
        person=departed,
        reason="保存期限已满",
    )
    assert earlier <= set(AuditEvent.objects.values_list("pk", flat=True))
    new = AuditEvent.objects.exclude(pk__in=earlier).order_by("id")
    assert [e.action for e in new] == ["core.file_delete", "duty.person_anonymise"]
    event = new.last()
    assert (event.object_id, event.enterprise_id) == (str(departed.pk), world.ent_a.pk)
    assert event.after["reason"] == "保存期限已满"
    assert event.after["erased"] == ["name", "phone", "note", "certificate.number", "certificate.file"]
    assert event.before is None
    written = json.dumps([[e.object_repr, e.before, e.after] for e in new], ensure_ascii=False, default=str)
    for old in ("陈离职", PHONE, ID, "东街"):
        assert old not in written


@pytest.mark.parametrize(
    "still, message",
    [
        ("in_service", "该人员仍在职"),
        ("post", "仍在任岗位「仓管员」"),
        ("officer", "仍是在任的安全生产管理人员"),
        ("team", "仍是应急救援队伍「义务消防队」的队员"),
    ],
)
def test_someone_still_serving_cannot_be_anonymised_and_nothing_changes(world, still, message):
    user = world.principal_a
    scope = Scope.for_user(user)
    person, _, holding = _person(world, world.ent_a, user)
    if still != "post":
        services.holding_end(actor=user, scope=scope, holding=holding, valid_to=LEFT)
    if still == "officer":
        services.officer_appoint(
            actor=user,
            scope=scope,
            enterprise=world.ent_a,
            person=person,
            employment=Employment.PART_TIME,
            valid_from=START,
        )
    if still == "team":
        team = services.team_create(
            actor=user,
            scope=scope,
            enterprise=world.ent_a,
            data={"name": "义务消防队", "employment": Employment.PART_TIME},
            valid_from=START,
        )
        services.member_add(
            actor=user, scope=scope, team=team, person=person, role="member", valid_from=START
        )
    if still != "in_service":
        services.person_update(
            actor=user, scope=scope, person=person, data={"is_active": False, "left_on": LEFT}
        )
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        services.person_anonymise(actor=user, scope=scope, person=person, reason="申请删除")
    assert message in " ".join(exc.value.messages)
    person.refresh_from_db()
    assert (person.name, person.phone, person.anonymised_at) == ("陈离职", PHONE, None)
    assert _counts() == before


def test_a_reason_is_required_and_a_person_is_anonymised_only_once(world, departed):
    scope = Scope.for_user(world.principal_a)
    with pytest.raises(ValidationError) as exc:
        services.person_anonymise(actor=world.principal_a, scope=scope, person=departed, reason="  ")
    assert exc.value.message_dict == {"reason": ["请填写匿名化的原因。"]}
    services.person_anonymise(actor=world.principal_a, scope=scope, person=departed, reason="申请删除")
    before = _counts()
    with pytest.raises(ValidationError, match="已经匿名化"):
        services.person_anonymise(actor=world.principal_a, scope=scope, person=departed, reason="再次")
    with pytest.raises(ValidationError, match="不能再修改"):
        services.person_update(actor=world.principal_a, scope=scope, person=departed, data={"name": "陈离职"})
    assert _counts() == before


@pytest.mark.parametrize("who", ["leader", "safety_a", "inspector"])
def test_roles_without_the_right_cannot_anonymise_and_see_no_button(world, departed, login, who):
    user = getattr(world, who)
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.person_anonymise(actor=user, scope=Scope.for_user(user), person=departed, reason="申请删除")
    client = login(user)
    page = client.get(reverse("duty:person_detail", args=[departed.pk]))
    assert reverse("duty:person_anonymise", args=[departed.pk]) not in page.content.decode()
    url = reverse("duty:person_anonymise", args=[departed.pk])
    assert client.post(url, {"reason": "申请删除"}).status_code in {403, 404}
    api = client.post(f"/api/v1/duty-people/{departed.pk}/anonymise/", {"reason": "申请删除"})
    assert api.status_code in {403, 404}
    departed.refresh_from_db()
    assert departed.anonymised_at is None and departed.name == "陈离职"
    assert _counts() == before
    assert AuditEvent.objects.filter(action="core.write_refused", actor=user).count() == 2


def test_a_person_outside_the_scope_is_404_on_the_page_and_the_api(world, login):
    user = world.principal_b
    person, _, holding = _person(world, world.ent_b, user, name="乙离职")
    services.holding_end(actor=user, scope=Scope.for_user(user), holding=holding, valid_to=LEFT)
    services.person_update(
        actor=user, scope=Scope.for_user(user), person=person, data={"is_active": False, "left_on": LEFT}
    )
    before = _counts()
    for outsider in (world.admin_a, world.principal_a):
        client = login(outsider)
        url = reverse("duty:person_anonymise", args=[person.pk])
        assert client.post(url, {"reason": "申请删除"}).status_code == 404
        api = client.post(f"/api/v1/duty-people/{person.pk}/anonymise/", {"reason": "申请删除"})
        assert api.status_code == 404
    person.refresh_from_db()
    assert person.name == "乙离职"
    assert _counts() == before


def test_the_principal_anonymises_from_the_persons_page_after_confirming(world, departed, login):
    client = login(world.principal_a)
    client.handler.enforce_csrf_checks = True
    page = client.get(reverse("duty:person_detail", args=[departed.pk])).content.decode()
    url = reverse("duty:person_anonymise", args=[departed.pk])
    assert f'action="{url}"' in page and "data-confirm=" in page and "csrfmiddlewaretoken" in page
    assert client.post(url, {"reason": "申请删除"}).status_code == 403  # no CSRF token
    token = client.cookies["csrftoken"].value
    empty = client.post(url, {"reason": "", "csrfmiddlewaretoken": token}, follow=True)
    assert "匿名化原因" in empty.content.decode()
    departed.refresh_from_db()
    assert departed.anonymised_at is None
    done = client.post(url, {"reason": "申请删除", "csrfmiddlewaretoken": token}, follow=True)
    text = done.content.decode()
    assert "已匿名化该人员的个人信息" in text and f"已匿名化人员#{departed.pk}" in text
    assert "陈离职" not in text and PHONE not in text
    assert client.get(reverse("duty:person_detail", args=[departed.pk])).status_code == 200


def test_the_unit_admin_anonymises_through_the_api(world, departed, login):
    client = login(world.admin_a)
    response = client.post(
        f"/api/v1/duty-people/{departed.pk}/anonymise/",
        {"reason": "保存期限已满"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["name"] == f"已匿名化人员#{departed.pk}" and body["phone"] == "" and body["note"] == ""
    refused = client.post(
        f"/api/v1/duty-people/{departed.pk}/anonymise/", {"reason": "再次"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "已经匿名化" in json.dumps(refused.json(), ensure_ascii=False)
