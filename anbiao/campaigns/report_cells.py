"""Selectors for the cells of 季报表(二) and the campaign parts of 季报表(三) (report-tables.md).

Every figure is cumulative from ``since`` (the notes: 2025-01-01) to ``as_of`` (the quarter's last day),
both inclusive, by the date the thing happened (not the day it was typed). The caller passes the records'
owners already scoped to the reporting unit's subtree:

- ``units``: a queryset of ``Organization`` (unit-level records: training sessions, showcase, 四项规范);
- ``enterprises``: a queryset of ``Enterprise`` (per-enterprise records: letters, enforcement).

``REPORT_CELLS`` maps a stable key to (label, function, definition) so the reports module can register
the cells without knowing these models. Money is summed in 元 and returned in 万元 to 4 decimals.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum

from anbiao.campaigns import rules
from anbiao.campaigns.choices import EnforcementKind, Level, NormKind, PostType, SessionKind, ShowcaseCategory
from anbiao.campaigns.models import (
    Attendance,
    EnforcementAction,
    EnterpriseLetter,
    NormDocument,
    ShowcaseEntry,
    TrainingSession,
)
from anbiao.orgs.choices import SizeClass

SINCE = rules.REPORT_WINDOW_START


def window(field: str, as_of: datetime.date, since: datetime.date) -> Q:
    """``field`` between ``since`` and ``as_of``, both inclusive (also the reports' drill-downs)."""
    return Q(**{f"{field}__gte": since, f"{field}__lte": as_of})


def _unit_q(units, lookup="unit") -> Q:
    return Q(**{f"{lookup}__in": units})


# --- 宣传发动 (table 2) ---------------------------------------------------------------------------------
def letters_delivered_enterprises(enterprises, as_of: datetime.date, since: datetime.date = SINCE) -> int:
    """函告企业数(家): enterprises to which a 告知书 was delivered in the window (any campaign)."""
    return (
        EnterpriseLetter.objects.filter(enterprise__in=enterprises)
        .filter(window("delivered_on", as_of, since))
        .values("enterprise_id")
        .distinct()
        .count()
    )


def commitments_signed_enterprises(enterprises, as_of: datetime.date, since: datetime.date = SINCE) -> int:
    """签订承诺书企业数(家): enterprises that signed a 承诺书 in the window."""
    return (
        EnterpriseLetter.objects.filter(enterprise__in=enterprises)
        .filter(window("signed_on", as_of, since))
        .values("enterprise_id")
        .distinct()
        .count()
    )


def session_counts(
    units, kind: str, as_of: datetime.date, since: datetime.date = SINCE, level: str | None = None
) -> dict[str, int]:
    """场次 / 参训企业(家次) / 参训人数(人次) of the sessions of ``kind`` recorded by ``units`` in the window.

    家次 counts each (session, enterprise) pair once; 人次 counts every attendance row. Two queries.
    """
    sessions = TrainingSession.objects.filter(_unit_q(units), kind=kind).filter(
        window("held_on", as_of, since)
    )
    if level:
        sessions = sessions.filter(level=level)
    attendance = Attendance.objects.filter(session__in=sessions)
    agg = attendance.aggregate(persons=Count("id"))
    enterprise_pairs = (
        attendance.filter(enterprise__isnull=False).values("session_id", "enterprise_id").distinct().count()
    )
    return {
        "sessions": sessions.count(),
        "enterprise_attendances": enterprise_pairs,
        "person_attendances": agg["persons"] or 0,
    }


def training_sessions(units, as_of, since=SINCE, level=None) -> int:
    """专题培训 场次."""
    return session_counts(units, SessionKind.TRAINING, as_of, since, level)["sessions"]


def training_enterprise_attendances(units, as_of, since=SINCE, level=None) -> int:
    """专题培训 参训企业(家次)."""
    return session_counts(units, SessionKind.TRAINING, as_of, since, level)["enterprise_attendances"]


def training_person_attendances(units, as_of, since=SINCE, level=None) -> int:
    """专题培训 参训人数(人次)."""
    return session_counts(units, SessionKind.TRAINING, as_of, since, level)["person_attendances"]


def site_visit_sessions(units, as_of, since=SINCE, level=None) -> int:
    """现场观摩 场次."""
    return session_counts(units, SessionKind.SITE_VISIT, as_of, since, level)["sessions"]


def site_visit_enterprise_attendances(units, as_of, since=SINCE, level=None) -> int:
    """现场观摩 参加企业(家次)."""
    return session_counts(units, SessionKind.SITE_VISIT, as_of, since, level)["enterprise_attendances"]


def site_visit_person_attendances(units, as_of, since=SINCE, level=None) -> int:
    """现场观摩 参加人数(人次)."""
    return session_counts(units, SessionKind.SITE_VISIT, as_of, since, level)["person_attendances"]


# --- 十百千万 (table 2) -----------------------------------------------------------------------------------
def showcase_entries(units, category, as_of, since, level=None):
    """The 十百千万 entries recorded by ``units`` and recognised in the window: the rows behind table 2."""
    qs = ShowcaseEntry.objects.filter(_unit_q(units), category=category).filter(
        window("recognised_on", as_of, since)
    )
    return qs.filter(level=level) if level else qs


def town_cases(units, as_of, since=SINCE, level=None) -> int:
    """十佳乡镇(街道、园区)案例 数量(个), by 层级 when ``level`` is given."""
    return showcase_entries(units, ShowcaseCategory.TOWN_CASE, as_of, since, level).count()


def enterprise_cases(units, as_of, since=SINCE, level=None, size_class=None) -> int:
    """百优企业案例(个) by 层级 and by the enterprise's class on the day it was recognised."""
    qs = showcase_entries(units, ShowcaseCategory.ENTERPRISE_CASE, as_of, since, level)
    return (qs.filter(size_class=size_class) if size_class else qs).count()


def thousand_enterprises(units, as_of, since=SINCE, size_class=None, level=None) -> int:
    """千企达标评审(家): distinct enterprises, by class (规上 / 中等 …) on the day of the review."""
    qs = showcase_entries(units, ShowcaseCategory.THOUSAND, as_of, since, level)
    if size_class:
        qs = qs.filter(size_class=size_class)
    return qs.values("enterprise_id").distinct().count()


def posts(units, as_of, since=SINCE, level=None, post_type=None) -> int:
    """万岗达标(个) by 层级 and 岗位类型 (党员模范岗 / 工人先锋岗 / 青年突击手 / 巾帼能手)."""
    qs = showcase_entries(units, ShowcaseCategory.POST, as_of, since, level)
    return (qs.filter(post_type=post_type) if post_type else qs).count()


# --- 季报表(三): 四项规范 and enforcement ---------------------------------------------------------------
def norm_documents(units, as_of, since=SINCE, kind=None) -> int:
    """完善"四项规范"(份) by kind: documents compiled or revised in the window."""
    qs = NormDocument.objects.filter(_unit_q(units)).filter(window("issued_on", as_of, since))
    return (qs.filter(kind=kind) if kind else qs).count()


def enforcement_actions(enterprises, as_of, since, kind):
    """The enforcement actions of ``kind`` on ``enterprises`` in the window: the rows behind table 3."""
    return EnforcementAction.objects.filter(enterprise__in=enterprises, kind=kind).filter(
        window("action_on", as_of, since)
    )


def enforcement_count(enterprises, kind: str, as_of, since=SINCE) -> int:
    """家次 of one kind of action (责令停产停业整顿, 暂扣或吊销证照, 取缔关闭, 曝光, 约谈, 激励, 约束 …)."""
    return enforcement_actions(enterprises, as_of, since, kind).count()


def fine_amount_wan(enterprises, as_of, since=SINCE) -> Decimal:
    """罚款 金额(万元): the sum of fines in 元, shown in 万元 to 4 decimals."""
    total = enforcement_actions(enterprises, as_of, since, EnforcementKind.FINE).aggregate(s=Sum("amount"))[
        "s"
    ]
    return rules.wan_yuan(total)


def judicial_persons(enterprises, as_of, since=SINCE) -> int:
    """移送司法机关(人次): the persons referred, summed."""
    return (
        enforcement_actions(enterprises, as_of, since, EnforcementKind.JUDICIAL).aggregate(s=Sum("persons"))[
            "s"
        ]
        or 0
    )


# --- the same cells, counted together (the reports' fast path: one query per kind of record) -------------
def showcase_counts(units, as_of, since=SINCE) -> dict[tuple, int]:
    """Entries recorded by ``units`` and recognised in the window, counted per
    (category, level, size_class, post_type) in one query: ``town_cases``, ``enterprise_cases`` and
    ``posts`` read their cells from it."""
    rows = (
        ShowcaseEntry.objects.filter(_unit_q(units))
        .filter(window("recognised_on", as_of, since))
        .values_list("category", "level", "size_class", "post_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(c, lv, size, post): n for c, lv, size, post, n in rows}


def thousand_counts(units, as_of, since=SINCE) -> dict[str, int]:
    """``thousand_enterprises`` for every size class in one query (distinct enterprises per class)."""
    rows = (
        showcase_entries(units, ShowcaseCategory.THOUSAND, as_of, since)
        .values_list("size_class", "enterprise_id")
        .distinct()
        .order_by()
    )
    out: dict[str, int] = dict.fromkeys(SizeClass.values, 0)
    for size, _enterprise in rows:
        out[size] = out.get(size, 0) + 1
    return out


def letter_counts(enterprises, as_of, since=SINCE) -> dict[str, int]:
    """``letters_delivered_enterprises`` (``delivered``) and ``commitments_signed_enterprises``
    (``signed``) in one query."""
    return EnterpriseLetter.objects.filter(enterprise__in=enterprises).aggregate(
        delivered=Count("enterprise", distinct=True, filter=window("delivered_on", as_of, since)),
        signed=Count("enterprise", distinct=True, filter=window("signed_on", as_of, since)),
    )


def session_counts_by_kind(units, as_of, since=SINCE) -> dict[str, dict[str, int]]:
    """``session_counts`` for every kind of session in one query: one row per session in the window with
    its attendance rows (人次) and distinct attending enterprises (家次: (session, enterprise) pairs)."""
    rows = (
        TrainingSession.objects.filter(_unit_q(units))
        .filter(window("held_on", as_of, since))
        .values_list("id", "kind")
        .annotate(persons=Count("attendances"), firms=Count("attendances__enterprise", distinct=True))
        .order_by()
    )
    out = {
        kind: {"sessions": 0, "enterprise_attendances": 0, "person_attendances": 0}
        for kind in SessionKind.values
    }
    for _pk, kind, persons, firms in rows:
        counts = out.setdefault(kind, {"sessions": 0, "enterprise_attendances": 0, "person_attendances": 0})
        counts["sessions"] += 1
        counts["person_attendances"] += persons
        counts["enterprise_attendances"] += firms
    return out


def norm_counts(units, as_of, since=SINCE) -> dict[str, int]:
    """``norm_documents`` for every kind in one query."""
    rows = (
        NormDocument.objects.filter(_unit_q(units))
        .filter(window("issued_on", as_of, since))
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict.fromkeys(NormKind.values, 0) | dict(rows)


def enforcement_counts(enterprises, as_of, since=SINCE) -> dict[str, dict]:
    """Per kind of action in the window, in one query: ``count`` (``enforcement_count``), ``amount_wan``
    (``fine_amount_wan`` for fines) and ``persons`` (``judicial_persons`` for referrals)."""
    out = {
        kind: {"count": 0, "amount_wan": rules.wan_yuan(None), "persons": 0}
        for kind in EnforcementKind.values
    }
    rows = (
        EnforcementAction.objects.filter(enterprise__in=enterprises)
        .filter(window("action_on", as_of, since))
        .values_list("kind")
        .annotate(n=Count("id"), amount=Sum("amount"), persons=Sum("persons"))
        .order_by()
    )
    for kind, n, amount, persons in rows:
        out[kind] = {"count": n, "amount_wan": rules.wan_yuan(amount), "persons": persons or 0}
    return out


def _cell(label, fn, definition, owner):
    return {"label": label, "fn": fn, "definition": definition, "owner": owner}


def _build_cells() -> dict[str, dict]:
    cells: dict[str, dict] = {}
    levels = list(Level.choices)
    for level, level_label in levels:
        cells[f"t2.town_cases.{level}"] = _cell(
            f"十佳乡镇案例·{level_label}·数量(个)",
            lambda u, a, s=SINCE, lv=level: town_cases(u, a, s, lv),
            "该层级认定的十佳乡镇（街道、园区）案例条数",
            "units",
        )
        for size, size_label in SizeClass.choices:
            cells[f"t2.enterprise_cases.{level}.{size}"] = _cell(
                f"百优企业案例·{level_label}·{size_label}(个)",
                lambda u, a, s=SINCE, lv=level, sz=size: enterprise_cases(u, a, s, lv, sz),
                "该层级认定的百优企业案例条数，按认定日企业规模",
                "units",
            )
        for post, post_label in PostType.choices:
            cells[f"t2.posts.{level}.{post}"] = _cell(
                f"万岗达标·{level_label}·{post_label}(个)",
                lambda u, a, s=SINCE, lv=level, pt=post: posts(u, a, s, lv, pt),
                "该层级认定的万岗达标岗位数",
                "units",
            )
    for size, size_label in SizeClass.choices:
        cells[f"t2.thousand.{size}"] = _cell(
            f"千企达标评审·{size_label}(家)",
            lambda u, a, s=SINCE, sz=size: thousand_enterprises(u, a, s, sz),
            "参加千企达标评审的企业数（去重），按评审日企业规模",
            "units",
        )
    cells["t2.letters_delivered"] = _cell(
        "函告企业数(家)",
        letters_delivered_enterprises,
        "告知书送达日期在统计期内的企业数（去重）",
        "enterprises",
    )
    cells["t2.commitments_signed"] = _cell(
        "签订承诺书企业数(家)",
        commitments_signed_enterprises,
        "承诺书签订日期在统计期内的企业数（去重）",
        "enterprises",
    )
    for prefix, kind_label, fns in (
        (
            "t2.training",
            "专题培训",
            (training_sessions, training_enterprise_attendances, training_person_attendances),
        ),
        (
            "t2.site_visit",
            "现场观摩",
            (site_visit_sessions, site_visit_enterprise_attendances, site_visit_person_attendances),
        ),
    ):
        for suffix, label, fn in zip(
            ("sessions", "enterprises", "persons"), ("场次", "企业(家次)", "人数(人次)"), fns, strict=True
        ):
            cells[f"{prefix}.{suffix}"] = _cell(
                f"{kind_label}·{label}", fn, f"本单位及下级登记的{kind_label}（各层级合计）", "units"
            )
    for kind, kind_label in NormKind.choices:
        cells[f"t3.norms.{kind}"] = _cell(
            f"完善四项规范·{kind_label}(份)",
            lambda u, a, s=SINCE, k=kind: norm_documents(u, a, s, k),
            "编制或修订日期在统计期内的文件份数",
            "units",
        )
    cells["t3.fine.count"] = _cell(
        "罚款·企业数(家次)",
        lambda e, a, s=SINCE: enforcement_count(e, EnforcementKind.FINE, a, s),
        "罚款决定次数",
        "enterprises",
    )
    cells["t3.fine.amount"] = _cell(
        "罚款·金额(万元)", fine_amount_wan, "罚款金额合计（元录入，万元四位小数）", "enterprises"
    )
    for kind, key in (
        (EnforcementKind.SUSPEND, "suspend"),
        (EnforcementKind.LICENCE, "licence"),
        (EnforcementKind.CLOSE, "close"),
        (EnforcementKind.EXPOSE, "expose"),
        (EnforcementKind.INTERVIEW, "interview"),
        (EnforcementKind.INCENTIVE, "incentive"),
        (EnforcementKind.CONSTRAINT, "constraint"),
    ):
        cells[f"t3.{key}"] = _cell(
            f"{EnforcementKind(kind).label}(家次)",
            lambda e, a, s=SINCE, k=kind: enforcement_count(e, k, a, s),
            "措施日期在统计期内的次数",
            "enterprises",
        )
    cells["t3.judicial_persons"] = _cell(
        "移送司法机关(人次)", judicial_persons, "移送司法机关的人数合计", "enterprises"
    )
    return cells


REPORT_CELLS = _build_cells()
