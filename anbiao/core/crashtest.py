"""Crash test (security.md G3, issue 11 part 4): a real server process (gunicorn) on a file database is
killed with SIGKILL at a random moment while it imports an enterprise workbook and stores uploaded photos;
after each kill the database must pass its integrity check, each import must be wholly present or wholly
absent, and no row may point at a missing file. ``manage.py anbiao_crashtest --runs 50`` is the long form;
the suite runs a few kills.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Crash-Test-2025!"
ROWS = 150  # enterprises per import workbook

SETUP = """
from anbiao.accounts.models import Membership, User
from anbiao.core.roles import Role
from anbiao.core.scope import Scope, system_scope
from anbiao.orgs import services, xlsx_io
from anbiao.orgs.choices import OrgKind
from anbiao.orgs.models import Industry
import datetime, json, sys
county = services.organization_create(actor=None, scope=Scope(user=None), parent=None, kind=OrgKind.COUNTY,
                                      name="崩溃测试县社", code="CR")
user = User.objects.create_user(username="crash", password=sys.argv[-1], full_name="崩溃测试")
user.must_change_password = False
user.save()
Membership.objects.create(user=user, role=Role.COUNTY_ADMIN, organization=county,
                          valid_from=datetime.date(2024, 1, 1))
from anbiao.orgs.tests.factories import enterprise_data
ent = services.enterprise_create(actor=None, scope=system_scope(county.path),
                                 data=enterprise_data(unit=county, name="照片企业"))
industry = Industry.objects.filter(is_active=True).values_list("name", flat=True).first()
print(json.dumps({"unit": xlsx_io.unit_label(county), "enterprise": ent.pk, "industry": industry}))
"""


def _uscc(n: int) -> str:
    from anbiao.orgs.uscc import check_char

    body = f"91350521{n:09d}"[:17]
    return body + check_char(body)


def workbook(batch: int, unit_label: str, industry: str) -> bytes:
    """An import of ROWS new enterprises, all named after the batch (so a partial import is visible)."""
    import openpyxl

    from anbiao.orgs.xlsx_io import HEADERS, SHEET

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    for i in range(ROWS):
        row = dict.fromkeys(HEADERS, "")
        row.update(
            {
                "统一社会信用代码": _uscc(batch * 1000 + i),
                "企业名称": f"批次{batch:03d}企业{i:03d}",
                "监管单位": unit_label,
                "企业规模": "小微企业",
                "行业": industry,
            }
        )
        ws.append([row[h] for h in HEADERS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def png(seed: int) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (600, 400), (seed % 255, 80, 160)).save(buf, "PNG")
    return buf.getvalue()


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = f"----anbiao{random.getrandbits(64):x}"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, data, ctype) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {ctype}\r\n\r\n".encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Harness:
    workdir: Path
    env: dict = field(default_factory=dict)
    port: int = 0
    server: subprocess.Popen | None = None
    unit_label: str = ""
    industry: str = ""
    enterprise: int = 0

    @classmethod
    def create(cls, workdir: Path) -> Harness:
        env = {k: v for k, v in os.environ.items() if k not in {"ANBIAO_TESTING", "DATABASE_URL"}}
        env.update(
            {
                "DATABASE_URL": f"sqlite:///{workdir / 'crash.sqlite3'}",
                "MEDIA_ROOT": str(workdir / "media"),
                "DEBUG": "0",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "PYTHONUNBUFFERED": "1",
            }
        )
        h = cls(workdir=workdir, env=env)
        h.python([str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"])
        info = h.script(SETUP, PASSWORD)
        h.unit_label, h.industry, h.enterprise = info["unit"], info["industry"], info["enterprise"]
        return h

    def python(self, argv: list[str]) -> str:
        done = subprocess.run(
            [sys.executable, *argv], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300
        )
        if done.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed: {done.stderr[-2000:]}")
        return done.stdout

    def script(self, source: str, *argv: str) -> dict:
        """Run ``source`` with Django set up on the harness's database; its last line of output is JSON."""
        out = self.python(["-c", SHELL, str(ROOT), source, *argv])
        return json.loads(out.strip().splitlines()[-1])

    def start(self) -> None:
        self.port = _free_port()
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                "1",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        raise RuntimeError("服务器未能启动")

    def kill(self) -> None:
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGKILL)  # the master and its worker, mid-request
            self.server.wait(timeout=30)

    # --- a logged-in client ---------------------------------------------------------------------------
    def client(self) -> Client:
        return Client(f"http://127.0.0.1:{self.port}")


