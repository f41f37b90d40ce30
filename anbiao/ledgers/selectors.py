"""Reads and counts of the ledgers. Counting selectors take ``as_of`` (and a window start where one applies)
so that a figure for a past day is what it was on that day (architecture.md §6a)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from anbiao.core.scope import Scope
from anbiao.ledgers.choices import DocumentStatus, EquipmentCategory, EquipmentStatus
from anbiao.ledgers.models import Accident, EmergencyPlan, Equipment, EquipmentInspection, RuleDocument

SOON_DAYS = 30  # "due" means within this many days (reminders, profile, supervisor lists)
CERT_SOON_DAYS = 60  # certificates are renewed ahead: remind two months before


def twelve_months(as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The rolling 12-month window ending on ``as_of`` (both days included)."""
    return as_of - datetime.timedelta(days=364), as_of


# --- Special equipment as of a date ----------------------------------------------------------------------
def equipment_due_on(queryset, as_of: datetime.date):
    """Annotate ``due_on``: the due date as known on ``as_of`` (latest inspection by then, else first_due)."""
    latest = (
        EquipmentInspection.objects.filter(equipment=OuterRef("pk"), inspected_on__lte=as_of)
        .order_by("-inspected_on", "-id")
        .values("next_due")[:1]
    )
    return queryset.annotate(due_on=Coalesce(Subquery(latest), F("first_due")))


def special_equipment_in_use_on(queryset, as_of: datetime.date):
    """Special equipment in service on ``as_of`` (commissioned by then, not scrapped by then, not idle)."""
    return (
        queryset.filter(category=EquipmentCategory.SPECIAL, commissioned_on__lte=as_of)
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=as_of))
        .exclude(status=EquipmentStatus.IDLE)
    )


def special_equipment_overdue(queryset, as_of: datetime.date):
    """Special equipment whose periodic inspection was overdue on ``as_of``."""
    return equipment_due_on(special_equipment_in_use_on(queryset, as_of), as_of).filter(due_on__lt=as_of)


def special_equipment_overdue_counts(enterprise_ids, as_of: datetime.date) -> dict[int, int]:
    rows = (
        special_equipment_overdue(Equipment.objects.filter(enterprise_id__in=enterprise_ids), as_of)
        .values("enterprise_id")
        .annotate(n=Count("id"))
    )
    return {r["enterprise_id"]: r["n"] for r in rows}


# --- Accidents ----------------------------------------------------------------------------------------------
def accidents_in(queryset, start: datetime.date, end: datetime.date):
    """Accidents (not near misses) that happened from ``start`` to ``end`` (both included, local dates)."""
    return queryset.filter(is_near_miss=False, occurred_at__date__gte=start, occurred_at__date__lte=end)


def count_accidents(scope: Scope, start: datetime.date, end: datetime.date) -> int:
    """Report cell helper: accidents in the scope's enterprises in a window (e.g. a quarter or a year)."""
    return accidents_in(Accident.objects.visible_to(scope), start, end).count()


def accident_figures(enterprise_ids, as_of: datetime.date) -> dict[int, dict[str, float]]:
    """Per enterprise, the accidents of the 12 months ending on ``as_of``: one query (accidents are few).

    ``accident_late_reports_12m`` counts accidents reported later than their rule set's limit, or not at all
    (迟报/漏报, a 达标 revocation trigger).
    """
    start, end = twelve_months(as_of)
    rows = accidents_in(Accident.objects.filter(enterprise_id__in=enterprise_ids), start, end).values_list(
        "enterprise_id",
        "deaths",
        "serious_injuries",
        "minor_injuries",
        "direct_loss",
        "occurred_at",
        "reported_at",
        "rule_set__report_limit_hours",
    )
    out: dict[int, dict[str, float]] = {}
    for pk, deaths, serious, minor, loss, occurred, reported, limit in rows:
        f = out.setdefault(
            pk,
            {
                "accidents_12m": 0,
                "accident_deaths_12m": 0,
                "accident_injuries_12m": 0,
                "accident_minor_injuries_12m": 0,
                "accident_direct_loss_12m": 0.0,
                "accident_late_reports_12m": 0,
            },
        )
        f["accidents_12m"] += 1
        f["accident_deaths_12m"] += deaths
        f["accident_injuries_12m"] += serious
        f["accident_minor_injuries_12m"] += minor
        f["accident_direct_loss_12m"] += float(loss or Decimal("0"))
        if reported is None or reported - occurred > datetime.timedelta(hours=limit):
            f["accident_late_reports_12m"] += 1
    return out


# --- Documents and plans -----------------------------------------------------------------------------
def documents_review_due(queryset, today: datetime.date, days: int = SOON_DAYS):
    return queryset.filter(
        status=DocumentStatus.EFFECTIVE, next_review_on__lte=today + datetime.timedelta(days=days)
    )


