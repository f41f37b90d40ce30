"""What ``manage.py anbiao_bench`` measures in process: the quarterly report and the roll-up against the SQL
floor, the enterprise import against openpyxl's read, and the queries each page and report sends.

Every timing is the median of ``runs`` repetitions after one warm-up; the two sides of a ratio are run
alternately in the same process, so they share the machine's state.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Q

from anbiao.core.scope import Scope, system_scope
from anbiao.orgs.models import Enterprise, EnterpriseState, Organization
from anbiao.perf import floor
from anbiao.reports import figures, selectors
from anbiao.reports.context import Quarter, ReportContext


class BenchError(Exception):
    """The benchmark cannot go on (the floor disagrees with the report, no data, …)."""


@dataclass
class Figure:
    """One line of the result: the thing measured against its baseline."""

    name: str
    seconds: float  # median
    base_name: str
    base_seconds: float  # median
    queries: int | None = None
    base_queries: int | None = None
    note: str = ""
    samples: list[float] = field(default_factory=list)
    base_samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.seconds / self.base_seconds if self.base_seconds else float("inf")


# --- helpers ------------------------------------------------------------------------------------------------
class QueryCounter:
    """Counts the statements sent on the default connection (cheaper than keeping them all)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


@contextlib.contextmanager
def counting():
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        yield counter


def alternate(a: Callable, b: Callable, runs: int) -> tuple[list[float], list[float]]:
    """Time ``a`` and ``b`` one after the other ``runs`` times (the order flips every run)."""
    ta, tb = [], []
    for i in range(runs):
        pair = ((a, ta), (b, tb)) if i % 2 == 0 else ((b, tb), (a, ta))
        for fn, out in pair:
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return ta, tb


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else 0.0


def root_of(unit: Organization) -> Organization:
    return Organization.objects.get(path=unit.path[:7])


def top_unit() -> Organization:
    """The root unit with the most enterprises below it (the tree a synthetic or demo set builds)."""
    roots = list(Organization.objects.filter(parent__isnull=True).order_by("path"))
    if not roots:
        raise BenchError("数据库中没有单位：先运行 anbiao_demo 或 anbiao_synth。")
    return max(roots, key=lambda r: (Enterprise.objects.filter(unit__path__startswith=r.path).count(), -r.pk))


def busiest_unit(top: Organization) -> Organization:
    """The unit with the most enterprises placed directly under it (a typical 基层社 reporting)."""
    row = (
        Enterprise.objects.filter(unit__path__startswith=top.path, unit__is_active=True)
        .values("unit")
        .annotate(n=Count("id"))
        .order_by("-n", "unit")
        .first()
    )
    if row is None:
        raise BenchError("没有企业：先运行 anbiao_demo 或 anbiao_synth。")
    return Organization.objects.get(pk=row["unit"])


def _differences(app: dict, ref: dict) -> list[str]:
    out = []
    for key in app:
        if key not in ref or app[key] != ref[key]:
            out.append(f"{key}: 报表 {app[key]} ≠ 基准SQL {ref.get(key, '缺失')}")
    out += [f"{key}: 报表缺少该栏目" for key in ref if key not in app]
    return out


# --- the report and the roll-up -----------------------------------------------------------------------------
def report_values(scope: Scope, unit: Organization, quarter: Quarter) -> dict:
    return figures.report_values(ReportContext(scope=scope, unit=unit, as_of=quarter.end))


def rollup_blocks(scope: Scope, unit: Organization, quarter: Quarter) -> list[tuple[str, dict]]:
    return selectors.blocks(selectors.parts(scope=scope, unit=unit, quarter=quarter))


def check_report(scope, unit, quarter) -> tuple[int, int]:
    """The floor must give the report's number in every cell; returns both query counts."""
    with counting() as c:
        app = report_values(scope, unit, quarter)
    ref, floor_queries = floor.unit_report(unit, quarter.end, quarter.code)
    diff = _differences(app, ref)
    if diff:
        raise BenchError(
            f"基准SQL与报表不一致（{unit.code} {unit.name}，{quarter.code}），共 {len(diff)} 栏：\n  "
            + "\n  ".join(diff)
            + "\n请先修正 anbiao/perf/floor.py 或报表计算，再比较耗时。"
        )
    return c.n, floor_queries


