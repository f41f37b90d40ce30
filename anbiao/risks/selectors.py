"""Reads for risk points, band sets and enterprise grades. Counting selectors take ``as_of``.

Quarterly-table cells (report-tables.md, 季报表(一) 四色安全风险分级动态监管, note 6: the enterprise's overall
colour on the quarter's last day):
- 红色风险企业(家) = ``count_enterprises_by_colour(enterprises_qs, as_of)["major"]``
- 橙色风险企业(家) = ``…["significant"]``, 黄色 = ``…["general"]``, 蓝色 = ``…["low"]``
- drill-down rows behind a cell: ``enterprises_with_colour(enterprises_qs, as_of, level)``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q

from anbiao.core.scope import Scope
from anbiao.risks.choices import RANK, GradeSource, Level, PointStatus
from anbiao.risks.models import (
    Band,
    BandSet,
    EnterpriseGrade,
    GradeRuleSet,
    LevelPolicy,
    MapShape,
    RiskAssessment,
    RiskPoint,
)
from anbiao.risks.scoring import BandSpec, RuleSpec


# --- Catalogue -------------------------------------------------------------------------------------------
def ensure_catalogue() -> None:
    """The seeded catalogue (restored if a test flush or a fresh database removed it)."""
    if not LevelPolicy.objects.exists():  # the catalogue is seeded (and flushed) as a whole
        from anbiao.risks import catalog

        catalog.seed()


def current_band_sets():
    ensure_catalogue()
    return (
        BandSet.objects.filter(is_current=True)
        .prefetch_related("bands", "factors")
        .order_by("method", "-is_default", "variant")
    )


def band_specs(band_set: BandSet) -> list[BandSpec]:
    bands = (
        band_set.bands.all()
        if hasattr(band_set, "_prefetched_objects_cache")
        else Band.objects.filter(band_set=band_set)
    )
    return [BandSpec(b.level, b.lower, b.lower_inclusive, b.meaning) for b in bands]


def level_policies() -> dict[str, LevelPolicy]:
    ensure_catalogue()
    return {p.level: p for p in LevelPolicy.objects.all()}


def rule_set_on(on: datetime.date) -> GradeRuleSet:
    """The rule set in force on ``on`` (the newest version whose valid_from is not after it)."""
    ensure_catalogue()
    found = GradeRuleSet.objects.filter(valid_from__lte=on).order_by("-version").first()
    return found or GradeRuleSet.objects.order_by("version").first()


def rule_specs(rule_set: GradeRuleSet) -> list[RuleSpec]:
    return [
        RuleSpec(r.fact, r.comparison, r.threshold, r.result, r.reason)
        for r in rule_set.rules.filter(is_active=True).order_by("sort_order", "id")
    ]


# --- Risk points -----------------------------------------------------------------------------------------
def point_list(*, scope: Scope):
    return RiskPoint.objects.visible_to(scope).select_related("enterprise", "enterprise__unit")


def map_shapes(site_map) -> list[MapShape]:
    return list(MapShape.objects.filter(site_map=site_map).select_related("risk_point"))


def latest_assessments_on(enterprise_ids, as_of: datetime.date) -> dict[int, RiskAssessment]:
    """Each live risk point's latest assessment (or raise) made on or before ``as_of``: one query."""
    rows = (
        RiskAssessment.objects.filter(
            risk_point__enterprise_id__in=list(enterprise_ids), assessed_on__lte=as_of
        )
        .filter(Q(risk_point__retired_on__isnull=True) | Q(risk_point__retired_on__gt=as_of))
        .order_by("risk_point_id", "assessed_on", "id")
        .values(
            "id",
            "risk_point_id",
            "risk_point__enterprise_id",
            "level",
            "controls_effective",
            "next_review_on",
        )
    )
    latest: dict[int, dict] = {}
    for row in rows:
        latest[row["risk_point_id"]] = row
    return latest


def risk_facts(enterprise_ids, as_of: datetime.date) -> dict[int, dict[str, int]]:
    """risk_points_red / _orange / _red_uncontrolled / _review_overdue per enterprise on ``as_of``."""
    facts: dict[int, dict[str, int]] = defaultdict(
        lambda: {
            "risk_points_red": 0,
            "risk_points_orange": 0,
            "risk_points_red_uncontrolled": 0,
            "risk_points_review_overdue": 0,
        }
    )
    for row in latest_assessments_on(enterprise_ids, as_of).values():
        f = facts[row["risk_point__enterprise_id"]]
        if row["level"] == Level.MAJOR:
            f["risk_points_red"] += 1
            if not row["controls_effective"]:
                f["risk_points_red_uncontrolled"] += 1
        elif row["level"] == Level.SIGNIFICANT:
            f["risk_points_orange"] += 1
        if row["next_review_on"] < as_of:
            f["risk_points_review_overdue"] += 1
    return dict(facts)


def level_counts(points) -> dict[str, int]:
    counts = dict.fromkeys(Level.values, 0)
    for p in points:
        if p.level and p.status == PointStatus.ACTIVE:
            counts[p.level] += 1
    return counts


# --- Enterprise grades -----------------------------------------------------------------------------------
def _grades_on(enterprise_ids, as_of: datetime.date):
    return (
        EnterpriseGrade.objects.filter(enterprise_id__in=enterprise_ids, valid_from__lte=as_of)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=as_of))
        .values_list("enterprise_id", "level", "source", "override_until", "computed_level")
    )


def enterprise_colour_on(enterprises_qs, as_of: datetime.date) -> dict[int, str]:
    """{enterprise id: level} of the enterprises in ``enterprises_qs`` graded on ``as_of`` (one query).

    An override whose expiry passed before ``as_of`` counts as the computed colour stored with it, even if
    the daily recompute has not closed it yet.
    """
    ids = enterprises_qs.values("pk")
    result = {}
    for pk, level, source, until, computed in _grades_on(ids, as_of):
        if source == GradeSource.OVERRIDE and until is not None and until < as_of:
            level = computed
        result[pk] = level
    return result


def count_enterprises_by_colour(enterprises_qs, as_of: datetime.date) -> dict[str, int]:
    """季报表(一) 四色安全风险分级动态监管: enterprises by overall colour on ``as_of`` (0 where none)."""
    counts = dict.fromkeys(Level.values, 0)
    for level in enterprise_colour_on(enterprises_qs, as_of).values():
        counts[level] += 1
    return counts


def enterprises_with_colour(enterprises_qs, as_of: datetime.date, level: str):
    """The enterprises behind one 四色 cell (drill-down)."""
    ids = [pk for pk, lv in enterprise_colour_on(enterprises_qs, as_of).items() if lv == level]
    return enterprises_qs.filter(pk__in=ids)


def current_grades(*, scope: Scope):
    return (
        EnterpriseGrade.objects.visible_to(scope)
        .filter(valid_to__isnull=True)
        .select_related("enterprise", "enterprise__unit")
    )


def grade_counts(grades_qs) -> dict[str, int]:
    counts = dict.fromkeys(Level.values, 0)
    for level in grades_qs.values_list("level", flat=True):
        counts[level] += 1
    return counts


def worse(a: str | None, b: str | None) -> bool:
    """Is ``b`` more severe than ``a``?"""
    return bool(a and b and RANK[b] < RANK[a])
