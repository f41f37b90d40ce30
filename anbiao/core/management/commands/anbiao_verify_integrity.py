"""Recompute every integrity seal (ANBIAO_INTEGRITY_KEY): exit 1 when a sealed row was changed."""

from django.core.management.base import BaseCommand, CommandError

from anbiao.core import integrity


class Command(BaseCommand):
    help = "Check the HMAC seals of audit rows and submitted report versions; exit 1 on any mismatch."

    def add_arguments(self, parser):
        parser.add_argument("--model", choices=sorted(integrity.SEALED), help="check only this model")
        parser.add_argument("--limit", type=int, default=20, help="ids listed per finding (default 20)")

    def handle(self, *args, **options):
        if not integrity.enabled():
            raise CommandError("未设置 ANBIAO_INTEGRITY_KEY，无法校验。")
        reports = [integrity.verify_model(options["model"])] if options["model"] else integrity.verify_all()
        limit = options["limit"]
        failed = False
        for r in reports:
            self.stdout.write(
                f"{r.model}: 检查 {r.checked} 行，通过 {r.ok}，篡改 {len(r.tampered)}，"
                f"缺少校验值 {len(r.missing)}，其他密钥 {len(r.other_key)}，"
                f"记录已删除 {len(r.orphan_seals)}，启用前写入 {r.unsealed_before}"
            )
            for title, ids in (
                ("篡改", r.tampered),
                ("缺少校验值", r.missing),
                ("其他密钥", r.other_key),
                ("记录已删除", r.orphan_seals),
            ):
                if ids:
                    shown = "、".join(ids[:limit]) + ("…" if len(ids) > limit else "")
                    self.stderr.write(f"  {title}：{r.model} 编号 {shown}")
            failed = failed or r.failed
        if failed:
            raise CommandError("完整性校验未通过。")
        self.stdout.write(self.style.SUCCESS(f"完整性校验通过（密钥标识 {integrity.key_id()}）。"))
