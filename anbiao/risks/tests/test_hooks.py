"""What the risks app adds to the kernel: menu, permissions, home-page todos, audit labels."""

from django.urls import reverse

from anbiao.core.audit import action_label
from anbiao.core.scope import Scope
from anbiao.risks import services
from anbiao.risks.testing import make_point


def test_the_menu_shows_the_risk_pages_to_the_roles_that_may_use_them(world, login):
    admin = login(world.admin_a).get(reverse("home")).content.decode()
    assert (
        "风险管控" in admin and reverse("risks:grade_list") in admin and reverse("risks:grade_map") in admin
    )
    ent = login(world.principal_a).get(reverse("home")).content.decode()
    assert reverse("risks:point_list") in ent and reverse("risks:grade_list") not in ent


def test_enterprise_users_get_todos_for_unassessed_and_overdue_points_and_a_missing_map(world, login):
    client = login(world.safety_a)
    todos = dict(client.get(reverse("home")).context["todos"])
    assert "本企业还没有登记风险点：辨识风险点并评估。" in todos
    services.point_create(
        actor=world.safety_a,
        scope=Scope.for_user(world.safety_a),
        enterprise=world.ent_a,
        data={"name": "新点", "kind": "area"},
    )
    make_point(world, world.ent_a)  # assessed 2025-06-30, review due 2026-06-30: overdue
    todos = dict(client.get(reverse("home")).context["todos"])
    assert todos["1 个风险点尚未评估。"] == reverse("risks:point_list") + "?assessed=no"
    assert todos["1 个风险点已过复评日期，请重新评估。"] == reverse("risks:point_list") + "?overdue=1"
    assert todos["还没有四色安全风险空间分布图：上传平面图并标注风险点。"] == reverse(
        "risks:sitemap_create", args=[world.ent_a.pk]
    )
    assert login(world.leader).get(reverse("home")).status_code == 200


def test_audit_actions_read_in_chinese():
    assert action_label("risks.assessment_create") == "风险评估"
    assert action_label("risks.grade_override") == "调整企业四色等级"


def test_every_role_may_read_risks_and_only_units_and_enterprises_may_write(world):
    for user in ("county_admin", "admin_a", "leader", "principal_a", "safety_a", "inspector", "expert"):
        assert Scope.for_user(getattr(world, user)).has_perm("risk.view"), user
    assert not Scope.for_user(world.leader).has_perm("risk.manage")
    assert not Scope.for_user(world.inspector).has_perm("risk.manage")
    assert Scope.for_user(world.admin_a).has_perm("grade.override")
    assert not Scope.for_user(world.principal_a).has_perm("grade.view")
