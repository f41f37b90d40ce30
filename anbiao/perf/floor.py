"""The benchmark's floor: every cell of 季报表(一)(二)(三) computed by hand-written SQL, in as few
statements as the data allows (one per family of records: 20 for a report, 22 for a roll-up), for
comparison with the report itself.

This module reads the definitions in ``docs/reports.md`` / ``anbiao/reports/cells`` and restates them in SQL
that runs unchanged on SQLite and PostgreSQL. It shares no query code with the application on purpose: the
benchmark first checks that its numbers equal the report's for every cell (``anbiao_bench`` stops when they
do not), so a fast but wrong report cannot look good, and a wrong floor cannot make the report look slow.

Two assumptions, both true for the benchmark, which computes with the system scope at the tree's root:
the scope sees the whole subtree (no ``visible_to`` narrowing), and an enterprise has one state on a day.

Results are grouped by a *target key* so one pass serves a single report (one key) and a roll-up (one key per
reporting child — the child's path, read off the first level of the path below the top unit — and the top
unit's path for its 本级 part). The arithmetic that puts parts together (adjustments, sums, unions of
distinct enterprises) is done in Python, as the roll-up defines it.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from anbiao.orgs.choices import OrgKind

D2021 = datetime.date(2021, 8, 1)
D2024 = datetime.date(2024, 4, 1)
D2025 = datetime.date(2025, 1, 1)

SIZES = ("above_scale", "medium", "small")
COLOURS = ("major", "significant", "general", "low")
GRADE_TYPES = ("national", "provincial", "local")
LEVELS = ("city", "county", "township")
POST_TYPES = ("party", "worker", "youth", "women")
NORM_KINDS = ("checklist", "rules", "guide", "grid_guide")
SUPERVISOR_KINDS = ("unit", "county", "expert", "enforcement", "grid")
COUNTED_STATUSES = ("submitted", "accepted")
NON_ADDITIVE = ("t2.thousand.above_scale", "t2.thousand.medium")
KIND_LABELS = {value: str(label) for value, label in OrgKind.choices}  # the roll-up's block labels
DEFAULT_RULE = (100, 1, 1)  # duty.rules.StaffingThresholds() when no rule is valid


def cell_keys() -> list[str]:
    """The 102 keys in table order (the same order as the registry)."""
    keys = ["t1.base.total", *[f"t1.base.{s}" for s in SIZES]]
    keys += ["t1.duty.lists", "t1.duty.body", "t1.duty.officers", "t1.duty.officer_people"]
    keys += ["t1.lists.enterprises", "t1.lists.self_found", "t1.lists.self_rectified"]
    keys += [f"t1.colour.{c}" for c in COLOURS]
    keys += ["t1.five_s", "t1.six_have", "t1.rescue.enterprises", "t1.rescue.people"]
    for gt in GRADE_TYPES:
        keys += [f"t1.grade.{gt}.{lv}" for lv in ("1", "2", "3", "total")] + [f"t1.self.{gt}"]
    keys += [f"t1.stars.{n}" for n in (5, 4, 3, 2, 1)]
    for lv in LEVELS:
        keys += [f"t2.town_cases.{lv}", *[f"t2.enterprise_cases.{lv}.{s}" for s in SIZES]]
    keys += ["t2.thousand.above_scale", "t2.thousand.medium"]
    keys += [f"t2.posts.{lv}.{p}" for lv in LEVELS for p in POST_TYPES]
    keys += ["t2.letters", "t2.commitments"]
    for prefix in ("t2.training", "t2.site_visit"):
        keys += [f"{prefix}.sessions", f"{prefix}.enterprises", f"{prefix}.persons"]
    keys += [f"t3.norms.{k}" for k in NORM_KINDS]
    keys += ["t3.inspections", "t3.found", "t3.rectified"]
    keys += ["t3.listing.enterprises", "t3.listing.hazards", "t3.listing.rectified"]
    keys += ["t3.fine.count", "t3.fine.amount", "t3.suspend", "t3.licence", "t3.close", "t3.judicial"]
    keys += ["t3.expose", "t3.interview", "t3.incentive", "t3.constraint"]
    keys += ["t3.assess.enterprises", "t3.assess.rewarded", "t3.assess.funds", "t3.assess.posts"]
    keys += ["t3.reporting.enterprises", "t3.reporting.rewarded", "t3.reporting.funds"]
    keys += ["t3.reporting.people", "t3.reporting.hazards"]
    return keys


MONEY = ("t3.fine.amount", "t3.assess.funds", "t3.reporting.funds")


def wan(cents) -> Decimal:
    """Whole 分 (summed exactly as integers in SQL) → 万元 to four decimals, half up."""
    return (Decimal(int(cents or 0)) / Decimal(1_000_000)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


# --- the statements -----------------------------------------------------------------------------------------
# ``:name`` marks a parameter; {target} is the key expression and {where} the unit filter, both on ``o``.
PLACED = """placed AS (
  SELECT s.enterprise_id AS eid, {target} AS k, s.status, s.size_class, s.employee_count AS emp,
         s.handles_dangerous_goods AS dg
  FROM orgs_enterprisestate s JOIN orgs_organization o ON o.id = s.unit_id
  WHERE {where} AND s.valid_from <= :d AND (s.valid_to IS NULL OR s.valid_to > :d)
), op AS (SELECT eid, k, size_class, emp, dg FROM placed WHERE status = 'operating')"""

UNITS = "units AS (SELECT o.id AS uid, {target} AS k FROM orgs_organization o WHERE {where})"

CURRENT = "{a}.valid_from <= :d AND ({a}.valid_to IS NULL OR {a}.valid_to > :d)"


def _cur(alias: str) -> str:
    return CURRENT.format(a=alias)


STATEMENTS: dict[str, str] = {}

STATEMENTS["base"] = """WITH {placed}
SELECT k, COUNT(*),
  SUM(CASE WHEN size_class = 'above_scale' THEN 1 ELSE 0 END),
  SUM(CASE WHEN size_class = 'medium' THEN 1 ELSE 0 END),
  SUM(CASE WHEN size_class = 'small' THEN 1 ELSE 0 END)
