"""Administrators create and manage users only inside their subtree and only with roles they may grant."""

import pytest
from django.urls import reverse

from anbiao.accounts.models import Assignment, Membership, User
from anbiao.core.models import AuditEvent


def _create(client, **data):
    return client.post(reverse("accounts:user_create"), data)


def test_a_unit_admin_creates_an_enterprise_account_in_their_subtree(world, login):
    client = login(world.admin_a)
    response = _create(
        client, username="zhang", full_name="张三", role="ent_principal", enterprise=world.ent_a1.pk
    )
    assert response.status_code == 200
    assert "初始密码" in response.content.decode()
    user = User.objects.get(username="zhang")
    assert user.must_change_password
    m = user.memberships.get()
    assert (m.role, m.enterprise_id, m.organization_id) == ("ent_principal", world.ent_a1.pk, None)
    event = AuditEvent.objects.get(action="accounts.user_create", object_id=str(user.pk))
    assert event.actor == world.admin_a and event.enterprise_id == world.ent_a1.pk


def test_a_unit_admin_cannot_create_a_user_for_a_sibling_units_enterprise(world, login):
    before = User.objects.count()
    response = _create(
        login(world.admin_a), username="x", full_name="X", role="ent_principal", enterprise=world.ent_b.pk
    )
    assert response.status_code == 200
    assert "enterprise" in response.context["form"].errors
    assert User.objects.count() == before


def test_a_unit_admin_cannot_grant_the_county_admin_role(world, login):
    before = User.objects.count()
    response = _create(
        login(world.admin_a), username="x", full_name="X", role="county_admin", organization=world.unit_a.pk
    )
    assert "role" in response.context["form"].errors
    assert User.objects.count() == before


def test_an_enterprise_role_needs_an_enterprise_and_a_unit_role_needs_a_unit(world, login):
    client = login(world.admin_a)
    r1 = _create(client, username="x1", full_name="X", role="ent_safety", organization=world.unit_a.pk)
    assert "请选择所属企业" in r1.content.decode() or "须选择所属企业" in r1.content.decode()
    r2 = _create(client, username="x2", full_name="X", role="unit_admin", enterprise=world.ent_a.pk)
    assert "须选择所属单位" in r2.content.decode()
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()


def test_a_duplicate_username_is_refused_in_chinese(world, login):
    response = _create(
        login(world.admin_a),
        username="PRINCIPAL_A",
        full_name="X",
        role="ent_safety",
        enterprise=world.ent_a.pk,
    )
    assert "该用户名已被使用" in response.content.decode()


def test_enterprise_users_and_inspectors_cannot_open_user_management(world, login):
    assert login(world.principal_a).get(reverse("accounts:user_list")).status_code == 403
    assert login(world.inspector).get(reverse("accounts:user_create")).status_code == 403


def test_a_leader_reads_users_but_cannot_create_them(world, login):
    client = login(world.leader)
    assert client.get(reverse("accounts:user_list")).status_code == 200
    assert client.get(reverse("accounts:user_create")).status_code == 403


def test_the_user_list_filters_by_role_and_search_with_a_fixed_number_of_queries(
    world, login, django_assert_max_num_queries
):
    client = login(world.county_admin)
    client.get(reverse("accounts:user_list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:user_list"), {"role": "ent_principal"})
    assert {u.username for u in response.context["object_list"]} == {"principal_a", "principal_b"}
    found = client.get(reverse("accounts:user_list"), {"q": "insp"})
    assert [u.username for u in found.context["object_list"]] == ["inspector"]


def test_an_admin_edits_and_deactivates_a_user_of_their_subtree(world, login):
    client = login(world.admin_a)
    assert client.get(reverse("accounts:user_update", args=[world.safety_a.pk])).status_code == 200
    response = client.post(
        reverse("accounts:user_update", args=[world.safety_a.pk]),
        {"full_name": "李安全", "phone": "13900000000", "email": "", "is_active": ""},
    )
    assert response.status_code == 302
    world.safety_a.refresh_from_db()
    assert world.safety_a.full_name == "李安全" and not world.safety_a.is_active
    event = AuditEvent.objects.get(action="accounts.user_update", object_id=str(world.safety_a.pk))
    assert event.before["is_active"] is True and event.after["is_active"] is False


def test_an_admin_cannot_edit_themselves_through_user_management(world, login):
    response = login(world.admin_a).post(
        reverse("accounts:user_update", args=[world.admin_a.pk]), {"full_name": "x", "is_active": "on"}
    )
    assert response.status_code == 403


def test_resetting_a_password_forces_a_change_at_next_login(world, login):
    response = login(world.admin_a).post(reverse("accounts:user_reset_password", args=[world.principal_a.pk]))
    assert response.status_code == 200
    world.principal_a.refresh_from_db()
    assert world.principal_a.must_change_password
    assert world.principal_a.check_password(response.context["password"])


def test_adding_and_ending_a_role_keeps_the_dated_history(world, login):
    client = login(world.admin_a)
    response = client.post(
        reverse("accounts:membership_add", args=[world.principal_a.pk]),
        {"role": "ent_safety", "enterprise": world.ent_a1.pk},
    )
    assert response.status_code == 302
    m = Membership.objects.get(user=world.principal_a, role="ent_safety")
    client.post(reverse("accounts:membership_end", args=[m.pk]))
    m.refresh_from_db()
    assert m.valid_to is not None
    assert not Membership.objects.active().filter(pk=m.pk).exists()
    assert AuditEvent.objects.filter(action="accounts.membership_end", object_id=str(m.pk)).exists()


def test_ending_a_membership_removes_what_the_user_can_see(world, login):
    m = world.principal_a.memberships.get()
    login(world.admin_a).post(reverse("accounts:membership_end", args=[m.pk]))
    client = login(world.principal_a)
    # with no role left the enterprise pages are closed to them altogether
    assert client.get(reverse("orgs:enterprise_detail", args=[world.ent_a.pk])).status_code == 403
    assert client.get(reverse("api:enterprise-list")).status_code == 403


def test_assigning_an_inspector_to_an_enterprise_gives_them_sight_of_it(world, login):
    admin = login(world.admin_a)
    response = admin.post(reverse("orgs:assignment_add", args=[world.ent_a.pk]), {"user": world.inspector.pk})
    assert response.status_code == 302
    assert Assignment.objects.active().filter(user=world.inspector, enterprise=world.ent_a).exists()
    inspector = login(world.inspector)
    assert inspector.get(reverse("orgs:enterprise_detail", args=[world.ent_a.pk])).status_code == 200
    a = Assignment.objects.get(user=world.inspector, enterprise=world.ent_a)
    login(world.admin_a).post(reverse("orgs:assignment_end", args=[a.pk]))
    assert (
        login(world.inspector).get(reverse("orgs:enterprise_detail", args=[world.ent_a.pk])).status_code
        == 404
    )


def test_only_inspectors_and_experts_can_be_assigned(world, login):
    response = login(world.admin_a).post(
        reverse("orgs:assignment_add", args=[world.ent_a.pk]), {"user": world.safety_a.pk}, follow=True
    )
    assert "只能分配网格员或专家" in response.content.decode()
    assert not Assignment.objects.filter(user=world.safety_a).exists()


@pytest.mark.parametrize("username", ["county_admin", "admin_a", "principal_a", "inspector", "leader"])
def test_every_role_has_a_working_home_page(world, login, username):
    response = login(getattr(world, username)).get(reverse("home"))
    assert response.status_code == 200
    assert "接下来要做" in response.content.decode()
