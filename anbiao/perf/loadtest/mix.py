"""Locust users for ``manage.py anbiao_loadtest`` (issue 11 part 6): a realistic working-day mix.

Two kinds of simulated people, each signed in with their own database session and thinking 1–3 s between
steps:

* an enterprise safety officer (three in five): opens the home page, the enterprise's hazard list and risk
  points, and now and then registers a hazard with a 2 MB photo through the same form a phone uses
  (GET the form for its CSRF token, POST multipart);
* a unit administrator (two in five): the enterprise list, the hazard list filtered by state, the risk
  points, the hazard export (xlsx) and the unit's quarterly tables (computed from the records on every
  request).

Each person first takes every step once (so even a short run covers every kind of request), then steps
at random by weight. Every request is named by its kind (``页面 …``, ``上传 …``, ``导出 …``, ``报表 …``)
so the command can judge pages, uploads and exports against their own targets. Redirects are not
followed: a page that sent the user to the login form counts as a failure.

Environment (set by the command):
    MIX_COOKIE          the session cookie's name
    MIX_ENTERPRISE      "session_key:enterprise_id,…" (one per enterprise officer)
    MIX_UNIT            "session_key:unit_id,…" (one per unit administrator)
    MIX_QUARTER         the quarter whose tables are computed, e.g. 2025Q3
    MIX_PHOTO           path of the JPEG uploaded with each hazard
    MIX_TODAY           the date written as 发现日期
"""

import itertools
import os
import re

from locust import HttpUser, between, task

COOKIE = os.environ.get("MIX_COOKIE", "sessionid")
QUARTER = os.environ.get("MIX_QUARTER", "")
PHOTO = os.environ.get("MIX_PHOTO", "")
TODAY = os.environ.get("MIX_TODAY", "")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _pairs(name: str) -> list[tuple[str, str]]:
    return [tuple(p.split(":", 1)) for p in os.environ.get(name, "").split(",") if ":" in p]


ENTERPRISES = _pairs("MIX_ENTERPRISE")
UNITS = _pairs("MIX_UNIT")
_next_enterprise = itertools.count()
_next_unit = itertools.count()


class _Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    pool: list[tuple[str, str]] = []
    counter = None

    def on_start(self):
        session, self.target = self.pool[next(self.counter) % len(self.pool)]
        self.client.cookies.set(COOKIE, session)
        for step in self.tour:  # every kind of request at least once, even in a short run
            step(self)

    tour: tuple = ()

    def get(self, path: str, name: str, expect: str | None = None):
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
            elif expect and expect not in r.headers.get("Content-Type", ""):
                r.failure(f"Content-Type {r.headers.get('Content-Type')}")
            return r


class EnterpriseOfficer(_Person):
    weight = 3
    pool = ENTERPRISES
    counter = _next_enterprise

    @task(3)
    def home(self):
        self.get("/", "页面 首页")

    @task(4)
    def hazards(self):
        self.get(f"/hazards/?enterprise={self.target}", "页面 本企业隐患清单")

    @task(2)
    def risks(self):
        self.get("/risks/", "页面 本企业风险点")

    @task(1)
    def register_hazard(self):
        form = self.get(f"/hazards/new/?enterprise={self.target}", "页面 登记隐患表单")
        match = CSRF.search(form.text or "")
        if not match:
            return
        data = {
            "csrfmiddlewaretoken": match.group(1),
            "enterprise": self.target,
            "source": "self",
            "kind": "thing",
            "location": "仓库东侧通道",
            "description": "[负载测试] 通道堆放货物，占用疏散通道",
            "found_on": TODAY,
            "found_by_name": "负载测试",
        }
        with open(PHOTO, "rb") as photo:
            files = {"photos": ("现场.jpg", photo, "image/jpeg")}
            with self.client.post(
                "/hazards/new/",
                data=data,
                files=files,
                name="上传 登记隐患（2 MB 照片）",
                headers={"Referer": self.host + "/hazards/new/"},
                allow_redirects=False,
                catch_response=True,
            ) as r:
                if r.status_code != 302 or "/hazards/" not in r.headers.get("Location", ""):
                    r.failure(f"HTTP {r.status_code}（未登记成功）")

    tour = (home, hazards, risks, register_hazard)


class UnitAdministrator(_Person):
    weight = 2
    pool = UNITS
    counter = _next_unit

    @task(3)
    def enterprises(self):
        self.get("/enterprises/?status=operating", "页面 企业名录")

    @task(3)
    def hazards(self):
        self.get("/hazards/?state=rectifying", "页面 隐患清单（整改中）")

    @task(2)
    def risks(self):
        self.get("/risks/?level=general", "页面 风险点清单")

    @task(1)
    def export_hazards(self):
        self.get("/hazards/export/?state=rectifying", "导出 隐患清单 xlsx", expect="spreadsheetml")

    @task(1)
    def report(self):
        self.get(f"/reports/units/{self.target}/?quarter={QUARTER}", "报表 季报表计算（三张表）")

    tour = (enterprises, hazards, risks, export_hazards, report)
