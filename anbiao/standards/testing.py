"""Test helpers: objects of every scoped standards model on either side of the sibling boundary."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from anbiao.core.testing import png_bytes, system_scope
from anbiao.standards import services
from anbiao.standards.choices import SiteKind
from anbiao.standards.models import (
    AssessmentEntry,
    GradeRecord,
    ImprovementItem,
    LookbackReport,
    SelfAssessment,
    SiteAssessment,
    SiteResult,
    StandardsEvent,
    StarRating,
)
from anbiao.standards.selectors import active_checklist

DAY = datetime.date(2025, 6, 1)


def build_records(world, enterprise) -> dict:
    """A submitted self-assessment, an improvement item, a lookback report, a grade, a star, a 5S check."""
    scope = system_scope(world.county)
    a = services.assessment_create(
        actor=None, scope=scope, enterprise=enterprise, year=2025, leader_name="张三", started_on=DAY
    )
    entries = list(a.entries.select_related("item"))
    rows = {e.pk: {"applicable": True, "deduction": 0} for e in entries}
    rows[entries[0].pk] = {"applicable": True, "deduction": 1, "reason": "资料不全"}
    services.entries_save(actor=None, scope=scope, assessment=a, rows=rows)
    a = services.assessment_submit(
        actor=None, scope=scope, assessment=a, assessed_on=DAY, conclusion="基本符合"
    )
    item = services.improvement_create(
        actor=None,
        scope=scope,
        enterprise=enterprise,
        entry=a.entries.get(pk=entries[0].pk),
        data={
            "problem": "资料不全",
            "measure": "补齐资料",
            "responsible_name": "李四",
            "deadline": DAY,
            "found_on": DAY,
        },
    )
    lookback = services.lookback_create(
        actor=None,
        scope=scope,
        enterprise=enterprise,
        data={
            "title": "回头看评估报告",
            "period_start": datetime.date(2021, 8, 1),
            "reported_on": datetime.date(2025, 3, 20),
            "signed_by": "张三",
            "summary": "制度未及时修订",
        },
    )
    grade = services.grade_create(
        actor=None,
        scope=scope,
        enterprise=enterprise,
        data={
            "grade_type": "local",
            "level": None,
            "reviewing_body": "泉州市应急管理局",
            "certified_on": DAY,
        },
    )
    star = services.star_rate(
        actor=None,
        scope=scope,
        enterprise=enterprise,
        stars=3,
        rated_on=DAY,
        basis="地标达标",
        rater_name="县社",
    )
    checklist = active_checklist(SiteKind.FIVE_S)
    site = services.site_assessment_create(
        actor=None,
        scope=scope,
        enterprise=enterprise,
        kind=SiteKind.FIVE_S,
        assessed_on=DAY,
        assessor_name="王五",
        note="",
        results=[
            {
                "item": i,
                "passed": True,
                "score": 90,
                "photo": SimpleUploadedFile("p.png", png_bytes()) if n == 0 else None,
            }
            for n, i in enumerate(checklist.items.all())
        ],
    )
    return {
        SelfAssessment: a,
        AssessmentEntry: a.entries.first(),
        ImprovementItem: item,
        LookbackReport: lookback,
        GradeRecord: grade,
        StarRating: star,
        SiteAssessment: site,
        SiteResult: site.results.first(),
        StandardsEvent: StandardsEvent.objects.filter(enterprise=enterprise).first(),
    }


def records(world) -> tuple[dict, dict]:
    cached = world.__dict__.get("_standards_records")
    if cached is None:
        cached = (build_records(world, world.ent_a), build_records(world, world.ent_b))
        world.__dict__["_standards_records"] = cached
    return cached


def _pair(model):
    def build(world):
        inside, outside = records(world)
        return inside[model], outside[model]

    return build


PAIRS = {
    model: _pair(model)
    for model in (
        SelfAssessment,
        AssessmentEntry,
        ImprovementItem,
        LookbackReport,
        GradeRecord,
        StarRating,
        SiteAssessment,
        SiteResult,
        StandardsEvent,
    )
}
