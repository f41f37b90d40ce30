"""Reminders (collected daily into notifications) and home-page to-dos of the ledgers."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse

from anbiao.core.registry import Reminder
from anbiao.core.roles import ENTERPRISE_ROLES
from anbiao.ledgers import selectors
from anbiao.ledgers.choices import DocumentStatus, EquipmentStatus
from anbiao.ledgers.models import EmergencyPlan, Equipment, RegulationItem, RuleDocument
from anbiao.orgs.choices import Status


def _level(day: datetime.date, today: datetime.date) -> str:
    return "danger" if day < today else "warning"


def _when(day: datetime.date, today: datetime.date) -> str:
    return f"已于 {day:%Y-%m-%d} 逾期" if day < today else f"将于 {day:%Y-%m-%d} 到期"


def due_items(today: datetime.date) -> list[tuple[int, str, str, str, datetime.date]]:
    """(enterprise id, key, title, url, due date) for everything due within its window or overdue."""
    soon = today + datetime.timedelta(days=selectors.SOON_DAYS)
    items = []
    operating = {"enterprise__status": Status.OPERATING}
    for d in RuleDocument.objects.filter(
        status=DocumentStatus.EFFECTIVE, next_review_on__lte=soon, **operating
    ).only("id", "enterprise_id", "title", "kind", "next_review_on"):
        items.append(
            (
                d.enterprise_id,
                f"ledgers:document:{d.pk}:{d.next_review_on}",
                f"{d.get_kind_display()}「{d.title}」评审修订{_when(d.next_review_on, today)}",
                reverse("ledgers:documents_detail", args=[d.pk]),
                d.next_review_on,
            )
        )
    for r in RegulationItem.objects.filter(is_current=True, next_review_on__lte=soon, **operating).only(
        "id", "enterprise_id", "title", "next_review_on"
    ):
        items.append(
            (
                r.enterprise_id,
                f"ledgers:regulation:{r.pk}:{r.next_review_on}",
                f"法规标准「{r.title}」适用性评审{_when(r.next_review_on, today)}",
                reverse("ledgers:regulations_detail", args=[r.pk]),
                r.next_review_on,
            )
        )
    for e in Equipment.objects.filter(
        status=EquipmentStatus.IN_USE, next_inspection_due__lte=soon, **operating
    ).only("id", "enterprise_id", "name", "category", "next_inspection_due"):
        what = "特种设备" if e.category == "special" else "设备"
        items.append(
            (
                e.enterprise_id,
                f"ledgers:equipment:{e.pk}:{e.next_inspection_due}",
                f"{what}「{e.name}」检验（检查）{_when(e.next_inspection_due, today)}",
                reverse("ledgers:equipment_detail", args=[e.pk]),
                e.next_inspection_due,
            )
        )
    for p in EmergencyPlan.objects.filter(
        status=DocumentStatus.EFFECTIVE, review_due__lte=soon, **operating
    ).only("id", "enterprise_id", "title", "review_due"):
        items.append(
            (
                p.enterprise_id,
                f"ledgers:plan:{p.pk}:{p.review_due}",
                f"应急预案「{p.title}」评估修订{_when(p.review_due, today)}",
                reverse("ledgers:plans_detail", args=[p.pk]),
                p.review_due,
            )
        )
    Certificate = selectors.certificate_model()
    cert_soon = today + datetime.timedelta(days=selectors.CERT_SOON_DAYS)
    for c in Certificate.objects.filter(
        person__is_active=True,
        expires_on__isnull=False,
        expires_on__lte=cert_soon,
        person__enterprise__status=Status.OPERATING,
    ).select_related("person"):
        items.append(
            (
                c.person.enterprise_id,
                f"ledgers:certificate:{c.pk}:{c.expires_on}",
                f"{c.person.name} 的{c.get_kind_display()}（{c.number}）{_when(c.expires_on, today)}",
                reverse("ledgers:enterprise_profile", args=[c.person.enterprise_id]) + "#training",
                c.expires_on,
            )
        )
    return items


def collect(today: datetime.date) -> list[Reminder]:
    """One reminder per due item for every enterprise user (主要负责人, 安全管理员) of its enterprise.

    The key carries the due date and the level, so a reminder is sent once when an item comes due and once
    more when it becomes overdue; a new due date (after an inspection or review) starts again.
    """
    from anbiao.accounts.models import Membership

    items = due_items(today)
    ids = {i[0] for i in items}
    users: dict[int, set[int]] = defaultdict(set)
    for m in Membership.objects.active(today).filter(enterprise_id__in=ids, role__in=ENTERPRISE_ROLES):
        users[m.enterprise_id].add(m.user_id)
    out = []
    for enterprise_id, key, title, url, due in items:
        level = _level(due, today)
        for user_id in sorted(users.get(enterprise_id, ())):
            out.append(
                Reminder(
                    user_id=user_id,
                    key=f"{key}:{level}",
                    title=title,
                    url=url,
                    level=level,
                    enterprise_id=enterprise_id,
                    due=due,
                )
            )
    return out


def todo_lines(scope, today: datetime.date) -> list[tuple[str, str]]:
    """Home-page lines: supervisors see their subtree's overdue items, enterprise users their own."""
    lines: list[tuple[str, str]] = []
    if not scope.has_perm("ledger.view"):
        return lines
    counts = selectors.supervision_counts(scope, today)
    if counts["equipment_overdue"]:
        lines.append(
            (
                f"{counts['equipment_overdue']} 台特种设备定期检验已逾期。",
                reverse("ledgers:equipment_list") + "?category=special&inspection=overdue",
            )
        )
    if counts["certificates_expired"] and scope.has_perm("ledger.supervise"):
        lines.append(
            (
                f"{counts['certificates_expired']} 本人员证书已过期。",
                reverse("ledgers:certificates_due") + "?state=expired",
            )
        )
    if counts["plans_not_filed"]:
        lines.append(
            (f"{counts['plans_not_filed']} 项应急预案未备案。", reverse("ledgers:plans_list") + "?filed=no")
        )
    if counts["documents_review_overdue"]:
        lines.append(
            (
                f"{counts['documents_review_overdue']} 项规章制度或操作规程已过评审修订日期。",
                reverse("ledgers:documents_list") + "?review=overdue",
            )
        )
    if counts["accidents_open"]:
        lines.append(
            (
                f"{counts['accidents_open']} 起事故尚未结案（四不放过）。",
                reverse("ledgers:accident_list"),
            )
        )
    for pk in sorted(scope.enterprise_ids)[:5]:
        lines.append(
            ("查看本企业安全档案（各类台账完整情况）。", reverse("ledgers:enterprise_profile", args=[pk]))
        )
    return lines
