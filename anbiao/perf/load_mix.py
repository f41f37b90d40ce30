"""The working-day load mix (issue 11 part 6, security.md H1): gunicorn on loopback, locust with many
signed-in people doing what they do all day, then the verdict.

``run_mix`` picks the people (enterprise safety officers and unit administrators who hold an active
membership), writes one database session for each, generates the 2 MB photo, starts the server
(``bench_load.Server``), runs ``loadtest/mix.py`` headless for the given time, then deletes the sessions
and stops the server. The hazards registered during the run stay (their description starts with
``[负载测试]``): run it on a demo or synthetic database, never on production.

The verdict: no server error (5xx), no failed request of any kind and no "database is locked" in the
server's log (``MixResult.errors``); p95 under the page target for every page and under the upload/export
target for uploads, exports and the report computation (``MixResult.slow``).
"""

from __future__ import annotations

import csv
import io
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from anbiao.perf.bench import BenchError
from anbiao.perf.bench_load import Server, close_sessions, open_sessions

MIXFILE = Path(__file__).parent / "loadtest" / "mix.py"
PAGE_P95_MS = 500
HEAVY_P95_MS = 2000
PHOTO_BYTES = 2 * 1024 * 1024


@dataclass
class Row:
    name: str
    requests: int
    failures: int
    rps: float
    p50_ms: float
    p95_ms: float
    max_ms: float

    @property
    def heavy(self) -> bool:
        """Uploads, exports and the report computation are judged against the 2 s target."""
        return not self.name.startswith("页面")

    @property
    def target_ms(self) -> int:
        return HEAVY_P95_MS if self.heavy else PAGE_P95_MS


@dataclass
class Sample:
    """The server's resources at one moment: its processes' resident memory and open files, the bytes in
    its temporary directory, and the database connections open to this database (PostgreSQL)."""

    at: float
    rss_kib: int
    fds: int
    temp_bytes: int
    db_connections: int | None


def _server_pids(master: int) -> list[int]:
    """The gunicorn master and its workers (children read from /proc)."""
    pids = [master]
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("PPid:") and int(line.split()[1]) == master:
                pids.append(int(status.parent.name))
    return pids


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _fds(pid: int) -> int:
    try:
        return len(list(Path(f"/proc/{pid}/fd").iterdir()))
    except OSError:
        return 0


def _db_connections(dbname: str) -> int | None:
    if connection.vendor != "postgresql":
        return None
    import psycopg

    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        dbname=dbname,
    ) as conn:
        return conn.execute(
            "SELECT count(*) - 1 FROM pg_stat_activity WHERE datname = %s", [dbname]
        ).fetchone()[0]


def sample(master: int, tmp: Path) -> Sample:
    pids = _server_pids(master)
    return Sample(
        at=time.monotonic(),
        rss_kib=sum(_rss_kib(p) for p in pids),
        fds=sum(_fds(p) for p in pids),
        temp_bytes=sum(f.stat().st_size for f in tmp.rglob("*") if f.is_file()),
        db_connections=_db_connections(connection.settings_dict["NAME"]),
    )


class Sampler(threading.Thread):
    """Samples the server every ``every`` seconds while the load runs (H5 soak)."""

    def __init__(self, master: int, tmp: Path, every: float):
        super().__init__(daemon=True)
        self.master, self.tmp, self.every = master, tmp, every
        self.samples: list[Sample] = []
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.is_set():
            self.samples.append(sample(self.master, self.tmp))
            self._stop_event.wait(self.every)

    def stop(self) -> list[Sample]:
        self._stop_event.set()
        self.join(timeout=60)
        self.samples.append(sample(self.master, self.tmp))
        return self.samples


@dataclass
class Soak:
    """Growth between the first sample after warm-up (a sixth of the run) and the last one."""

    first: Sample
    last: Sample
    samples: int

    @property
    def rss_growth(self) -> float:
        return (self.last.rss_kib - self.first.rss_kib) / max(1, self.first.rss_kib)

    @property
    def problems(self) -> list[str]:
        out = []
        if self.rss_growth >= 0.10:
            out.append(f"内存增长 {self.rss_growth:.1%}（应 < 10%）")
        if self.last.fds > self.first.fds:
            out.append(f"打开的文件 {self.first.fds} → {self.last.fds}")
        if self.last.temp_bytes > self.first.temp_bytes:
            out.append(f"临时目录 {self.first.temp_bytes:,} → {self.last.temp_bytes:,} 字节")
        if (self.first.db_connections or 0) < (self.last.db_connections or 0):
            out.append(f"数据库连接 {self.first.db_connections} → {self.last.db_connections}")
        return out


def soak_of(samples: list[Sample], seconds: int) -> Soak | None:
    if len(samples) < 2:
        return None
    start = samples[0].at + seconds / 6
    warmed = [s for s in samples[:-1] if s.at >= start] or samples[:1]
    return Soak(first=warmed[0], last=samples[-1], samples=len(samples))


@dataclass
class MixResult:
    users: int
    seconds: int
    workers: int
    rows: list[Row]
    total: Row
    server_errors: int
    locked: int
    failures: dict[str, int] = field(default_factory=dict)
    soak: Soak | None = None

    @property
    def errors(self) -> list[str]:
        """What must never happen, however loaded the machine."""
        out = []
        if self.server_errors:
            out.append(f"服务器错误（5xx）{self.server_errors} 次")
        if self.locked:
            out.append(f"服务器日志出现 database is locked {self.locked} 次")
        for message, n in self.failures.items():
            out.append(f"请求失败 {n} 次：{message}")
        return out

    @property
    def slow(self) -> list[str]:
        """The kinds of request whose p95 missed its target."""
        return [
            f"{row.name} p95 {row.p95_ms:,.0f} ms 超过 {row.target_ms:,} ms"
            for row in self.rows
            if row.p95_ms > row.target_ms
        ]