FROM op GROUP BY k"""

# "Has a rescue-team member" is a join to the distinct members: as a correlated EXISTS over the materialised
# CTE, PostgreSQL ran it once per operating enterprise (minutes at a province root).
STATEMENTS["duty"] = f"""WITH {{placed}},
rule AS (
  SELECT COALESCE((SELECT headcount_threshold FROM duty_staffingrule r WHERE {_cur("r")}
                   ORDER BY valid_from DESC LIMIT 1), :thr) AS thr,
         COALESCE((SELECT strict_min_full_time FROM duty_staffingrule r WHERE {_cur("r")}
                   ORDER BY valid_from DESC LIMIT 1), :smin) AS smin,
         COALESCE((SELECT basic_min_officers FROM duty_staffingrule r WHERE {_cur("r")}
                   ORDER BY valid_from DESC LIMIT 1), :bmin) AS bmin
),
posts AS (
  SELECT p.id, p.enterprise_id AS eid, p.level FROM duty_post p JOIN op ON op.eid = p.enterprise_id
  WHERE p.established_on <= :d AND (p.abolished_on IS NULL OR p.abolished_on > :d)
),
listed AS (
  SELECT DISTINCT l.post_id FROM duty_dutylist l JOIN posts ON posts.id = l.post_id
  WHERE l.status IN ('effective', 'superseded') AND l.effective_from <= :d
    AND (l.superseded_on IS NULL OR l.superseded_on > :d)
),
post_facts AS (
  SELECT posts.eid, MAX(CASE WHEN posts.level = 'principal' THEN 1 ELSE 0 END) AS principal,
         MAX(CASE WHEN listed.post_id IS NULL THEN 1 ELSE 0 END) AS missing
  FROM posts LEFT JOIN listed ON listed.post_id = posts.id GROUP BY posts.eid
),
officers AS (
  SELECT so.enterprise_id AS eid,
         COUNT(DISTINCT CASE WHEN so.employment = 'full_time' THEN so.person_id END) AS ft,
         COUNT(DISTINCT CASE WHEN so.employment = 'part_time' THEN so.person_id END) AS pt
  FROM duty_safetyofficer so JOIN op ON op.eid = so.enterprise_id WHERE {_cur("so")}
  GROUP BY so.enterprise_id
),
bodies AS (
  SELECT DISTINCT b.enterprise_id AS eid FROM duty_safetybody b JOIN op ON op.eid = b.enterprise_id
  WHERE {_cur("b")}
),
members AS (
  SELECT t.enterprise_id AS eid, m.person_id FROM duty_rescueteam t JOIN op ON op.eid = t.enterprise_id
  JOIN duty_rescueteammember m ON m.team_id = t.id WHERE {_cur("m")} AND {_cur("t")}
),
facts AS (
  SELECT op.eid, op.k,
         CASE WHEN COALESCE(pf.principal, 0) = 1 AND COALESCE(pf.missing, 0) = 0 THEN 1 ELSE 0 END
           AS lists_ok,
         CASE WHEN bodies.eid IS NULL THEN 0 ELSE 1 END AS body,
         COALESCE(officers.ft, 0) AS ft, COALESCE(officers.pt, 0) AS pt,
         CASE WHEN op.dg = :true OR op.emp > rule.thr THEN 1 ELSE 0 END AS strict,
         CASE WHEN rescued.eid IS NULL THEN 0 ELSE 1 END AS rescue,
         rule.smin, rule.bmin
  FROM op CROSS JOIN rule
  LEFT JOIN post_facts pf ON pf.eid = op.eid LEFT JOIN officers ON officers.eid = op.eid
  LEFT JOIN bodies ON bodies.eid = op.eid
  LEFT JOIN (SELECT DISTINCT eid FROM members) rescued ON rescued.eid = op.eid
),
judged AS (
  SELECT eid, k, lists_ok, body, rescue,
         CASE WHEN ft + pt > 0 AND ((strict = 1 AND (body = 1 OR ft >= smin))
                                    OR (strict = 0 AND ft + pt >= bmin)) THEN 1 ELSE 0 END AS officers_ok
  FROM facts
)
SELECT a.k, a.lists_ok, a.body, a.officers_ok, COALESCE(people.n, 0), a.rescue, COALESCE(rescuers.n, 0)
FROM (SELECT k, SUM(lists_ok) AS lists_ok, SUM(body) AS body, SUM(officers_ok) AS officers_ok,
             SUM(rescue) AS rescue FROM judged GROUP BY k) a
