"""Writes of the ledgers. Each checks the permission on the enterprise or row, validates, writes and audits
in one transaction (architecture.md §3)."""

from __future__ import annotations

import datetime
import itertools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anbiao.core import audit, files, registry
from anbiao.core.models import EvidenceFile
from anbiao.core.scope import Scope
from anbiao.ledgers import scoring, workflow
from anbiao.ledgers.choices import AccidentStatus
from anbiao.ledgers.models import (
    Accident,
    AccidentEvent,
    AccidentGradeRule,
    AccidentRuleSet,
    Drill,
    Equipment,
    EquipmentInspection,
    TrainingAttendance,
    TrainingSession,
)

EDIT = "ledger.edit"


def _require(scope: Scope, perm: str, obj=None) -> None:
    if not scope.can(perm, obj):
        raise PermissionDenied("没有权限执行此操作。")


def _record(actor, action: str, obj, enterprise, before=None, after=None) -> None:
    audit.record(
        actor=actor,
        action=f"ledgers.{action}",
        obj=obj,
        org_path=enterprise.unit.path,
        enterprise_id=enterprise.pk,
        before=before,
        after=after,
    )


def _store(actor, upload, enterprise, owner, *, kind=EvidenceFile.Kind.DOCUMENT, title="", images_only=False):
    return files.store(
        actor=actor,
        upload=upload,
        enterprise=enterprise,
        owner=owner,
        kind=kind,
        title=title,
        images_only=images_only,
    )


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


# --- Generic ledger rows (法规标准, 制度规程, 设备, 预案, 物资, 培训, 演练) ------------------------------
@transaction.atomic
def ledger_record_create(*, actor, scope: Scope, model, enterprise, data: dict, upload=None):
    """Create one ledger row of ``model`` for ``enterprise`` (optionally with its file)."""
    _require(scope, EDIT, enterprise)
    obj = model(enterprise=enterprise, created_by=_actor(actor), **data)
    obj.full_clean(exclude=["file"] if hasattr(obj, "file_id") else None)
    obj.save()
    if upload is not None:
        obj.file = _store(actor, upload, enterprise, obj, title=str(obj))
        obj.save(update_fields=["file"])
    if isinstance(obj, Equipment):
        _refresh_due(obj)
    _record(actor, f"{model.audit_name}_create", obj, enterprise, after=audit.snapshot(obj))
    return obj


@transaction.atomic
def ledger_record_update(*, actor, scope: Scope, obj, data: dict, upload=None):
    _require(scope, EDIT, obj)
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = audit.snapshot(obj)
    for name, value in data.items():
        if name in {"enterprise", "enterprise_id", "id", "created_by"}:
            raise ValidationError(f"不能修改字段 {name}。")
        setattr(obj, name, value)
    obj.full_clean(exclude=["file"] if hasattr(obj, "file_id") else None)
    obj.save()
    if upload is not None:
        obj.file = _store(actor, upload, obj.enterprise, obj, title=str(obj))
        obj.save(update_fields=["file"])
    if isinstance(obj, Equipment):
        _refresh_due(obj)
    _record(actor, f"{obj.audit_name}_update", obj, obj.enterprise, before=before, after=audit.snapshot(obj))
    return obj


@transaction.atomic
def ledger_record_delete(*, actor, scope: Scope, obj) -> None:
    """Delete a row typed in by mistake. Rows with history behind them (inspections, drills) are refused."""
    _require(scope, EDIT, obj)
    if isinstance(obj, Equipment) and obj.inspections.exists():
        raise ValidationError("该设备已有检验检查记录，不能删除；如已不用，请将状态改为报废。")
    if isinstance(obj, TrainingSession) and obj.attendances.exists():
        raise ValidationError("该培训已登记参训人员，请先移除参训人员。")
    if isinstance(obj, Accident):
        raise ValidationError("事故记录不能删除。")
    enterprise = obj.enterprise
    _record(actor, f"{obj.audit_name}_delete", obj, enterprise, before=audit.snapshot(obj))
    obj.delete()


