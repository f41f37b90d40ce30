"""Reads for submissions and roll-ups: who has submitted what, and a supervising unit's figures put
together from its children's submitted figures (else their live figures) plus its own (本级)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch

from anbiao.orgs.models import Organization
from anbiao.reports import figures
from anbiao.reports.choices import SubmissionStatus
from anbiao.reports.context import Quarter, ReportContext
from anbiao.reports.models import Submission, SubmissionVersion

COUNTED = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)
OWN_LABEL = "本级"
TOTAL_LABEL = "合计"


def submission_of(unit, quarter: Quarter) -> Submission | None:
    return (
        Submission.objects.filter(unit=unit, quarter=quarter.code)
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=SubmissionVersion.objects.select_related("submitted_by", "decided_by").order_by(
                    "-number"
                ),
            )
        )
        .first()
    )


def latest_version(submission: Submission | None) -> SubmissionVersion | None:
    if submission is None:
        return None
    versions = list(submission.versions.all())
    return versions[0] if versions else None


def counted_version(submission: Submission | None) -> SubmissionVersion | None:
    """The version a roll-up counts: the latest, unless the unit's report was returned."""
    if submission is None or submission.status not in COUNTED:
        return None
    return latest_version(submission)


def reporting_children(unit: Organization):
    """The units that report to ``unit``: its active direct sub-units."""
    return Organization.objects.filter(parent=unit, is_active=True).order_by("path")


def submission_states(units, quarter: Quarter, today: datetime.date) -> list[dict]:
    """Each unit's state for the quarter: status, versions, overdue (two queries)."""
    units = list(units)
    subs = {
        s.unit_id: s
        for s in Submission.objects.filter(unit__in=units, quarter=quarter.code).prefetch_related(
            Prefetch(
                "versions",
                queryset=SubmissionVersion.objects.select_related("submitted_by", "decided_by").order_by(
                    "-number"
                ),
            )
        )
    }
    out = []
    for unit in units:
        sub = subs.get(unit.pk)
        status = sub.status if sub else ""
        out.append(
            {
                "unit": unit,
                "submission": sub,
                "version": latest_version(sub),
                "status": status,
                "status_label": sub.get_status_display() if sub else "未报送",
                "overdue": status in ("", SubmissionStatus.RETURNED) and today > quarter.due,
            }
        )
    return out


@dataclass
class Part:
    """One contributor to a roll-up: a child unit (submitted or live) or the unit's own 本级 records."""

    label: str
    unit: Organization
    kind_label: str
    source: str  # "submitted", "accepted", "live" (not submitted or returned), "own"
    values: dict
    computed: dict
    row_ids: dict = field(default_factory=dict)
    version: SubmissionVersion | None = None

    def as_rollup_input(self) -> dict:
        return {"values": self.values, "computed": self.computed, "row_ids": self.row_ids}


def _live_part(ctx: ReportContext, label: str, kind_label: str, source: str) -> Part:
    """A part computed now; its row ids only for the cells the roll-up unions (the others it sums)."""
    live = figures.live(ctx)
    row_ids = figures.row_ids(ctx, live.computed, keys=figures.UNION_KEYS)
    return Part(label, ctx.unit, kind_label, source, live.values, live.computed, row_ids)


def parts(*, scope, unit: Organization, quarter: Quarter) -> list[Part]:
    """The children's parts (frozen where counted, else computed now) and the 本级 part, in path order."""
    children = list(reporting_children(unit))
    states = {s["unit"].pk: s for s in submission_states(children, quarter, datetime.date.min)}
    out = []
    for child in children:
        version = counted_version(states[child.pk]["submission"])
        kind_label = child.get_kind_display()
        if version is not None:
            out.append(
                Part(
                    child.name,
                    child,
                    kind_label,
                    states[child.pk]["status"],
                    figures.frozen(version),
                    {k: figures.number(v) for k, v in version.computed.items()},
                    version.row_ids,
                    version,
                )
            )
        else:
            ctx = ReportContext(scope=scope, unit=child, as_of=quarter.end)
            out.append(_live_part(ctx, child.name, kind_label, "live"))
    own = ReportContext(scope=scope, unit=unit, as_of=quarter.end, own_only=True)
    out.append(_live_part(own, OWN_LABEL, unit.get_kind_display(), "own"))
    return out


def blocks(all_parts: list[Part]) -> list[tuple[str, dict]]:
    """One block per unit type present among the children, the 本级 block, and the 合计 block."""
    by_kind: dict[str, list[Part]] = {}
    for p in all_parts:
        if p.source != "own":
            by_kind.setdefault(p.kind_label, []).append(p)
    out = [(kind, figures.rollup([p.as_rollup_input() for p in group])) for kind, group in by_kind.items()]
    out += [(f"{p.kind_label}（{OWN_LABEL}）", p.values) for p in all_parts if p.source == "own"]
    out.append((TOTAL_LABEL, figures.rollup([p.as_rollup_input() for p in all_parts])))
    return out
