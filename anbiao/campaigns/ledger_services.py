"""Writes for the supervisors' ledgers: training and 现场观摩 (with attendance), enforcement and 约束激励,
the 十百千万 showcase and the 四项规范 registry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from anbiao.campaigns.choices import ShowcaseCategory
from anbiao.campaigns.models import (
    Attendance,
    EnforcementAction,
    NormDocument,
    ShowcaseEntry,
    TrainingSession,
)
from anbiao.campaigns.services import _assign, is_backdated, not_in_future, require
from anbiao.core import audit, files
from anbiao.core.scope import Scope
from anbiao.orgs.models import EnterpriseState

SESSION_FIELDS = ["kind", "level", "organizer", "held_on", "topic", "location", "targets", "note"]
ATTENDANCE_FIELDS = ["enterprise", "person_name", "category", "position", "phone"]
ENFORCEMENT_FIELDS = [
    "enterprise",
    "kind",
    "authority",
    "action_on",
    "basis",
    "document_no",
    "amount",
    "persons",
    "description",
]
SHOWCASE_FIELDS = [
    "category",
    "level",
    "recognised_on",
    "title",
    "township",
    "enterprise",
    "post_type",
    "write_up",
]
NORM_FIELDS = ["enterprise", "kind", "title", "version", "issued_on", "is_revision", "note"]


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _attach(actor, obj, uploads, *, organization=None, enterprise=None, title=""):
    for upload in uploads or []:
        try:
            files.store(
                actor=actor,
                upload=upload,
                organization=organization,
                enterprise=enterprise,
                owner=obj,
                title=title,
            )
        except ValidationError as exc:
            raise ValidationError(
                {"files": [f"{getattr(upload, 'name', '')}：{m}" for m in exc.messages]}
            ) from exc


def _write(*, actor, obj, data, fields, date_field, action, org_path, enterprise_id=None, creating):
    before = None if creating else audit.snapshot(obj)
    _assign(obj, data, fields)
    on = getattr(obj, date_field)
    if on is not None:
        not_in_future(on, date_field)
        if creating:
            obj.backdated = is_backdated(on)
            obj.recorded_by = _actor(actor)
    obj.full_clean()
    obj.save()
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        org_path=org_path,
        enterprise_id=enterprise_id,
        before=before,
        after=audit.snapshot(obj),
    )
    return obj


# --- Training and 现场观摩 -----------------------------------------------------------------------------
@transaction.atomic
def session_create(*, actor, scope: Scope, unit, data: dict, materials=None) -> TrainingSession:
    require(scope, "campaign.file", unit)
    session = _write(
        actor=actor,
        obj=TrainingSession(unit=unit),
        data=data,
        fields=SESSION_FIELDS,
        date_field="held_on",
        action="campaigns.session_create",
        org_path=unit.path,
        creating=True,
    )
    _attach(actor, session, materials, organization=unit, title=f"培训材料：{session.topic}")
    return session


@transaction.atomic
def session_update(
    *, actor, scope: Scope, session: TrainingSession, data: dict, materials=None
) -> TrainingSession:
    require(scope, "campaign.file", session)
    _write(
        actor=actor,
        obj=session,
        data=data,
        fields=SESSION_FIELDS,
        date_field="held_on",
        action="campaigns.session_update",
        org_path=session.unit.path,
        creating=False,
    )
    _attach(actor, session, materials, organization=session.unit, title=f"培训材料：{session.topic}")
    return session


def _check_attendee(scope, session, data):
    enterprise = data.get("enterprise")
    if enterprise is not None and not scope.can("enterprise.view", enterprise):
        raise ValidationError({"enterprise": "只能登记您管辖范围内的企业。"})
    duplicate = Attendance.objects.filter(
        session=session, enterprise=enterprise, person_name=(data.get("person_name") or "").strip()
    )
    if duplicate.exists():
        raise ValidationError({"person_name": f"{data.get('person_name')}已登记在本场次。"})


@transaction.atomic
def attendance_add(*, actor, scope: Scope, session: TrainingSession, data: dict) -> Attendance:
    require(scope, "campaign.file", session)
    data = {**data, "person_name": (data.get("person_name") or "").strip()}
    _check_attendee(scope, session, data)
    attendance = Attendance(session=session)
    _assign(attendance, data, ATTENDANCE_FIELDS)
    attendance.full_clean()
    attendance.save()
    audit.record(
        actor=actor,
        action="campaigns.attendance_add",
        obj=attendance,
        org_path=session.unit.path,
        enterprise_id=attendance.enterprise_id,
        after=audit.snapshot(attendance),
    )
    return attendance


@transaction.atomic
def attendance_bulk_add(*, actor, scope: Scope, session: TrainingSession, rows: list[dict]) -> int:
    """All rows or none (the importer validates first; this re-checks inside the transaction)."""
    require(scope, "campaign.file", session)
    created = []
    for data in rows:
        _check_attendee(scope, session, data)
        attendance = Attendance(session=session)
        _assign(attendance, data, ATTENDANCE_FIELDS)
        attendance.full_clean()
        attendance.save()
        created.append(attendance)
    audit.record(
        actor=actor,
        action="campaigns.attendance_import",
        obj=session,
        org_path=session.unit.path,
        after={"rows": len(created), "ids": [a.pk for a in created]},
    )
    return len(created)


@transaction.atomic
def attendance_remove(*, actor, scope: Scope, attendance: Attendance) -> None:
    require(scope, "campaign.file", attendance.session)
    audit.record(
        actor=actor,
        action="campaigns.attendance_remove",
        obj=attendance,
        org_path=attendance.session.unit.path,
        enterprise_id=attendance.enterprise_id,
        before=audit.snapshot(attendance),
    )
    attendance.delete()


# --- Enforcement and 约束激励 ---------------------------------------------------------------------------
@transaction.atomic
def enforcement_create(*, actor, scope: Scope, data: dict, documents=None) -> EnforcementAction:
    enterprise = data.get("enterprise")
    if enterprise is None:
        raise ValidationError({"enterprise": "请选择企业。"})
    require(scope, "campaign.file", enterprise)
    action = _write(
        actor=actor,
        obj=EnforcementAction(),
        data=data,
        fields=ENFORCEMENT_FIELDS,
        date_field="action_on",
        action="campaigns.enforcement_create",
        org_path=enterprise.unit.path,
        enterprise_id=enterprise.pk,
        creating=True,
    )
    _attach(actor, action, documents, enterprise=enterprise, title=f"执法文书：{action}")
    return action


@transaction.atomic
def enforcement_update(
    *, actor, scope: Scope, action: EnforcementAction, data: dict, documents=None
) -> EnforcementAction:
    require(scope, "campaign.file", action)
    enterprise = data.get("enterprise", action.enterprise)
    require(scope, "campaign.file", enterprise)
    _write(
        actor=actor,
        obj=action,
        data=data,
        fields=ENFORCEMENT_FIELDS,
        date_field="action_on",
        action="campaigns.enforcement_update",
        org_path=enterprise.unit.path,
        enterprise_id=enterprise.pk,
        creating=False,
    )
    _attach(actor, action, documents, enterprise=enterprise, title=f"执法文书：{action}")
    return action


# --- 十百千万 showcase ------------------------------------------------------------------------------------
def _size_on(enterprise, day):
    state = (
        EnterpriseState.objects.filter(enterprise=enterprise, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )
    return state.size_class if state else enterprise.size_class


def _showcase_write(*, actor, scope, entry, data, creating, documents):
    category = data.get("category", entry.category)
    if category == ShowcaseCategory.TOWN_CASE:
        data = {**data, "enterprise": None}
    enterprise = data.get("enterprise", entry.enterprise)
    if enterprise is not None:
        require(scope, "campaign.file", enterprise)
    recognised_on = data.get("recognised_on", entry.recognised_on)
    entry.size_class = _size_on(enterprise, recognised_on) if enterprise and recognised_on else ""
    _write(
        actor=actor,
        obj=entry,
        data=data,
        fields=SHOWCASE_FIELDS,
        date_field="recognised_on",
        action="campaigns.showcase_create" if creating else "campaigns.showcase_update",
        org_path=entry.unit.path,
        creating=creating,
    )
    _attach(actor, entry, documents, organization=entry.unit, title=f"示范创建材料：{entry.title}")
    return entry


@transaction.atomic
def showcase_create(*, actor, scope: Scope, unit, data: dict, documents=None) -> ShowcaseEntry:
    require(scope, "campaign.file", unit)
    return _showcase_write(
        actor=actor,
        scope=scope,
        entry=ShowcaseEntry(unit=unit),
        data=data,
        creating=True,
        documents=documents,
    )


@transaction.atomic
def showcase_update(
    *, actor, scope: Scope, entry: ShowcaseEntry, data: dict, documents=None
) -> ShowcaseEntry:
    require(scope, "campaign.file", entry)
    return _showcase_write(
        actor=actor, scope=scope, entry=entry, data=data, creating=False, documents=documents
    )


# --- 四项规范 ----------------------------------------------------------------------------------------------
def _norm_file(actor, norm, upload):
    if upload is None:
        return
    try:
        norm.file = files.store(
            actor=actor, upload=upload, organization=norm.unit, owner=norm, title=f"四项规范：{norm.title}"
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    norm.save(update_fields=["file"])


@transaction.atomic
def norm_create(*, actor, scope: Scope, unit, data: dict, upload=None) -> NormDocument:
    require(scope, "campaign.file", unit)
    enterprise = data.get("enterprise")
    if enterprise is not None:
        require(scope, "campaign.file", enterprise)
        if not enterprise.unit.path.startswith(unit.path):
            raise ValidationError({"enterprise": "编制企业须属于该单位（含下级）。"})
    if upload is None:
        raise ValidationError({"file": "请上传文件。"})
    norm = _write(
        actor=actor,
        obj=NormDocument(unit=unit),
        data=data,
        fields=NORM_FIELDS,
        date_field="issued_on",
        action="campaigns.norm_create",
        org_path=unit.path,
        creating=True,
    )
    _norm_file(actor, norm, upload)
    return norm


@transaction.atomic
def norm_update(*, actor, scope: Scope, norm: NormDocument, data: dict, upload=None) -> NormDocument:
    require(scope, "campaign.file", norm)
    enterprise = data.get("enterprise")
    if enterprise is not None:
        require(scope, "campaign.file", enterprise)
        if not enterprise.unit.path.startswith(norm.unit.path):
            raise ValidationError({"enterprise": "编制企业须属于该单位（含下级）。"})
    _write(
        actor=actor,
        obj=norm,
        data=data,
        fields=NORM_FIELDS,
        date_field="issued_on",
        action="campaigns.norm_update",
        org_path=norm.unit.path,
        creating=False,
    )
    _norm_file(actor, norm, upload)
    return norm
