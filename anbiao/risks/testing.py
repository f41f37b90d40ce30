"""Scope-matrix pairs: one object in unit A's subtree, one in sibling unit B's, for every scoped model."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from anbiao.core.testing import png_bytes, system_scope
from anbiao.risks import grading, selectors, services
from anbiao.risks.models import EnterpriseGrade, MapShape, RiskAssessment, RiskPoint, SiteMap

ASSESSED_ON = datetime.date(2025, 6, 30)


def lec(band_sets=None):
    return next(b for b in (band_sets or selectors.current_band_sets()) if b.method == "lec")


def make_point(world, enterprise, name="配电房", factors=None, **data) -> RiskPoint:
    scope = system_scope(world.county)
    point = services.point_create(
        actor=None,
        scope=scope,
        enterprise=enterprise,
        data={"name": name, "kind": "area", "location": "一楼", "accident_types": ["05"], **data},
    )
    services.assessment_create(
        actor=None,
        scope=scope,
        point=point,
        band_set=lec(),
        factors=factors or {"L": 3, "E": 6, "C": 7},
        assessed_on=ASSESSED_ON,
    )
    point.refresh_from_db()
    return point


def _point(world, enterprise):
    existing = RiskPoint.objects.filter(enterprise=enterprise).order_by("id").first()
    return existing or make_point(world, enterprise)


def make_map(world, enterprise, point=None) -> SiteMap:
    scope = system_scope(world.county)
    site_map = services.sitemap_create(
        actor=None,
        scope=scope,
        enterprise=enterprise,
        title="厂区平面图",
        upload=SimpleUploadedFile("plan.png", png_bytes((200, 100), (240, 240, 240))),
    )
    point = point or _point(world, enterprise)
    services.sitemap_save_shapes(
        actor=None,
        scope=scope,
        site_map=site_map,
        shapes=[{"risk_point": point.pk, "kind": "polygon", "points": [[0.1, 0.1], [0.5, 0.1], [0.5, 0.6]]}],
    )
    return site_map


def _map(world, enterprise):
    return SiteMap.objects.filter(enterprise=enterprise).order_by("id").first() or make_map(world, enterprise)


def _grade(world, enterprise):
    existing = EnterpriseGrade.objects.filter(enterprise=enterprise, valid_to__isnull=True).first()
    if existing:
        return existing
    grading.grades_recompute(actor=None, scope=system_scope(world.county), on=datetime.date(2025, 9, 30))
    return EnterpriseGrade.objects.get(enterprise=enterprise, valid_to__isnull=True)


def _pair(build):
    return lambda world: (build(world, world.ent_a), build(world, world.ent_b))


PAIRS = {
    RiskPoint: _pair(_point),
    RiskAssessment: _pair(lambda w, e: RiskAssessment.objects.filter(risk_point=_point(w, e)).first()),
    SiteMap: _pair(_map),
    MapShape: _pair(lambda w, e: MapShape.objects.filter(site_map=_map(w, e)).first()),
    EnterpriseGrade: _pair(_grade),
}
