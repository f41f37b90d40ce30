import datetime

import pytest

from anbiao.core.scope import Scope
from anbiao.duty import services
from anbiao.duty.choices import PostLevel


@pytest.fixture
def scope_of():
    return Scope.for_user


@pytest.fixture
def shop(world):
    """ent_a with a principal and an employee post, each held by one person, no lists yet."""
    scope = Scope.for_user(world.principal_a)
    actor = world.principal_a
    start = datetime.date(2025, 1, 1)
    boss = services.person_create(actor=actor, scope=scope, enterprise=world.ent_a, data={"name": "陈老板"})
    clerk = services.person_create(actor=actor, scope=scope, enterprise=world.ent_a, data={"name": "林店员"})
    p = services.post_create(
        actor=actor,
        scope=scope,
        enterprise=world.ent_a,
        data={"name": "总经理", "level": PostLevel.PRINCIPAL, "established_on": start},
    )
    c = services.post_create(
        actor=actor,
        scope=scope,
        enterprise=world.ent_a,
        data={"name": "营业员", "level": PostLevel.EMPLOYEE, "established_on": start},
    )
    hp = services.holding_add(actor=actor, scope=scope, post=p, person=boss, valid_from=start)
    hc = services.holding_add(actor=actor, scope=scope, post=c, person=clerk, valid_from=start)
    return {
        "scope": scope,
        "actor": actor,
        "boss": boss,
        "clerk": clerk,
        "principal_post": p,
        "clerk_post": c,
        "boss_holding": hp,
        "clerk_holding": hc,
    }


def publish(shop, post, day=datetime.date(2025, 3, 1), template=None):
    dl = services.duty_list_adopt(actor=shop["actor"], scope=shop["scope"], post=post, template=template)
    return services.duty_list_publish(
        actor=shop["actor"],
        scope=shop["scope"],
        duty_list=dl,
        effective_from=day,
        published_on=day,
        published_place="公示栏",
    )
