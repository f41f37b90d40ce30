"""Reads of the 泉州 platform export. Every query starts from ``Model.objects.visible_to(scope, PERM)``.

One queryset per dataset of the catalogue (``SOURCES``), each restricted to the export's enterprises with a
subquery, so the number of queries of an export is fixed by the catalogue and never grows with the number of
enterprises or records (related rows come with ``select_related``, ``prefetch_related`` or annotations).
States with a duration (who holds a post, which list version is in force, the overall colour, the star) are
read on ``as_of``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When

from anbiao.campaigns import models as campaigns
from anbiao.cityplatform.hooks import PERM
from anbiao.core.scope import Scope
from anbiao.duty import models as duty
from anbiao.duty.choices import ListStatus, Outcome, PostLevel
from anbiao.hazards import models as hazards
from anbiao.ledgers import models as ledgers
from anbiao.orgs.choices import Status
from anbiao.orgs.models import Enterprise, EnterpriseState, Organization
from anbiao.risks import models as risks
from anbiao.risks.choices import PointStatus
from anbiao.standards import models as standards


def current_on(day: datetime.date, prefix: str = "") -> Q:
    """Rows of a dated history (``valid_from``/``valid_to``, half-open) that cover ``day``."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


# --- what is exported ---------------------------------------------------------------------------------------
def export_units(scope: Scope):
    """The units whose subtree the user may export."""
    return Organization.objects.visible_to(scope, PERM).order_by("path")


def default_unit(scope: Scope) -> Organization | None:
    """The user's own top unit (the root of one of their grants carrying the permission)."""
    return export_units(scope).filter(path__in=scope.q_paths(PERM)).first()


def export_enterprises(scope: Scope):
    """Every enterprise the user may export (an enterprise user: their own)."""
    return Enterprise.objects.visible_to(scope, PERM).select_related("unit").order_by("name", "id")


def unit_enterprises(scope: Scope, unit: Organization):
    """The enterprises now supervised inside ``unit``'s subtree, without those 注销 (closed)."""
    return (
        Enterprise.objects.visible_to(scope, PERM)
        .filter(unit__path__startswith=unit.path)
        .exclude(status=Status.CLOSED)
    )


def one_enterprise(scope: Scope, enterprise: Enterprise):
    """Just this enterprise (whatever its status: the user chose it)."""
    return Enterprise.objects.visible_to(scope, PERM).filter(pk=enterprise.pk)


# --- one queryset per dataset ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    query: Callable[[Scope, QuerySet, datetime.date], QuerySet]
    enterprise: str = "enterprise"  # lookup from a row to its enterprise ("" = the row is the enterprise)

    def rows(self, scope: Scope, enterprises: QuerySet, as_of: datetime.date) -> QuerySet:
        qs = self.query(scope, enterprises, as_of)
        prefix = f"{self.enterprise}__" if self.enterprise else ""
        return qs.order_by(f"{prefix}name", f"{prefix}id", *qs.query.order_by, "pk")


def _scoped(model, scope, enterprises, lookup="enterprise"):
    return model.objects.visible_to(scope, PERM).filter(**{f"{lookup}__in": enterprises})


def _enterprises(scope, enterprises, as_of):
    states = EnterpriseState.objects.filter(current_on(as_of)).select_related("unit")
    return (
        Enterprise.objects.visible_to(scope, PERM)
        .filter(pk__in=enterprises)
        .select_related("unit", "industry", "township", "landlord_unit")
        .prefetch_related(Prefetch("states", queryset=states, to_attr="states_on"))
    )


_LEVEL_ORDER = Case(
    *(When(level=value, then=Value(n)) for n, value in enumerate(PostLevel.values)),
    output_field=IntegerField(),
)


def _effective_lists(day):
    return (
        Q(status__in=[ListStatus.EFFECTIVE, ListStatus.SUPERSEDED])
        & Q(effective_from__lte=day)
        & (Q(superseded_on__isnull=True) | Q(superseded_on__gt=day))
    )


def _posts(scope, enterprises, as_of):
    holdings = (
        duty.PostHolding.objects.filter(current_on(as_of))
        .select_related("person")
        .order_by("valid_from", "id")
    )
    lists = (
        duty.DutyList.objects.filter(_effective_lists(as_of))
        .annotate(
            n_duty=Count("duty_items", distinct=True),
            n_assess=Count("assess_items", distinct=True),
            n_signatures=Count("signatures", distinct=True),
        )
        .order_by("-version")
    )
    return (
        _scoped(duty.Post, scope, enterprises)
        .filter(established_on__lte=as_of)
        .filter(Q(abolished_on__isnull=True) | Q(abolished_on__gt=as_of))
        .select_related("enterprise", "department")
        .prefetch_related(
            Prefetch("holdings", queryset=holdings, to_attr="holdings_on"),
            Prefetch("lists", queryset=lists, to_attr="lists_on"),
        )
        .annotate(level_order=_LEVEL_ORDER)
        .order_by("level_order", "name")
    )


