import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from anbiao.core import registry
from anbiao.core.models import AuditEvent, Notification
from anbiao.core.notifications import notifications_create


@pytest.fixture
def two_reminders(world, monkeypatch):
    def reminders(today):
        yield registry.Reminder(
            user_id=world.safety_a.pk,
            key=f"test:{today}",
            title="隐患整改期限还有 3 天",
            url=reverse("orgs:enterprise_detail", args=[world.ent_a.pk]),
            level="warning",
            enterprise_id=world.ent_a.pk,
            due=today + datetime.timedelta(days=3),
        )
        yield registry.Reminder(user_id=world.admin_b.pk, key="test:b", title="乙单位的提醒")

    real = registry.hooks
    monkeypatch.setattr(registry, "hooks", lambda a: [reminders] if a == "reminders" else real(a))


def test_the_daily_run_creates_each_notification_once_and_is_audited(world, two_reminders, capsys):
    call_command("anbiao_remind", "--date", "2025-06-01")
    call_command("anbiao_remind", "--date", "2025-06-01")
    assert Notification.objects.count() == 2
    assert "新建通知 2 条" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="core.remind").count() == 2


def test_a_user_sees_their_unread_count_and_only_their_own_notifications(world, two_reminders, login):
    notifications_create(today=datetime.date(2025, 6, 1))
    client = login(world.safety_a)
    page = client.get(reverse("core:notification_list")).content.decode()
    assert "隐患整改期限还有 3 天" in page and "乙单位的提醒" not in page
    assert '<span class="badge text-bg-danger">1</span>' in page


def test_opening_a_notification_marks_it_read_and_follows_its_link(world, two_reminders, login):
    notifications_create(today=datetime.date(2025, 6, 1))
    note = Notification.objects.get(user=world.safety_a)
    response = login(world.safety_a).post(reverse("core:notification_read", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == note.url
    note.refresh_from_db()
    assert note.read_at is not None


def test_another_users_notification_is_not_found(world, two_reminders, login):
    notifications_create(today=datetime.date(2025, 6, 1))
    theirs = Notification.objects.get(user=world.admin_b)
    assert login(world.safety_a).post(reverse("core:notification_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_clears_the_badge(world, two_reminders, login):
    notifications_create(today=datetime.date(2025, 6, 1))
    client = login(world.safety_a)
    client.post(reverse("core:notification_read_all"))
    assert not Notification.objects.filter(user=world.safety_a, read_at__isnull=True).exists()
    assert 'data-testid="notification-badge">通知<' in client.get(reverse("home")).content.decode()