def check_rollup(scope, unit, quarter) -> tuple[int, int]:
    with counting() as c:
        app = rollup_blocks(scope, unit, quarter)
    ref, floor_queries = floor.rollup(unit, quarter.end, quarter.code)
    problems = []
    if [label for label, _ in app] != [label for label, _ in ref]:
        problems.append(f"分块不同：报表 {[lb for lb, _ in app]}，基准SQL {[lb for lb, _ in ref]}")
    else:
        for (label, a), (_label, b) in zip(app, ref, strict=True):
            problems += [f"[{label}] {d}" for d in _differences(a, b)]
    if problems:
        raise BenchError(
            f"基准SQL与汇总表不一致（{unit.code} {unit.name}，{quarter.code}），共 {len(problems)} 处：\n  "
            + "\n  ".join(problems)
        )
    return c.n, floor_queries


def bench_report(unit: Organization, quarter: Quarter, runs: int) -> Figure:
    scope = system_scope(root_of(unit).path)
    queries, floor_queries = check_report(scope, unit, quarter)
    app, ref = alternate(
        lambda: report_values(scope, unit, quarter),
        lambda: floor.unit_report(unit, quarter.end, quarter.code),
        runs,
    )
    enterprises = EnterpriseState.objects.filter(
        unit__path__startswith=unit.path, valid_from__lte=quarter.end
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=quarter.end))
    return Figure(
        f"单位季报表（{unit.code}，{enterprises.count():,} 家企业）",
        median(app),
        "基准SQL",
        median(ref),
        queries,
        floor_queries,
        samples=app,
        base_samples=ref,
    )


def bench_rollup(unit: Organization, quarter: Quarter, runs: int) -> Figure:
    scope = system_scope(root_of(unit).path)
    queries, floor_queries = check_rollup(scope, unit, quarter)
    app, ref = alternate(
        lambda: rollup_blocks(scope, unit, quarter),
        lambda: floor.rollup(unit, quarter.end, quarter.code),
        runs,
    )
    children = selectors.reporting_children(unit).count()
    return Figure(
        f"汇总表（{unit.code}，{children} 个下级单位 + 本级）",
        median(app),
        "基准SQL",
        median(ref),
        queries,
        floor_queries,
        samples=app,
        base_samples=ref,
    )


# --- the enterprise import ----------------------------------------------------------------------------------
def _uscc(rng: random.Random) -> str:
    from anbiao.orgs.uscc import CHARSET, check_char

    body = "91350521" + "".join(rng.choice(CHARSET) for _ in range(9))
    return body + check_char(body)


