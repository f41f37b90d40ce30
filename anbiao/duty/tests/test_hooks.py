"""Kernel hooks: permissions, menu, home todos, certificate reminders, and the idempotent demo."""

import datetime
import random

import pytest
from django.urls import reverse

from anbiao.core.registry import hooks
from anbiao.core.roles import BUSINESS_ROLES, Role, role_has_perm
from anbiao.core.scope import Scope
from anbiao.core.testing import system_scope
from anbiao.duty import hooks as duty_hooks
from anbiao.duty import selectors, services
from anbiao.duty.models import AnnualAssessment, Person
from anbiao.orgs.models import Enterprise

pytestmark = pytest.mark.django_db


def test_roles_get_the_duty_permissions_they_need():
    assert all(role_has_perm(r, "duty.view") for r in BUSINESS_ROLES)
    assert role_has_perm(Role.ENT_SAFETY, "duty.edit") and not role_has_perm(Role.ENT_SAFETY, "duty.assess")
    assert role_has_perm(Role.ENT_PRINCIPAL, "duty.assess") and not role_has_perm(
        Role.ENT_PRINCIPAL, "duty.template"
    )
    assert not role_has_perm(Role.LEADER, "duty.edit") and not role_has_perm(Role.INSPECTOR, "duty.edit")
    assert role_has_perm(Role.UNIT_ADMIN, "duty.template")
    assert duty_hooks.FACTS in hooks("FACTS")


def test_the_home_page_lists_what_the_enterprise_still_has_to_do(world, shop, login):
    lines = duty_hooks.todos(world.principal_a, Scope.for_user(world.principal_a))
    texts = " ".join(t for t, _ in lines)
    assert "还有岗位没有生效的责任清单" in texts and "第二十四条" in texts
    assert all(url == reverse("duty:enterprise", args=[world.ent_a.pk]) for _, url in lines)
    assert duty_hooks.todos(world.leader, Scope.for_user(world.leader)) == []
    assert login(world.principal_a).get("/").status_code == 200


def test_expiring_certificates_remind_the_enterprise_users(world, shop):
    today = datetime.date(2026, 11, 29)
    for number, expires in (
        ("soon", today + datetime.timedelta(days=10)),
        ("late", today + datetime.timedelta(days=200)),
    ):
        services.certificate_add(
            actor=shop["actor"],
            scope=shop["scope"],
            person=shop["boss"],
            data={
                "kind": "principal_assessment",
                "number": number,
                "issuer": "x",
                "issued_on": datetime.date(2024, 1, 1),
                "expires_on": expires,
            },
        )
    reminders = list(duty_hooks.reminders(today))
    assert {r.user_id for r in reminders} == {world.principal_a.pk, world.safety_a.pk}
    assert all("将于 2026-12-09 到期" in r.title and r.level == "warning" for r in reminders)
    assert next(iter(duty_hooks.reminders(today + datetime.timedelta(days=20)))).level == "danger"


def test_the_demo_builds_a_realistic_spread_once(world):
    from anbiao.accounts.models import Membership, User
    from anbiao.orgs.management.commands.anbiao_demo import DemoContext

    user = User.objects.create_user(username="ent_principal", password="x")
    Membership.objects.create(
        user=user, role=Role.ENT_PRINCIPAL, enterprise=world.ent_a, valid_from=datetime.date(2024, 1, 1)
    )
    ctx = DemoContext(
        rng=random.Random(1),
        scope=system_scope(world.county),
        county=world.county,
        units={},
        users={},
        enterprises=list(Enterprise.objects.order_by("id")),
        today=datetime.date(2026, 11, 29),
    )
    duty_hooks.demo(ctx)
    people = Person.objects.count()
    duty_hooks.demo(ctx)
    assert Person.objects.count() == people > 0
    # the demo users' enterprise is left for the journey: posts and people, no lists, no assessment
    assert world.ent_a.posts.count() == 3 and not world.ent_a.duty_assessments.exists()
    assert not selectors.enterprises_with_duty_lists(
        Enterprise.objects.filter(pk=world.ent_a.pk), ctx.today
    ).exists()
    others = Enterprise.objects.exclude(pk=world.ent_a.pk)
    assert selectors.enterprises_with_duty_lists(others, ctx.today).exists()
    assert AnnualAssessment.objects.filter(completed_on__isnull=False).exists()