def _safety_bodies(scope, enterprises, as_of):
    return (
        _scoped(duty.SafetyBody, scope, enterprises)
        .filter(current_on(as_of))
        .select_related("enterprise")
        .order_by("valid_from")
    )


def _safety_officers(scope, enterprises, as_of):
    return (
        _scoped(duty.SafetyOfficer, scope, enterprises)
        .filter(current_on(as_of))
        .select_related("enterprise", "person")
        .order_by("valid_from")
    )


def _annual_assessments(scope, enterprises, as_of):
    reward = Q(scores__outcome=Outcome.REWARD)
    return (
        _scoped(duty.AnnualAssessment, scope, enterprises)
        .select_related("enterprise")
        .annotate(
            n_scored=Count("scores"),
            n_passed=Count("scores", filter=Q(scores__passed=True)),
            n_rewards=Count("scores", filter=reward),
            n_penalties=Count("scores", filter=Q(scores__outcome=Outcome.PENALTY)),
            reward_total=Sum("scores__amount", filter=reward),
        )
        .order_by("year")
    )


def _simple(model, *order, related=("enterprise",)):
    def query(scope, enterprises, as_of):
        return _scoped(model, scope, enterprises).select_related(*related).order_by(*order)

    return query


def _norm_documents(scope, enterprises, as_of):
    return (
        _scoped(campaigns.NormDocument, scope, enterprises).select_related("enterprise").order_by("issued_on")
    )


def _training_sessions(scope, enterprises, as_of):
    return (
        _scoped(ledgers.TrainingSession, scope, enterprises)
        .select_related("enterprise")
        .annotate(
            n_attendees=Count("attendances"),
            n_passed=Count("attendances", filter=Q(attendances__passed=True)),
        )
        .order_by("planned_on")
    )


def _training_attendances(scope, enterprises, as_of):
    return (
        _scoped(ledgers.TrainingAttendance, scope, enterprises, "session__enterprise")
        .select_related("session__enterprise", "person")
        .order_by("session__planned_on", "session_id", "person__name")
    )


def _certificates(scope, enterprises, as_of):
    return (
        _scoped(duty.Certificate, scope, enterprises, "person__enterprise")
        .select_related("person__enterprise")
        .order_by("person__name", "kind", "issued_on")
    )


def _campaign_attendances(scope, enterprises, as_of):
    return (
        _scoped(campaigns.Attendance, scope, enterprises)
        .select_related("enterprise", "session")
        .order_by("session__held_on", "session_id", "person_name")
    )


def _equipment_inspections(scope, enterprises, as_of):
    return (
        _scoped(ledgers.EquipmentInspection, scope, enterprises, "equipment__enterprise")
        .select_related("equipment__enterprise")
        .order_by("equipment__name", "equipment_id", "inspected_on")
    )


def _site_assessments(scope, enterprises, as_of):
    results = standards.SiteResult.objects.select_related("item").order_by("item__order", "id")
    return (
        _scoped(standards.SiteAssessment, scope, enterprises)
        .select_related("enterprise", "checklist")
        .prefetch_related(Prefetch("results", queryset=results, to_attr="results_list"))
        .order_by("assessed_on", "kind")
    )


def _risk_points(scope, enterprises, as_of):
    return (
        _scoped(risks.RiskPoint, scope, enterprises)
        .filter(status=PointStatus.ACTIVE)
        .select_related("enterprise")
        .order_by("name")
    )


def _enterprise_grades(scope, enterprises, as_of):
    return (
        _scoped(risks.EnterpriseGrade, scope, enterprises)
        .filter(current_on(as_of))
        .select_related("enterprise")
    )


def _site_maps(scope, enterprises, as_of):
    return (
        _scoped(risks.SiteMap, scope, enterprises)
        .select_related("enterprise")
        .annotate(n_marked=Count("shapes__risk_point", distinct=True))
        .order_by("title")
    )


def _inspections(scope, enterprises, as_of):
    return (
        _scoped(hazards.Inspection, scope, enterprises)
        .select_related("enterprise", "organization", "version__template")
        .annotate(
            n_results=Count("results", distinct=True),
            n_failed=Count("results", filter=Q(results__outcome="fail"), distinct=True),
            n_hazards=Count("hazards", distinct=True),
        )
        .order_by("inspected_on")
    )


