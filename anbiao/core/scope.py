"""The one scoping mechanism (architecture.md §4).

A ``Scope`` is built once per request from the user's active memberships and assignments. Every scoped model
declares how it reaches an organization with a ``ScopeSpec``; ``Model.objects.visible_to(scope)`` filters by
it. Views and viewsets only ever read through ``visible_to``; outside the scope is 404, inside the scope
without the role is 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from anbiao.core.roles import role_has_perm

if TYPE_CHECKING:
    from anbiao.accounts.models import User


@dataclass(frozen=True)
class ScopeSpec:
    """How rows of a model reach the organization tree.

    ``org_paths``: lookups that end in an organization's materialized path (any one may match).
    ``enterprise``: lookup to the owning enterprise's id, or ``None`` when the rows belong to units only.
    """

    org_paths: tuple[str, ...]
    enterprise: str | None = None
    # Shared down the tree: a row owned by a unit (this lookup ends in that unit's path) is also *visible*
    # to everyone whose units or enterprises lie below it (templates a county publishes for all).
    # Only plain visibility inherits; permissions (edit, publish …) still need the row inside one's subtree.
    inherited_path: str | None = None


@dataclass(frozen=True)
class Grant:
    role: str
    org_path: str | None = None
    enterprise_id: int | None = None


@dataclass
class Scope:
    user: User | None
    grants: list[Grant] = field(default_factory=list)

    @classmethod
    def for_user(cls, user) -> Scope:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls(user=None)
        from anbiao.accounts.selectors import active_grants

        return cls(user=user, grants=active_grants(user))

    # --- what the user holds ---------------------------------------------------------------------
    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    def grants_with(self, perm: str | None) -> list[Grant]:
        return [g for g in self.grants if perm is None or role_has_perm(g.role, perm)]

    def has_perm(self, perm: str) -> bool:
        """May this user do ``perm`` somewhere (used for menus and 403 on whole pages)."""
        return bool(self.grants_with(perm))

    @cached_property
    def unit_paths(self) -> tuple[str, ...]:
        return _minimal_paths(g.org_path for g in self.grants if g.org_path)

    def q_paths(self, perm: str) -> tuple[str, ...]:
        """The subtree roots on which the user may do ``perm``."""
        return _minimal_paths(g.org_path for g in self.grants_with(perm) if g.org_path)

    @cached_property
    def enterprise_ids(self) -> frozenset[int]:
        return frozenset(g.enterprise_id for g in self.grants if g.enterprise_id)

    @cached_property
    def ancestor_paths(self) -> frozenset[str]:
        """Every unit path at or above the user's units and their enterprises' units."""
        from anbiao.orgs.models import Enterprise

        paths = set(self.unit_paths)
        if self.enterprise_ids:
            paths.update(
                Enterprise.objects.filter(pk__in=self.enterprise_ids).values_list("unit__path", flat=True)
            )
        ancestors = set()
        for path in paths:
            segments = path.rstrip(".").split(".")
            ancestors.update(".".join(segments[: i + 1]) + "." for i in range(len(segments)))
        return frozenset(ancestors)

    # --- filtering -------------------------------------------------------------------------------
    def q(self, spec: ScopeSpec, perm: str | None = None) -> Q:
        grants = self.grants_with(perm)
        paths = self.q_paths(perm) if perm else self.unit_paths
        enterprise_ids = sorted({g.enterprise_id for g in grants if g.enterprise_id})
        q = Q(pk__in=[])
        for path in paths:
            for lookup in spec.org_paths:
                q |= Q(**{f"{lookup}__startswith": path})
        if spec.enterprise and enterprise_ids:
            q |= Q(**{f"{spec.enterprise}__in": enterprise_ids})
        if spec.inherited_path and perm is None and self.ancestor_paths:
            q |= Q(**{f"{spec.inherited_path}__in": sorted(self.ancestor_paths)})
        return q

    def can(self, perm: str, obj: models.Model | None = None) -> bool:
        """May the user do ``perm`` on ``obj`` (one indexed query) or anywhere when ``obj`` is None."""
        if obj is None:
            return self.has_perm(perm)
        if not self.has_perm(perm):
            return False
        model = type(obj)
        return model._default_manager.filter(pk=obj.pk).filter(self.q(model.scope_spec, perm)).exists()


def _minimal_paths(paths) -> tuple[str, ...]:
    """Drop paths already covered by an ancestor path in the set."""
    result: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return tuple(sorted(result))


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, scope: Scope, perm: str | None = None):
        if scope.user is None:
            return self.none()
        return self.filter(scope.q(self.model.scope_spec, perm))


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def scoped_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [m for m in apps.get_models() if isinstance(getattr(m, "scope_spec", None), ScopeSpec)]


class SystemActor:
    """The actor of writes made by the system itself (commands, recomputations): audited as 系统."""

    pk = None
    is_authenticated = True
    is_active = True

    def get_username(self):
        return "系统"


def system_scope(org_path: str, role: str = "county_admin") -> Scope:
    """The system acting over the subtree at ``org_path`` as a county administrator (or as ``role``)."""
    return Scope(user=SystemActor(), grants=[Grant(role=role, org_path=org_path)])


def unit_path(value) -> str:
    """The subtree a unit filter chose. django-filter passes its 未填写 (null) choice through as text to
    method filters; no unit-owned row lies under it, so it selects nothing (``!`` starts no path)."""
    return getattr(value, "path", None) or "!"