class Client:
    def __init__(self, base: str):
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def get(self, path: str) -> str:
        return self.opener.open(self.base + path, timeout=60).read().decode()

    def post(self, path: str, data: bytes, ctype: str) -> int:
        request = urllib.request.Request(
            self.base + path,
            data=data,
            headers={"Content-Type": ctype, "X-CSRFToken": self._csrf(), "Referer": self.base + path},
        )
        try:
            return self.opener.open(request, timeout=120).status
        except urllib.error.HTTPError as exc:
            return exc.code

    def login(self) -> None:
        page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode(
            {"username": "crash", "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        self.post("/accounts/login/", body, "application/x-www-form-urlencoded")


# Runs a script with Django configured (``manage.py shell -c`` cannot pass arguments to it).
SHELL = (
    "import os, sys; sys.path.insert(0, sys.argv[1]); "
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); "
    "import django; django.setup(); exec(sys.argv[2])"
)


CHECK = """
import json
from django.core.files.storage import default_storage
from django.db import connection
from anbiao.core.models import EvidenceFile
from anbiao.orgs.models import Enterprise
with connection.cursor() as c:
    c.execute("PRAGMA integrity_check")
    integrity = c.fetchone()[0]
    c.execute("PRAGMA foreign_key_check")
    fk = c.fetchall()
batches = {}
for name in Enterprise.objects.filter(name__startswith="批次").values_list("name", flat=True):
    batches[name[2:5]] = batches.get(name[2:5], 0) + 1
missing = [f.storage_name for f in EvidenceFile.objects.all() if not default_storage.exists(f.storage_name)]
print(json.dumps({"integrity": integrity, "fk": len(fk), "batches": batches, "missing": missing,
                  "files": EvidenceFile.objects.count()}))
"""


@dataclass
class Outcome:
    runs: int = 0
    consistent: int = 0
    problems: list[str] = field(default_factory=list)
    imports_complete: int = 0
    imports_absent: int = 0
    files: int = 0


def run(runs: int, *, seed: int = 1, log=print, workdir: Path | None = None) -> Outcome:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="anbiao-crash-") as tmp:
        h = Harness.create(Path(workdir or tmp))
        outcome = Outcome()
        for n in range(runs):
            h.start()
            client = h.client()
            client.login()
            enterprise_id = h.enterprise
            stop = threading.Event()

            def work(batch=n, client=client, enterprise_id=enterprise_id, stop=stop):
                body, ctype = _multipart(
                    {},
                    {
                        "file": (
                            "企业名录.xlsx",
                            workbook(batch, h.unit_label, h.industry),
                            "application/octet-stream",
                        )
                    },
                )
                try:
                    client.post("/enterprises/import/", body, ctype)
                    i = 0
                    while not stop.is_set():
                        body, ctype = _multipart(
                            {"kind": "photo", "title": f"现场照片{batch}-{i}"},
                            {"file": (f"p{i}.png", png(i), "image/png")},
                        )
                        client.post(f"/enterprises/{enterprise_id}/files/", body, ctype)
                        i += 1
                except (OSError, urllib.error.URLError):
                    pass  # the server died under us: that is the point

            worker = threading.Thread(target=work, daemon=True)
            worker.start()
            time.sleep(rng.uniform(0.05, 2.5))
            h.kill()
            stop.set()
            worker.join(timeout=30)
            state = h.script(CHECK)
            outcome.runs += 1
            bad = []
            if state["integrity"] != "ok" or state["fk"]:
                bad.append(f"integrity={state['integrity']} fk={state['fk']}")
            partial = {b: c for b, c in state["batches"].items() if c != ROWS}
            if partial:
                bad.append(f"partial imports {partial}")
            if state["missing"]:
                bad.append(f"rows without files {state['missing'][:3]}")
            this = f"{n:03d}"
            if this in state["batches"]:
                outcome.imports_complete += 1
            else:
                outcome.imports_absent += 1
            outcome.files = state["files"]
            if bad:
                outcome.problems.append(f"run {n}: " + "; ".join(bad))
            else:
                outcome.consistent += 1
            log(
                f"run {n + 1}/{runs}: import {'complete' if this in state['batches'] else 'absent'}, "
                f"files {state['files']}, integrity {state['integrity']}"
                + (f" — {'; '.join(bad)}" if bad else "")
            )
        return outcome
