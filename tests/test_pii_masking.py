"""F1 personal-data masking (security.md F1, docs/privacy.md): every page, export and API answer that shows a
person's phone or ID number, read as the county's read-only leader and as a grid inspector, contains no full
mobile number and no 18-digit ID number; the unit administrator sees them in full."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from anbiao.accounts.models import User
from anbiao.campaigns.testing import sessions
from anbiao.core import privacy
from anbiao.core.scope import Scope
from anbiao.core.testing import system_scope
from anbiao.duty import services as duty
from anbiao.duty.choices import Employment, PostLevel
from anbiao.hazards.models import InternalReport
from anbiao.orgs import services as orgs
from anbiao.orgs.models import Organization
from anbiao.reports.testing import versions
from anbiao.risks.testing import make_point

# Not the fraction of a number: an xlsx stores a date-time as a serial number whose fraction
# (46355.13352687754) can look like a mobile number.
FRACTION = r"(?<!\d\.)"
MOBILE = re.compile(rf"(?<!\d){FRACTION}1[3-9]\d{{9}}(?!\d)")
ID_NUMBER = re.compile(rf"(?<![0-9A-Za-z]){FRACTION}\d{{17}}[\dXx](?![0-9A-Za-z])")
ID = "350521199001011234"
ID_EXPIRING = "35052119850202123X"  # a 特种作业操作证 numbered with its holder's 身份证号, expiring soon
START = datetime.date(2025, 1, 1)
PHONES = {
    "principal": "13812345678",
    "safety": "13912345670",
    "person": "13611112222",
    "team": "13722223333",
    "risk": "15833334444",
    "unit": "13544445555",
    "filler": "18655556666",
    "user": "17766667777",
    "reporter": "13377778888",
    "attendee": "15099990000",
}


@pytest.fixture
def pii(world):
    """Personal numbers on every kind of record of enterprise A1 (the inspector's assigned enterprise)."""
    root = system_scope(world.county)
    e = world.ent_a1
    orgs.enterprise_update(
        actor=world.admin_a,
        scope=root,
        enterprise=e,
        data={"principal_phone": PHONES["principal"], "safety_officer_phone": PHONES["safety"]},
    )
    Organization.objects.filter(pk=world.unit_a1.pk).update(contact_phone=PHONES["unit"])
    person = duty.person_create(
        actor=world.admin_a,
        scope=root,
        enterprise=e,
        data={"name": "王五", "phone": PHONES["person"], "note": f"身份证号 {ID}", "joined_on": START},
    )
    post = duty.post_create(
        actor=None,
        scope=root,
        enterprise=e,
        data={"name": "总经理", "level": PostLevel.PRINCIPAL, "established_on": START},
    )
    duty.holding_add(actor=None, scope=root, post=post, person=person, valid_from=START)
    duty.officer_appoint(
        actor=None, scope=root, enterprise=e, person=person, employment=Employment.PART_TIME, valid_from=START
    )
    duty.certificate_add(
        actor=world.admin_a,
        scope=root,
        person=person,
        data={
            "kind": "principal_assessment",
            "number": ID,
            "issuer": "泉州市应急管理局",
            "issued_on": datetime.date(2024, 5, 1),
            "expires_on": datetime.date(2030, 4, 30),
        },
    )
    duty.certificate_add(
        actor=None,
        scope=root,
        person=person,
        data={
            "kind": "special_operation",
            "number": ID_EXPIRING,
            "issuer": "泉州市应急管理局",
            "issued_on": datetime.date(2024, 1, 1),
            "expires_on": timezone.localdate() + datetime.timedelta(days=20),
        },
    )
    team = duty.team_create(
        actor=None,
        scope=root,
        enterprise=e,
        data={"name": "义务消防队", "employment": Employment.PART_TIME, "contact_phone": PHONES["team"]},
        valid_from=START,
    )
    point = make_point(world, e, responsible_person="赵六", responsible_phone=PHONES["risk"])
    version = versions(world)[0]
    version.filler_phone = PHONES["filler"]
    version.save(update_fields=["filler_phone"])
    User.objects.filter(pk=world.admin_a.pk).update(phone=PHONES["user"])
    report = InternalReport.objects.create(
        enterprise=e,
        description="灭火器过期",
        location="仓库",
        reporter_name="员工",
        reporter_phone=PHONES["reporter"],
    )
    session = sessions(world)[0]
    attendance = session.attendances.create(
        enterprise=e, person_name="李四", category="principal", phone=PHONES["attendee"]
    )
    return {
        "person": person,
        "team": team,
        "point": point,
        "version": version,
        "report": report,
        "attendance": attendance,
    }


def urls(world, pii) -> dict[str, str]:
    e, person = world.ent_a1, pii["person"]
    api = "/api/v1"
    return {
        # pages
        "enterprise": reverse("orgs:enterprise_detail", args=[e.pk]),
        "unit": reverse("orgs:organization_detail", args=[world.unit_a1.pk]),
        "person": reverse("duty:person_detail", args=[person.pk]),
        "key_people": reverse("duty:key_people"),
        "team": reverse("duty:team_detail", args=[pii["team"].pk]),
        "risk_point": reverse("risks:point_detail", args=[pii["point"].pk]),
        "risk_card": reverse("risks:point_card", args=[pii["point"].pk]),
        "report_version": reverse("reports:version", args=[pii["version"].pk]),
        "internal_report": reverse("hazards:report_detail", args=[pii["report"].pk]),
        "users": reverse("accounts:user_list"),
        "user": reverse("accounts:user_detail", args=[world.admin_a.pk]),
        "audit": reverse("core:audit_list"),
        "certificates_due": reverse("ledgers:certificates_due"),
        # exports
        "enterprise_xlsx": reverse("orgs:enterprise_export"),
        "key_people_xlsx": reverse("duty:key_people_export"),
        "certificates_due_xlsx": reverse("ledgers:certificates_due") + "?format=xlsx",
        "risk_card_docx": reverse("risks:point_card_docx", args=[pii["point"].pk]),
        "risk_report_docx": reverse("risks:report_docx", args=[e.pk]),
        "report_version_xlsx": reverse("reports:version_export", args=[pii["version"].pk]),
        "city_xlsx": reverse("cityplatform:enterprise_xlsx", args=[e.pk]),
        "city_json": reverse("cityplatform:enterprise_json", args=[e.pk]),
        # API
        "api_enterprise": f"{api}/enterprises/{e.pk}/",
        "api_units": f"{api}/organizations/",
        "api_people": f"{api}/duty-people/",
        "api_teams": f"{api}/duty-teams/",
        "api_certificates": f"{api}/duty-certificates/",
        "api_risk_points": f"{api}/risk-points/",
        "api_submissions": f"{api}/report-submissions/",
        "api_attendances": f"{api}/campaign-attendances/",
        "api_users": f"{api}/users/",
    }


def text_of(response) -> str:
    """The body as text; xlsx and docx files are zip packages: every XML part inside."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    return body.decode("utf-8", "replace")


def full_numbers(text: str) -> list[str]:
    return MOBILE.findall(text) + ID_NUMBER.findall(text)


def test_the_scan_finds_numbers_in_text_but_not_in_the_fraction_of_a_date_time_cell():
    text = f"<v>46355.13352687754</v> 电话：13812345678。 见.13912345670 {ID}. <v>1.{ID}</v>"
    assert full_numbers(text) == ["13812345678", "13912345670", ID]


def test_the_leader_sees_every_page_export_and_api_answer_with_numbers_masked(world, pii, login):
    client = login(world.leader)
    leaks, masked_seen = {}, 0
    for name, url in urls(world, pii).items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        text = text_of(response)
        if found := full_numbers(text):
            leaks[name] = found
        masked_seen += "****" in text
    assert leaks == {}
    assert masked_seen >= 15  # the numbers are there, masked — not simply missing


def test_the_inspector_sees_the_assigned_enterprises_numbers_masked(world, pii, login):
    client = login(world.inspector)
    leaks, opened = {}, []
    for name, url in urls(world, pii).items():
        response = client.get(url)
        assert response.status_code in {200, 403}, (name, response.status_code)
        if response.status_code == 200:
            opened.append(name)
            if found := full_numbers(text_of(response)):
                leaks[name] = found
    assert leaks == {}
    assert {"enterprise", "person", "key_people", "team", "risk_point", "enterprise_xlsx"} <= set(opened)
    assert {"key_people_xlsx", "risk_card_docx", "api_people", "api_teams", "api_risk_points"} <= set(opened)


@pytest.mark.parametrize(
    "name, numbers",
    [
        ("enterprise", ["principal", "safety"]),
        ("unit", ["unit"]),
        ("person", ["person"]),
        ("key_people", ["person"]),
        ("team", ["team"]),
        ("risk_point", ["risk"]),
        ("report_version", ["filler"]),
        ("user", ["user"]),
        ("enterprise_xlsx", ["principal", "safety"]),
        ("key_people_xlsx", ["person"]),
        ("risk_card_docx", ["risk", "safety"]),
        ("city_json", ["principal", "person", "team", "risk"]),
        ("api_people", ["person"]),
        ("api_enterprise", ["principal"]),
        ("api_attendances", ["attendee"]),
    ],
)
def test_the_unit_administrator_sees_the_numbers_in_full(world, pii, login, name, numbers):
    text = text_of(login(world.admin_a).get(urls(world, pii)[name]))
    for key in numbers:
        assert PHONES[key] in text, (name, key)


def test_the_unit_administrator_sees_the_id_number_in_full_and_the_leader_masked(world, pii, login):
    url = reverse("duty:person_detail", args=[pii["person"].pk])
    assert text_of(login(world.admin_a).get(url)).count(ID) == 2  # the note and the certificate
    leader = text_of(login(world.leader).get(url))
    assert ID not in leader and "3505**********1234" in leader
    due = reverse("ledgers:certificates_due") + "?format=xlsx"
    assert ID_EXPIRING in text_of(login(world.admin_a).get(due))
    assert "3505**********123X" in text_of(login(world.leader).get(due))


def test_the_enterprises_own_safety_officer_may_call_the_principal(world, login):
    text = text_of(login(world.safety_a).get(reverse("orgs:enterprise_detail", args=[world.ent_a.pk])))
    assert 'href="tel:13800000000"' in text


def test_a_user_holding_the_right_only_in_one_unit_sees_other_units_numbers_masked(world, pii, login):
    """admin_b is also the county's read-only leader: full numbers in unit B only."""
    from anbiao.accounts.models import Membership
    from anbiao.core.roles import Role

    Membership.objects.create(
        user=world.admin_b, role=Role.LEADER, organization=world.county, valid_from=START
    )
    orgs.enterprise_update(
        actor=None,
        scope=system_scope(world.county),
        enterprise=world.ent_b,
        data={"principal_phone": "13687654321"},
    )
    client = login(world.admin_b)
    own = text_of(client.get(reverse("orgs:enterprise_detail", args=[world.ent_b.pk])))
    other = text_of(client.get(reverse("orgs:enterprise_detail", args=[world.ent_a1.pk])))
    assert "13687654321" in own
    assert PHONES["principal"] not in other and "138****5678" in other
    rows = text_of(client.get(reverse("orgs:enterprise_export")))
    assert "13687654321" in rows and PHONES["principal"] not in rows and "138****5678" in rows


# --- the rule and the masks ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, masked",
    [
        ("13812345678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("0595-87368796", "0595-****8796"),
        ("(0595)87368796", "(0595)****8796"),
        ("87368796", "873*8796"),
        ("12350", "12350"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone_keeps_the_prefix_and_the_last_four_digits(value, masked):
    assert privacy.mask_phone(value) == masked


@pytest.mark.parametrize(
    "value, masked",
    [
        ("350521199001011234", "3505**********1234"),
        ("35052119900101123X", "3505**********123X"),
        ("350521900101123", "3505*******1123"),
        ("ZY-001", "******"),
        ("", ""),
    ],
)
def test_mask_id_keeps_four_characters_at_each_end(value, masked):
    assert privacy.mask_id(value) == masked


def test_mask_text_masks_only_phone_and_id_numbers_inside_free_text():
    text = f"联系13812345678，身份证{ID}，统一社会信用代码91350521MA2XYZ1234，订单20250101123456789"
    assert privacy.mask_text(text) == (
        "联系138****5678，身份证3505**********1234，统一社会信用代码91350521MA2XYZ1234，订单20250101123456789"
    )


def test_only_the_roles_that_must_call_people_see_full_numbers(world):
    full = {u: privacy.sees_full(Scope.for_user(getattr(world, u)), world.ent_a) for u in world.users}
    assert {u for u, yes in full.items() if yes} == {
        "county_admin",
        "admin_a",
        "admin_b",
        "principal_a",
        "safety_a",
        "principal_b",
    }
    assert privacy.sees_full(Scope(user=None)) is False
    assert privacy.sees_full(None) is False


def test_a_revealer_decides_many_rows_with_one_query_for_a_mixed_user(world, django_assert_num_queries):
    from anbiao.accounts.models import Membership
    from anbiao.core.roles import Role
    from anbiao.orgs.models import Enterprise

    Membership.objects.create(
        user=world.admin_b, role=Role.LEADER, organization=world.county, valid_from=START
    )
    reveal = privacy.Revealer(Scope.for_user(world.admin_b))
    rows = list(Enterprise.objects.order_by("pk"))
    with django_assert_num_queries(1):
        shown = {e.name: reveal.show("13812345678", e) for e in rows}
    assert shown == {"甲一超市": "138****5678", "甲二仓储": "138****5678", "乙一加油站": "13812345678"}


# --- edits by someone who may edit but not see -----------------------------------------------------------
def test_an_expert_edits_a_risk_point_without_seeing_or_losing_the_phone(world, login):
    point = make_point(world, world.ent_b, responsible_phone="15833334444")
    client = login(world.expert)
    url = reverse("risks:point_update", args=[point.pk])
    page = client.get(url).content.decode()
    assert "15833334444" not in page and 'value="158****4444"' in page
    form = {
        "name": "配电房",
        "kind": "area",
        "location": "二楼",
        "responsible_phone": "158****4444",
        "check_cycle": point.check_cycle,
        "accident_types": ["05"],
        "revision": point.revision,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    point.refresh_from_db()
    assert (point.location, point.responsible_phone) == ("二楼", "15833334444")
    client.post(url, {**form, "responsible_phone": "13900001111", "revision": point.revision})
    point.refresh_from_db()
    assert point.responsible_phone == "13900001111"


def test_an_expert_patching_a_risk_point_through_the_api_keeps_the_phone_it_read_masked(world, login):
    point = make_point(world, world.ent_b, responsible_phone="15833334444")
    client = login(world.expert)
    url = f"/api/v1/risk-points/{point.pk}/"
    read = client.get(url).json()
    assert read["responsible_phone"] == "158****4444"
    response = client.patch(
        url,
        {"location": "三楼", "responsible_phone": read["responsible_phone"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    point.refresh_from_db()
    assert (point.location, point.responsible_phone) == ("三楼", "15833334444")


def test_the_audit_trail_stores_full_values_and_masks_them_only_on_display(world, pii, login):
    from anbiao.core.models import AuditEvent

    event = AuditEvent.objects.filter(action="orgs.enterprise_update", enterprise_id=world.ent_a1.pk).get()
    assert event.after["principal_phone"] == PHONES["principal"]
    page = text_of(login(world.leader).get(reverse("core:audit_list")))
    assert "138****5678" in page and PHONES["principal"] not in page


def test_a_user_reads_their_own_phone_in_full_through_the_api(world, login):
    world.leader.phone = "13912345678"
    world.leader.save(update_fields=["phone"])
    me = login(world.leader).get("/api/v1/users/me/").json()
    assert me["phone"] == "13912345678"
