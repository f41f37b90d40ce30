"""三权分立 (等保 三级 8.1.4.2d; security.md B7), behind ANBIAO_SEPARATION_OF_DUTIES: the county and unit
administrators run the system, the 安全管理员 grants administrator roles and secures accounts, the 审计管理员
alone reads the audit log, and no person holds two of the three powers."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from anbiao.accounts import mfa, services
from anbiao.accounts.models import Membership, User
from anbiao.core.roles import Role, role_has_perm
from anbiao.core.scope import Scope


@pytest.fixture
def separated(settings):
    settings.ANBIAO_SEPARATION_OF_DUTIES = True


def _holder(world, username, role, unit=None):
    user = User.objects.create_user(username=username, password="x", full_name=username)
    Membership.objects.create(
        user=user, role=role, organization=unit or world.county, valid_from=datetime.date(2024, 1, 1)
    )
    return user


def _create(client, **data):
    return client.post(reverse("accounts:user_create"), data)


def test_without_the_switch_the_oversight_roles_hold_nothing_and_cannot_be_granted(world, login):
    assert role_has_perm(Role.COUNTY_ADMIN, "audit.view") and role_has_perm(
        Role.COUNTY_ADMIN, "account.secure"
    )
    assert not any(role_has_perm(r, "audit.view") for r in (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN))
    response = _create(
        login(world.county_admin),
        username="shenji",
        full_name="审计",
        role="audit_admin",
        organization=world.county.pk,
    )
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="shenji").exists()


def test_with_the_switch_only_the_audit_admin_reads_the_audit_log(world, login, client, separated):
    auditor = _holder(world, "shenji", Role.AUDIT_ADMIN)
    for user in (world.county_admin, world.admin_a, world.leader):
        assert login(user).get(reverse("core:audit_list")).status_code == 403
    page = login(auditor).get(reverse("core:audit_list"))
    assert page.status_code == 200 and "审计日志" in page.content.decode()
    assert client.get(reverse("accounts:user_create")).status_code == 403
    assert client.get(reverse("orgs:enterprise_create")).status_code == 403


def test_with_the_switch_only_the_security_admin_grants_administrator_roles(world, login, separated):
    security = _holder(world, "anquan", Role.SECURITY_ADMIN)
    refused = _create(
        login(world.county_admin),
        username="u1",
        full_name="甲",
        role="unit_admin",
        organization=world.unit_a.pk,
    )
    assert "role" in refused.context["form"].errors and not User.objects.filter(username="u1").exists()
    granted = _create(
        login(security), username="u1", full_name="甲", role="unit_admin", organization=world.unit_a.pk
    )
    assert (
        granted.status_code == 200 and User.objects.get(username="u1").memberships.get().role == "unit_admin"
    )
    business = _create(
        login(security), username="u2", full_name="乙", role="ent_principal", enterprise=world.ent_a.pk
    )
    assert "role" in business.context["form"].errors
    created = _create(
        login(world.county_admin),
        username="u2",
        full_name="乙",
        role="ent_principal",
        enterprise=world.ent_a.pk,
    )
    assert created.status_code == 200 and User.objects.filter(username="u2").exists()


def test_with_the_switch_one_person_cannot_hold_two_of_the_three_powers(world, separated):
    security = _holder(world, "anquan", Role.SECURITY_ADMIN)
    scope = Scope.for_user(security)
    before = Membership.objects.count()
    for role in (Role.AUDIT_ADMIN, Role.SECURITY_ADMIN):
        with pytest.raises(ValidationError) as refused:
            services.membership_add(
                actor=security, scope=scope, user=world.admin_a, role=role, organization=world.unit_a
            )
        assert "三权分立：该用户已是系统管理员" in str(refused.value)
    assert Membership.objects.count() == before
    services.membership_add(
        actor=security, scope=scope, user=world.admin_b, role=Role.UNIT_ADMIN, organization=world.unit_a
    )
    assert Membership.objects.count() == before + 1


def test_with_the_switch_accounts_are_secured_by_the_security_admin_not_the_system_admin(
    world, login, separated
):
    security = _holder(world, "anquan", Role.SECURITY_ADMIN)
    reset = reverse("accounts:user_reset_password", args=[world.principal_a.pk])
    password_before = User.objects.get(pk=world.principal_a.pk).password
    assert login(world.county_admin).post(reset).status_code == 403
    assert User.objects.get(pk=world.principal_a.pk).password == password_before
    answer = login(security).post(reset)
    assert answer.status_code == 200 and "初始密码" in answer.content.decode()
    assert User.objects.get(pk=world.principal_a.pk).password != password_before


def test_with_the_switch_the_system_admin_cannot_edit_or_disable_another_administrator(
    world, login, separated
):
    client = login(world.county_admin)
    edit = reverse("accounts:user_update", args=[world.admin_a.pk])
    assert client.get(edit).status_code == 403
    data = {"full_name": "改名", "phone": "", "email": "", "is_active": ""}
    assert client.post(edit, data).status_code == 403
    assert User.objects.get(pk=world.admin_a.pk).is_active
    detail = client.get(reverse("accounts:user_detail", args=[world.admin_a.pk])).content.decode()
    assert "重置密码" not in detail and ">编辑<" not in detail
    assert client.get(reverse("accounts:user_update", args=[world.principal_a.pk])).status_code == 200


def test_with_the_switch_the_three_administrators_need_the_second_factor(world, settings, separated):
    settings.ANBIAO_MFA_REQUIRED = True
    for role in (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        user = _holder(world, f"u_{role}", role)
        assert mfa.required_for(user, Scope.for_user(user))
    assert mfa.required_for(world.county_admin, Scope.for_user(world.county_admin))


def test_the_bootstrap_creates_the_security_and_audit_admins_only_with_the_switch(db, settings):
    args = ["--unit-name", "惠安县供销合作社联合社", "--unit-code", "HA", "--full-name", "某"]
    with pytest.raises(CommandError, match="三权分立"):
        call_command("anbiao_bootstrap", *args, "--username", "aq", "--role", "security_admin")
    settings.ANBIAO_SEPARATION_OF_DUTIES = True
    for username, role in (("wf", "county_admin"), ("aq", "security_admin"), ("sj", "audit_admin")):
        out = io.StringIO()
        call_command("anbiao_bootstrap", *args, "--username", username, "--role", role, stdout=out)
        assert "初始密码" in out.getvalue()
        assert Membership.objects.get(user__username=username).role == role


def test_with_the_switch_the_oversight_administrators_home_shows_no_business_dashboard(
    world, login, separated
):
    for role in (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        page = login(_holder(world, f"u_{role}", role)).get(reverse("home"))
        assert page.status_code == 200
        assert page.context["dashboard"] is None
    assert login(world.county_admin).get(reverse("home")).context["dashboard"]["kind"] == "supervisor"


def test_with_the_switch_a_units_oversight_administrators_reach_only_their_subtree(world, login, separated):
    security = login(_holder(world, "anquan_a", Role.SECURITY_ADMIN, unit=world.unit_a))
    sibling_reset = reverse("accounts:user_reset_password", args=[world.principal_b.pk])
    assert security.post(sibling_reset).status_code == 404
    assert security.get(reverse("accounts:user_detail", args=[world.principal_b.pk])).status_code == 404
    own_reset = reverse("accounts:user_reset_password", args=[world.principal_a.pk])
    assert security.post(own_reset).status_code == 200
    auditor = login(_holder(world, "shenji_a", Role.AUDIT_ADMIN, unit=world.unit_a))
    paths = {e.org_path for e in auditor.get(reverse("core:audit_list")).context["object_list"]}
    assert paths and all(p.startswith(world.unit_a.path) for p in paths)


def test_with_the_switch_the_api_tells_the_audit_admin_what_they_may_do(world, separated):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(_holder(world, "shenji", Role.AUDIT_ADMIN))
    permissions = api.get(reverse("api_me")).json()["permissions"]
    assert "audit.view" in permissions
    assert not {"user.manage", "account.secure", "enterprise.manage", "hazard.view"} & set(permissions)
