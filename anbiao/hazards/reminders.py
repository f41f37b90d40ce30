"""Daily reminders of the hazard module (collected by ``manage.py anbiao_remind``)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.urls import reverse

from anbiao.accounts.models import Membership
from anbiao.core.registry import Reminder
from anbiao.core.roles import ENTERPRISE_ROLES, Role
from anbiao.hazards.choices import OVERDUE_STATES
from anbiao.hazards.models import Hazard, HazardListing, Inspection, InspectionPlan

ESCALATE_AFTER_DAYS = 7
DUE_SOON_DAYS = 3


def _enterprise_users(enterprise_ids, on) -> dict[int, list[int]]:
    users = defaultdict(list)
    for m in Membership.objects.active(on).filter(
        enterprise_id__in=enterprise_ids, role__in=ENTERPRISE_ROLES
    ):
        users[m.enterprise_id].append(m.user_id)
    return users


def _unit_admins(on) -> dict[str, list[int]]:
    """Unit administrators by the path of their unit."""
    admins = defaultdict(list)
    for m in Membership.objects.active(on).filter(role=Role.UNIT_ADMIN).select_related("organization"):
        admins[m.organization.path].append(m.user_id)
    return admins


def _nearest_admins(path: str, admins: dict[str, list[int]]) -> list[int]:
    """The administrators of the unit at ``path``, or of its nearest ancestor that has any."""
    segments = path.rstrip(".").split(".")
    for depth in range(len(segments), 0, -1):
        found = admins.get(".".join(segments[:depth]) + ".")
        if found:
            return found
    return []


def reminders(today: datetime.date) -> Iterator[Reminder]:
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    hazards = list(
        Hazard.objects.filter(
            state__in=OVERDUE_STATES, deadline__isnull=False, deadline__lte=soon
        ).select_related("enterprise__unit")
    )
    people = _enterprise_users({h.enterprise_id for h in hazards}, today)
    admins = _unit_admins(today)
    for h in hazards:
        url = reverse("hazards:hazard_detail", args=[h.pk])
        late = (today - h.deadline).days
        if late <= 0:
            title = f"隐患 {h.code}（{h.enterprise.name}）整改期限 {h.deadline:%m月%d日}，还有 {-late} 天。"
            for user_id in people[h.enterprise_id]:
                yield Reminder(
                    user_id,
                    f"hazard-due:{h.pk}:{h.deadline}",
                    title,
                    url,
                    "warning",
                    h.enterprise_id,
                    h.deadline,
                )
            continue
        title = f"隐患 {h.code}（{h.enterprise.name}）已逾期 {late} 天未整改。"
        for user_id in people[h.enterprise_id]:
            yield Reminder(
                user_id,
                f"hazard-overdue:{h.pk}:{h.deadline}",
                title,
                url,
                "danger",
                h.enterprise_id,
                h.deadline,
            )
        if late > ESCALATE_AFTER_DAYS:
            for user_id in _nearest_admins(h.enterprise.unit.path, admins):
                yield Reminder(
                    user_id,
                    f"hazard-escalated:{h.pk}:{h.deadline}",
                    f"【督促】{title}",
                    url,
                    "danger",
                    h.enterprise_id,
                    h.deadline,
                )
    plans = (
        InspectionPlan.objects.filter(cancelled=False, planned_on__lt=today)
        .exclude(inspection__status=Inspection.Status.DONE)
        .select_related("enterprise", "organization")
    )
    for p in plans:
        title = f"检查计划逾期：{p.planned_on:%Y-%m-%d} 检查 {p.enterprise.name}，尚未完成。"
        url = reverse("hazards:plan_list") + "?status=overdue"
        recipients = [p.assignee_id] if p.assignee_id else _nearest_admins(p.organization.path, admins)
        for user_id in recipients:
            yield Reminder(
                user_id, f"plan-overdue:{p.pk}", title, url, "warning", p.enterprise_id, p.planned_on
            )
    listings = HazardListing.objects.filter(delisted_on__isnull=True, deadline__lt=today).select_related(
        "hazard__enterprise", "organization"
    )
    listed_people = _enterprise_users({listing.hazard.enterprise_id for listing in listings}, today)
    for listing in listings:
        title = f"挂牌督办隐患 {listing.hazard.code}（{listing.hazard.enterprise.name}）已超过督办期限。"
        url = reverse("hazards:hazard_detail", args=[listing.hazard_id])
        for user_id in [
            *_nearest_admins(listing.organization.path, admins),
            *listed_people[listing.hazard.enterprise_id],
        ]:
            yield Reminder(
                user_id,
                f"listing-overdue:{listing.pk}",
                title,
                url,
                "danger",
                listing.hazard.enterprise_id,
                listing.deadline,
            )
