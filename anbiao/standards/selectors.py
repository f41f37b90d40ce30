"""Reads of the standards app, and the selectors for the 季报表(一) cells the records feed.

Every cell selector takes the enterprises to count (already narrowed by the reports module to a unit's
subtree and to the enterprises that exist on the date) and ``as_of`` (the quarter's last day), plus the
window start the notice sets, and returns the counted enterprises as a queryset (count it for the cell,
list it for the drill-down). Definitions (report-tables.md 附件3, notes 2, 3, 7, 8; interpretation marked):

- 达标评审 (国标/省标/地标 × 一级/二级/三级/总数), since 2021-08-01: enterprises holding on ``as_of``
  a grade of
  that type (and level) that is valid (valid_from ≤ as_of < valid_to, not revoked by as_of) and was certified
  on or after the window start. 地标 is 不分级: its level cells are 0, its 总数 counts them.
- 自评, since 2025-01-01: enterprises with a submitted self-assessment completed in [window start, as_of]
  that hold no valid grade on ``as_of`` (note 2: 只完成内部自评); the 达标类型 row is the standard's type.
- 星级 (五星 … 一星), since 2024-04-01: the rating current on ``as_of``, given on or after the window start.
- 强化5S / 完善六有, since 2021-08-01: the latest 5S (六有) assessment on or before ``as_of`` (within the
  window) passed under its checklist's rule.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import (
    BooleanField,
    Count,
    DateField,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from anbiao.standards import scoring
from anbiao.standards.choices import AssessmentStatus, GradeType, SiteKind
from anbiao.standards.models import (
    GradeRecord,
    RuleSet,
    SelfAssessment,
    SiteAssessment,
    SiteChecklist,
    Standard,
    StarRating,
)

GRADE_WINDOW_START = datetime.date(2021, 8, 1)
SELF_ASSESSMENT_WINDOW_START = datetime.date(2025, 1, 1)
STAR_WINDOW_START = datetime.date(2024, 4, 1)
SITE_WINDOW_START = datetime.date(2021, 8, 1)
SUBMITTED = (AssessmentStatus.SUBMITTED, AssessmentStatus.ANNOUNCED)


# --- configuration ----------------------------------------------------------------------------------------
def standard_for(enterprise) -> Standard | None:
    """The active standard that fits the enterprise's class (规上 → 国标; 中等/小微 → 泉州标准)."""
    for s in Standard.objects.filter(is_active=True).order_by("sort_order", "code"):
        if enterprise.size_class in (s.applies_to or []):
            return s
    return None


def active_ruleset(kind: str) -> RuleSet | None:
    return RuleSet.objects.filter(kind=kind, is_active=True).first()


def rule_rows(ruleset: RuleSet | None) -> list[scoring.RuleRow]:
    if ruleset is None:
        return []
    return [
        scoring.RuleRow(r.order, r.fact, r.op, r.threshold, r.effect, r.result, r.reason)
        for r in ruleset.rules.all()
    ]


def active_checklist(kind: str) -> SiteChecklist | None:
    return SiteChecklist.objects.filter(kind=kind, is_active=True).prefetch_related("items").first()


# --- dated state ------------------------------------------------------------------------------------------
def valid_grades(qs: QuerySet, as_of: datetime.date) -> QuerySet:
    """Grades valid on ``as_of``: started, not expired, not revoked by then."""
    return qs.filter(valid_from__lte=as_of, valid_to__gt=as_of).filter(
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=as_of)
    )


def current_stars(qs: QuerySet, as_of: datetime.date) -> QuerySet:
    return qs.filter(valid_from__lte=as_of).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=as_of))


def grade_levels(enterprise_ids: Iterable[int], as_of: datetime.date) -> dict[int, int]:
    """standard_grade_level: 1/2/3 for the best valid graded level, 4 for a valid 不分级 grade, else 0."""
    best: dict[int, int] = {}
    rows = valid_grades(GradeRecord.objects.filter(enterprise_id__in=list(enterprise_ids)), as_of)
    for eid, level in rows.values_list("enterprise_id", "level"):
        value = level or scoring.NOT_GRADED
        best[eid] = min(best.get(eid, 99), value)
    return best


def latest_scores(enterprise_ids: Iterable[int], as_of: datetime.date) -> dict[int, float]:
    """self_assessment_score: the latest submitted 百分制 score completed in the 12 months to ``as_of``."""
    since = as_of - datetime.timedelta(days=365)
    rows = (
        SelfAssessment.objects.filter(
            enterprise_id__in=list(enterprise_ids),
            status__in=SUBMITTED,
            assessed_on__gt=since,
            assessed_on__lte=as_of,
        )
        .order_by("enterprise_id", "assessed_on", "id")
        .values_list("enterprise_id", "percent")
    )
    return {eid: float(p) for eid, p in rows}  # later rows overwrite earlier ones