LEFT JOIN (SELECT j.k, COUNT(DISTINCT so.person_id) AS n
           FROM judged j JOIN duty_safetyofficer so ON so.enterprise_id = j.eid
           WHERE j.officers_ok = 1 AND {_cur("so")} GROUP BY j.k) people ON people.k = a.k
LEFT JOIN (SELECT op.k, COUNT(DISTINCT members.person_id) AS n
           FROM op JOIN members ON members.eid = op.eid GROUP BY op.k) rescuers ON rescuers.k = a.k"""

STATEMENTS["hazards"] = """WITH {placed}
SELECT p.k,
  SUM(CASE WHEN h.source = 'self' THEN 1 ELSE 0 END),
  SUM(CASE WHEN h.source = 'self' AND h.accepted_on <= :d THEN 1 ELSE 0 END),
  SUM(CASE WHEN i.kind IN ({supervisor}) THEN 1 ELSE 0 END),
  SUM(CASE WHEN i.kind IN ({supervisor}) AND h.accepted_on <= :d THEN 1 ELSE 0 END),
  SUM(CASE WHEN h.source = 'internal' THEN 1 ELSE 0 END)
FROM hazards_hazard h JOIN placed p ON p.eid = h.enterprise_id
LEFT JOIN hazards_inspection i ON i.id = h.inspection_id
WHERE h.found_on >= :d2025 AND h.found_on <= :d AND (h.voided_on IS NULL OR h.voided_on > :d)
GROUP BY p.k"""

STATEMENTS["inspections"] = """WITH {placed}
SELECT p.k,
  COUNT(DISTINCT CASE WHEN i.kind = 'self' AND i.version_id IS NOT NULL THEN i.enterprise_id END),
  SUM(CASE WHEN i.kind IN ({supervisor}) AND i.inspected_on >= :d2025 THEN 1 ELSE 0 END)