# --- Equipment inspections -------------------------------------------------------------------------------
def _refresh_due(equipment: Equipment) -> None:
    latest = equipment.inspections.order_by("-inspected_on", "-id").first()
    due = latest.next_due if latest else equipment.first_due
    if equipment.next_inspection_due != due:
        equipment.next_inspection_due = due
        equipment.save(update_fields=["next_inspection_due"])


@transaction.atomic
def equipment_inspection_add(*, actor, scope: Scope, equipment: Equipment, data: dict, upload=None):
    """Record an inspection (dated when it happened, marked 补录 when typed in later); moves the due date."""
    _require(scope, EDIT, equipment)
    inspection = EquipmentInspection(equipment=equipment, recorded_by=_actor(actor), **data)
    inspection.full_clean(exclude=["file"])
    if inspection.inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": "检验（检查）日期不能晚于今天。"})
    inspection.backdated = inspection.inspected_on < timezone.localdate()
    inspection.save()
    if upload is not None:
        inspection.file = _store(actor, upload, equipment.enterprise, inspection, title=str(inspection))
        inspection.save(update_fields=["file"])
    _refresh_due(equipment)
    _record(actor, "inspection_create", inspection, equipment.enterprise, after=audit.snapshot(inspection))
    return inspection


# --- Training attendees ----------------------------------------------------------------------------------
@transaction.atomic
def training_attendance_add(*, actor, scope: Scope, session: TrainingSession, person, data: dict):
    _require(scope, EDIT, session)
    if TrainingAttendance.objects.filter(session=session, person=person).exists():
        raise ValidationError({"person": f"{person} 已在参训名单中。"})
    row = TrainingAttendance(session=session, person=person, **data)
    row.full_clean()
    row.save()
    _record(actor, "attendance_create", row, session.enterprise, after=audit.snapshot(row))
    return row


@transaction.atomic
def training_attendance_remove(*, actor, scope: Scope, attendance: TrainingAttendance) -> None:
    _require(scope, EDIT, attendance)
    _record(
        actor,
        "attendance_delete",
        attendance,
        attendance.session.enterprise,
        before=audit.snapshot(attendance),
    )
    attendance.delete()


# --- Drill photos ----------------------------------------------------------------------------------------
@transaction.atomic
def drill_photo_add(*, actor, scope: Scope, drill: Drill, upload, title: str = "") -> EvidenceFile:
    _require(scope, EDIT, drill)
    photo = _store(
        actor, upload, drill.enterprise, drill, kind=EvidenceFile.Kind.PHOTO, title=title, images_only=True
    )
    _record(actor, "drill_photo", drill, drill.enterprise, after={"photo": str(photo.pk)})
    return photo


# --- Accidents -------------------------------------------------------------------------------------------
def rule_set_on(day: datetime.date) -> AccidentRuleSet:
    rule_set = AccidentRuleSet.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if rule_set is None:
        raise ValidationError({"occurred_at": "没有适用于该日期的事故等级标准，请联系县社管理员。"})
    return rule_set


def thresholds(rule_set: AccidentRuleSet) -> list[scoring.GradeThreshold]:
    return [
        scoring.GradeThreshold(r.grade, r.rank, r.min_deaths, r.min_serious_injuries, r.min_direct_loss)
        for r in rule_set.grades.all()
    ]


def _grade(accident: Accident) -> None:
    day = timezone.localtime(accident.occurred_at).date()
    accident.rule_set = rule_set_on(day)
    if accident.is_near_miss:
        accident.grade = ""
        return
    accident.grade = scoring.accident_grade(
        deaths=accident.deaths,
        serious_injuries=accident.serious_injuries,
        direct_loss=accident.direct_loss,
        thresholds=thresholds(accident.rule_set),
    )


def _event(accident, actor, action, note="", from_status="", to_status=""):
    AccidentEvent.objects.create(
        accident=accident,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        actor=_actor(actor),
        actor_name=(actor.get_username() if _actor(actor) else "系统")[:150],
    )


