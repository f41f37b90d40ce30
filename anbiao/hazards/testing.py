"""Scope-matrix pairs for the hazard module: one row in unit A's subtree, one in sibling unit B's."""

from anbiao.hazards.models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    Hazard,
    HazardEvent,
    HazardListing,
    Inspection,
    InspectionPlan,
    InspectionResult,
    InternalReport,
    ReportingChannel,
)


def _templates(w):
    from anbiao.hazards.tests import factories

    return factories.template(w, organization=w.unit_a, name="甲清单"), factories.template(
        w, organization=w.unit_b, name="乙清单"
    )


def _inspections(w):
    from anbiao.hazards.tests import factories

    return factories.inspection(w, w.ent_a), factories.inspection(w, w.ent_b)


def _hazards(w):
    from anbiao.hazards.tests import factories

    return factories.hazard(w, w.ent_a), factories.hazard(w, w.ent_b)


def _listings(w):
    import datetime

    from anbiao.hazards.services.hazards import listing_create
    from anbiao.hazards.tests import factories

    out = []
    for ent, unit in ((w.ent_a, w.unit_a), (w.ent_b, w.unit_b)):
        h = factories.hazard(w, ent, level="major")
        out.append(
            listing_create(
                actor=None,
                scope=factories.root(w),
                hazard=h,
                organization=unit,
                data={
                    "listed_on": factories.DAY,
                    "deadline": factories.DAY + datetime.timedelta(days=30),
                    "requirements": "限期整改",
                },
            )
        )
    return tuple(out)


def _plans(w):
    from anbiao.hazards.services.inspections import plan_create
    from anbiao.hazards.tests import factories

    return tuple(
        plan_create(
            actor=None,
            scope=factories.root(w),
            data={"organization": unit, "enterprise": ent, "kind": "unit", "planned_on": factories.DAY},
        )
        for ent, unit in ((w.ent_a, w.unit_a), (w.ent_b, w.unit_b))
    )


def _first(builder, attr):
    def build(w):
        a, b = builder(w)
        return getattr(a, attr).first(), getattr(b, attr).first()

    return build


def _reports(w):
    from anbiao.hazards.tests import factories

    return factories.internal_report(w, w.ent_a), factories.internal_report(w, w.ent_b)


PAIRS = {
    ChecklistTemplate: _templates,
    ChecklistVersion: _first(_templates, "versions"),
    ChecklistItem: lambda w: tuple(v.items.first() for v in _first(_templates, "versions")(w)),
    Inspection: _inspections,
    InspectionResult: _first(_inspections, "results"),
    InspectionPlan: _plans,
    Hazard: _hazards,
    HazardEvent: _first(_hazards, "events"),
    HazardListing: _listings,
    InternalReport: _reports,
    ReportingChannel: lambda w: tuple(r.enterprise.reporting_channel for r in _reports(w)),
}
