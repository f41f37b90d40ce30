"""In-app notifications: the daily reminder run (writes) and a user's inbox (reads)."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import transaction
from django.utils import timezone

from anbiao.core import audit, registry
from anbiao.core.models import Notification


def collect(today: datetime.date) -> list[registry.Reminder]:
    found: list[registry.Reminder] = []
    for reminders in registry.hooks("reminders"):
        found.extend(reminders(today))
    return found


def notifications_create(*, today: datetime.date) -> Counter:
    """Create the notifications due on ``today`` that do not exist yet; returns counts by level."""
    reminders = collect(today)
    created: Counter = Counter()
    with transaction.atomic():
        existing = set(
            Notification.objects.filter(key__in={r.key for r in reminders}).values_list("user_id", "key")
        )
        rows = []
        for r in reminders:
            if (r.user_id, r.key) in existing:
                continue
            existing.add((r.user_id, r.key))
            rows.append(
                Notification(
                    user_id=r.user_id,
                    key=r.key[:200],
                    title=r.title[:300],
                    url=r.url,
                    level=r.level,
                    enterprise_id=r.enterprise_id,
                    due=r.due,
                )
            )
            created[r.level] += 1
        Notification.objects.bulk_create(rows, batch_size=500)
        audit.record(
            actor=None,
            action="core.remind",
            object_repr=f"{today:%Y-%m-%d} 提醒",
            after={"date": today, "created": sum(created.values()), **created},
        )
    return created


def inbox(user):
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_read(*, user, pk: int | None = None) -> int:
    """Mark one (or, without ``pk``, all) of the user's own notifications read."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())