def photo(path: Path, size: int = PHOTO_BYTES) -> Path:
    """A real JPEG of about ``size`` bytes (noise compresses badly, as phone photos of a site do)."""
    from PIL import Image

    rng = random.Random(7)
    side = 1200
    while True:
        image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=92)
        if buffer.tell() >= size * 0.95:
            break
        side = int(side * 1.15)
    path.write_bytes(buffer.getvalue())
    return path


def people(users: int):
    """(enterprise officers, unit administrators) holding an active membership, enough for ``users``
    simulated people (3 in 5 are officers); each is (user, enterprise or unit id)."""
    from anbiao.accounts.models import Membership
    from anbiao.core.roles import Role

    today = timezone.localdate()
    active = Membership.objects.active(today).filter(user__is_active=True).select_related("user")
    wanted = max(1, users)
    officers = [
        (m.user, m.enterprise_id)
        for m in active.filter(role=Role.ENT_SAFETY, enterprise__isnull=False).order_by("id")[:wanted]
    ]
    admins = [
        (m.user, m.organization_id)
        for m in active.filter(role__in=[Role.UNIT_ADMIN, Role.COUNTY_ADMIN], organization__isnull=False)
        .exclude(user__in=[u for u, _ in officers])
        .order_by("id")[:wanted]
    ]
    if not officers or not admins:
        raise BenchError("数据库中没有在岗的企业安全管理员或单位管理员：请先 anbiao_demo 或 anbiao_synth。")
    return officers, admins


def _read_stats(path: Path) -> tuple[list[Row], Row]:
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))

    def number(value: str) -> float:
        return float(value) if value not in ("", "N/A") else 0.0

    def row(r) -> Row:
        return Row(
            r["Name"],
            int(r["Request Count"]),
            int(r["Failure Count"]),
            number(r["Requests/s"]),
            number(r["50%"]),
            number(r["95%"]),
            number(r["Max Response Time"]),
        )

    named = [row(r) for r in rows if r["Name"] != "Aggregated"]
    total = next(row(r) for r in rows if r["Name"] == "Aggregated")
    return sorted(named, key=lambda r: (r.heavy, r.name)), total


def _read_failures(path: Path) -> tuple[dict[str, int], int]:
    """Failed requests by message, and how many were answered 5xx."""
    failures: dict[str, int] = {}
    server_errors = 0
    if path.exists():
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                n = int(r["Occurrences"])
                message = f"{r['Name']}：{r['Error']}"
                failures[message] = failures.get(message, 0) + n
                if "HTTP 5" in r["Error"]:
                    server_errors += n
    return failures, server_errors


def run_mix(
    *, users: int, seconds: int, workers: int, quarter: str, sample_every: float = 0, out=None
) -> MixResult:
    officers, admins = people(users)
    sessions = open_sessions_for(officers) + open_sessions_for(admins)
    try:
        with tempfile.TemporaryDirectory(prefix="anbiao-load-") as tmp:
            workdir = Path(tmp)
            log = workdir / "gunicorn.log"
            env = {
                "MIX_COOKIE": settings.SESSION_COOKIE_NAME,
                "MIX_ENTERPRISE": ",".join(f"{s.session_key}:{t}" for s, t in sessions[: len(officers)]),
                "MIX_UNIT": ",".join(f"{s.session_key}:{t}" for s, t in sessions[len(officers) :]),
                "MIX_QUARTER": quarter,
                "MIX_PHOTO": str(photo(workdir / "photo.jpg")),
                "MIX_TODAY": timezone.localdate().isoformat(),
            }
            server_tmp = workdir / "server-tmp"
            server_tmp.mkdir()
            sampler = None
            with Server(workers, log, env={"TMPDIR": str(server_tmp)}) as server:
                if out:
                    out(f"gunicorn {workers} 个进程 @ {server.url}；locust {users} 人，{seconds} 秒 …")
                if sample_every:
                    sampler = Sampler(server.proc.pid, server_tmp, sample_every)
                    sampler.start()
                try:
                    _locust(server.url, env, users, seconds, workdir)
                finally:
                    samples = sampler.stop() if sampler else []
            rows, total = _read_stats(workdir / "mix_stats.csv")
            failures, server_errors = _read_failures(workdir / "mix_failures.csv")
            server_log = log.read_text(errors="replace")
    finally:
        close_sessions([s for s, _ in sessions])
    return MixResult(
        users=users,
        seconds=seconds,
        workers=workers,
        rows=rows,
        total=total,
        server_errors=server_errors,
        locked=server_log.count("database is locked"),
        failures=failures,
        soak=soak_of(samples, seconds),
    )


def open_sessions_for(pairs) -> list:
    """One signed-in session per (user, target) pair: [(session, target)]."""
    return [(open_sessions(user, 1)[0], target) for user, target in pairs]


def _locust(base_url: str, env: dict, users: int, seconds: int, workdir: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(MIXFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 5)),
        "--run-time",
        f"{seconds}s",
        "--host",
        base_url,
        "--csv",
        str(workdir / "mix"),
        "--only-summary",
        "--loglevel",
        "ERROR",
        "--stop-timeout",
        "30",
    ]
    done = subprocess.run(
        cmd, env={**os.environ, **env}, capture_output=True, timeout=seconds + 180, check=False
    )
    if not (workdir / "mix_stats.csv").exists():
        raise BenchError(f"locust 没有产生结果（退出码 {done.returncode}）：{done.stderr.decode()[-2000:]}")
