"""The list pages and API lists under concurrent load through a real server process.

``run_load`` starts gunicorn (sync workers) on a free loopback port with ``ANBIAO_BENCH_VIEWS=1`` so the bare
baseline view is mounted, creates one database session per simulated client for the chosen user, runs
locust headless against each path in turn for a bounded time, then deletes the sessions and stops the
server it started (by its process id). Locust runs on the same machine and takes CPU from the server; the
bare view, measured the same way, carries that cost too.
"""

from __future__ import annotations

import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

from anbiao.perf.bench import BenchError, _session_extras

LOCUSTFILE = Path(__file__).parent / "loadtest" / "locustfile.py"
BARE = "/bench/bare/"


def targets(unit_id: int | None = None) -> list[tuple[str, str]]:
    """(name, path): the three list pages and their API lists, each with one filter and 25 rows a page."""
    return [
        ("企业名录", "/enterprises/?status=operating"),
        ("隐患清单", "/hazards/?state=rectifying"),
        ("风险点清单", "/risks/?level=general"),
        ("API 企业", "/api/v1/enterprises/?status=operating"),
        ("API 隐患", "/api/v1/hazards/?state=rectifying"),
        ("API 风险点", "/api/v1/risk-points/?level=general"),
    ]


@dataclass
class LoadResult:
    name: str
    path: str
    client: str  # "session", "token" or "anonymous"
    requests: int
    failures: int
    rps: float
    p50_ms: float
    p95_ms: float


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def open_sessions(user, n: int) -> list:
    """``n`` signed-in sessions of ``user`` written to the session store (deleted by ``close_sessions``)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    out = []
    for _ in range(n):
        s = store()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = backend
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s.update(_session_extras(user))
        s.create()
        out.append(s)
    return out


def close_sessions(sessions) -> None:
    for s in sessions:
        s.delete()


class Server:
    """gunicorn on 127.0.0.1 with ``workers`` sync workers, for the duration of a ``with`` block."""

    def __init__(self, workers: int, log: Path, env: dict | None = None):
        self.workers = workers
        self.extra_env = env or {}
        self.port = free_port()
        self.log = log
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        env = {
            **os.environ,
            "ANBIAO_BENCH_VIEWS": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **self.extra_env,
        }
        env.pop("ANBIAO_TESTING", None)
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ]
        self._logfile = open(self.log, "wb")
        self.proc = subprocess.Popen(
            cmd, cwd=settings.BASE_DIR, env=env, stdout=self._logfile, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn 启动失败（退出码 {self.proc.returncode}），日志：{self.log}")
            try:
                with urllib.request.urlopen(self.url + BARE, timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.__exit__(None, None, None)
        raise BenchError(f"gunicorn 60 秒内未就绪，日志：{self.log}")

    def __exit__(self, *exc):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._logfile.close()


def api_token(user) -> tuple[str, bool]:
    """The user's API token (created for the run when they have none: then ``True``, deleted after)."""
    from rest_framework.authtoken.models import Token

    token, created = Token.objects.get_or_create(user=user)
    return token.key, created


def run_locust(
    base_url: str, path: str, sessions: list[str], token: str, users: int, seconds: int, workdir: Path
) -> dict:
    prefix = workdir / f"locust-{len(list(workdir.glob('locust-*_stats.csv')))}"
    env = {
        **os.environ,
        "BENCH_PATH": path,
        "BENCH_COOKIE": settings.SESSION_COOKIE_NAME,
        "BENCH_SESSIONS": ",".join(sessions),
        "BENCH_TOKEN": token,
    }
    cmd = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--host",
        base_url,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "ERROR",
        "--stop-timeout",
        "10",
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, timeout=seconds + 120, check=False)
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise BenchError(f"locust 没有产生结果（退出码 {done.returncode}）：{done.stderr.decode()[-2000:]}")
    with open(stats, newline="") as f:
        rows = {r["Name"]: r for r in csv.DictReader(f)}
    return rows["Aggregated"]


def _number(value: str) -> float:
    return float(value) if value not in ("", "N/A") else 0.0


def run_load(
    user, *, workers: int, users: int, seconds: int, paths: list[tuple[str, str]]
) -> list[LoadResult]:
    """The bare view and each path, one after the other, on one server. Pages use one signed-in session
    per client (and are compared with the bare view requested the same way); API lists use the user's API
    token (compared with the bare view requested anonymously: neither keeps a session)."""
    from anbiao.accounts.mfa import required_for

    sessions = open_sessions(user, users)
    keys = [s.session_key for s in sessions]
    token, created = ("", False) if required_for(user) else api_token(user)
    out = []
    try:
        with tempfile.TemporaryDirectory(prefix="anbiao-bench-") as tmp:
            workdir = Path(tmp)
            with Server(workers, workdir / "gunicorn.log") as server:
                plan = [("空视图（会话）", BARE, "session"), ("空视图（匿名）", BARE, "anonymous")]
                for name, path in paths:
                    plan.append((name, path, "token" if path.startswith("/api/") and token else "session"))
                for name, path, client in plan:
                    cookies = keys if client == "session" else []
                    row = run_locust(
                        server.url, path, cookies, token if client == "token" else "", users, seconds, workdir
                    )
                    out.append(
                        LoadResult(
                            name,
                            path,
                            client,
                            int(row["Request Count"]),
                            int(row["Failure Count"]),
                            _number(row["Requests/s"]),
                            _number(row["50%"]),
                            _number(row["95%"]),
                        )
                    )
    finally:
        close_sessions(sessions)
        if created:
            from rest_framework.authtoken.models import Token

            Token.objects.filter(key=token).delete()
    return out
