"""What every generator builds on: the counts, the clock, the unit tree and the enterprises in memory."""

from __future__ import annotations

import bisect
import datetime
import random
import time
from dataclasses import dataclass, field

from django.utils import timezone

from anbiao.perf.synth.names import GIVEN as _GIVEN
from anbiao.perf.synth.names import SURNAMES as _SURNAMES
from anbiao.perf.synth.writer import Writer

DAY = datetime.timedelta(days=1)


@dataclass
class Counts:
    """How much to build. Counts left at None are derived from ``enterprises`` by ``derive``."""

    counties: int
    units: int
    enterprises: int
    years: int = 5
    cities: int = 0
    hazards: int | None = None
    risk_points: int | None = None
    inspections: int | None = None
    self_assessments: int | None = None

    # per enterprise over five years (the city figures of issue 10: 2.5 M hazards for 50,000 enterprises …)
    RATES = {"hazards": 50, "inspections": 4, "self_assessments": 1}
    POINTS_PER_ENTERPRISE = 10  # risk points persist: not scaled by years

    def derive(self) -> Counts:
        per_year = self.years / 5
        for name, rate in self.RATES.items():
            if getattr(self, name) is None:
                setattr(self, name, round(self.enterprises * rate * per_year))
        if self.risk_points is None:
            self.risk_points = self.enterprises * self.POINTS_PER_ENTERPRISE
        return self


SCALES = {
    "county": Counts(counties=0, units=10, enterprises=300),
    "city": Counts(counties=12, units=150, enterprises=50_000),
    # eight times the city's enterprises at the same yearly rates, over two years instead of five: ≈ 90 M
    # rows (five years would be ≈ 230 M rows and more disk than the 2-core test machine has)
    "province": Counts(cities=9, counties=90, units=1_200, enterprises=400_000, years=2),
}


@dataclass(eq=False)
class Unit:
    id: int
    path: str
    code: str
    name: str
    kind: str
    parent_id: int | None
    depth: int
    admin_id: int | None = None  # the unit admin's user id
    admin_name: str = ""
    county_id: int | None = None  # the nearest county-level (or root) unit above, for county inspections


@dataclass(eq=False)
class Ent:
    """An enterprise as the generators see it: current fields and its dated states."""

    id: int
    name: str
    industry: str
    nine_small: str
    township_id: int
    registered_on: datetime.date
    principal: str
    safety: str
    legal: str
    # states: (valid_from, valid_to, unit, size, status, employees, dangerous), half-open, in order
    states: list = field(default_factory=list)
    starts: list = field(default_factory=list)  # valid_from of each state (for bisect)
    principal_user: int | None = None  # the enterprise's logins (企业主要负责人, 企业安全管理员)
    safety_user: int | None = None

    @property
    def current(self):
        return self.states[-1]

    @property
    def unit(self) -> Unit:
        return self.states[-1][2]

    def state_on(self, day: datetime.date):
        i = bisect.bisect_right(self.starts, day) - 1
        if i < 0:
            return None
        s = self.states[i]
        return s if s[1] is None or s[1] > day else None

    def unit_on(self, day: datetime.date) -> Unit:
        s = self.state_on(day)
        return s[2] if s else self.states[0][2]

    def size_on(self, day: datetime.date) -> str:
        s = self.state_on(day)
        return s[3] if s else self.states[0][3]

    def operating_on(self, day: datetime.date) -> bool:
        s = self.state_on(day)
        return bool(s and s[4] == "operating")

    @property
    def operating_until(self) -> datetime.date | None:
        """The first day it no longer operates (closed or suspended), None while it still operates."""
        for s in self.states:
            if s[4] != "operating":
                return s[0]
        return None


class Context:
    def __init__(self, *, counts: Counts, seed: int, today: datetime.date, writer: Writer, out, tag: str):
        self.counts = counts
        self.seed = seed
        self.today = today
        self.writer = writer
        self.out = out
        self.tag = tag
        self.start = datetime.date(today.year - counts.years, today.month, 1)
        # Asia/Shanghai has kept UTC+8 without daylight saving since 1991: a fixed offset converts faster
        zone = timezone.get_current_timezone()
        offset = datetime.datetime.combine(today, datetime.time(12), tzinfo=zone).utcoffset()
        self.tz = (
            datetime.timezone(offset) if offset and getattr(zone, "key", "") == "Asia/Shanghai" else zone
        )
        self.root: Unit | None = None
        self.levels: list[Unit] = []  # cities and counties (the intermediate units)
        self.units: list[Unit] = []  # the units that supervise enterprises
        self.enterprises: list[Ent] = []
        self.users: dict[str, int] = {}
        self.logins: list[tuple[str, str]] = []
        self.started = time.monotonic()

    def rng(self, domain: str) -> random.Random:
        """An independent stream per domain, so one generator's draws never shift another's."""
        # a tree appended to a database that has one already draws other ids, tokens and names
        salt = "" if self.tag == "SYNTH" else f":{self.tag}"
        return random.Random(f"anbiao-synth:{self.seed}{salt}:{domain}")

    # --- dates ------------------------------------------------------------------------------------------
    def at(self, day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)

    def active_span(self, e: Ent) -> tuple[datetime.date, datetime.date]:
        """The days [first, last] on which the enterprise keeps records in the window."""
        first = max(self.start, e.registered_on)
        stop = e.operating_until
        last = (stop - DAY) if stop else self.today
        return first, min(last, self.today)

    def entry(self, rng: random.Random, day: datetime.date, late_share: float = 0.04):
        """When a row dated ``day`` was typed in: mostly that day, sometimes later (补录)."""
        if rng.random() < late_share and day < self.today:
            typed = min(self.today, day + datetime.timedelta(days=ri(rng, 1, 45)))
            return self.at(typed, ri(rng, 8, 18), ri(rng, 0, 59)), typed > day
        return self.at(day, ri(rng, 8, 18), ri(rng, 0, 59)), False


def ri(rng: random.Random, a: int, b: int) -> int:
    """``rng.randint(a, b)`` at a fraction of its cost (it is called tens of millions of times)."""
    return a + int(rng.random() * (b - a + 1))


def pick(rng: random.Random, seq):
    """``rng.choice(seq)``, cheaper."""
    return seq[int(rng.random() * len(seq))]


def rand_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=int(rng.random() * ((last - first).days + 1)))


def add_days(day: datetime.date, n: int) -> datetime.date:
    return day + datetime.timedelta(days=n)


def person_name(rng: random.Random) -> str:
    return pick(rng, _SURNAMES) + pick(rng, _GIVEN)


def spread(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Split ``total`` over the weights: each share rounded at random so the sum stays ≈ total."""
    s = sum(weights) or 1.0
    out = []
    for w in weights:
        x = total * w / s
        n = int(x)
        out.append(n + (1 if rng.random() < x - n else 0))
    return out
