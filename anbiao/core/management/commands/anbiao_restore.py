"""Restore a backup generation into a database and media directory, then prove it (the restore drill)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from anbiao.core import backup


class Command(BaseCommand):
    help = (
        "Verify a backup generation's checksums, restore its database and media, then check integrity, "
        "migrate --check, row counts and media sha256 against the manifest; print the report with the RTO."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "generation", help="generation directory, its name in ANBIAO_BACKUP_DIR, or 'latest'"
        )
        parser.add_argument("--database-url", help="target database (default: this site's database)")
        parser.add_argument("--media-root", help="target media directory (default: MEDIA_ROOT)")
        parser.add_argument("--yes", action="store_true", help="overwrite a target that is not empty")
        parser.add_argument("--report", help="also write the report as JSON to this file")

    def handle(self, *args, **options):
        try:
            gen = backup.resolve_generation(options["generation"], Path(settings.ANBIAO_BACKUP_DIR))
            report = backup.restore(
                generation=gen,
                database_url=options["database_url"],
                media_root=Path(options["media_root"]) if options["media_root"] else None,
                yes=options["yes"],
                out=self.stdout.write,
            )
        except backup.BackupError as exc:
            raise CommandError(f"恢复失败：{exc}") from exc
        except OSError as exc:
            raise CommandError(f"恢复失败（{exc.__class__.__name__}）：{exc}") from exc
        self.stdout.write(f"恢复报告 — 备份 {report.generation}（创建于 {report.created_at}）")
        self.stdout.write(f"  数据库：{report.database}\n  媒体目录：{report.media_root}")
        for c in report.checks:
            mark = "✓" if c.ok else "✗"
            line = f"  {mark} {c.name}：{c.detail}"
            if c.seconds:
                line += f"（{c.seconds:.2f} s）"
            self.stdout.write(line if c.ok else self.style.ERROR(line))
        for w in report.warnings:
            self.stdout.write(self.style.WARNING(f"  ! {w}"))
        if report.moved_aside:
            self.stdout.write(f"  原媒体目录内容已移到 {report.moved_aside}（确认无误后自行删除）。")
        self.stdout.write(f"  RTO（开始恢复到全部检查完成）：{report.rto_seconds:.1f} s")
        if options["report"]:
            Path(options["report"]).write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        if not report.ok:
            raise CommandError("恢复后的检查未全部通过（见上）。")
        self.stdout.write(self.style.SUCCESS("恢复完成，全部检查通过。"))
