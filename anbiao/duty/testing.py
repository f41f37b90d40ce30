"""Scope-matrix pairs and a builder of a complete 全员责任制 record set for one enterprise (tests only)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from anbiao.core.testing import png_bytes, system_scope
from anbiao.duty import models as m
from anbiao.duty import services
from anbiao.duty.choices import Employment, MemberRole, Outcome, PostLevel

START = datetime.date(2025, 1, 1)


def build_for(enterprise, actor=None, scope=None, *, prefix: str = "") -> dict:
    """Departments, people, posts with published lists, a holder each, officers, a body, a team, an assessment
    with a paid reward, a certificate and a signed 责任书 — through the services."""
    scope = scope or system_scope(enterprise.unit.__class__.objects.get(parent__isnull=True))
    dept = services.department_create(actor=actor, scope=scope, enterprise=enterprise, name=f"{prefix}综合部")
    boss = services.person_create(
        actor=actor, scope=scope, enterprise=enterprise, data={"name": f"{prefix}负责人", "department": dept}
    )
    worker = services.person_create(
        actor=actor, scope=scope, enterprise=enterprise, data={"name": f"{prefix}员工", "department": dept}
    )
    p_post = services.post_create(
        actor=actor,
        scope=scope,
        enterprise=enterprise,
        data={"name": "总经理", "level": PostLevel.PRINCIPAL, "established_on": START},
    )
    e_post = services.post_create(
        actor=actor,
        scope=scope,
        enterprise=enterprise,
        data={"name": "营业员", "level": PostLevel.EMPLOYEE, "department": dept, "established_on": START},
    )
    holding = services.holding_add(actor=actor, scope=scope, post=p_post, person=boss, valid_from=START)
    services.holding_add(actor=actor, scope=scope, post=e_post, person=worker, valid_from=START)
    lists = {}
    for post in (p_post, e_post):
        dl = services.duty_list_adopt(actor=actor, scope=scope, post=post)
        services.duty_list_publish(
            actor=actor,
            scope=scope,
            duty_list=dl,
            effective_from=datetime.date(2025, 2, 1),
            published_on=datetime.date(2025, 2, 1),
            published_place="公司公示栏",
        )
        lists[post.pk] = dl
    sig = services.duty_list_sign(
        actor=actor,
        scope=scope,
        duty_list=lists[p_post.pk],
        person=boss,
        signed_on=datetime.date(2025, 2, 2),
        upload=SimpleUploadedFile("letter.png", png_bytes()),
    )
    cert = services.certificate_add(
        actor=actor,
        scope=scope,
        person=boss,
        data={
            "kind": "principal_assessment",
            "number": f"{prefix}ZY-001",
            "issuer": "泉州市应急管理局",
            "issued_on": datetime.date(2024, 5, 1),
            "expires_on": datetime.date(2027, 4, 30),
        },
    )
    officer = services.officer_appoint(
        actor=actor,
        scope=scope,
        enterprise=enterprise,
        person=worker,
        employment=Employment.PART_TIME,
        valid_from=START,
    )
    body = services.body_create(
        actor=actor, scope=scope, enterprise=enterprise, name="安全生产委员会", document="", valid_from=START
    )
    team = services.team_create(
        actor=actor,
        scope=scope,
        enterprise=enterprise,
        data={"name": "义务消防队", "employment": Employment.PART_TIME},
        valid_from=START,
    )
    member = services.member_add(
        actor=actor, scope=scope, team=team, person=worker, role=MemberRole.LEADER, valid_from=START
    )
    assessment = services.assessment_start(
        actor=actor, scope=scope, enterprise=enterprise, year=2025, started_on=datetime.date(2025, 12, 1)
    )
    item = lists[p_post.pk].assess_items.first()
    score = services.score_record(
        actor=actor,
        scope=scope,
        assessment=assessment,
        holding=holding,
        scored_on=datetime.date(2025, 12, 10),
        assessor="考核小组",
        deductions={item.pk: ("3", "培训记录不全")},
    )
    services.score_set_outcome(
        actor=actor,
        scope=scope,
        score=score,
        outcome=Outcome.REWARD,
        amount=Decimal("2000"),
        decided_on=datetime.date(2025, 12, 20),
        paid_on=datetime.date(2026, 1, 10),
    )
    services.assessment_complete(
        actor=actor, scope=scope, assessment=assessment, completed_on=datetime.date(2025, 12, 20)
    )
    return {
        "dept": dept,
        "boss": boss,
        "worker": worker,
        "principal_post": p_post,
        "employee_post": e_post,
        "holding": holding,
        "list": lists[p_post.pk],
        "signature": sig,
        "certificate": cert,
        "officer": officer,
        "body": body,
        "team": team,
        "member": member,
        "assessment": assessment,
        "score": score,
        "deduction": score.deductions.first(),
    }


def duty_sets(world) -> tuple[dict, dict]:
    cache = world.__dict__.setdefault("_duty_sets", {})
    if not cache:
        cache["a"] = build_for(world.ent_a, prefix="甲")
        cache["b"] = build_for(world.ent_b, prefix="乙")
    return cache["a"], cache["b"]


def unit_templates(world):
    cache = world.__dict__.setdefault("_duty_templates", {})
    if not cache:
        scope = system_scope(world.county)
        system = m.DutyTemplate.objects.get(organization__isnull=True, level=PostLevel.PRINCIPAL)
        cache["a"] = services.template_derive(
            actor=None, scope=scope, source=system, organization=world.unit_a
        )
        cache["b"] = services.template_derive(
            actor=None, scope=scope, source=system, organization=world.unit_b
        )
    return cache["a"], cache["b"]


def _pair(key):
    def build(world):
        a, b = duty_sets(world)
        return a[key], b[key]

    return build


def _tpl_pair(attr=None):
    def build(world):
        a, b = unit_templates(world)
        if attr is None:
            return a, b
        return getattr(a, attr).first(), getattr(b, attr).first()

    return build


def _list_item_pair(attr):
    def build(world):
        a, b = duty_sets(world)
        return getattr(a["list"], attr).first(), getattr(b["list"], attr).first()

    return build


PAIRS = {
    m.Department: _pair("dept"),
    m.Person: _pair("boss"),
    m.Post: _pair("principal_post"),
    m.PostHolding: _pair("holding"),
    m.Certificate: _pair("certificate"),
    m.DutyList: _pair("list"),
    m.DutyItem: _list_item_pair("duty_items"),
    m.AssessItem: _list_item_pair("assess_items"),
    m.DutyListSignature: _pair("signature"),
    m.SafetyOfficer: _pair("officer"),
    m.SafetyBody: _pair("body"),
    m.RescueTeam: _pair("team"),
    m.RescueTeamMember: _pair("member"),
    m.AnnualAssessment: _pair("assessment"),
    m.AssessmentScore: _pair("score"),
    m.ScoreDeduction: _pair("deduction"),
    m.DutyTemplate: _tpl_pair(),
    m.TemplateDutyItem: _tpl_pair("duty_items"),
    m.TemplateAssessItem: _tpl_pair("assess_items"),
}
