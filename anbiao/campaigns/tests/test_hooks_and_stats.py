import datetime
from decimal import Decimal

from django.urls import reverse

from anbiao.campaigns import hooks, ledger_services, report_cells, services
from anbiao.campaigns.choices import EnforcementKind
from anbiao.core.registry import hooks as all_hooks
from anbiao.core.roles import role_has_perm
from anbiao.core.scope import Scope

D = datetime.date


def test_roles_get_the_campaign_permissions_from_the_hook():
    assert role_has_perm("county_admin", "campaign.review")
    assert role_has_perm("unit_admin", "campaign.file") and not role_has_perm("unit_admin", "campaign.review")
    assert role_has_perm("leader", "campaign.view") and not role_has_perm("leader", "campaign.file")
    assert not role_has_perm("ent_principal", "campaign.view")
    assert hooks.MENU in all_hooks("MENU")


def test_the_menu_shows_the_campaign_group_to_supervisors_only(world, login):
    html = login(world.admin_a).get(reverse("campaigns:board")).content.decode()
    assert "专项行动" in html and "告知书与承诺书" in html and "专项行动设置" not in html
    assert "告知书与承诺书" not in login(world.principal_a).get(reverse("home")).content.decode()


def test_a_unit_admin_is_reminded_of_overdue_and_returned_deliverables(world, campaign):
    today = D(2025, 2, 12)
    reminders = [r for r in hooks.reminders(today) if r.user_id == world.admin_a.pk]
    titles = {r.title for r in reminders}
    assert any(t.startswith("本单位持续深化方案备案：逾期未报") for t in titles)
    assert all(r.level == "danger" for r in reminders if "逾期未报" in r.title)
    soon = [
        r for r in hooks.reminders(D(2025, 3, 20)) if r.user_id == world.admin_a.pk and r.level == "warning"
    ]
    assert any("“回头看”评估报告" in r.title for r in soon)
    assert len({r.key for r in reminders}) == len(reminders)


def test_home_todos_list_missing_deliverables_and_overdue_tasks(world, campaign):
    services.task_create(
        actor=world.admin_a,
        scope=Scope.for_user(world.admin_a),
        unit=world.unit_a,
        data={"year": 2025, "title": "方案", "owner": "张三", "due": D(2025, 2, 10)},
    )
    lines = hooks.todos(world.admin_a, Scope.for_user(world.admin_a))
    assert any("逾期未报" in text for text, _ in lines)
    assert any(text.startswith("年度工作任务逾期未完成 1 项") for text, _ in lines)
    assert hooks.todos(world.leader, Scope.for_user(world.leader)) == []


def test_the_stats_page_shows_every_table_cell_for_the_chosen_unit_and_date(world, campaign, login):
    ledger_services.enforcement_create(
        actor=world.admin_a,
        scope=Scope.for_user(world.admin_a),
        data={
            "enterprise": world.ent_a1,
            "kind": EnforcementKind.FINE,
            "authority": "县应急局",
            "action_on": D(2025, 5, 1),
            "amount": Decimal("7000"),
        },
    )
    client = login(world.county_admin)
    response = client.get(reverse("campaigns:stats"), {"unit": world.unit_a.pk, "as_of": "2025-06-30"})
    cells = {c["key"]: c["value"] for c in response.context["cells"]}
    assert set(cells) == set(report_cells.REPORT_CELLS)
    assert cells["t3.fine.amount"] == Decimal("0.7000") and cells["t3.fine.count"] == 1
    earlier = client.get(reverse("campaigns:stats"), {"unit": world.unit_a.pk, "as_of": "2025-04-30"})
    assert {c["key"]: c["value"] for c in earlier.context["cells"]}["t3.fine.count"] == 0
    sibling = client.get(reverse("campaigns:stats"), {"unit": world.unit_b.pk, "as_of": "2025-06-30"})
    assert {c["key"]: c["value"] for c in sibling.context["cells"]}["t3.fine.count"] == 0
    own = login(world.admin_b).get(reverse("campaigns:stats"), {"unit": world.unit_a.pk})
    assert own.context["unit"] == world.unit_b  # another unit's id falls back to the caller's own subtree