def stars_on(enterprise_ids: Iterable[int], as_of: datetime.date) -> dict[int, int]:
    rows = current_stars(StarRating.objects.filter(enterprise_id__in=list(enterprise_ids)), as_of)
    return dict(rows.values_list("enterprise_id", "stars"))


# --- 季报表(一) cells -------------------------------------------------------------------------------------
def enterprises_with_grade(
    enterprises: QuerySet,
    as_of: datetime.date,
    grade_type: str,
    level: int | None = None,
    start: datetime.date = GRADE_WINDOW_START,
) -> QuerySet:
    """达标评审 cell: 达标类型 ``grade_type`` (national/provincial/local), level 1–3 or None for 总数."""
    grades = valid_grades(GradeRecord.objects.filter(enterprise=OuterRef("pk"), grade_type=grade_type), as_of)
    grades = grades.filter(certified_on__gte=start)
    if level is not None:
        if grade_type == GradeType.LOCAL:
            return enterprises.none()  # 地标 不分级
        grades = grades.filter(level=level)
    return enterprises.filter(Exists(grades))


def enterprises_self_assessed(
    enterprises: QuerySet,
    as_of: datetime.date,
    grade_type: str | None = None,
    start: datetime.date = SELF_ASSESSMENT_WINDOW_START,
) -> QuerySet:
    """自评 cell: a submitted self-assessment done in [start, as_of], and no valid 定级 grade on as_of."""
    done = SelfAssessment.objects.filter(
        enterprise=OuterRef("pk"), status__in=SUBMITTED, assessed_on__gte=start, assessed_on__lte=as_of
    )
    if grade_type:
        done = done.filter(standard__grade_type=grade_type)
    graded = valid_grades(GradeRecord.objects.filter(enterprise=OuterRef("pk")), as_of)
    return enterprises.filter(Exists(done)).exclude(Exists(graded))


def enterprises_with_stars(
    enterprises: QuerySet, as_of: datetime.date, stars: int, start: datetime.date = STAR_WINDOW_START
) -> QuerySet:
    """星级 cell (五星 … 一星): the rating current on as_of is ``stars`` and was given since ``start``."""
    rating = current_stars(
        StarRating.objects.filter(enterprise=OuterRef("pk"), stars=stars, valid_from__gte=start), as_of
    )
    return enterprises.filter(Exists(rating))


def _latest_site_passed(kind: str, as_of: datetime.date, start: datetime.date):
    return Subquery(
        SiteAssessment.objects.filter(
            enterprise=OuterRef("pk"), kind=kind, assessed_on__lte=as_of, assessed_on__gte=start
        )
        .order_by("-assessed_on", "-id")
        .values("passed")[:1],
        output_field=BooleanField(),
    )


def enterprises_with_5s(
    enterprises: QuerySet, as_of: datetime.date, start: datetime.date = SITE_WINDOW_START
):
    """强化5S现场管理 cell: the latest 5S assessment up to as_of passed."""
    return enterprises.annotate(_site_ok=_latest_site_passed(SiteKind.FIVE_S, as_of, start)).filter(
        _site_ok=True
    )


def enterprises_with_six_have(
    enterprises: QuerySet, as_of: datetime.date, start: datetime.date = SITE_WINDOW_START
):
    """完善六有可视化警示标识 cell: the latest 六有 assessment up to as_of passed."""
    return enterprises.annotate(_site_ok=_latest_site_passed(SiteKind.SIX_HAVE, as_of, start)).filter(
        _site_ok=True
    )


# --- the same cells, counted together (the report's fast path) -------------------------------------------
def grade_counts(
    enterprises: QuerySet, as_of: datetime.date, start: datetime.date = GRADE_WINDOW_START
) -> dict[tuple[str, int | None], int]:
    """``enterprises_with_grade`` for every 达标类型 and level (None = 总数) in one query (地标 levels:
    0, 不分级)."""
    grades = valid_grades(
        GradeRecord.objects.filter(enterprise__in=enterprises, certified_on__gte=start), as_of
    )
    names: dict[str, tuple[str, int | None]] = {}
    aggregates = {}
    for gt in GradeType.values:
        for level in (1, 2, 3, None):
            name = f"{gt}_{level or 'total'}"
            names[name] = (gt, level)
            if gt == GradeType.LOCAL and level is not None:
                continue  # 地标 不分级
            only = Q(grade_type=gt) if level is None else Q(grade_type=gt, level=level)
            aggregates[name] = Count("enterprise", distinct=True, filter=only)
    counts = grades.aggregate(**aggregates)
    return {key: counts.get(name, 0) for name, key in names.items()}


def self_assessed_counts(
    enterprises: QuerySet, as_of: datetime.date, start: datetime.date = SELF_ASSESSMENT_WINDOW_START
) -> dict[str, int]:
    """``enterprises_self_assessed`` for every 达标类型 in one query."""
    graded = valid_grades(GradeRecord.objects.filter(enterprise=OuterRef("pk")), as_of)
    done = SelfAssessment.objects.filter(
        enterprise__in=enterprises.exclude(Exists(graded)),
        status__in=SUBMITTED,
        assessed_on__gte=start,
        assessed_on__lte=as_of,
    )
    return done.aggregate(
        **{
            gt: Count("enterprise", distinct=True, filter=Q(standard__grade_type=gt))
            for gt in GradeType.values
        }
    )


