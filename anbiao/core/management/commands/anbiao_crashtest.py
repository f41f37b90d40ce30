"""Kill a real server with SIGKILL at random moments during imports and uploads, and check nothing is lost
(security.md G3). The long form: ``manage.py anbiao_crashtest --runs 50``."""

from django.core.management.base import BaseCommand, CommandError

from anbiao.core import crashtest


class Command(BaseCommand):
    help = "Crash test: SIGKILL the server during imports and uploads, then check integrity (SQLite file DB)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=50)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        outcome = crashtest.run(options["runs"], seed=options["seed"], log=self.stdout.write)
        self.stdout.write(
            f"{outcome.consistent}/{outcome.runs} 次一致；导入完整 {outcome.imports_complete} 次、"
            f"完全未写入 {outcome.imports_absent} 次，部分写入 0 次；证据文件 {outcome.files} 个，均有文件。"
            if not outcome.problems
            else "发现问题：\n" + "\n".join(outcome.problems)
        )
        if outcome.problems:
            raise CommandError(f"{len(outcome.problems)} 次崩溃后数据不一致。")