def test_report_cells_cover_every_column_of_table_two_and_the_campaign_part_of_table_three():
    keys = set(report_cells.REPORT_CELLS)
    assert {
        "t2.letters_delivered",
        "t2.commitments_signed",
        "t2.training.sessions",
        "t2.training.enterprises",
        "t2.training.persons",
        "t2.site_visit.sessions",
        "t2.site_visit.enterprises",
        "t2.site_visit.persons",
    } <= keys
    for level in ("city", "county", "township"):
        assert f"t2.town_cases.{level}" in keys
        for size in ("above_scale", "medium", "small"):
            assert f"t2.enterprise_cases.{level}.{size}" in keys
        for post in ("party", "worker", "youth", "women"):
            assert f"t2.posts.{level}.{post}" in keys
    assert {"t2.thousand.above_scale", "t2.thousand.medium"} <= keys
    assert {f"t3.norms.{k}" for k in ("checklist", "rules", "guide", "grid_guide")} <= keys
    assert {
        "t3.fine.count",
        "t3.fine.amount",
        "t3.suspend",
        "t3.licence",
        "t3.close",
        "t3.judicial_persons",
        "t3.expose",
        "t3.interview",
        "t3.incentive",
        "t3.constraint",
    } <= keys


def test_enterprise_facts_count_commitments_trainings_and_penalties_as_of_a_date(world, campaign):
    from anbiao.campaigns import selectors

    scope = Scope.for_user(world.admin_a)
    (letter,) = services.letters_generate(
        actor=world.admin_a,
        scope=scope,
        campaign=campaign,
        enterprises=[world.ent_a],
        deadline=D(2025, 3, 31),
    )
    from anbiao.campaigns.tests.conftest import scan

    services.letter_sign(
        actor=world.admin_a, scope=scope, letter=letter, on=D(2025, 2, 3), signer="张三", scan=scan()
    )
    session = ledger_services.session_create(
        actor=world.admin_a,
        scope=scope,
        unit=world.unit_a,
        data={
            "kind": "training",
            "level": "county",
            "organizer": "县社",
            "held_on": D(2025, 3, 1),
            "topic": "培训",
        },
    )
    ledger_services.attendance_add(
        actor=world.admin_a,
        scope=scope,
        session=session,
        data={"enterprise": world.ent_a, "person_name": "张三", "category": "principal"},
    )
    ledger_services.enforcement_create(
        actor=world.admin_a,
        scope=scope,
        data={
            "enterprise": world.ent_a,
            "kind": EnforcementKind.INTERVIEW,
            "authority": "县社",
            "action_on": D(2025, 3, 2),
        },
    )
    ledger_services.enforcement_create(
        actor=world.admin_a,
        scope=scope,
        data={
            "enterprise": world.ent_a,
            "kind": EnforcementKind.SUSPEND,
            "authority": "县应急局",
            "action_on": D(2025, 3, 2),
        },
    )
    facts = hooks.enterprise_facts([world.ent_a.pk, world.ent_a1.pk], D(2025, 6, 30))
    assert facts[world.ent_a.pk] == {
        "commitment_signed": 1,
        "training_attendances_12m": 1,
        "penalties_12m": 1,
    }
    assert facts[world.ent_a1.pk] == {
        "commitment_signed": 0,
        "training_attendances_12m": 0,
        "penalties_12m": 0,
    }
    assert hooks.enterprise_facts([world.ent_a.pk], D(2025, 2, 2))[world.ent_a.pk]["commitment_signed"] == 0
    assert (
        hooks.enterprise_facts([world.ent_a.pk], D(2026, 3, 2))[world.ent_a.pk]["training_attendances_12m"]
        == 0
    )
    assert [
        a.session for a in selectors.person_trainings(scope=scope, enterprise=world.ent_a, person_name="张三")
    ] == [session]


def test_every_campaign_model_pair_sits_on_either_side_of_the_sibling_boundary(world, campaign):
    from anbiao.campaigns.testing import PAIRS
    from anbiao.core.scope import scoped_models

    mine = [m for m in scoped_models() if m._meta.app_label == "campaigns"]
    assert set(mine) == set(PAIRS)
    scope_a = Scope.for_user(world.admin_a)
    for model in mine:
        inside, outside = world.in_a_and_b(model)
        visible = model.objects.visible_to(scope_a)
        assert visible.filter(pk=inside.pk).exists() and not visible.filter(pk=outside.pk).exists(), model
        assert world.in_a_and_b(model) == (inside, outside)  # builders are idempotent