FROM hazards_inspection i JOIN placed p ON p.eid = i.enterprise_id
WHERE i.status = 'done' AND i.inspected_on >= :d2021 AND i.inspected_on <= :d
GROUP BY p.k"""

STATEMENTS["listings"] = """WITH {placed}
SELECT p.k, COUNT(*), SUM(CASE WHEN h.accepted_on <= :d THEN 1 ELSE 0 END)
FROM hazards_hazardlisting l JOIN hazards_hazard h ON h.id = l.hazard_id
JOIN placed p ON p.eid = h.enterprise_id
WHERE l.listed_on >= :d2025 AND l.listed_on <= :d
GROUP BY p.k"""

STATEMENTS["reporting"] = """WITH {placed}
SELECT p.k, COUNT(DISTINCT r.enterprise_id), SUM(CAST(ROUND(r.reward_amount * 100) AS BIGINT)), COUNT(*)
FROM hazards_internalreport r JOIN placed p ON p.eid = r.enterprise_id
WHERE r.reward_paid_on >= :d2025 AND r.reward_paid_on <= :d AND r.reward_amount > 0
GROUP BY p.k"""

STATEMENTS["channels"] = """WITH {placed}
SELECT p.k, COUNT(DISTINCT c.enterprise_id)
FROM hazards_reportingchannel c JOIN placed p ON p.eid = c.enterprise_id
WHERE c.established_on <= :d AND c.document_id IS NOT NULL
GROUP BY p.k"""

STATEMENTS["enforcement"] = """WITH {placed}
SELECT p.k, a.kind, COUNT(*), SUM(CAST(ROUND(a.amount * 100) AS BIGINT)), SUM(a.persons)
FROM campaigns_enforcementaction a JOIN placed p ON p.eid = a.enterprise_id
WHERE a.action_on >= :d2025 AND a.action_on <= :d
GROUP BY p.k, a.kind"""

STATEMENTS["letters"] = """WITH {placed}
SELECT p.k,
  COUNT(DISTINCT CASE WHEN l.delivered_on >= :d2025 AND l.delivered_on <= :d THEN l.enterprise_id END),
  COUNT(DISTINCT CASE WHEN l.signed_on >= :d2025 AND l.signed_on <= :d THEN l.enterprise_id END)
FROM campaigns_enterpriseletter l JOIN placed p ON p.eid = l.enterprise_id
GROUP BY p.k"""

STATEMENTS["assessments"] = """WITH {placed}
SELECT a.k, a.n, COALESCE(r.firms, 0), COALESCE(r.cents, 0), COALESCE(r.posts, 0)
FROM (SELECT p.k, COUNT(DISTINCT aa.enterprise_id) AS n
      FROM placed p LEFT JOIN duty_annualassessment aa ON aa.enterprise_id = p.eid
        AND aa.completed_on >= :d2025 AND aa.completed_on <= :d
      GROUP BY p.k) a
LEFT JOIN (SELECT x.k, COUNT(DISTINCT x.eid) AS firms, SUM(x.cents) AS cents, COUNT(DISTINCT x.pair) AS posts
           FROM (SELECT p.k, aa.enterprise_id AS eid, CAST(ROUND(sc.amount * 100) AS BIGINT) AS cents,
                        sc.assessment_id || '-' || sc.post_id AS pair
                 FROM duty_assessmentscore sc JOIN duty_annualassessment aa ON aa.id = sc.assessment_id
                 JOIN placed p ON p.eid = aa.enterprise_id
                 WHERE sc.outcome = 'reward' AND sc.paid_on >= :d2025 AND sc.paid_on <= :d) x
           GROUP BY x.k) r ON r.k = a.k"""

STATEMENTS["colour"] = """WITH {placed}
SELECT op.k,
  SUM(CASE WHEN g.lv = 'major' THEN 1 ELSE 0 END), SUM(CASE WHEN g.lv = 'significant' THEN 1 ELSE 0 END),
  SUM(CASE WHEN g.lv = 'general' THEN 1 ELSE 0 END), SUM(CASE WHEN g.lv = 'low' THEN 1 ELSE 0 END)
FROM op JOIN (
  SELECT enterprise_id,
         CASE WHEN source = 'override' AND override_until IS NOT NULL AND override_until < :d
              THEN computed_level ELSE level END AS lv
  FROM risks_enterprisegrade WHERE valid_from <= :d AND (valid_to IS NULL OR valid_to > :d)
) g ON g.enterprise_id = op.eid
GROUP BY op.k"""

STATEMENTS["site"] = """WITH {placed},
latest AS (
  SELECT sa.enterprise_id AS eid, sa.kind, sa.passed,
         ROW_NUMBER() OVER (PARTITION BY sa.enterprise_id, sa.kind
                            ORDER BY sa.assessed_on DESC, sa.id DESC) AS rn
  FROM standards_siteassessment sa JOIN op ON op.eid = sa.enterprise_id
  WHERE sa.assessed_on >= :d2021 AND sa.assessed_on <= :d
)
SELECT op.k,
  SUM(CASE WHEN l.kind = 'five_s' AND l.passed = :true THEN 1 ELSE 0 END),
  SUM(CASE WHEN l.kind = 'six_have' AND l.passed = :true THEN 1 ELSE 0 END)
