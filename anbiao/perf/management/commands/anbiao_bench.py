"""Benchmark the current database (issue 10, part 2): the quarterly report and the roll-up against a
hand-written SQL floor, the list pages and API lists under concurrent load against a bare view, the
enterprise import against openpyxl's read, and the queries each sends.

    manage.py anbiao_bench                      # everything, 5 runs, load 16 clients × 20 s per page
    manage.py anbiao_bench --skip-load --runs 3
    manage.py anbiao_bench --unit HA-LC --quarter 2025Q3 --concurrency 16 --duration 20

Before any timing, the floor's number must equal the report's in every cell (else it stops and lists the
cells). Nothing is left in the database: the import runs in a transaction that is rolled back, the load
test's sessions are deleted.
"""

from __future__ import annotations

import os
import platform
import sqlite3

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from anbiao.orgs.models import Enterprise, Organization
from anbiao.perf import bench
from anbiao.reports.context import Quarter


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.2f} s"


class Command(BaseCommand):
    help = "基准测试：季报表与汇总表对比手写SQL基准，列表页并发压测对比空视图，企业导入对比 openpyxl 读取。"

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5, help="repetitions per figure (median), default 5")
        parser.add_argument(
            "--unit",
            help="code of the unit whose report is timed (default: the unit with the "
            "most enterprises directly under it)",
        )
        parser.add_argument("--top", help="code of the unit whose roll-up is timed (default: the root unit)")
        parser.add_argument("--quarter", help="e.g. 2025Q3 (default: the last finished quarter)")
        parser.add_argument("--concurrency", type=int, default=16, help="simulated clients, default 16")
        parser.add_argument("--duration", type=int, default=20, help="seconds of load per page, default 20")
        parser.add_argument(
            "--workers",
            type=int,
            default=max(2, min(4, 2 * (os.cpu_count() or 1))),
            help="gunicorn sync workers (2–4; default 2 × CPUs)",
        )
        parser.add_argument(
            "--user", help="username whose pages are loaded (default: an administrator of the root unit)"
        )
        parser.add_argument(
            "--import-rows",
            type=int,
            default=10_000,
            dest="import_rows",
            help="rows in the generated import file, default 10000 (0 skips the import)",
        )
        parser.add_argument(
            "--skip-load",
            action="store_true",
            dest="skip_load",
            help="no server and no load test (report, roll-up, import, query counts only)",
        )
        parser.add_argument("--skip-import", action="store_true", dest="skip_import")
        parser.add_argument(
            "--analyze",
            action="store_true",
            help="first refresh planner statistics (PostgreSQL: VACUUM ANALYZE, which also lets counts use "
            "index-only scans; SQLite: ANALYZE), as one would after a bulk load such as anbiao_synth",
        )

    def handle(self, *args, **opts):
        if opts["runs"] < 1:
            raise CommandError("--runs 至少为 1。")
        if not 1 <= opts["workers"] <= 16:
            raise CommandError("--workers 应在 1–16 之间。")
        quarter = (
            Quarter.parse(opts["quarter"]) if opts["quarter"] else Quarter.last_finished(timezone.localdate())
        )
        if quarter is None:
            raise CommandError("--quarter 格式应为 2025Q3。")
        try:
            self.run(opts, quarter)
        except bench.BenchError as exc:
            raise CommandError(str(exc)) from exc

    # --- the run --------------------------------------------------------------------------------------------
    def run(self, opts, quarter: Quarter):
        out = self.stdout.write
        top = self._unit(opts["top"]) if opts["top"] else bench.top_unit()
        unit = self._unit(opts["unit"]) if opts["unit"] else bench.busiest_unit(top)
        runs = opts["runs"]
        if opts["analyze"]:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        self._header(top, quarter, runs)

        out(self.style.MIGRATE_HEADING("季报表与汇总表（先核对基准SQL与报表每一栏相等）"))
        figures = [bench.bench_report(unit, quarter, runs), bench.bench_rollup(top, quarter, runs)]
        for f in figures:
            self._figure(f)

        if opts["import_rows"] and not opts["skip_import"]:
            out(self.style.MIGRATE_HEADING("企业名录导入（事务回滚，数据库不变）"))
            f = bench.bench_import(top, opts["import_rows"], runs)
            figures.append(f)
            self._figure(f)

        user = self._user(opts["user"], top)
        from anbiao.perf.bench_load import targets

        paths = targets()
        out(self.style.MIGRATE_HEADING(f"每页查询数（用户 {user.get_username()}，一次请求）"))
        for name, url, status, n in bench.page_queries(user, paths):
            flag = "" if status == 200 else self.style.ERROR(f"  HTTP {status}")
            out(f"  {name:<10} {n:>4} 条查询  {url}{flag}")

        if opts["skip_load"]:
            out("（--skip-load：未做并发压测）")
            return
        from anbiao.perf.bench_load import run_load

        out(
            self.style.MIGRATE_HEADING(
                f"并发压测：gunicorn {opts['workers']} 个进程，locust {opts['concurrency']} 个客户端，"
                f"每页 {opts['duration']} 秒"
            )
        )
        results = run_load(
            user, workers=opts["workers"], users=opts["concurrency"], seconds=opts["duration"], paths=paths
        )
        bare = {"session": results[0].rps, "anonymous": results[1].rps, "token": results[1].rps}
        out(f"  {'':<14} {'请求/秒':>8} {'对空视图':>8} {'p50':>8} {'p95':>8} {'失败':>6}")
        for r in results:
            share = f"{r.rps / bare[r.client]:.0%}" if bare[r.client] else "-"
            line = (
                f"  {r.name:<14} {r.rps:>8.1f} {share:>8} {r.p50_ms:>6.0f}ms {r.p95_ms:>6.0f}ms"
                f" {r.failures:>6}"
            )
            out(self.style.ERROR(line) if r.failures else line)
        out("  （页面用会话，与会话空视图比；API 用令牌，与匿名空视图比：两者都不保存会话）")

    # --- printing -------------------------------------------------------------------------------------------
    def _header(self, top, quarter, runs):
        db = connection.settings_dict
        if connection.vendor == "sqlite":
            engine = f"SQLite {sqlite3.sqlite_version} ({db['NAME']})"
        else:
            with connection.cursor() as cur:
                cur.execute("SHOW server_version")
                engine = f"PostgreSQL {cur.fetchone()[0]} ({db['NAME']})"
                cur.execute("SHOW jit")
                if cur.fetchone()[0] == "on":
                    engine += "，jit=on（本工作负载建议 jit=off，见 docs/performance.md）"
        enterprises = Enterprise.objects.count()
        units = Organization.objects.count()
        self.stdout.write(
            f"anbiao_bench · {engine} · Python {platform.python_version()} · {os.cpu_count()} CPU\n"
            f"数据：{units:,} 个单位，{enterprises:,} 家企业；季度 {quarter.code}；每项 {runs} 次取中位数"
        )

    def _figure(self, f: bench.Figure):
        queries = f"  查询 {f.queries} 条 / 基准 {f.base_queries} 条" if f.queries is not None else ""
        self.stdout.write(
            f"  {f.name}\n    {_ms(f.seconds)}  vs {f.base_name} {_ms(f.base_seconds)}  = "
            f"{f.ratio:.2f}×{queries}"
        )

    def _unit(self, code):
        unit = Organization.objects.filter(code__iexact=code).first()
        if unit is None:
            raise CommandError(f"单位编码「{code}」不存在。")
        return unit

    def _user(self, username, top):
        from anbiao.accounts.models import Membership, User
        from anbiao.core.roles import Role

        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"用户「{username}」不存在或已停用。")
            return user
        m = (
            Membership.objects.active()
            .filter(organization=top, role__in=[Role.COUNTY_ADMIN, Role.LEADER], user__is_active=True)
            .filter(user__must_change_password=False)
            .select_related("user")
            .order_by("role", "user__username")
            .first()
        )
        if m is None:
            raise CommandError(f"找不到 {top.name} 的在任管理员：请用 --user 指定压测用户。")
        return m.user
