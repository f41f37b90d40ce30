"""Reads of the campaign ledgers. Every selector starts from the scoped queryset (or from a queryset of
units / enterprises the caller already scoped), and counts take ``as_of`` and a window start."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q

from anbiao.campaigns import rules
from anbiao.campaigns.choices import FilingStatus, TaskStatus, Timeliness
from anbiao.campaigns.models import Campaign, EnterpriseLetter, Filing, Requirement, WorkTask

# The 季报表 cell selectors live in report_cells.py (one module per concern); re-exported here.
from anbiao.campaigns.report_cells import (  # noqa: F401
    REPORT_CELLS,
    commitments_signed_enterprises,
    enforcement_count,
    enterprise_cases,
    fine_amount_wan,
    judicial_persons,
    letters_delivered_enterprises,
    norm_documents,
    posts,
    session_counts,
    site_visit_enterprise_attendances,
    site_visit_person_attendances,
    site_visit_sessions,
    thousand_enterprises,
    town_cases,
    training_enterprise_attendances,
    training_person_attendances,
    training_sessions,
)
from anbiao.core.scope import Scope
from anbiao.orgs.choices import Status
from anbiao.orgs.models import Enterprise, Organization


def campaign_list():
    """Campaigns are county-published data readable by every supervisor (like the notice itself)."""
    return Campaign.objects.select_related("organization").order_by("-year", "-id")


def current_campaigns(today: datetime.date):
    return campaign_list().filter(is_active=True, starts_on__lte=today)


def pick_campaign(value) -> Campaign | None:
    """The campaign named by ``value`` (an id), else the latest active one, else the latest."""
    qs = campaign_list()
    chosen = None
    if value:
        try:
            chosen = qs.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            chosen = None
    return chosen or qs.filter(is_active=True).first() or qs.first()


def expected_units(*, scope: Scope, campaign: Campaign, perm: str | None = None):
    """The active units in the caller's scope that must file for ``campaign`` (below its organiser)."""
    qs = Organization.objects.visible_to(scope, perm).filter(is_active=True)
    if campaign.organization_id is None:
        qs = qs.filter(parent__isnull=False)
    else:
        qs = qs.filter(path__startswith=campaign.organization.path).exclude(pk=campaign.organization_id)
    return qs.order_by("path")


def unit_obligations(
    *, scope: Scope, campaign: Campaign, as_of: datetime.date, phase=None, unit=None
) -> list[dict]:
    """Per expected unit, per deliverable: 按时 / 逾期报送 / 逾期未报 / 未到期 / 被退回, from the deadlines.

    Three queries whatever the number of units: units, deliverables, filings.
    """
    units = expected_units(scope=scope, campaign=campaign)
    if unit is not None:
        units = units.filter(path__startswith=unit.path)
    units = list(units)
    requirements = list(Requirement.objects.filter(campaign=campaign).select_related("phase"))
    if phase is not None:
        requirements = [r for r in requirements if r.phase_id == phase.pk]
    filings = defaultdict(list)
    for f in (
        Filing.objects.visible_to(scope)
        .filter(requirement__in=requirements, unit__in=units)
        .select_related("scan", "editable")
        .order_by("filed_on", "id")
    ):
        filings[(f.unit_id, f.requirement_id)].append(f)
    labels = dict(Timeliness.choices)
    rows = []
    for u in units:
        cells = []
        for req in requirements:
            mine = filings.get((u.pk, req.pk), [])
            facts = [
                rules.FilingFact(
                    f.filed_on,
                    f.status,
                    f.reviewed_at.date() if f.status == FilingStatus.RETURNED and f.reviewed_at else None,
                )
                for f in mine
            ]
            state = rules.filing_timeliness(req.due, facts, as_of)
            latest = mine[-1] if mine else None
            cells.append(
                {
                    "requirement": req,
                    "timeliness": state,
                    "label": str(labels[state]),
                    "filing": latest,
                    "days_late": rules.days_late(req.due, latest.filed_on)
                    if latest and state == Timeliness.LATE
                    else (as_of - req.due).days
                    if state == Timeliness.MISSING
                    else 0,
                }
            )
        rows.append({"unit": u, "cells": cells})
    return rows