FROM op JOIN latest l ON l.eid = op.eid AND l.rn = 1
GROUP BY op.k"""

_VALID_GRADE = (
    "{a}.valid_from <= :d AND {a}.valid_to > :d AND ({a}.revoked_on IS NULL OR {a}.revoked_on > :d)"
)


def _grade_columns() -> str:
    cols = []
    for gt in GRADE_TYPES:
        for lv in (1, 2, 3):
            cols.append(
                f"COUNT(DISTINCT CASE WHEN g.grade_type = '{gt}' AND g.level = {lv} THEN g.enterprise_id END)"
            )
        cols.append(f"COUNT(DISTINCT CASE WHEN g.grade_type = '{gt}' THEN g.enterprise_id END)")
    return ",\n  ".join(cols)


STATEMENTS["grades"] = f"""WITH {{placed}}
SELECT op.k,
  {_grade_columns()}
FROM op JOIN standards_graderecord g ON g.enterprise_id = op.eid
WHERE {_VALID_GRADE.format(a="g")} AND g.certified_on >= :d2021
GROUP BY op.k"""

STATEMENTS["self"] = f"""WITH {{placed}}
SELECT op.k,
  COUNT(DISTINCT CASE WHEN st.grade_type = 'national' THEN op.eid END),
  COUNT(DISTINCT CASE WHEN st.grade_type = 'provincial' THEN op.eid END),
  COUNT(DISTINCT CASE WHEN st.grade_type = 'local' THEN op.eid END)
FROM op JOIN standards_selfassessment sa ON sa.enterprise_id = op.eid
JOIN standards_standard st ON st.id = sa.standard_id
WHERE sa.status IN ('submitted', 'announced') AND sa.assessed_on >= :d2025 AND sa.assessed_on <= :d
  AND NOT EXISTS (SELECT 1 FROM standards_graderecord g WHERE g.enterprise_id = op.eid
                  AND {_VALID_GRADE.format(a="g")})
GROUP BY op.k"""

STATEMENTS["stars"] = f"""WITH {{placed}}
SELECT op.k, {", ".join(f"COUNT(DISTINCT CASE WHEN r.stars = {n} THEN op.eid END)" for n in (5, 4, 3, 2, 1))}
FROM op JOIN standards_starrating r ON r.enterprise_id = op.eid
WHERE {_cur("r")} AND r.valid_from >= :d2024
GROUP BY op.k"""

STATEMENTS["showcase"] = """WITH {units}
SELECT u.k, e.category, e.level, e.size_class, e.post_type, COUNT(*)
FROM campaigns_showcaseentry e JOIN units u ON u.uid = e.unit_id
WHERE e.recognised_on >= :d2025 AND e.recognised_on <= :d AND e.category <> 'thousand'
GROUP BY u.k, e.category, e.level, e.size_class, e.post_type"""

STATEMENTS["thousand"] = """WITH {units}
SELECT DISTINCT u.k, e.size_class, e.enterprise_id
FROM campaigns_showcaseentry e JOIN units u ON u.uid = e.unit_id
WHERE e.recognised_on >= :d2025 AND e.recognised_on <= :d AND e.category = 'thousand'"""

STATEMENTS["sessions"] = """WITH {units},
held AS (
  SELECT s.id, s.kind, u.k FROM campaigns_trainingsession s JOIN units u ON u.uid = s.unit_id
  WHERE s.held_on >= :d2025 AND s.held_on <= :d
)
SELECT h.k, h.kind, h.n, COALESCE(a.persons, 0), COALESCE(pairs.n, 0)
FROM (SELECT k, kind, COUNT(*) AS n FROM held GROUP BY k, kind) h
LEFT JOIN (SELECT held.k, held.kind, COUNT(*) AS persons
           FROM campaigns_attendance a JOIN held ON held.id = a.session_id GROUP BY held.k, held.kind) a
  ON a.k = h.k AND a.kind = h.kind
