from __future__ import annotations

from anbiao.accounts.models import Assignment, Membership
from anbiao.core.roles import ASSIGNED_ROLES
from anbiao.core.scope import Grant


def active_grants(user) -> list[Grant]:
    """Everything a user holds today: unit roles on subtrees, enterprise roles, assigned enterprises."""
    grants: list[Grant] = []
    rows = (
        Membership.objects.active()
        .filter(user=user)
        .values_list("role", "organization__path", "enterprise_id")
    )
    for role, org_path, enterprise_id in rows:
        if role in ASSIGNED_ROLES:
            continue  # inspectors and experts see what they are assigned, not their employer's subtree
        grants.append(Grant(role=role, org_path=org_path, enterprise_id=enterprise_id))
    for role, enterprise_id in (
        Assignment.objects.active().filter(user=user).values_list("role", "enterprise_id")
    ):
        grants.append(Grant(role=role, enterprise_id=enterprise_id))
    return grants


def user_list(*, scope, filters: dict | None = None):
    from anbiao.accounts.models import User

    return User.objects.visible_to(scope).prefetch_related(
        "memberships__organization", "memberships__enterprise"
    )


def locked_usernames(now=None):
    """Usernames locked now by django-axes: ``AXES_FAILURE_LIMIT`` failures within the cool-off time (A4).
    A row of ``AccessAttempt`` alone is not a lock: axes keeps one from the first wrong password."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=(now or timezone.now()) - settings.AXES_COOLOFF_TIME)
    return attempts.values("username")


def dormant_users(*, now, days: int):
    """Active accounts unused for more than ``days`` days: last login (or, never logged in, creation) before
    ``now - days``. Unscoped: for the system's own daily command only (A1)."""
    import datetime

    from django.db.models.functions import Coalesce

    from anbiao.accounts.models import User

    cutoff = now - datetime.timedelta(days=days)
    return (
        User.objects.filter(is_active=True)
        .annotate(last_used=Coalesce("last_login", "date_joined"))
        .filter(last_used__lt=cutoff)
        .order_by("username")
    )


def dormant_to_disable(*, now, days: int, lock: bool = False):
    """(the dormant accounts to disable, the ones kept as ``(user, role label)``): for each power that can
    re-enable accounts — the county administrator, and with 三权分立 the 安全管理员 (administrators' accounts)
    — when every active holder is dormant, the one used last is kept, so the system is never left without
    it (recovery would otherwise need ``manage.py shell``). ``lock``: the accounts' rows are locked until the
    caller's transaction ends (the disabling service)."""
    from django.utils import timezone

    from anbiao.accounts.models import Membership, User
    from anbiao.core.roles import Role, separated

    dormant = dormant_users(now=now, days=days)
    users = list(dormant.select_for_update() if lock else dormant)
    memberships = Membership.objects.active(timezone.localdate(now))
    kept = []
    for role in [Role.COUNTY_ADMIN, *([Role.SECURITY_ADMIN] if separated() else [])]:
        holders = set(
            User.objects.filter(is_active=True, memberships__in=memberships.filter(role=role)).values_list(
                "pk", flat=True
            )
        )
        dormant_holders = [u for u in users if u.pk in holders]
        if holders and len(dormant_holders) == len(holders):
            kept.append((max(dormant_holders, key=lambda u: (u.last_used, u.pk)), Role(role).label))
    kept_ids = {user.pk for user, _ in kept}
    return [u for u in users if u.pk not in kept_ids], kept
