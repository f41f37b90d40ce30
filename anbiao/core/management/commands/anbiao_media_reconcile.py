"""Evidence rows against the files in MEDIA_ROOT: missing or altered files (exit 1), orphans (reported)."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from anbiao.core import backup


class Command(BaseCommand):
    help = (
        "List evidence rows whose file is missing or differs from its recorded size/sha256 (exit 1), and "
        "files without a row (orphans; --quarantine moves them to MEDIA_ROOT/quarantine/, never deletes)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quarantine", action="store_true", help="move orphans to MEDIA_ROOT/quarantine/"
        )
        parser.add_argument(
            "--grace-seconds",
            type=int,
            default=3600,
            help="orphans younger than this are only reported (an upload may be committing); default 3600",
        )
        parser.add_argument("--no-hash", action="store_true", help="compare sizes only (faster)")
        parser.add_argument("--limit", type=int, default=50, help="names listed per finding (default 50)")

    def handle(self, *args, **options):
        root = Path(default_storage.location)
        r = backup.reconcile(
            root=root,
            quarantine=options["quarantine"],
            grace_seconds=options["grace_seconds"],
            hash_files=not options["no_hash"],
        )
        limit = options["limit"]
        self.stdout.write(
            f"{root}：证据记录 {r.rows} 条，文件 {r.files} 个；"
            f"缺失 {len(r.missing)}，不符 {len(r.mismatched)}，"
            f"孤儿文件 {len(r.orphans)}，中断的写入 {len(r.interrupted)}，隔离 {len(r.quarantined)}"
        )

        def listing(title, items):
            for item in items[:limit]:
                self.stdout.write(f"  {title}：{item}")
            if len(items) > limit:
                self.stdout.write(f"  {title}：……另有 {len(items) - limit} 个")

        listing("缺失（数据丢失）", [f"{name}（记录 {pk}）" for pk, name in r.missing])
        listing("不符", [f"{name}（记录 {pk}）：{what}" for pk, name, what in r.mismatched])
        listing("孤儿", r.orphans)
        listing("中断的写入", r.interrupted)
        listing("已隔离", [f"{src} → {dst}" for src, dst in r.quarantined])
        if r.too_recent:
            listing(f"未满 {options['grace_seconds']} 秒、暂不处理", r.too_recent)
        if r.data_loss:
            raise CommandError(
                f"{len(r.missing)} 条证据记录的文件缺失、{len(r.mismatched)} 条与登记不符："
                "请从备份恢复这些文件。"
            )
        self.stdout.write(self.style.SUCCESS("每条证据记录都有完好的文件。"))
