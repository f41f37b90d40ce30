"""Print the database's durability settings against the expected values (security.md G1); exit 1 if one
is off. Run after installing or moving the database, and after PostgreSQL configuration changes."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from anbiao.core import durability


class Command(BaseCommand):
    help = (
        "Read PRAGMA journal_mode/synchronous/foreign_keys/busy_timeout (SQLite) or SHOW fsync/"
        "synchronous_commit/full_page_writes (PostgreSQL) and judge each against the expected value."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        verdicts = durability.check(connection)
        if not verdicts:
            raise CommandError(f"不支持的数据库类型：{connection.vendor}（只检查 SQLite 和 PostgreSQL）。")
        self.stdout.write(f"数据库 {options['database']}（{connection.vendor}）持久性设置：")
        for v in verdicts:
            mark = "正常" if v.ok else "不符合"
            self.stdout.write(f"  {v.name} = {v.value}，应为 {v.expected}：{mark}")
        bad = [v for v in verdicts if not v.ok]
        if durability.in_memory(connection):
            self.stdout.write("  注意：这是内存数据库（测试用），断电即丢失，不适合存放正式数据。")
        if bad:
            raise CommandError(f"有 {len(bad)} 项持久性设置不符合要求：{'、'.join(v.name for v in bad)}。")
        self.stdout.write("全部符合要求。")
