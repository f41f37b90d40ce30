"""Disable accounts unused for ANBIAO_DORMANT_DAYS days (security.md A1); daily, by anbiao-dormant.timer."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anbiao.accounts import selectors, services
from anbiao.core.commands import command_context


def _last_used(user) -> str:
    if user.last_login:
        return f"最近登录 {timezone.localtime(user.last_login):%Y-%m-%d}"
    return f"从未登录（创建于 {timezone.localtime(user.date_joined):%Y-%m-%d}）"


class Command(BaseCommand):
    help = (
        "Disable (is_active=False) accounts whose last login — or creation, if never logged in — is older "
        "than ANBIAO_DORMANT_DAYS days (default 180; 0 disables the rule). One audit event per account."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="override ANBIAO_DORMANT_DAYS for this run")
        parser.add_argument("--dry-run", action="store_true", help="list the accounts, change nothing")

    def handle(self, *args, **options):
        days = settings.ANBIAO_DORMANT_DAYS if options["days"] is None else options["days"]
        if days < 0:
            raise CommandError("--days 不能为负数。")
        if days == 0:
            self.stdout.write("未启用长期未登录账号停用（ANBIAO_DORMANT_DAYS=0），未作任何修改。")
            return
        now = timezone.now()
        if options["dry_run"]:
            users, kept = selectors.dormant_to_disable(now=now, days=days)
        else:
            with command_context("anbiao_disable_dormant"):
                users, kept = services.users_disable_dormant(now=now, days=days)
        verb = "将停用" if options["dry_run"] else "已停用"
        for user in users:
            self.stdout.write(f"{verb}：{user.username}，{_last_used(user)}")
        for user, label in kept:
            self.stdout.write(f"保留：{user.username}，{_last_used(user)}（最后一个在用的{label}，不停用）")
        summary = f"超过 {days} 天未登录的账号：{verb} {len(users)} 个。"
        if options["dry_run"]:
            summary += "（试运行，未作修改）"
        self.stdout.write(summary)
