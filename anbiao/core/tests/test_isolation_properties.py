"""Isolation as a property (security.md B4): on random unit trees with enterprises, hazards and users in
random places, every scoped list and count equals what an independent oracle says the user may see.

The oracle knows nothing of materialized paths or ``ScopeSpec``: it walks ``parent`` links in Python.
"""

from __future__ import annotations

import datetime
import os

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anbiao.accounts.models import Assignment, Membership, User
from anbiao.core.roles import Role
from anbiao.core.scope import Scope, system_scope
from anbiao.hazards.models import Hazard
from anbiao.orgs import selectors as org_selectors
from anbiao.orgs import services
from anbiao.orgs.choices import OrgKind
from anbiao.orgs.models import Enterprise, Organization
from anbiao.orgs.tests.factories import enterprise_data
from anbiao.reports.context import Quarter, ReportContext

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("ANBIAO_PROPERTY_EXAMPLES", "12"))
START = datetime.date(2024, 1, 1)


class _Rollback(Exception):
    pass


# A tree: parents[i] is the index of unit i's parent among units 0..i-1 (unit 0 is the root).
trees = st.integers(min_value=2, max_value=7).flatmap(
    lambda n: st.tuples(*[st.integers(min_value=0, max_value=max(i - 1, 0)) for i in range(1, n)])
)


@st.composite
def worlds(draw):
    parents = draw(trees)
    n_units = len(parents) + 1
    placements = draw(st.lists(st.integers(0, n_units - 1), min_size=1, max_size=8))
    hazards = draw(st.lists(st.integers(0, len(placements) - 1), max_size=10))
    admin_at = draw(st.integers(0, n_units - 1))
    ent_user_at = draw(st.integers(0, len(placements) - 1))
    assigned = draw(st.sets(st.integers(0, len(placements) - 1), max_size=3))
    inspector_unit = draw(st.integers(0, n_units - 1))
    return parents, placements, hazards, admin_at, ent_user_at, assigned, inspector_unit


def _build(parents, placements, hazard_owners):
    root = services.organization_create(
        actor=None, scope=Scope(user=None), parent=None, kind=OrgKind.COUNTY, name="根", code="R"
    )
    system = system_scope(root.path)
    units = [root]
    for i, p in enumerate(parents, start=1):
        units.append(
            services.organization_create(
                actor=None,
                scope=system,
                parent=units[p],
                kind=OrgKind.GRASSROOTS,
                name=f"单位{i}",
                code=f"U{i}",
            )
        )
    enterprises = [
        services.enterprise_create(
            actor=None,
            scope=system,
            data=enterprise_data(unit=units[u], name=f"企业{i}", registered_on=START),
        )
        for i, u in enumerate(placements)
    ]
    hazards = [
        Hazard.objects.create(
            enterprise=enterprises[e],
            code=f"H{i}",
            source="self",
            kind="thing",
            description="地面湿滑",
            location="仓库",
            found_on=datetime.date(2025, 3, 1),
        )
        for i, e in enumerate(hazard_owners)
    ]
    return units, enterprises, hazards


def _user(name, role, *, unit=None, enterprise=None):
    user = User.objects.create_user(username=name, password="x" * 12, full_name=name)
    Membership.objects.create(
        user=user, role=role, organization=unit, enterprise=enterprise, valid_from=START
    )
    return user


def _subtree(units, parents, top: int) -> set[int]:
    """Indexes of ``top`` and every unit below it, by walking parent links."""
    out = {top}
    changed = True
    while changed:
        changed = False
        for i, p in enumerate(parents, start=1):
            if p in out and i not in out:
                out.add(i)
                changed = True
    return out


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(worlds())
def test_every_scoped_list_and_count_equals_the_oracle_on_random_trees(db, world_case):
    parents, placements, hazard_owners, admin_at, ent_user_at, assigned, inspector_unit = world_case
    try:
        with transaction.atomic():
            units, enterprises, hazards = _build(parents, placements, hazard_owners)
            admin = _user("admin", Role.UNIT_ADMIN, unit=units[admin_at])
            principal = _user("principal", Role.ENT_PRINCIPAL, enterprise=enterprises[ent_user_at])
            inspector = _user("inspector", Role.INSPECTOR, unit=units[inspector_unit])
            for e in assigned:
                Assignment.objects.create(
                    user=inspector, enterprise=enterprises[e], role=Role.INSPECTOR, valid_from=START
                )

            below = _subtree(units, parents, admin_at)
            expected = {e.pk for e, u in zip(enterprises, placements, strict=True) if u in below}
            expected_hazards = {
                h.pk for h, e in zip(hazards, hazard_owners, strict=True) if placements[e] in below
            }
            scope = Scope.for_user(admin)
            assert set(Enterprise.objects.visible_to(scope).values_list("pk", flat=True)) == expected
            assert set(Hazard.objects.visible_to(scope).values_list("pk", flat=True)) == expected_hazards
            assert org_selectors.enterprise_counts(scope=scope)["total"] == len(expected)
            assert {u.pk for u in Organization.objects.visible_to(scope)} >= {units[i].pk for i in below}
            assert not {u.pk for u in Organization.objects.visible_to(scope, "org.view")} - {
                units[i].pk for i in below
            }
            ctx = ReportContext(scope=scope, unit=units[admin_at], as_of=Quarter(2025, 3).end)
            assert set(ctx.operating.values_list("pk", flat=True)) == expected

            own = enterprises[ent_user_at]
            scope = Scope.for_user(principal)
            assert set(Enterprise.objects.visible_to(scope).values_list("pk", flat=True)) == {own.pk}
            assert set(Hazard.objects.visible_to(scope).values_list("pk", flat=True)) == {
                h.pk for h in hazards if h.enterprise_id == own.pk
            }

            scope = Scope.for_user(inspector)
            mine = {enterprises[e].pk for e in assigned}
            assert set(Enterprise.objects.visible_to(scope).values_list("pk", flat=True)) == mine
            assert set(Hazard.objects.visible_to(scope).values_list("pk", flat=True)) == {
                h.pk for h in hazards if h.enterprise_id in mine
            }
            raise _Rollback
    except _Rollback:
        pass
