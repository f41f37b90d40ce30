"""Families of cells counted together: one set-based query (or a few) per kind of record instead of one per
cell. Each function returns the values of its cells by key; the cells' own definitions stay in table1–3 and
``tests/test_cells.py`` checks every family against them cell by cell.
"""

from __future__ import annotations

from anbiao.campaigns import report_cells as camp
from anbiao.campaigns.choices import EnforcementKind, Level, PostType, SessionKind, ShowcaseCategory
from anbiao.duty import selectors as duty
from anbiao.hazards import selectors as hz
from anbiao.orgs.choices import SizeClass
from anbiao.reports.cells.base import D2021, D2024, D2025, Family
from anbiao.risks import selectors as risks
from anbiao.standards import selectors as std
from anbiao.standards.choices import GradeType


def _base(c):
    n = c.operating_counts()
    return {"t1.base.total": n["total"], **{f"t1.base.{size}": n[size] for size in SizeClass.values}}


def _duty(c):
    n = duty.duty_counts(c.operating, c.as_of)
    return {
        "t1.duty.lists": n["lists"],
        "t1.duty.body": n["body"],
        "t1.duty.officers": n["officers"],
        "t1.duty.officer_people": n["officer_people"],
        "t1.rescue.enterprises": n["rescue"],
        "t1.rescue.people": n["rescue_people"],
    }


def _colour(c):
    n = risks.count_enterprises_by_colour(c.operating, c.as_of)
    return {f"t1.colour.{level}": count for level, count in n.items()}


def _site(c):
    n = std.site_counts(c.operating, c.as_of, D2021)
    return {"t1.five_s": n["five_s"], "t1.six_have": n["six_have"]}


def _grades(c):
    n = std.grade_counts(c.operating, c.as_of, D2021)
    return {f"t1.grade.{gt}.{level or 'total'}": count for (gt, level), count in n.items()}


def _self_assessed(c):
    n = std.self_assessed_counts(c.operating, c.as_of, D2025)
    return {f"t1.self.{gt}": n[gt] for gt in GradeType.values}


def _stars(c):
    return {
        f"t1.stars.{stars}": count for stars, count in std.star_counts(c.operating, c.as_of, D2024).items()
    }


def _hazards(c):
    n = hz.hazard_counts(c.placed, D2025, c.as_of)
    return {
        "t1.lists.self_found": n["self_found"],
        "t1.lists.self_rectified": n["self_rectified"],
        "t3.found": n["supervisor_found"],
        "t3.rectified": n["supervisor_rectified"],
        "t3.reporting.hazards": n["internal"],
    }


def _inspections(c):
    n = hz.inspection_counts(c.placed, D2021, D2025, c.as_of)
    return {"t1.lists.enterprises": n["three_lists"], "t3.inspections": n["supervisor"]}


def _listings(c):
    n = hz.listing_counts(c.placed, D2025, c.as_of)
    return {
        "t3.listing.enterprises": n["listed"],
        "t3.listing.hazards": n["listed"],
        "t3.listing.rectified": n["rectified"],
    }


def _rewards(c):
    n = hz.reward_summary(c.placed, D2025, c.as_of)
    return {
        "t3.reporting.rewarded": n["enterprises"],
        "t3.reporting.funds": n["amount_wan"],
        "t3.reporting.people": n["people"],
    }


def _showcase(c):
    n = camp.showcase_counts(c.units, c.as_of, D2025)
    out = {}
    for level in Level.values:
        out[f"t2.town_cases.{level}"] = sum(
            v for (cat, lv, _s, _p), v in n.items() if cat == ShowcaseCategory.TOWN_CASE and lv == level
        )
        for size in SizeClass.values:
            out[f"t2.enterprise_cases.{level}.{size}"] = sum(
                v
                for (cat, lv, s, _p), v in n.items()
                if cat == ShowcaseCategory.ENTERPRISE_CASE and lv == level and s == size
            )
        for post in PostType.values:
            out[f"t2.posts.{level}.{post}"] = sum(
                v
                for (cat, lv, _s, p), v in n.items()
                if cat == ShowcaseCategory.POST and lv == level and p == post
            )
    return out


def _thousand(c):
    n = camp.thousand_counts(c.units, c.as_of, D2025)
    return {f"t2.thousand.{size}": n.get(size, 0) for size in (SizeClass.ABOVE_SCALE, SizeClass.MEDIUM)}


def _letters(c):
    n = camp.letter_counts(c.placed, c.as_of, D2025)
    return {"t2.letters": n["delivered"], "t2.commitments": n["signed"]}


def _sessions(c):
    n = camp.session_counts_by_kind(c.units, c.as_of, D2025)
    out = {}
    for kind, prefix in ((SessionKind.TRAINING, "t2.training"), (SessionKind.SITE_VISIT, "t2.site_visit")):
        out[f"{prefix}.sessions"] = n[kind]["sessions"]
        out[f"{prefix}.enterprises"] = n[kind]["enterprise_attendances"]
        out[f"{prefix}.persons"] = n[kind]["person_attendances"]
    return out


def _norms(c):
    return {f"t3.norms.{kind}": count for kind, count in camp.norm_counts(c.units, c.as_of, D2025).items()}


ENFORCEMENT_KEYS = {
    EnforcementKind.SUSPEND: "t3.suspend",
    EnforcementKind.LICENCE: "t3.licence",
    EnforcementKind.CLOSE: "t3.close",
    EnforcementKind.EXPOSE: "t3.expose",
    EnforcementKind.INTERVIEW: "t3.interview",
    EnforcementKind.INCENTIVE: "t3.incentive",
    EnforcementKind.CONSTRAINT: "t3.constraint",
}


def _enforcement(c):
    n = camp.enforcement_counts(c.placed, c.as_of, D2025)
    out = {key: n[kind]["count"] for kind, key in ENFORCEMENT_KEYS.items()}
    out["t3.fine.count"] = n[EnforcementKind.FINE]["count"]
    out["t3.fine.amount"] = n[EnforcementKind.FINE]["amount_wan"]
    out["t3.judicial"] = n[EnforcementKind.JUDICIAL]["persons"]
    return out


def _assessments(c):
    n = duty.assessment_counts(c.placed, D2025, c.as_of)
    return {
        "t3.assess.enterprises": n["assessed"],
        "t3.assess.rewarded": n["rewarded"],
        "t3.assess.funds": n["funds_wan"],
        "t3.assess.posts": n["posts"],
    }


BASE = Family("base", _base)
DUTY = Family("duty", _duty)
COLOUR = Family("colour", _colour)
SITE = Family("site", _site)
GRADES = Family("grades", _grades)
SELF_ASSESSED = Family("self_assessed", _self_assessed)
STARS = Family("stars", _stars)
HAZARDS = Family("hazards", _hazards)
INSPECTIONS = Family("inspections", _inspections)
LISTINGS = Family("listings", _listings)
REWARDS = Family("rewards", _rewards)
SHOWCASE = Family("showcase", _showcase)
THOUSAND = Family("thousand", _thousand)
LETTERS = Family("letters", _letters)
SESSIONS = Family("sessions", _sessions)
NORMS = Family("norms", _norms)
ENFORCEMENT = Family("enforcement", _enforcement)
ASSESSMENTS = Family("assessments", _assessments)
