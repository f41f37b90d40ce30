"""Reads for units and enterprises. Every selector starts from the scoped queryset."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from anbiao.core.scope import Scope
from anbiao.orgs.filters import EnterpriseFilter
from anbiao.orgs.models import Enterprise, EnterpriseState, Organization


def organization_list(*, scope: Scope):
    return (
        Organization.objects.visible_to(scope)
        .select_related("parent")
        .annotate(enterprise_count=Count("enterprises", filter=~Q(enterprises__status="closed")))
    )


def organization_tree(*, scope: Scope) -> list[dict]:
    """The visible units as a flat list in tree order, each with its indentation and enterprise counts."""
    units = list(organization_list(scope=scope).order_by("path"))
    roots = {u.pk for u in units if u.parent_id not in {x.pk for x in units}}
    base_depth = {u.pk: u.depth for u in units if u.pk in roots}
    subtree_counts: dict[str, int] = {}
    for u in units:
        for v in units:
            if v.path.startswith(u.path):
                subtree_counts[u.path] = subtree_counts.get(u.path, 0) + v.enterprise_count
    min_depth = min(base_depth.values(), default=0)
    return [
        {"unit": u, "indent": u.depth - min_depth, "subtree_enterprises": subtree_counts[u.path]}
        for u in units
    ]


def enterprise_list(*, scope: Scope, params=None, request=None):
    qs = Enterprise.objects.visible_to(scope).select_related("unit", "industry", "township")
    filterset = EnterpriseFilter(params or {}, queryset=qs, request=request)
    return filterset


def enterprise_states_on(*, scope: Scope, on: datetime.date):
    """The state (unit, size class, status) of every visible enterprise on a date: one query."""
    return (
        EnterpriseState.objects.visible_to(scope)
        .filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .select_related("unit")
    )


def enterprise_counts(*, scope: Scope) -> dict[str, int]:
    """Counts of all visible enterprises by current status and size class."""
    return _counts(Enterprise.objects.visible_to(scope))


def enterprise_counts_in(*, scope: Scope, unit: Organization) -> dict[str, int]:
    """Counts of the visible enterprises in ``unit``'s subtree by current status and size class."""
    qs = Enterprise.objects.visible_to(scope).filter(unit__path__startswith=unit.path)
    return _counts(qs)


def _counts(qs) -> dict[str, int]:
    operating = Q(status="operating")
    return qs.aggregate(
        total=Count("id"),
        operating=Count("id", filter=operating),
        above_scale=Count("id", filter=operating & Q(size_class="above_scale")),
        medium=Count("id", filter=operating & Q(size_class="medium")),
        small=Count("id", filter=operating & Q(size_class="small")),
    )