def plans_review_due(queryset, today: datetime.date, days: int = SOON_DAYS):
    return queryset.filter(
        status=DocumentStatus.EFFECTIVE, review_due__lte=today + datetime.timedelta(days=days)
    )


def plans_not_filed(queryset):
    return queryset.filter(status=DocumentStatus.EFFECTIVE, filed_on__isnull=True)


def enterprises_with_filed_plan(enterprises, as_of: datetime.date):
    """Enterprises that had an emergency plan filed (备案) by ``as_of``."""
    filed = EmergencyPlan.objects.filter(filed_on__lte=as_of, issued_on__lte=as_of).values("enterprise_id")
    return enterprises.filter(pk__in=filed)


# --- Certificates (records of the duty app, read by name, never imported) ---------------------------------
def certificate_model():
    return apps.get_model("duty", "Certificate")


def certificates_expiring(scope: Scope, today: datetime.date, days: int = CERT_SOON_DAYS):
    """Certificates of active people, visible to ``scope``, expired or expiring within ``days``."""
    Certificate = certificate_model()
    return (
        Certificate.objects.visible_to(scope)
        .filter(person__is_active=True, expires_on__isnull=False)
        .filter(expires_on__lte=today + datetime.timedelta(days=days))
        .select_related("person__enterprise__unit")
        .order_by("expires_on", "id")
    )


# --- Supervision overview ----------------------------------------------------------------------------
def supervision_counts(scope: Scope, today: datetime.date, unit=None) -> dict[str, int]:
    """The supervisor overview's figures for the scope (or one unit's subtree inside it)."""
    year_start = datetime.date(today.year, 1, 1)

    def scoped(model, lookup="enterprise__unit__path"):
        qs = model.objects.visible_to(scope)
        return qs.filter(**{f"{lookup}__startswith": unit.path}) if unit is not None else qs

    equipment = scoped(Equipment)
    certificates = certificates_expiring(scope, today)
    if unit is not None:
        certificates = certificates.filter(person__enterprise__unit__path__startswith=unit.path)
    accidents = scoped(Accident)
    return {
        "equipment_overdue": special_equipment_overdue(equipment, today).count(),
        "equipment_due": equipment_due_on(special_equipment_in_use_on(equipment, today), today)
        .filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=SOON_DAYS))
        .count(),
        "certificates_expired": certificates.filter(expires_on__lt=today).count(),
        "certificates_expiring": certificates.filter(expires_on__gte=today).count(),
        "plans_not_filed": plans_not_filed(scoped(EmergencyPlan)).count(),
        "plans_review_overdue": plans_review_due(scoped(EmergencyPlan), today, -1).count(),
        "documents_review_overdue": documents_review_due(scoped(RuleDocument), today, -1).count(),
        "accidents_year": accidents_in(accidents, year_start, today).count(),
        "near_misses_year": accidents.filter(is_near_miss=True, occurred_at__date__gte=year_start).count(),
        "accidents_open": accidents.exclude(status="closed").count(),
    }


BY_UNIT_COLUMNS = [
    ("equipment_overdue", "特种设备检验逾期（台）"),
    ("certificates_expired", "证书已过期（本）"),
    ("plans_not_filed", "预案未备案（项）"),
    ("plans_review_overdue", "预案评估修订逾期（项）"),
    ("documents_review_overdue", "制度规程评审逾期（项）"),
    ("accidents_year", "本年事故（起）"),
    ("accidents_open", "未结案事故（起）"),
]


def supervision_by_unit(scope: Scope, today: datetime.date, units) -> list[tuple[object, dict[str, int]]]:
    """Each unit's subtree totals of the overview figures: one grouped query per figure, rolled up by path."""
    year_start = datetime.date(today.year, 1, 1)
    path = "enterprise__unit__path"

    def grouped(qs, lookup=path):
        return {r[lookup]: r["n"] for r in qs.values(lookup).annotate(n=Count("id")).order_by()}

    accidents = Accident.objects.visible_to(scope)
    plans, documents = EmergencyPlan.objects.visible_to(scope), RuleDocument.objects.visible_to(scope)
    expired = certificates_expiring(scope, today, 0).filter(expires_on__lt=today)
    per_path = {
        "equipment_overdue": grouped(special_equipment_overdue(Equipment.objects.visible_to(scope), today)),
        "certificates_expired": grouped(expired, "person__enterprise__unit__path"),
        "plans_not_filed": grouped(plans_not_filed(plans)),
        "plans_review_overdue": grouped(plans_review_due(plans, today, -1)),
        "documents_review_overdue": grouped(documents_review_due(documents, today, -1)),
        "accidents_year": grouped(accidents_in(accidents, year_start, today)),
        "accidents_open": grouped(accidents.exclude(status="closed")),
    }
    rows = []
    for unit in units:
        rows.append(
            (
                unit,
                {
                    key: sum(n for p, n in counts.items() if p.startswith(unit.path))
                    for key, counts in per_path.items()
                },
            )
        )
    return rows