LEFT JOIN (SELECT x.k, x.kind, COUNT(*) AS n
           FROM (SELECT DISTINCT held.k, held.kind, a.session_id, a.enterprise_id
                 FROM campaigns_attendance a JOIN held ON held.id = a.session_id
                 WHERE a.enterprise_id IS NOT NULL) x
           GROUP BY x.k, x.kind) pairs ON pairs.k = h.k AND pairs.kind = h.kind"""

STATEMENTS["norms"] = """WITH {units}
SELECT u.k, n.kind, COUNT(*)
FROM campaigns_normdocument n JOIN units u ON u.uid = n.unit_id
WHERE n.issued_on >= :d2025 AND n.issued_on <= :d
GROUP BY u.k, n.kind"""

STATEMENTS["adjustments"] = """SELECT {target}, a.cell_key, CAST(ROUND(a.delta * 10000) AS BIGINT)
FROM reports_adjustment a JOIN orgs_organization o ON o.id = a.unit_id
WHERE a.quarter = :quarter AND {where}"""


# --- running them -------------------------------------------------------------------------------------------
@dataclass
class Target:
    """Where the figures come from: one unit's subtree (or the unit alone), or a roll-up's parts."""

    target: str  # SQL for the key of a row's part, on organization ``o``
    where: str  # SQL filter on organization ``o``
    params: dict = field(default_factory=dict)


def unit_target(path: str, unit_id: int, own_only: bool = False) -> Target:
    if own_only:
        return Target("'*'", "o.id = :unit_id", {"unit_id": unit_id})
    return Target("'*'", "o.path LIKE :prefix", {"prefix": path + "%"})


def parts_target(path: str) -> Target:
    """Key = the path of the top unit's child the row lies under, or the top unit's own path (本级)."""
    return Target(
        "substr(o.path, 1, :klen)", "o.path LIKE :prefix", {"prefix": path + "%", "klen": len(path) + 7}
    )


def _bind(sql: str, params: dict) -> tuple[str, list]:
    """``:name`` → ``%s`` with the values in order (Django's cursor takes ``%s`` on every backend)."""
    out, values, i = [], [], 0
    while i < len(sql):
        ch = sql[i]
        if ch == ":" and i + 1 < len(sql) and (sql[i + 1].isalpha() or sql[i + 1] == "_"):
            j = i + 1
            while j < len(sql) and (sql[j].isalnum() or sql[j] == "_"):
                j += 1
            out.append("%s")
            values.append(params[sql[i + 1 : j]])
            i = j
            continue
        if ch == "%":
            out.append("%%")
        else:
            out.append(ch)
        i += 1
    return "".join(out), values


class Floor:
    """Runs the statements for ``target`` as of ``as_of``; ``queries`` counts the statements sent."""

    def __init__(self, target: Target, as_of: datetime.date, quarter_code: str):
        self.t = target
        self.as_of = as_of
        self.quarter_code = quarter_code
        self.queries = 0

    def _run(self, name: str) -> list[tuple]:
        fmt = {"target": self.t.target, "where": self.t.where}
        placed = PLACED.format(**fmt)
        units = UNITS.format(**fmt)
        supervisor = ", ".join(f"'{k}'" for k in SUPERVISOR_KINDS)
        sql = STATEMENTS[name].format(placed=placed, units=units, supervisor=supervisor, **fmt)
        params = {
            **self.t.params,
            "d": self.as_of,
            "d2021": D2021,
            "d2024": D2024,
            "d2025": D2025,
            "true": True,
            "thr": DEFAULT_RULE[0],
            "smin": DEFAULT_RULE[1],
            "bmin": DEFAULT_RULE[2],
            "quarter": self.quarter_code,
        }
        sql, values = _bind(sql, params)
        with connection.cursor() as cur:
            cur.execute(sql, values)
            self.queries += 1
            return cur.fetchall()

    def computed(self) -> tuple[dict[str, dict[str, object]], dict[str, dict[str, set]]]:
        """Per part key: every cell's computed value; and the enterprise ids behind the 千企 cells."""
        keys = cell_keys()
        out: dict[str, dict[str, object]] = defaultdict(lambda: dict.fromkeys(keys, 0))

        def put(k, names, row):
            cells = out[k]
            for name, value in zip(names, row, strict=True):
                cells[name] = int(value or 0)

        for k, *row in self._run("base"):
            put(k, ["t1.base.total", *[f"t1.base.{s}" for s in SIZES]], row)
        for k, *row in self._run("duty"):
            names = ["t1.duty.lists", "t1.duty.body", "t1.duty.officers", "t1.duty.officer_people"]
            put(k, [*names, "t1.rescue.enterprises", "t1.rescue.people"], row)
        for k, *row in self._run("hazards"):
            names = ["t1.lists.self_found", "t1.lists.self_rectified", "t3.found", "t3.rectified"]
            put(k, [*names, "t3.reporting.hazards"], row)
        for k, *row in self._run("inspections"):
            put(k, ["t1.lists.enterprises", "t3.inspections"], row)
        for k, total, rectified in self._run("listings"):
            put(
                k,
                ["t3.listing.enterprises", "t3.listing.hazards", "t3.listing.rectified"],
                [total, total, rectified],
            )
        for k, firms, cents, people in self._run("reporting"):
            put(k, ["t3.reporting.rewarded", "t3.reporting.people"], [firms, people])
            out[k]["t3.reporting.funds"] = wan(cents)
        for k, n in self._run("channels"):
            put(k, ["t3.reporting.enterprises"], [n])
        for k, kind, n, cents, persons in self._run("enforcement"):
            if kind == "fine":
                put(k, ["t3.fine.count"], [n])
                out[k]["t3.fine.amount"] = wan(cents)
            elif kind == "judicial":
                put(k, ["t3.judicial"], [persons])
            else:
                put(k, [f"t3.{kind}"], [n])
        for k, *row in self._run("letters"):
            put(k, ["t2.letters", "t2.commitments"], row)
        for k, n, firms, cents, posts in self._run("assessments"):
            put(k, ["t3.assess.enterprises", "t3.assess.rewarded", "t3.assess.posts"], [n, firms, posts])
            out[k]["t3.assess.funds"] = wan(cents)
        for k, *row in self._run("colour"):
            put(k, [f"t1.colour.{c}" for c in COLOURS], row)
        for k, *row in self._run("site"):
            put(k, ["t1.five_s", "t1.six_have"], row)
        for k, *row in self._run("grades"):
            put(k, [f"t1.grade.{gt}.{lv}" for gt in GRADE_TYPES for lv in ("1", "2", "3", "total")], row)
            for lv in ("1", "2", "3"):
                out[k][f"t1.grade.local.{lv}"] = 0  # 地标 不分级
        for k, *row in self._run("self"):
            put(k, [f"t1.self.{gt}" for gt in GRADE_TYPES], row)
        for k, *row in self._run("stars"):
            put(k, [f"t1.stars.{n}" for n in (5, 4, 3, 2, 1)], row)
        for k, category, level, size, post_type, n in self._run("showcase"):
            cells = out[k]
            if category == "town_case":
                cells[f"t2.town_cases.{level}"] += n
            elif category == "enterprise_case" and size in SIZES:
                cells[f"t2.enterprise_cases.{level}.{size}"] += n
            elif category == "post" and post_type in POST_TYPES:
                cells[f"t2.posts.{level}.{post_type}"] += n
        thousand: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        for k, size, enterprise_id in self._run("thousand"):
            key = f"t2.thousand.{size}"
            if key in NON_ADDITIVE:
                out[k][key] += 1  # the cell counts distinct ids (an entry without enterprise counts once)
                if enterprise_id is not None:
                    thousand[k][key].add(enterprise_id)
        for k, kind, sessions, persons, pairs in self._run("sessions"):
            prefix = "t2.training" if kind == "training" else "t2.site_visit"
            put(
                k,
                [f"{prefix}.sessions", f"{prefix}.persons", f"{prefix}.enterprises"],
                [sessions, persons, pairs],
            )
        for k, kind, n in self._run("norms"):
            put(k, [f"t3.norms.{kind}"], [n])
        return dict(out), {k: dict(v) for k, v in thousand.items()}

    def adjustments(self) -> dict[str, dict[str, Decimal]]:
        out: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for k, key, units in self._run("adjustments"):
            out[k][key] += Decimal(int(units)) / Decimal(10000)
        return out


def add(value, delta: Decimal):
    if not delta:
        return value
    total = Decimal(value) + delta
    return int(total) if isinstance(value, int) and total == total.to_integral_value() else total


def _with_adjustments(computed: dict, deltas: dict) -> dict:
    return {k: add(v, deltas.get(k, Decimal(0))) for k, v in computed.items()}


# --- what the benchmark compares ----------------------------------------------------------------------------
def unit_report(unit, as_of: datetime.date, quarter_code: str, own_only: bool = False) -> tuple[dict, int]:
    """One unit's reported values (computed + adjustments) and the number of statements it took."""
    floor = Floor(unit_target(unit.path, unit.pk, own_only), as_of, quarter_code)
    computed, _ids = floor.computed()
    computed = computed.get("*", dict.fromkeys(cell_keys(), 0))
    deltas = floor.adjustments().get("*", {})
    return _with_adjustments(computed, deltas), floor.queries


def _number(value):
    return Decimal(value) if isinstance(value, str) else value


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def rollup(unit, as_of: datetime.date, quarter_code: str) -> tuple[list[tuple[str, dict]], int]:
    """The roll-up's blocks (per unit type of the reporting children, 本级, 合计) and the statements it took.

    Children whose latest version was submitted or accepted count with their frozen figures; the others and
    the unit's own (本级) records are computed in one pass grouped by part.
    """
    queries = 0
    with connection.cursor() as cur:
        sql, values = _bind(
            "SELECT id, path, kind FROM orgs_organization"
            " WHERE parent_id = :id AND is_active = :true ORDER BY path",
            {"id": unit.pk, "true": True},
        )
        cur.execute(sql, values)
        children = cur.fetchall()
        sql, values = _bind(
            """SELECT s.unit_id, s.status, v."values", v.computed, v.row_ids
               FROM reports_submission s JOIN reports_submissionversion v ON v.submission_id = s.id
               WHERE s.quarter = :q AND s.unit_id IN (SELECT id FROM orgs_organization WHERE parent_id = :id)
                 AND v.number = (SELECT MAX(v2.number) FROM reports_submissionversion v2
                                 WHERE v2.submission_id = s.id)""",
            {"q": quarter_code, "id": unit.pk},
        )
        cur.execute(sql, values)
        versions = {row[0]: row[1:] for row in cur.fetchall()}
        queries += 2
    keys = cell_keys()
    floor = Floor(parts_target(unit.path), as_of, quarter_code)
    computed, thousand = floor.computed()
    deltas = floor.adjustments()
    queries += floor.queries
    zero = dict.fromkeys(keys, 0)

    def live(path):
        c = computed.get(path, zero)
        ids = {key: sorted(thousand.get(path, {}).get(key, set())) for key in NON_ADDITIVE if c[key]}
        return {"values": _with_adjustments(c, deltas.get(path, {})), "computed": c, "row_ids": ids}

    parts = []  # (kind label, part) for the children, in path order
    for child_id, path, kind in children:
        version = versions.get(child_id)
        if version is not None and version[0] in COUNTED_STATUSES:
            vals, comp, row_ids = (_json(x) for x in version[1:])
            part = {
                "values": {k: _number(vals.get(k, 0)) for k in keys},
                "computed": {k: _number(v) for k, v in comp.items()},
                "row_ids": row_ids,
            }
        else:
            part = live(path)
        parts.append((KIND_LABELS.get(kind, kind), part))
    own = live(unit.path)
    by_kind: dict[str, list[dict]] = {}
    for label, part in parts:
        by_kind.setdefault(label, []).append(part)
    blocks = [(label, _rollup(group, keys)) for label, group in by_kind.items()]
    blocks.append((f"{KIND_LABELS.get(unit.kind, unit.kind)}（本级）", own["values"]))
    blocks.append(("合计", _rollup([p for _label, p in parts] + [own], keys)))
    return blocks, queries


def _rollup(parts: list[dict], keys: list[str]) -> dict:
    out = {}
    for key in keys:
        if key not in NON_ADDITIVE:
            out[key] = sum((_number(p["values"][key]) for p in parts), 0)
            continue
        union: set[int] = set()
        adjusted = Decimal(0)
        for p in parts:
            union.update(p["row_ids"].get(key, []))
            adjusted += Decimal(_number(p["values"][key])) - Decimal(_number(p["computed"][key]))
        out[key] = add(len(union), adjusted)
    return out