def obligation_summary(rows: list[dict]) -> list[dict]:
    """Per deliverable: how many units are on time, late, missing, pending, returned."""
    if not rows:
        return []
    summary = []
    for index, cell in enumerate(rows[0]["cells"]):
        counts = defaultdict(int)
        for row in rows:
            counts[row["cells"][index]["timeliness"]] += 1
        summary.append({"requirement": cell["requirement"], **{k: counts[k] for k in Timeliness.values}})
    return summary


def late_units(rows: list[dict], requirement_ids=None) -> list[dict]:
    """The units that are late or missing on any deliverable (of ``requirement_ids`` when given)."""
    out = []
    for row in rows:
        bad = [
            c
            for c in row["cells"]
            if c["timeliness"] in (Timeliness.LATE, Timeliness.MISSING, Timeliness.RETURNED)
            and (requirement_ids is None or c["requirement"].pk in requirement_ids)
        ]
        if bad:
            out.append({"unit": row["unit"], "cells": bad})
    return out


# --- 年度工作任务清单 -------------------------------------------------------------------------------------
def overdue_q(as_of: datetime.date) -> Q:
    return Q(due__lt=as_of) & ~Q(status=TaskStatus.DONE)


def overdue_tasks(*, scope: Scope, as_of: datetime.date):
    return WorkTask.objects.visible_to(scope).filter(overdue_q(as_of))


# --- 告知书 / 承诺书 --------------------------------------------------------------------------------------
def letter_targets(*, scope: Scope, unit=None, as_of: datetime.date | None = None):
    """Enterprises that should get the letters: visible, not closed (on ``as_of`` when given)."""
    qs = Enterprise.objects.visible_to(scope).exclude(status=Status.CLOSED)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if as_of is not None:
        qs = qs.filter(registered_on__lte=as_of)
    return qs


def letter_progress(*, scope: Scope, campaign: Campaign, as_of: datetime.date, unit=None) -> dict:
    """函告企业数 and 签订承诺书企业数 for the caller's (or ``unit``'s) subtree, with who is still missing."""
    targets = letter_targets(scope=scope, unit=unit)
    letters = EnterpriseLetter.objects.visible_to(scope).filter(campaign=campaign, enterprise__in=targets)
    delivered = set(letters.filter(delivered_on__lte=as_of).values_list("enterprise_id", flat=True))
    signed = set(letters.filter(signed_on__lte=as_of).values_list("enterprise_id", flat=True))
    posted = set(letters.filter(posted_on__lte=as_of).values_list("enterprise_id", flat=True))
    generated = set(letters.values_list("enterprise_id", flat=True))
    rows = list(
        targets.select_related("unit").order_by("unit__path", "name").values("id", "name", "unit__name")
    )
    total = len(rows)
    return {
        "total": total,
        "generated": len(generated),
        "delivered": len(delivered),
        "signed": len(signed),
        "posted": len(posted),
        "not_delivered": [r for r in rows if r["id"] not in delivered],
        "not_signed": [r for r in rows if r["id"] not in signed],
        "not_generated": [r for r in rows if r["id"] not in generated],
    }


def unit_letter_counts(*, scope: Scope, campaign: Campaign, as_of: datetime.date) -> dict[int, dict]:
    """Per expected unit (its subtree): enterprises, delivered, signed — for the county's board. 3 queries."""
    units = list(expected_units(scope=scope, campaign=campaign))
    ents = list(letter_targets(scope=scope).values_list("id", "unit__path"))
    letters = {
        e: (d, s)
        for e, d, s in EnterpriseLetter.objects.visible_to(scope)
        .filter(campaign=campaign)
        .values_list("enterprise_id", "delivered_on", "signed_on")
    }
    out = {}
    for u in units:
        mine = [pk for pk, path in ents if path.startswith(u.path)]
        out[u.pk] = {
            "total": len(mine),
            "delivered": sum(1 for pk in mine if letters.get(pk, (None,))[0] and letters[pk][0] <= as_of),
            "signed": sum(1 for pk in mine if pk in letters and letters[pk][1] and letters[pk][1] <= as_of),
        }
    return out


# --- For the 两个关键少数 view (duty app) ------------------------------------------------------------------
def person_trainings(*, scope: Scope, enterprise, person_name: str):
    """The sessions a person of an enterprise attended (matched by name until duty's people are linked)."""
    from anbiao.campaigns.models import Attendance

    return (
        Attendance.objects.visible_to(scope)
        .filter(enterprise=enterprise, person_name=person_name.strip())
        .select_related("session")
        .order_by("-session__held_on")
    )
