"""What the reports app adds to the kernel: permissions, menu, audit labels, todos and reminders for the
quarterly tables (due day 1 of the following quarter's first month)."""

from __future__ import annotations

import datetime

from anbiao.core.registry import MenuItem, Reminder
from anbiao.core.roles import Role

GROUP = "季度报表"

PERMISSIONS = {
    Role.COUNTY_ADMIN: {"report.view", "report.adjust", "report.submit", "report.review"},
    Role.UNIT_ADMIN: {"report.view", "report.adjust", "report.submit"},
    Role.LEADER: {"report.view"},
}

MENU = [
    MenuItem("reports:index", "季报表(一)(二)(三)", "report.view", GROUP),
    MenuItem("reports:rollup_index", "下级报送与汇总", "report.review", GROUP),
]

ACTION_LABELS = {
    "reports.adjustment_save": "保存报表调整",
    "reports.adjustment_delete": "删除报表调整",
    "reports.submit": "报送季度报表",
    "reports.accept": "签收季度报表",
    "reports.return": "退回季度报表",
}


def _open_quarters(today: datetime.date):
    """The last finished quarter, and the one before it while its deadline passed less than 120 days ago."""
    from anbiao.reports.context import Quarter

    last = Quarter.last_finished(today)
    out = [last]
    prev = last.previous()
    if (today - prev.due).days <= 120:
        out.append(prev)
    return out


def _unsubmitted(unit_ids, quarter):
    from anbiao.reports.models import Submission
    from anbiao.reports.services import LOCKED

    done = set(
        Submission.objects.filter(unit_id__in=unit_ids, quarter=quarter.code, status__in=LOCKED).values_list(
            "unit_id", flat=True
        )
    )
    return [u for u in unit_ids if u not in done]


def todos(user, scope):
    from django.urls import reverse
    from django.utils import timezone

    from anbiao.orgs.models import Organization
    from anbiao.reports.choices import SubmissionStatus
    from anbiao.reports.models import Submission

    today = timezone.localdate()
    lines = []
    if scope.has_perm("report.submit"):
        own = list(Organization.objects.filter(path__in=scope.q_paths("report.submit"), is_active=True))
        for quarter in _open_quarters(today):
            for unit_id in _unsubmitted([u.pk for u in own], quarter):
                unit = next(u for u in own if u.pk == unit_id)
                late = "已逾期，" if today > quarter.due else ""
                lines.append(
                    (
                        f"{unit.name}：{quarter.label}季报表{late}请在 {quarter.due:%Y-%m-%d} 前报送",
                        reverse("reports:unit_report", args=[unit.pk]) + f"?quarter={quarter.code}",
                    )
                )
    if scope.has_perm("report.review"):
        waiting = Submission.objects.visible_to(scope, "report.review").filter(
            status=SubmissionStatus.SUBMITTED
        )
        count = waiting.count()
        if count:
            lines.append((f"{count} 份下级单位季报表待签收", reverse("reports:rollup_index")))
    return lines[:6]


def reminders(today: datetime.date):
    """Unit administrators: a finished quarter's tables not yet submitted — due on day 1 of the next
    quarter (warning), overdue after it (danger)."""
    from django.urls import reverse

    from anbiao.accounts.models import Membership

    memberships = list(
        Membership.objects.active(today)
        .filter(role__in=[Role.UNIT_ADMIN, Role.COUNTY_ADMIN], organization__is_active=True)
        .select_related("organization")
    )
    for quarter in _open_quarters(today):
        pending = set(_unsubmitted(list({m.organization_id for m in memberships}), quarter))
        for m in memberships:
            if m.organization_id not in pending:
                continue
            yield Reminder(
                user_id=m.user_id,
                key=f"reports:{quarter.code}:unit:{m.organization_id}",
                title=f"{m.organization.name}：{quarter.label}季报表未报送（期限 {quarter.due:%Y-%m-%d}）",
                url=reverse("reports:unit_report", args=[m.organization_id]) + f"?quarter={quarter.code}",
                level="danger" if today > quarter.due else "warning",
                due=quarter.due,
            )


def demo(ctx):
    from anbiao.reports.demo import build

    build(ctx)
