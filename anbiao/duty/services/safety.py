"""Safety management body, officers and emergency rescue teams (dated appointments)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from anbiao.core import audit
from anbiao.core import files as evidence
from anbiao.duty.models import RescueTeam, RescueTeamMember, SafetyBody, SafetyOfficer
from anbiao.duty.services.base import EDIT, end_period, log, require, start_period

TEAM_FIELDS = ["name", "employment", "contact_name", "contact_phone", "equipment", "note"]


@transaction.atomic
def body_create(
    *, actor, scope, enterprise, name: str, document: str, valid_from: datetime.date, note="", upload=None
) -> SafetyBody:
    require(scope, EDIT, enterprise)
    if SafetyBody.objects.filter(enterprise=enterprise, valid_to__isnull=True).exists():
        raise ValidationError("该企业已有在设的安全生产管理机构，请先撤销原机构。")
    body = SafetyBody(enterprise=enterprise, name=(name or "").strip(), document=document, note=note)
    start_period(body, valid_from, actor)
    body.full_clean(exclude=["file"])
    body.save()
    if upload is not None:
        body.file = evidence.store(
            actor=actor, upload=upload, enterprise=enterprise, owner=body, title=f"{body.name} 设立文件"
        )
        body.save(update_fields=["file"])
    log(actor, "body_create", body, enterprise)
    return body


@transaction.atomic
def body_end(*, actor, scope, body: SafetyBody, valid_to: datetime.date) -> SafetyBody:
    require(scope, EDIT, body)
    end_period(actor=actor, obj=body, enterprise=body.enterprise, valid_to=valid_to, action="body_end")
    return body


@transaction.atomic
def officer_appoint(
    *, actor, scope, enterprise, person, employment: str, valid_from: datetime.date, document="", note=""
) -> SafetyOfficer:
    require(scope, EDIT, enterprise)
    if person.enterprise_id != enterprise.pk:
        raise ValidationError({"person": "人员不属于该企业。"})
    if not person.is_active:
        raise ValidationError({"person": "该人员已离职。"})
    if SafetyOfficer.objects.filter(enterprise=enterprise, person=person, valid_to__isnull=True).exists():
        raise ValidationError({"person": f"{person.name} 已是安全生产管理人员。"})
    officer = SafetyOfficer(
        enterprise=enterprise, person=person, employment=employment, appointment_document=document, note=note
    )
    start_period(officer, valid_from, actor)
    officer.full_clean()
    officer.save()
    log(actor, "officer_appoint", officer, enterprise)
    return officer


@transaction.atomic
def officer_end(*, actor, scope, officer: SafetyOfficer, valid_to: datetime.date) -> SafetyOfficer:
    require(scope, EDIT, officer)
    end_period(
        actor=actor, obj=officer, enterprise=officer.enterprise, valid_to=valid_to, action="officer_end"
    )
    return officer


@transaction.atomic
def team_create(*, actor, scope, enterprise, data: dict, valid_from: datetime.date) -> RescueTeam:
    require(scope, EDIT, enterprise)
    team = RescueTeam(enterprise=enterprise)
    for k, v in data.items():
        if k not in TEAM_FIELDS:
            raise ValidationError(f"不能修改字段 {k}。")
        setattr(team, k, v)
    start_period(team, valid_from, actor)
    team.full_clean()
    team.save()
    log(actor, "team_create", team, enterprise)
    return team


@transaction.atomic
def team_update(*, actor, scope, team: RescueTeam, data: dict) -> RescueTeam:
    require(scope, EDIT, team)
    before = audit.snapshot(team)
    for k, v in data.items():
        if k not in TEAM_FIELDS:
            raise ValidationError(f"不能修改字段 {k}。")
        setattr(team, k, v)
    team.full_clean()
    team.save()
    log(actor, "team_update", team, team.enterprise, before=before, after=audit.snapshot(team))
    return team


@transaction.atomic
def team_disband(*, actor, scope, team: RescueTeam, valid_to: datetime.date) -> RescueTeam:
    require(scope, EDIT, team)
    end_period(actor=actor, obj=team, enterprise=team.enterprise, valid_to=valid_to, action="team_disband")
    for m in team.members.filter(valid_to__isnull=True):
        m.valid_to = max(valid_to, m.valid_from + datetime.timedelta(days=1))
        m.save(update_fields=["valid_to"])
    return team


@transaction.atomic
def member_add(
    *, actor, scope, team: RescueTeam, person, role: str, valid_from: datetime.date
) -> RescueTeamMember:
    require(scope, EDIT, team)
    if team.valid_to is not None:
        raise ValidationError("队伍已撤销。")
    if person.enterprise_id != team.enterprise_id:
        raise ValidationError({"person": "人员不属于该企业。"})
    if team.members.filter(person=person, valid_to__isnull=True).exists():
        raise ValidationError({"person": f"{person.name} 已是该队伍成员。"})
    if valid_from and valid_from < team.valid_from:
        raise ValidationError({"valid_from": "入队日期不能早于队伍成立日期。"})
    member = RescueTeamMember(team=team, person=person, role=role)
    start_period(member, valid_from, actor)
    member.full_clean()
    member.save()
    log(actor, "member_add", member, team.enterprise)
    return member


@transaction.atomic
def member_end(*, actor, scope, member: RescueTeamMember, valid_to: datetime.date) -> RescueTeamMember:
    require(scope, EDIT, member)
    end_period(
        actor=actor, obj=member, enterprise=member.team.enterprise, valid_to=valid_to, action="member_end"
    )
    return member
