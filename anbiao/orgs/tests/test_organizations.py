"""The organization tree: create, edit, move and deactivate inside one's own subtree."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from anbiao.core.models import AuditEvent
from anbiao.core.scope import Scope
from anbiao.orgs import services
from anbiao.orgs.models import Organization
from anbiao.orgs.tests.factories import OrganizationFactory


def test_paths_nest_at_any_depth_so_a_city_level_needs_no_code_change(world):
    deep = world.unit_a1
    for level in range(6):
        deep = OrganizationFactory(parent=deep, name=f"第{level}层")
    assert deep.depth == world.unit_a1.depth + 6
    assert deep.path.startswith(world.unit_a.path)
    scope = Scope.for_user(world.admin_a)
    assert Organization.objects.visible_to(scope).filter(pk=deep.pk).exists()


def test_the_tree_page_lists_the_subtree_in_order_with_enterprise_counts(world, login):
    response = login(world.admin_a).get(reverse("orgs:organization_tree"))
    rows = response.context["tree"]
    assert [r["unit"].name for r in rows] == ["甲供销社", "甲供销社服务中心"]
    assert [r["subtree_enterprises"] for r in rows] == [2, 1]
    assert [r["indent"] for r in rows] == [0, 1]


def test_a_unit_admin_creates_a_child_unit_through_the_form(world, login):
    client = login(world.admin_a)
    assert client.get(reverse("orgs:organization_create"), {"parent": world.unit_a.pk}).status_code == 200
    response = client.post(
        reverse("orgs:organization_create"),
        {
            "parent": world.unit_a.pk,
            "kind": "company",
            "name": "甲农资公司",
            "code": "TA-NZ",
            "sort_order": 0,
        },
    )
    assert response.status_code == 302
    org = Organization.objects.get(code="TA-NZ")
    assert org.parent == world.unit_a and org.path.startswith(world.unit_a.path)
    assert AuditEvent.objects.filter(action="orgs.organization_create", object_id=str(org.pk)).exists()


def test_a_unit_admin_cannot_create_under_a_sibling_unit(world, login):
    before = Organization.objects.count()
    response = login(world.admin_a).post(
        reverse("orgs:organization_create"),
        {"parent": world.unit_b.pk, "kind": "company", "name": "越权", "code": "BAD", "sort_order": 0},
    )
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    assert Organization.objects.count() == before


def test_a_duplicate_unit_code_is_refused_by_the_form(world, login):
    response = login(world.admin_a).post(
        reverse("orgs:organization_create"),
        {"parent": world.unit_a.pk, "kind": "company", "name": "重复", "code": "TB", "sort_order": 0},
    )
    assert "code" in response.context["form"].errors


def test_editing_a_unit_records_before_and_after(world, login):
    client = login(world.admin_a)
    url = reverse("orgs:organization_update", args=[world.unit_a1.pk])
    assert client.get(url).status_code == 200
    data = {
        "kind": "centre",
        "name": "甲服务中心（新）",
        "code": "TA1",
        "contact_phone": "0595-1234567",
        "sort_order": 1,
    }
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(action="orgs.organization_update")
    assert event.before["name"] == "甲供销社服务中心" and event.after["name"] == "甲服务中心（新）"


def test_a_leader_sees_units_but_cannot_edit_them(world, login):
    client = login(world.leader)
    assert client.get(reverse("orgs:organization_detail", args=[world.unit_a.pk])).status_code == 200
    assert client.get(reverse("orgs:organization_update", args=[world.unit_a.pk])).status_code == 403


def test_moving_a_unit_carries_its_subtree_and_enterprises(world, login):
    client = login(world.county_admin)
    assert client.get(reverse("orgs:organization_move", args=[world.unit_a1.pk])).status_code == 200
    response = client.post(
        reverse("orgs:organization_move", args=[world.unit_a1.pk]), {"new_parent": world.unit_b.pk}
    )
    assert response.status_code == 302
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.parent == world.unit_b
    assert world.unit_a1.path == world.unit_b.path + Organization.segment(world.unit_a1.pk)
    assert world.unit_a1.depth == world.unit_b.depth + 1
    scope_b = Scope.for_user(world.admin_b)
    from anbiao.orgs.models import Enterprise

    assert Enterprise.objects.visible_to(scope_b).filter(pk=world.ent_a1.pk).exists()
    assert (
        not Enterprise.objects.visible_to(Scope.for_user(world.admin_a)).filter(pk=world.ent_a1.pk).exists()
    )


def test_a_unit_cannot_be_moved_under_its_own_descendant(world):
    scope = Scope.for_user(world.county_admin)
    with pytest.raises(ValidationError):
        services.organization_move(
            actor=world.county_admin, scope=scope, org=world.unit_a, new_parent=world.unit_a1
        )


def test_a_unit_admin_cannot_move_their_own_unit_or_move_out_of_their_subtree(world):
    scope = Scope.for_user(world.admin_a)
    with pytest.raises(PermissionDenied):
        services.organization_move(
            actor=world.admin_a, scope=scope, org=world.unit_a1, new_parent=world.unit_b
        )
    with pytest.raises((PermissionDenied, ValidationError)):
        services.organization_move(
            actor=world.admin_a, scope=scope, org=world.unit_a, new_parent=world.unit_a1
        )


def test_a_unit_with_open_enterprises_cannot_be_deactivated(world, login):
    client = login(world.county_admin)
    response = client.post(
        reverse("orgs:organization_set_active", args=[world.unit_a1.pk]), {"active": "0"}, follow=True
    )
    assert "未注销企业" in response.content.decode()
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.is_active


def test_an_empty_unit_is_deactivated_and_reactivated(world, login):
    empty = OrganizationFactory(parent=world.unit_a, name="空单位")
    client = login(world.admin_a)
    client.post(reverse("orgs:organization_set_active", args=[empty.pk]), {"active": "0"})
    empty.refresh_from_db()
    assert not empty.is_active
    client.post(reverse("orgs:organization_set_active", args=[empty.pk]), {"active": "1"})
    empty.refresh_from_db()
    assert empty.is_active
    assert AuditEvent.objects.filter(action="orgs.organization_deactivate", object_id=str(empty.pk)).exists()


def test_the_unit_detail_page_counts_enterprises_in_the_subtree(world, login):
    response = login(world.admin_a).get(reverse("orgs:organization_detail", args=[world.unit_a.pk]))
    assert response.context["counts"]["operating"] == 2
    assert response.context["is_own_root"] is True