def _listings(scope, enterprises, as_of):
    return (
        _scoped(hazards.HazardListing, scope, enterprises, "hazard__enterprise")
        .select_related("hazard__enterprise", "organization")
        .order_by("listed_on")
    )


def _rescue_teams(scope, enterprises, as_of):
    return (
        _scoped(duty.RescueTeam, scope, enterprises)
        .filter(current_on(as_of))
        .select_related("enterprise")
        .annotate(n_members=Count("members", filter=current_on(as_of, "members__")))
        .order_by("name")
    )


def _improvement_items(scope, enterprises, as_of):
    return (
        _scoped(standards.ImprovementItem, scope, enterprises)
        .select_related("enterprise")
        .order_by("found_on")
    )


def _star_ratings(scope, enterprises, as_of):
    return (
        _scoped(standards.StarRating, scope, enterprises)
        .filter(current_on(as_of))
        .select_related("enterprise")
    )


SOURCES: dict[tuple[str, str], Source] = {
    ("basic_info", "enterprises"): Source(_enterprises, ""),
    ("responsibility", "posts"): Source(_posts),
    ("responsibility", "safety_bodies"): Source(_safety_bodies),
    ("responsibility", "safety_officers"): Source(_safety_officers),
    ("responsibility", "annual_assessments"): Source(_annual_assessments),
    ("institutional_management", "regulations"): Source(_simple(ledgers.RegulationItem, "category", "title")),
    ("institutional_management", "documents"): Source(
        _simple(ledgers.RuleDocument, "kind", "title", "approved_on")
    ),
    ("institutional_management", "norm_documents"): Source(_norm_documents),
    ("education_training", "sessions"): Source(_training_sessions),
    ("education_training", "attendances"): Source(_training_attendances, "session__enterprise"),
    ("education_training", "certificates"): Source(_certificates, "person__enterprise"),
    ("education_training", "campaign_attendances"): Source(_campaign_attendances),
    ("equipment_facilities", "equipment"): Source(_simple(ledgers.Equipment, "category", "name")),
    ("equipment_facilities", "inspections"): Source(_equipment_inspections, "equipment__enterprise"),
    ("site_management", "site_assessments"): Source(_site_assessments),
    ("risk_control", "risk_points"): Source(_risk_points),
    ("risk_control", "enterprise_grades"): Source(_enterprise_grades),
    ("risk_control", "site_maps"): Source(_site_maps),
    ("hazard_management", "inspections"): Source(_inspections),
    ("hazard_management", "hazards"): Source(
        _simple(hazards.Hazard, "found_on", "code", related=("enterprise", "risk_point"))
    ),
    ("hazard_management", "listings"): Source(_listings, "hazard__enterprise"),
    ("hazard_management", "reporting_channels"): Source(_simple(hazards.ReportingChannel)),
    ("hazard_management", "internal_reports"): Source(
        _simple(hazards.InternalReport, "received_at", related=("enterprise", "hazard"))
    ),
    ("emergency_management", "plans"): Source(_simple(ledgers.EmergencyPlan, "kind", "title", "issued_on")),
    ("emergency_management", "drills"): Source(
        _simple(ledgers.Drill, "held_on", related=("enterprise", "plan", "team"))
    ),
    ("emergency_management", "supplies"): Source(_simple(ledgers.EmergencySupply, "name")),
    ("emergency_management", "rescue_teams"): Source(_rescue_teams),
    ("accident_management", "accidents"): Source(_simple(ledgers.Accident, "occurred_at")),
    ("continuous_improvement", "self_assessments"): Source(
        _simple(standards.SelfAssessment, "year", related=("enterprise", "standard"))
    ),
    ("continuous_improvement", "improvement_items"): Source(_improvement_items),
    ("continuous_improvement", "lookback_reports"): Source(_simple(standards.LookbackReport, "reported_on")),
    ("continuous_improvement", "grade_records"): Source(_simple(standards.GradeRecord, "valid_from")),
    ("continuous_improvement", "star_ratings"): Source(_star_ratings),
    ("continuous_improvement", "letters"): Source(
        _simple(campaigns.EnterpriseLetter, "campaign__year", related=("enterprise", "campaign"))
    ),
}


def dataset_rows(group_key: str, dataset_key: str, *, scope: Scope, enterprises, as_of: datetime.date):
    return SOURCES[(group_key, dataset_key)].rows(scope, enterprises, as_of)


def dataset_counts(*, scope: Scope, enterprises, as_of: datetime.date) -> dict[tuple[str, str], int]:
    """How many rows each dataset would export: one count query per dataset."""
    return {key: source.query(scope, enterprises, as_of).count() for key, source in SOURCES.items()}