@transaction.atomic
def accident_report(*, actor, scope: Scope, enterprise, data: dict) -> Accident:
    """Record an accident or near miss; its grade is computed from the rules valid on the day it happened."""
    _require(scope, EDIT, enterprise)
    accident = Accident(enterprise=enterprise, created_by=_actor(actor), **data)
    accident.full_clean(exclude=["rule_set", "grade", "status"])
    _grade(accident)
    accident.status = AccidentStatus.REPORTED
    accident.backdated = timezone.localtime(accident.occurred_at).date() < timezone.localdate()
    accident.save()
    _event(accident, actor, "登记", to_status=accident.status)
    _record(actor, "accident_report", accident, enterprise, after=audit.snapshot(accident))
    registry.facts_changed([enterprise.pk])
    return accident


@transaction.atomic
def accident_update(*, actor, scope: Scope, accident: Accident, data: dict) -> Accident:
    """Correct the facts or fill in the investigation; the grade follows the figures. Closed = read-only."""
    _require(scope, EDIT, accident)
    accident = Accident.objects.select_for_update().get(pk=accident.pk)
    if accident.status == AccidentStatus.CLOSED:
        raise ValidationError("已结案的事故不能修改；如需补充，请先重新调查。")
    before = audit.snapshot(accident)
    for name, value in data.items():
        if name in {"enterprise", "status", "grade", "rule_set", "closed_on", "created_by"}:
            raise ValidationError(f"不能修改字段 {name}。")
        setattr(accident, name, value)
    accident.full_clean(exclude=["rule_set", "grade", "status"])
    _grade(accident)
    accident.save()
    after = audit.snapshot(accident)
    changed = [str(Accident._meta.get_field(k).verbose_name) for k in audit.diff(before, after)[1] or {}]
    if changed:
        _event(accident, actor, "修改", note="、".join(c for c in changed if c not in {"修改时间"}))
    _record(actor, "accident_update", accident, accident.enterprise, before=before, after=after)
    registry.facts_changed([accident.enterprise_id])
    return accident


@transaction.atomic
def accident_transition(*, actor, scope: Scope, accident: Accident, action: str, note: str = "") -> Accident:
    """Move the investigation along the workflow table (workflow.py)."""
    accident = Accident.objects.select_for_update().get(pk=accident.pk)
    t = workflow.transition_for(action, accident.status)
    _require(scope, t.perm, accident)
    missing = workflow.missing_for(action, accident)
    if missing:
        raise ValidationError(f"「{t.label}」前须填写或确认：{'、'.join(missing)}。")
    before = accident.status
    accident.status = t.target
    if t.target == AccidentStatus.CLOSED:
        accident.closed_on = timezone.localdate()
    elif before == AccidentStatus.CLOSED:
        accident.closed_on = None
        for flag in workflow.FOUR_NOTS:
            setattr(accident, flag, False)
    accident.save()
    _event(accident, actor, t.label, note=note, from_status=before, to_status=t.target)
    _record(
        actor,
        f"accident_{action}",
        accident,
        accident.enterprise,
        before={"status": before},
        after={"status": t.target, "note": note},
    )
    return accident


# --- Accident rules (catalogue, county administrators) -----------------------------------------------------
@transaction.atomic
def accident_rule_set_create(*, actor, scope: Scope, data: dict, grades: dict[str, dict]) -> AccidentRuleSet:
    """A new version of the accident rules from ``valid_from`` on; earlier accidents keep their version."""
    if not scope.has_perm("catalog.manage"):
        raise PermissionDenied("只有县社管理员可以修改事故等级标准。")
    rule_set = AccidentRuleSet(**data)
    rule_set.full_clean()
    rule_set.save()
    for grade, values in grades.items():
        row = AccidentGradeRule(rule_set=rule_set, grade=grade, **values)
        row.full_clean()
        row.save()
    ranks = sorted(grades.values(), key=lambda v: v["rank"])
    for lower, higher in itertools.pairwise(ranks):
        for key in ("min_deaths", "min_serious_injuries", "min_direct_loss"):
            if higher[key] <= lower[key]:
                raise ValidationError("等级越严重，各项下限须越大。")
    audit.record(
        actor=actor,
        action="ledgers.rule_set_create",
        obj=rule_set,
        org_path=min(scope.q_paths("catalog.manage"), key=len, default=""),
        after={**audit.snapshot(rule_set), "grades": grades},
    )
    return rule_set
