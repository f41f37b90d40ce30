"""Daily backup: database (SQLite backup API or pg_dump -Fc), media with sha256 manifest, N generations."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from anbiao.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database and MEDIA_ROOT into a new generation directory (manifest with checksums, "
        "row counts and migrations), keep the newest N, then run ANBIAO_BACKUP_COPY_COMMAND if set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dest", help="backup directory (default: ANBIAO_BACKUP_DIR)")
        parser.add_argument("--keep", type=int, help="generations to keep (default: ANBIAO_BACKUP_KEEP, 14)")

    def handle(self, *args, **options):
        dest = Path(options["dest"] or settings.ANBIAO_BACKUP_DIR)
        keep = options["keep"] if options["keep"] is not None else settings.ANBIAO_BACKUP_KEEP
        try:
            result = backup.backup(
                dest=dest,
                keep=keep,
                copy_command=settings.ANBIAO_BACKUP_COPY_COMMAND,
                out=self.stderr.write,
            )
        except backup.BackupError as exc:
            raise CommandError(f"备份失败：{exc}") from exc
        except OSError as exc:
            raise CommandError(f"备份失败（{exc.__class__.__name__}）：{exc}") from exc
        m = result.manifest
        db, media = m["database"], m["media"]
        for path in result.stale:
            self.stderr.write(f"已清除上次中断的备份临时目录 {path.name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{result.path}\n"
                f"  数据库 {db['source']} → {db['file']} {backup._mb(db['size'])}（{db['integrity']}，"
                f"{db['seconds']:.1f} s）\n"
                f"  媒体 {media['file_count']} 个文件 {backup._mb(media['total_bytes'])} → {media['archive']}"
                f"（{media['seconds']:.1f} s）\n"
                f"  {sum(m['table_rows'].values())} 行，{len(m['table_rows'])} 张表；"
                f"用时 {m['duration_seconds']:.1f} s"
            )
        )
        if result.removed:
            self.stdout.write(f"  保留最近 {keep} 代，删除：{'、'.join(p.name for p in result.removed)}")
        if settings.ANBIAO_BACKUP_COPY_COMMAND:
            self.stdout.write("  异地复制完成。" + (f"\n{result.copy_output}" if result.copy_output else ""))
