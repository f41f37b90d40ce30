from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from anbiao.cityplatform.docs import render


class Command(BaseCommand):
    help = (
        "生成 docs/city-platform.md：泉州平台数据项导出的每一类、每个数据项和字段（列名、键、来源、含义）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "city-platform.md"))
        parser.add_argument(
            "--print", action="store_true", dest="print_only", help="只输出到标准输出，不写文件"
        )

    def handle(self, *args, output, print_only, **options):
        text = render()
        if print_only:
            self.stdout.write(text, ending="")
            return
        Path(output).write_text(text, encoding="utf-8")
        self.stdout.write(f"已写入 {output}")
