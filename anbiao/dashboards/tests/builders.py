"""Constructed records in the persona world (units A with child A1, and B), dated relative to today so the
dashboards (which count as of today) and the list pages they link to (which filter as of today) agree."""

from __future__ import annotations

import datetime

from django.utils import timezone

from anbiao.campaigns.models import Campaign, EnterpriseLetter, Filing, Requirement
from anbiao.campaigns.seed import ensure_2025
from anbiao.core.models import Notification
from anbiao.core.testing import system_scope
from anbiao.hazards.choices import Source, State
from anbiao.hazards.models import Hazard
from anbiao.hazards.tests import factories as hf
from anbiao.orgs import services as org_services
from anbiao.orgs.tests.factories import enterprise_data
from anbiao.risks.choices import GradeSource, Level, PointKind, PointStatus
from anbiao.risks.models import EnterpriseGrade, RiskPoint
from anbiao.standards.models import SelfAssessment, Standard
from anbiao.standards.services import records as std_records


def today() -> datetime.date:
    return timezone.localdate()


def months_ago(n: int) -> datetime.date:
    """The first day of the month ``n`` months before this one."""
    t = today()
    index = t.year * 12 + t.month - 1 - n
    return datetime.date(index // 12, index % 12 + 1, 1)


def hazard(world, enterprise, found_on, **fields) -> Hazard:
    h = hf.hazard(world, enterprise, source=Source.SELF, found_on=found_on)
    if fields:
        Hazard.objects.filter(pk=h.pk).update(**fields)
        h.refresh_from_db()
    return h


def colour(enterprise, level: str) -> EnterpriseGrade:
    # where facts-changed hooks already graded the enterprise (on the demo), this colour replaces it
    EnterpriseGrade.objects.filter(enterprise=enterprise, valid_to__isnull=True).delete()
    return EnterpriseGrade.objects.create(
        enterprise=enterprise,
        valid_from=today() - datetime.timedelta(days=30),
        level=level,
        computed_level=level,
        source=GradeSource.COMPUTED,
    )


def point(enterprise, level: str, *, status=PointStatus.ACTIVE, review_in_days=90) -> RiskPoint:
    return RiskPoint.objects.create(
        enterprise=enterprise,
        name=f"{enterprise.name}{level}风险点",
        kind=PointKind.AREA,
        level=level,
        status=status,
        assessed_on=today() - datetime.timedelta(days=30),
        next_review_on=today() + datetime.timedelta(days=review_in_days),
    )


def self_assessment(enterprise, status: str) -> SelfAssessment:
    return SelfAssessment.objects.create(
        enterprise=enterprise,
        standard=Standard.objects.filter(is_active=True).first(),
        year=today().year,
        status=status,
        leader_name="张三",
        started_on=today() - datetime.timedelta(days=20),
        assessed_on=today() - datetime.timedelta(days=10) if status != "draft" else None,
    )


def grade(world, enterprise, grade_type: str, level: int | None):
    return std_records.grade_create(
        actor=None,
        scope=system_scope(world.county),
        enterprise=enterprise,
        data={
            "grade_type": grade_type,
            "level": level,
            "reviewing_body": "泉州市应急管理局",
            "certified_on": today() - datetime.timedelta(days=100),
        },
    )


def stars(world, enterprise, n: int):
    return std_records.star_rate(
        actor=None,
        scope=system_scope(world.county),
        enterprise=enterprise,
        stars=n,
        rated_on=today() - datetime.timedelta(days=10),
        basis="达标",
        rater_name="县社",
    )


def letter(campaign: Campaign, enterprise, *, delivered=False, signed=False) -> EnterpriseLetter:
    return EnterpriseLetter.objects.create(
        campaign=campaign,
        enterprise=enterprise,
        deadline=campaign.letter_deadline,
        delivered_on=campaign.starts_on if delivered else None,
        signed_on=campaign.starts_on if signed else None,
    )


def enterprise(world, unit, name: str):
    return org_services.enterprise_create(
        actor=None,
        scope=system_scope(world.county),
        data=enterprise_data(unit=unit, name=name, registered_on=datetime.date(2024, 1, 1)),
    )


def build(world) -> dict:
    """Records of every counted kind in A, A1 and B; the keys name the ones tests look for."""
    t = today()
    w = world
    h = {
        "a_closed": hazard(w, w.ent_a, months_ago(0), state=State.CLOSED, accepted_on=t),
        "a_overdue": hazard(
            w, w.ent_a, months_ago(0), state=State.PENDING, deadline=t - datetime.timedelta(days=1)
        ),
        "a1_rectifying": hazard(
            w, w.ent_a1, months_ago(2), state=State.RECTIFYING, deadline=t + datetime.timedelta(days=5)
        ),
        "a_voided": hazard(w, w.ent_a, months_ago(2), state=State.VOIDED, voided_on=months_ago(2)),
        "a_too_old": hazard(w, w.ent_a, months_ago(13)),
        "b_closed": hazard(w, w.ent_b, months_ago(0), state=State.CLOSED, accepted_on=t),
        "b_awaiting": hazard(
            w, w.ent_b, months_ago(0), state=State.AWAITING, deadline=t - datetime.timedelta(days=3)
        ),
    }
    colour(w.ent_a, Level.MAJOR)
    colour(w.ent_a1, Level.LOW)
    colour(w.ent_b, Level.GENERAL)
    point(w.ent_a, Level.MAJOR)
    point(w.ent_a, Level.LOW, review_in_days=-5)
    point(w.ent_a, Level.GENERAL, status=PointStatus.RETIRED)
    point(w.ent_b, Level.SIGNIFICANT)
    grade(w, w.ent_a, "national", 2)
    grade(w, w.ent_b, "local", None)
    stars(w, w.ent_a, 3)
    stars(w, w.ent_b, 4)
    self_assessment(w.ent_a, "submitted")
    self_assessment(w.ent_a1, "draft")
    campaign = ensure_2025()
    letter(campaign, w.ent_a, delivered=True, signed=True)
    letter(campaign, w.ent_a1, delivered=True)
    first = Requirement.objects.filter(campaign=campaign).order_by("due").first()
    Filing.objects.create(requirement=first, unit=w.unit_a, filed_on=first.due)
    Notification.objects.create(
        user=w.principal_a, key="test.a", title="甲一超市：年度自评尚未提交", due=t, level="warning"
    )
    Notification.objects.create(
        user=w.principal_b, key="test.b", title="乙一加油站：特种设备检验逾期", due=t, level="danger"
    )
    return {"hazards": h, "campaign": campaign, "requirement": first}


def more_enterprises(world, n: int = 6) -> None:
    """``n`` more enterprises across A, A1 and B, each with records of every counted kind."""
    campaign = ensure_2025()
    units = [world.unit_a, world.unit_a1, world.unit_b]
    levels = [Level.MAJOR, Level.SIGNIFICANT, Level.GENERAL, Level.LOW]
    for i in range(n):
        e = enterprise(world, units[i % 3], f"加测企业{i}")
        hazard(world, e, months_ago(i % 12), state=State.CLOSED, accepted_on=today())
        hazard(world, e, months_ago(0), state=State.PENDING, deadline=today() - datetime.timedelta(days=2))
        colour(e, levels[i % 4])
        point(e, levels[(i + 1) % 4])
        grade(world, e, "provincial", 1 + i % 3)
        stars(world, e, 1 + i % 5)
        self_assessment(e, "submitted")
        letter(campaign, e, delivered=True, signed=i % 2 == 0)
