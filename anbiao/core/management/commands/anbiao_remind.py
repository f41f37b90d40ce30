"""Daily reminders: run once a day from cron or a systemd timer (see README)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anbiao.core.commands import command_context
from anbiao.core.notifications import notifications_create


class Command(BaseCommand):
    help = "Create in-app notifications: deadlines in 3 days, overdue, escalations, planned work not done."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="run as of this date (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        try:
            today = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--date 应为 YYYY-MM-DD") from exc
        with command_context("anbiao_remind"):
            created = notifications_create(today=today)
        total = sum(created.values())
        detail = "，".join(f"{k} {v}" for k, v in sorted(created.items())) or "无"
        self.stdout.write(f"{today:%Y-%m-%d}：新建通知 {total} 条（{detail}）。")