def import_workbook(scope: Scope, top: Organization, rows: int, seed: int = 10) -> bytes:
    """An import file of ``rows`` new enterprises, built on the downloadable template (same columns)."""
    from anbiao.orgs import xlsx_io
    from anbiao.orgs.models import Industry, Township

    rng = random.Random(seed)
    units = [
        u.code
        for u in Organization.objects.filter(path__startswith=top.path, is_active=True).order_by("path")
        if u.enterprises.exists()
    ] or [top.code]
    industries = list(Industry.objects.filter(is_active=True).values_list("name", flat=True))
    townships = list(Township.objects.filter(is_active=True).values_list("name", flat=True))
    if not industries:
        raise BenchError("没有行业基础数据，无法生成导入文件。")
    codes: set[str] = set()
    while len(codes) < rows:
        codes.add(_uscc(rng))
    taken = set(Enterprise.objects.filter(uscc__in=list(codes)).values_list("uscc", flat=True))
    codes -= taken
    while len(codes) < rows:
        code = _uscc(rng)
        if not Enterprise.objects.filter(uscc=code).exists():
            codes.add(code)
    sizes = ["规上企业", "中等企业", "小微企业", "小微企业"]
    wb = xlsx_io.build_template(scope=scope)
    ws = wb[xlsx_io.SHEET]
    by_field = {c.field: i for i, c in enumerate(xlsx_io.COLUMNS)}
    start = datetime.date(2020, 1, 1)
    for n, code in enumerate(sorted(codes)):
        row: list = [None] * len(xlsx_io.COLUMNS)
        values = {
            "uscc": code,
            "name": f"压测导入企业{n + 1:05d}",
            "unit": units[n % len(units)],
            "size_class": sizes[n % len(sizes)],
            "industry": industries[n % len(industries)],
            "township": townships[n % len(townships)] if townships else None,
            "address": f"测试路{n % 500 + 1}号",
            "legal_representative": "张三",
            "principal_name": "李四",
            "principal_phone": f"1390595{n % 10000:04d}",
            "safety_officer_name": "王五",
            "safety_officer_phone": f"1380595{n % 10000:04d}",
            "employee_count": rng.randint(3, 300),
            "tag_new": "否",
            "tag_trade": "是" if n % 2 else "否",
            "tag_micro": "否",
            "is_rental_outlet": "否",
            "handles_dangerous_goods": "是" if n % 17 == 0 else "否",
            "status": "在营",
            "registered_on": (start + datetime.timedelta(days=n % 1500)).isoformat(),
        }
        for name, value in values.items():
            row[by_field[name]] = value
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def openpyxl_read(raw: bytes) -> int:
    """What reading the file costs with openpyxl alone (the importer's mode: read-only, every row)."""
    import openpyxl

    from anbiao.orgs import xlsx_io

    wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    try:
        ws = wb[xlsx_io.SHEET]
        ws.reset_dimensions()
        return sum(1 for _row in ws.iter_rows(values_only=True))
    finally:
        wb.close()


def import_once(scope: Scope, raw: bytes) -> int:
    """Import the file and roll everything back: the database is left as it was."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anbiao.orgs import xlsx_io

    with transaction.atomic():
        result = xlsx_io.import_enterprises(
            actor=None, scope=scope, upload=SimpleUploadedFile("bench.xlsx", raw)
        )
        transaction.set_rollback(True)
    if not result.ok:
        raise BenchError("导入失败：" + "；".join(result.errors[:5]))
    return result.created


def bench_import(top: Organization, rows: int, runs: int) -> Figure:
    scope = system_scope(top.path)
    raw = import_workbook(scope, top, rows)
    with counting() as c:
        created = import_once(scope, raw)  # warm-up, and the query count
    if created != rows:
        raise BenchError(f"导入了 {created} 行，应为 {rows} 行。")
    openpyxl_read(raw)
    app, ref = alternate(lambda: import_once(scope, raw), lambda: openpyxl_read(raw), runs)
    return Figure(
        f"企业名录导入（{rows:,} 行，{len(raw) / 1024 / 1024:.1f} MiB）",
        median(app),
        "openpyxl 读取同一文件",
        median(ref),
        c.n,
        0,
        samples=app,
        base_samples=ref,
    )


# --- queries per page ---------------------------------------------------------------------------------------
def page_queries(user, urls: list[tuple[str, str]]) -> list[tuple[str, str, int, int]]:
    """(name, url, status, queries) of one signed-in request to each url; nothing it writes is kept."""
    from django.conf import settings
    from django.test import Client

    host = next(
        (h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")), "localhost"
    )
    out = []
    with transaction.atomic():
        client = Client(SERVER_NAME=host)
        client.force_login(user)
        session = client.session
        session.update(_session_extras(user))
        session.save()
        for name, url in urls:
            client.get(url)  # warm: first-request caches (menu, content types) are not the page's cost
            with counting() as c:
                response = client.get(url)
            out.append((name, url, response.status_code, c.n))
        transaction.set_rollback(True)
    return out


def _session_extras(user) -> dict:
    """What the login view adds for an administrator who passed the second factor (when it is required)."""
    try:
        from anbiao.accounts import mfa
    except ImportError:  # pragma: no cover - older trees
        return {}
    key = getattr(mfa, "VERIFIED_KEY", None)
    return {key: user.pk} if key else {}
