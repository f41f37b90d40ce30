"""Daily reminders: risk points past their review date; enterprises whose overall grade rose."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse

from anbiao.accounts.models import Membership
from anbiao.core.registry import Reminder
from anbiao.core.roles import ENTERPRISE_ROLES, Role
from anbiao.core.scope import Grant, Scope
from anbiao.orgs.models import Organization
from anbiao.risks import grading
from anbiao.risks.choices import COLOUR_NAME, RANK, PointStatus
from anbiao.risks.models import EnterpriseGrade, RiskPoint

RECENT_DAYS = 7


class SystemActor:
    """The system itself (daily run), with the county administrator's reach."""

    pk = None
    is_authenticated = True
    is_active = True

    def get_username(self):
        return "系统"


def system_scope() -> Scope:
    roots = Organization.objects.filter(parent__isnull=True)
    return Scope(user=SystemActor(), grants=[Grant(role=Role.COUNTY_ADMIN, org_path=r.path) for r in roots])


def collect(today: datetime.date) -> list[Reminder]:
    scope = system_scope()
    if scope.grants:
        grading.grades_recompute(actor=None, scope=scope, on=today)
    return [*_review_overdue(today), *_grades_rose(today)]


def _enterprise_users(enterprise_ids, today) -> dict[int, list[int]]:
    users = defaultdict(list)
    for user_id, ent_id in (
        Membership.objects.active(today)
        .filter(enterprise_id__in=enterprise_ids, role__in=ENTERPRISE_ROLES, user__is_active=True)
        .values_list("user_id", "enterprise_id")
    ):
        users[ent_id].append(user_id)
    return users


def _review_overdue(today: datetime.date) -> list[Reminder]:
    points = list(
        RiskPoint.objects.filter(status=PointStatus.ACTIVE, next_review_on__lt=today).values_list(
            "pk", "name", "enterprise_id", "next_review_on", "level"
        )
    )
    users = _enterprise_users({p[2] for p in points}, today)
    out = []
    for pk, name, ent_id, due, level in points:
        for user_id in users.get(ent_id, []):
            out.append(
                Reminder(
                    user_id=user_id,
                    key=f"risks.review:{pk}:{due}",
                    title=f"风险点「{name}」（{COLOUR_NAME.get(level, '')}）应于 {due} 复评，已逾期。",
                    url=reverse("risks:point_detail", args=[pk]),
                    level="danger",
                    enterprise_id=ent_id,
                    due=due,
                )
            )
    return out


def _grades_rose(today: datetime.date) -> list[Reminder]:
    since = today - datetime.timedelta(days=RECENT_DAYS)
    new_rows = list(
        EnterpriseGrade.objects.filter(valid_from__gt=since, valid_from__lte=today).select_related(
            "enterprise__unit"
        )
    )
    if not new_rows:
        return []
    previous = {
        (g.enterprise_id, g.valid_to): g.level
        for g in EnterpriseGrade.objects.filter(
            enterprise_id__in={r.enterprise_id for r in new_rows}, valid_to__gt=since
        )
    }
    admins = list(
        Membership.objects.active(today)
        .filter(role=Role.UNIT_ADMIN, user__is_active=True)
        .values_list("user_id", "organization__path")
    )
    ent_users = _enterprise_users({r.enterprise_id for r in new_rows}, today)
    out = []
    for row in new_rows:
        before = previous.get((row.enterprise_id, row.valid_from))
        if before is None or RANK[row.level] >= RANK[before]:
            continue
        path = row.enterprise.unit.path
        recipients = {uid for uid, p in admins if p and path.startswith(p)} | set(
            ent_users.get(row.enterprise_id, [])
        )
        for user_id in recipients:
            out.append(
                Reminder(
                    user_id=user_id,
                    key=f"risks.grade_rose:{row.pk}",
                    title=(
                        f"{row.enterprise.name} 的企业四色等级由{COLOUR_NAME[before]}升为{COLOUR_NAME[row.level]}"  # noqa: E501
                        f"（{row.summary}）。"
                    ),
                    url=reverse("risks:enterprise_grade", args=[row.enterprise_id]),
                    level="warning",
                    enterprise_id=row.enterprise_id,
                    due=row.valid_from,
                )
            )
    return out