def star_counts(
    enterprises: QuerySet, as_of: datetime.date, start: datetime.date = STAR_WINDOW_START
) -> dict[int, int]:
    """``enterprises_with_stars`` for one to five stars in one query."""
    rows = current_stars(StarRating.objects.filter(enterprise__in=enterprises, valid_from__gte=start), as_of)
    counts = rows.aggregate(
        **{f"stars_{n}": Count("enterprise", distinct=True, filter=Q(stars=n)) for n in (1, 2, 3, 4, 5)}
    )
    return {n: counts[f"stars_{n}"] for n in (1, 2, 3, 4, 5)}


def site_counts(
    enterprises: QuerySet, as_of: datetime.date, start: datetime.date = SITE_WINDOW_START
) -> dict[str, int]:
    """``enterprises_with_5s`` (``five_s``) and ``enterprises_with_six_have`` (``six_have``) in one query."""
    return enterprises.annotate(
        _five_s=_latest_site_passed(SiteKind.FIVE_S, as_of, start),
        _six_have=_latest_site_passed(SiteKind.SIX_HAVE, as_of, start),
    ).aggregate(five_s=Count("pk", filter=Q(_five_s=True)), six_have=Count("pk", filter=Q(_six_have=True)))


def table1_cells() -> dict[str, tuple[str, object]]:
    """Cell key → (label, selector(enterprises, as_of)) for the reports registry."""
    cells: dict[str, tuple[str, object]] = {}
    for gt, gt_label in GradeType.choices:
        for level, level_label in ((1, "一级企业"), (2, "二级企业"), (3, "三级企业"), (None, "总数")):
            key = f"table1.grade.{gt}.{level or 'total'}"
            cells[key] = (
                f"达标评审·{gt_label}·{level_label}",
                lambda e, d, gt=gt, level=level: enterprises_with_grade(e, d, gt, level),
            )
        cells[f"table1.self_assessment.{gt}"] = (
            f"自评·{gt_label}",
            lambda e, d, gt=gt: enterprises_self_assessed(e, d, gt),
        )
    for n, label in ((5, "五星"), (4, "四星"), (3, "三星"), (2, "二星"), (1, "一星")):
        cells[f"table1.stars.{n}"] = (f"{label}企业", lambda e, d, n=n: enterprises_with_stars(e, d, n))
    cells["table1.five_s"] = ("强化5S现场管理(家)", enterprises_with_5s)
    cells["table1.six_have"] = ("完善六有可视化警示标识(家)", enterprises_with_six_have)
    return cells


# --- pages ------------------------------------------------------------------------------------------------
def previous_assessment(a: SelfAssessment) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.filter(enterprise_id=a.enterprise_id, year__lt=a.year, status__in=SUBMITTED)
        .select_related("standard")
        .order_by("-year")
        .first()
    )


def overview(enterprises: QuerySet, today: datetime.date) -> QuerySet:
    """Enterprises annotated with this and last year's self-assessment, best valid grade, stars, 5S/六有."""
    year = today.year
    pct = DecimalField(max_digits=4, decimal_places=1)

    def sa(y, field, output):
        return Subquery(
            SelfAssessment.objects.filter(enterprise=OuterRef("pk"), year=y).values(field)[:1],
            output_field=output,
        )

    grade = valid_grades(GradeRecord.objects.filter(enterprise=OuterRef("pk")), today).order_by(
        "level", "-valid_to"
    )
    star = current_stars(StarRating.objects.filter(enterprise=OuterRef("pk")), today)
    return enterprises.annotate(
        sa_id=sa(year, "id", IntegerField()),
        sa_status=sa(year, "status", SelfAssessment._meta.get_field("status")),
        sa_percent=sa(year, "percent", pct),
        sa_level=sa(year, "level_supported", IntegerField()),
        sa_last_percent=Subquery(
            SelfAssessment.objects.filter(
                enterprise=OuterRef("pk"), year=year - 1, status__in=SUBMITTED
            ).values("percent")[:1],
            output_field=pct,
        ),
        grade_type=Subquery(
            grade.values("grade_type")[:1], output_field=GradeRecord._meta.get_field("grade_type")
        ),
        grade_level=Subquery(grade.values("level")[:1], output_field=IntegerField()),
        grade_valid_to=Subquery(grade.values("valid_to")[:1], output_field=DateField()),
        stars=Subquery(star.values("stars")[:1], output_field=IntegerField()),
        five_s_ok=_latest_site_passed(SiteKind.FIVE_S, today, SITE_WINDOW_START),
        six_have_ok=_latest_site_passed(SiteKind.SIX_HAVE, today, SITE_WINDOW_START),
    )
