"""Reads and counts of the hazard module. Counting selectors take the enterprises to count (already scoped
and placed by the caller, e.g. a unit's subtree as of the quarter end), a window start and ``as_of``; every
quarterly-table cell that counts hazards, inspections, listings or internal reports reads one of these.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from anbiao.core.money import wan_yuan
from anbiao.hazards.choices import SUPERVISOR_INSPECTIONS, Level, Source
from anbiao.hazards.models import Hazard, HazardListing, Inspection, InternalReport, ReportingChannel


def _not_voided(as_of: datetime.date) -> Q:
    return Q(voided_on__isnull=True) | Q(voided_on__gt=as_of)


def _open_on(as_of: datetime.date) -> Q:
    """Registered by ``as_of`` and neither accepted nor voided by then."""
    return (
        Q(found_on__lte=as_of) & (Q(accepted_on__isnull=True) | Q(accepted_on__gt=as_of)) & _not_voided(as_of)
    )


def _overdue_on(as_of: datetime.date) -> Q:
    """Open on ``as_of``, past its deadline, and not yet rectified by then."""
    return (
        _open_on(as_of) & Q(deadline__lt=as_of) & (Q(rectified_on__isnull=True) | Q(rectified_on__gt=as_of))
    )


def hazards_of(enterprises: QuerySet) -> QuerySet:
    return Hazard.objects.filter(enterprise__in=enterprises)


# --- 季报表(一) 三张清单 ---
def self_found_hazards(enterprises: QuerySet, start: datetime.date, as_of: datetime.date) -> QuerySet:
    """自查隐患数量(条): hazards with source 自查 found in [start, as_of], not voided by as_of."""
    return (
        hazards_of(enterprises)
        .filter(source=Source.SELF, found_on__range=(start, as_of))
        .filter(_not_voided(as_of))
    )


def self_hazards_rectified(enterprises: QuerySet, start: datetime.date, as_of: datetime.date) -> QuerySet:
    """整改隐患数量(条): of the 自查隐患 above, those accepted (已销号) by as_of."""
    return self_found_hazards(enterprises, start, as_of).filter(accepted_on__lte=as_of)


def enterprises_with_three_lists(
    enterprises: QuerySet, start: datetime.date, as_of: datetime.date
) -> QuerySet:
    """三张清单 企业数量(家): enterprises with at least one completed self-inspection against a published
    checklist in [start, as_of] (so they keep a 检查清单, and their 隐患/整改清单 follow from it)."""
    done = Inspection.objects.filter(
        kind="self", status=Inspection.Status.DONE, version__isnull=False, inspected_on__range=(start, as_of)
    )
    return enterprises.filter(pk__in=done.values("enterprise_id"))


# --- 季报表(三) 检查、隐患、挂牌督办、内部报告 ---
def supervisor_inspections(enterprises: QuerySet, start: datetime.date, as_of: datetime.date) -> QuerySet:
    """检查企业(家次): completed inspections by the supervising side (督查/检查/督导帮扶/执法/网格员)."""
    return Inspection.objects.filter(
        enterprise__in=enterprises,
        kind__in=SUPERVISOR_INSPECTIONS,
        status=Inspection.Status.DONE,
        inspected_on__range=(start, as_of),
    )


def supervisor_found_hazards(enterprises: QuerySet, start: datetime.date, as_of: datetime.date) -> QuerySet:
    """发现隐患(条): hazards found by those inspections in the window, not voided by as_of."""
    return (
        hazards_of(enterprises)
        .filter(inspection__kind__in=SUPERVISOR_INSPECTIONS, found_on__range=(start, as_of))
        .filter(_not_voided(as_of))
    )


def supervisor_hazards_rectified(
    enterprises: QuerySet, start: datetime.date, as_of: datetime.date
) -> QuerySet:
    """督促整改隐患(条): of those, accepted (已销号) by as_of."""
    return supervisor_found_hazards(enterprises, start, as_of).filter(accepted_on__lte=as_of)


def listings(enterprises: QuerySet, start: datetime.date, as_of: datetime.date) -> QuerySet:
    """重大隐患挂牌督办 企业数(家次) and 隐患数(条): listings made in the window (one per hazard)."""
    return HazardListing.objects.filter(hazard__enterprise__in=enterprises, listed_on__range=(start, as_of))


def listed_hazards_rectified(enterprises: QuerySet, start: datetime.date, as_of: datetime.date) -> QuerySet:
    """重大隐患挂牌督办 隐患整改数(条): listed hazards accepted by as_of."""
    return listings(enterprises, start, as_of).filter(hazard__accepted_on__lte=as_of)


def enterprises_with_reporting_mechanism(enterprises: QuerySet, as_of: datetime.date) -> QuerySet:
    """建立事故隐患内部报告奖励机制 企业数量(家): 制度 established (date and document) by as_of."""
    channels = ReportingChannel.objects.filter(established_on__lte=as_of, document__isnull=False)
    return enterprises.filter(pk__in=channels.values("enterprise_id"))


def rewarded_reports(enterprises: QuerySet, start: datetime.date, as_of: datetime.date) -> QuerySet:
    """获得奖励人次: verified internal reports whose reward was paid in the window."""
    return InternalReport.objects.filter(
        enterprise__in=enterprises, reward_paid_on__range=(start, as_of), reward_amount__gt=0
    )


def internal_reports(enterprises: QuerySet, start: datetime.date, as_of: datetime.date) -> QuerySet:
    """内部报告隐患数量(条): hazards registered from internal reports, found in the window."""
    return (
        hazards_of(enterprises)
        .filter(source=Source.INTERNAL, found_on__range=(start, as_of))
        .filter(_not_voided(as_of))
    )


def reward_summary(enterprises: QuerySet, start: datetime.date, as_of: datetime.date) -> dict:
    """兑现奖励企业数量(家), 兑现奖励资金(万元, 4 decimals) and 获得奖励人次 from the same rows."""
    rows = rewarded_reports(enterprises, start, as_of)
    agg = rows.aggregate(
        total=Sum("reward_amount"), people=Count("id"), firms=Count("enterprise", distinct=True)
    )
    total = agg["total"] or Decimal("0")
    return {
        "enterprises": agg["firms"],
        "amount_wan": wan_yuan(total),
        "people": agg["people"],
    }


# --- the same cells, counted together (one query per family; the report's fast path) -------------------
def hazard_counts(enterprises: QuerySet, start: datetime.date, as_of: datetime.date) -> dict[str, int]:
    """In one query, the counts of ``self_found_hazards`` (``self_found``), ``self_hazards_rectified``
    (``self_rectified``), ``supervisor_found_hazards`` (``supervisor_found``),
    ``supervisor_hazards_rectified`` (``supervisor_rectified``) and ``internal_reports`` (``internal``)."""
    supervisor = Q(inspection__kind__in=SUPERVISOR_INSPECTIONS)
    accepted = Q(accepted_on__lte=as_of)
    return (
        hazards_of(enterprises)
        .filter(found_on__range=(start, as_of))
        .filter(_not_voided(as_of))
        .aggregate(
            self_found=Count("id", filter=Q(source=Source.SELF)),
            self_rectified=Count("id", filter=Q(source=Source.SELF) & accepted),
            supervisor_found=Count("id", filter=supervisor),
            supervisor_rectified=Count("id", filter=supervisor & accepted),
            internal=Count("id", filter=Q(source=Source.INTERNAL)),
        )
    )


def inspection_counts(
    enterprises: QuerySet, lists_start: datetime.date, start: datetime.date, as_of: datetime.date
) -> dict[str, int]:
    """In one query, ``enterprises_with_three_lists`` (window from ``lists_start``) counted as
    ``three_lists`` and ``supervisor_inspections`` (window from ``start``) as ``supervisor``."""
    first = min(lists_start, start)
    return Inspection.objects.filter(
        enterprise__in=enterprises, status=Inspection.Status.DONE, inspected_on__range=(first, as_of)
    ).aggregate(
        three_lists=Count(
            "enterprise",
            distinct=True,
            filter=Q(kind="self", version__isnull=False, inspected_on__gte=lists_start),
        ),
        supervisor=Count("id", filter=Q(kind__in=SUPERVISOR_INSPECTIONS, inspected_on__gte=start)),
    )


def listing_counts(enterprises: QuerySet, start: datetime.date, as_of: datetime.date) -> dict[str, int]:
    """In one query, ``listings`` (``listed``) and ``listed_hazards_rectified`` (``rectified``)."""
    return listings(enterprises, start, as_of).aggregate(
        listed=Count("id"), rectified=Count("id", filter=Q(hazard__accepted_on__lte=as_of))
    )


# --- facts for other modules' rules ----------------------------------------------------------------------
def enterprise_facts(enterprise_ids, as_of: datetime.date) -> dict[int, dict[str, float]]:
    year_ago = as_of - datetime.timedelta(days=365)
    rows = (
        Hazard.objects.filter(enterprise_id__in=list(enterprise_ids))
        .values("enterprise_id")
        .annotate(
            hazards_open=Count("id", filter=_open_on(as_of)),
            hazards_overdue=Count("id", filter=_overdue_on(as_of)),
            major_hazards_open=Count("id", filter=_open_on(as_of) & Q(level=Level.MAJOR)),
            major_hazards_listed=Count(
                "id",
                filter=_open_on(as_of)
                & Q(listing__listed_on__lte=as_of)
                & (Q(listing__delisted_on__isnull=True) | Q(listing__delisted_on__gt=as_of)),
            ),
            hazards_found_12m=Count("id", filter=Q(found_on__range=(year_ago, as_of)) & _not_voided(as_of)),
        )
    )
    return {r.pop("enterprise_id"): r for r in rows}


def state_on(hazard: Hazard, on: datetime.date) -> str | None:
    """The hazard's workflow state on a past date, from its timeline (None before it was found)."""
    event = hazard.events.filter(occurred_on__lte=on).order_by("-occurred_on", "-at", "-id").first()
    return event.to_state if event else None
