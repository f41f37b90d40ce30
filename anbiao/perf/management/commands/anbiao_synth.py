"""Build a synthetic, internally consistent data set at county, city or province size (issue 10, part 1).

    manage.py anbiao_synth --scale county
    manage.py anbiao_synth --scale city
    manage.py anbiao_synth --units 150 --enterprises 50000 --years 5 --seed 1

Rows are what the services would have written had people entered the records on the days they happened
(dated histories without gaps or overlaps, hazards whose state is the one their timeline gives, …), written
in bulk. Audit events are not written for synthetic rows. Refuses a database that already has enterprises
(unless ``--append``) and always refuses production settings.
"""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from anbiao.orgs.models import Enterprise
from anbiao.perf.synth.build import build, database_size
from anbiao.perf.synth.context import SCALES, Counts

DEMO_PASSWORD = "Anbiao@2025"
SQLITE_LIMIT = 100_000  # enterprises; the province set is for PostgreSQL only


class Command(BaseCommand):
    help = "Build synthetic data at county / city / province scale (bulk writes, progress printed)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), help="preset sizes (default: county)")
        parser.add_argument("--cities", type=int, help="city-level units under the root (province scale)")
        parser.add_argument(
            "--counties", type=int, help="county-level units (0: the units hang off the root)"
        )
        parser.add_argument(
            "--units", type=int, help="units that supervise enterprises (基层社, companies …)"
        )
        parser.add_argument("--enterprises", type=int)
        parser.add_argument("--years", type=int, help="years of history up to today (default 5)")
        parser.add_argument("--hazards", type=int, help="default: 50 per enterprise over five years")
        parser.add_argument("--risk-points", type=int, dest="risk_points", help="default: 10 per enterprise")
        parser.add_argument("--inspections", type=int, help="default: 4 per enterprise over five years")
        parser.add_argument(
            "--self-assessments",
            type=int,
            dest="self_assessments",
            help="default: 1 per enterprise over 5 years",
        )
        parser.add_argument("--seed", type=int, default=1, help="the same seed builds the same data")
        parser.add_argument("--today", help="YYYY-MM-DD: build the history up to this day (default: today)")
        parser.add_argument("--password", default=DEMO_PASSWORD, help="password of every synthetic login")
        parser.add_argument(
            "--append",
            action="store_true",
            help="add a new synthetic tree to a database that has enterprises",
        )

    def handle(self, *args, **opts):
        if settings.PRODUCTION:
            raise CommandError("生产环境不生成合成数据（ANBIAO_ENV=production）。")
        counts = self.counts(opts)
        if counts.enterprises < 1 or counts.units < 1:
            raise CommandError("至少需要 1 个单位和 1 家企业。")
        if connection.vendor == "sqlite" and (
            opts["scale"] == "province" or counts.enterprises > SQLITE_LIMIT
        ):
            raise CommandError(
                f"省级规模（或超过 {SQLITE_LIMIT:,} 家企业）只在 PostgreSQL 上生成：SQLite 单文件单写入者，"
                "这个规模既慢又无代表性。请设置 DATABASE_URL=postgres://… 后重试。"
            )
        if Enterprise.objects.exists() and not opts["append"]:
            raise CommandError(
                "数据库中已有企业数据，拒绝生成合成数据（以免与真实或演示数据混在一起）。"
                "确需追加一套合成数据时请加 --append；或换一个空数据库。"
            )
        today = timezone.localdate()
        if opts["today"]:
            try:
                today = datetime.date.fromisoformat(opts["today"])
            except ValueError as exc:
                raise CommandError("--today 须为 YYYY-MM-DD。") from exc
            if today > timezone.localdate():
                raise CommandError("--today 不能晚于今天（服务不接受未来日期）。")
        out = self.stdout.write
        out(
            f"anbiao_synth on {connection.vendor} ({connection.settings_dict['NAME']}): seed {opts['seed']}, "
            f"history {counts.years} years to {today}"
        )
        out(
            f"  target: {counts.cities} cities, {counts.counties} counties, {counts.units:,} units, "
            f"{counts.enterprises:,} enterprises, {counts.hazards:,} hazards, "
            f"{counts.risk_points:,} risk points, {counts.inspections:,} inspections, "
            f"{counts.self_assessments:,} self-assessments"
        )
        ctx = build(counts=counts, seed=opts["seed"], today=today, password=opts["password"], out=out)
        w = ctx.writer
        size = database_size()
        out("")
        rate = w.total / max(ctx.elapsed, 1e-6)
        out(
            self.style.SUCCESS(
                f"Done: {w.total:,} rows in {ctx.elapsed:.1f}s ({rate:,.0f} rows/s; this process used "
                f"{ctx.cpu:.1f}s CPU, writing took {w.write_seconds:.1f}s)"
                + (f", database {size / 1024 / 1024:,.1f} MiB" if size else "")
            )
        )
        out(f"Logins (password {opts['password']}):")
        for username, where in ctx.logins:
            out(f"  {username:<16} {where}")
        first, last = ctx.unit_login_range
        out(f"  … one unit admin per unit: {first} … {last}")

    @staticmethod
    def counts(opts) -> Counts:
        base = replace(SCALES[opts["scale"] or "county"])
        for name in ("cities", "counties", "units", "enterprises", "years"):
            if opts[name] is not None:
                setattr(base, name, opts[name])
        if opts["scale"] is None and opts["enterprises"] is not None:
            # explicit counts without a scale: the tree follows the enterprises (≈ 333 per unit)
            if opts["units"] is None:
                base.units = max(1, round(base.enterprises / 333))
            if opts["counties"] is None:
                base.counties = 0 if base.units <= 15 else max(1, round(base.units / 12.5))
        if base.cities and not base.counties:
            base.counties = base.cities
        for name in ("hazards", "risk_points", "inspections", "self_assessments"):
            setattr(base, name, opts[name])
        return base.derive()
