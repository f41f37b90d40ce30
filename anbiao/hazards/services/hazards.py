"""The hazard closed loop: register, grade and assign (五定), rectify, accept or reject, void; 挂牌督办."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from anbiao.core import audit, concurrency, files, registry
from anbiao.core.models import EvidenceFile
from anbiao.core.scope import Scope
from anbiao.hazards import workflow
from anbiao.hazards.choices import Level, Source, State
from anbiao.hazards.models import Hazard, HazardEvent, HazardListing
from anbiao.hazards.rules import decide_level
from anbiao.hazards.services.common import actor_name, record, require
from anbiao.orgs.models import Enterprise

BEFORE, AFTER = "整改前", "整改后"
REGISTER_FIELDS = [
    "source",
    "kind",
    "location",
    "description",
    "found_on",
    "found_by_name",
    "criterion",
    "checklist_item",
    "inspection",
    "risk_point",
    "level",
    "level_reason",
]
ASSIGN_FIELDS = [
    "level",
    "level_reason",
    "criterion",
    "responsible_person",
    "measures",
    "deadline",
    "funds",
    "acceptor_name",
    "stop_scope",
    "plan_goal",
    "plan_method",
    "plan_resources",
    "plan_organisation",
    "plan_schedule",
    "plan_safety",
    "reported_on",
]
PLAN_FIELDS = [
    "plan_goal",
    "plan_method",
    "plan_resources",
    "plan_organisation",
    "plan_schedule",
    "plan_safety",
]


def _next_code(enterprise, year: int) -> str:
    """The enterprise's next 隐患编号 of ``year``. Its row is locked first (until the transaction ends), so
    two registrations at once take turns instead of both taking the same number (PostgreSQL; SQLite
    serialises writing transactions anyway)."""
    Enterprise.objects.select_for_update().only("pk").get(pk=enterprise.pk)
    prefix = f"YH{year}-"
    last = (
        Hazard.objects.filter(enterprise=enterprise, code__startswith=prefix).aggregate(m=Max("code"))["m"]
        or ""
    )
    seq = int(last.removeprefix(prefix) or 0) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _event(hazard: Hazard, *, actor, verb: str, from_state: str, on: datetime.date, note: str = "") -> None:
    """Append a timeline step. Steps never go back in time, so the state on any date reads true."""
    last = hazard.events.order_by("-occurred_on").values_list("occurred_on", flat=True).first()
    if last and on < last:
        raise ValidationError(f"日期 {on:%Y-%m-%d} 不能早于上一步（{last:%Y-%m-%d}）。")
    HazardEvent.objects.create(
        hazard=hazard,
        verb=verb,
        from_state=from_state,
        to_state=hazard.state,
        occurred_on=on,
        backdated=on < timezone.localdate(),
        note=note,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=actor_name(actor),
    )


def _attach(actor, hazard: Hazard, photos, title: str) -> list[EvidenceFile]:
    for photo in photos or []:  # refuse any photo before the first is written (no orphan bytes)
        try:
            files.check(photo, images_only=True)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc
    return [
        files.store(
            actor=actor,
            upload=photo,
            enterprise=hazard.enterprise,
            owner=hazard,
            kind=EvidenceFile.Kind.PHOTO,
            title=title,
            images_only=True,
        )
        for photo in photos or []
    ]


def _check_date(value: datetime.date | None, field: str, label: str, *, not_before=None) -> None:
    if value and value > timezone.localdate():
        raise ValidationError({field: f"{label}不能晚于今天。"})
    if value and not_before and value < not_before:
        raise ValidationError({field: f"{label}不能早于{not_before:%Y-%m-%d}。"})


@transaction.atomic
def hazard_register(*, actor, scope: Scope, enterprise, data: dict, photos=(), created_by=None) -> Hazard:
    """登记 a hazard (with before-photos chosen in the same form). Internal reports pass ``created_by``."""
    require(scope, "hazard.report", enterprise)
    unknown = set(data) - set(REGISTER_FIELDS)
    if unknown:
        raise ValidationError(f"不能设置字段：{'、'.join(sorted(unknown))}")
    hazard = Hazard(enterprise=enterprise, **data)
    criterion = data.get("criterion")
    hazard.level, error = decide_level(
        criterion_is_major=bool(criterion and criterion.is_major),
        requested=data.get("level", ""),
        reason=data.get("level_reason", ""),
    )
    if error:
        raise ValidationError({"level_reason": error})
    _check_date(hazard.found_on, "found_on", "发现日期")
    if hazard.risk_point_id and hazard.risk_point.enterprise_id != enterprise.pk:
        raise ValidationError({"risk_point": "所选风险点不属于该企业。"})
    hazard.code = _next_code(enterprise, hazard.found_on.year)
    hazard.created_by = (
        created_by if created_by is not None else (actor if getattr(actor, "pk", None) else None)
    )
    hazard.full_clean()
    hazard.save()
    _event(hazard, actor=actor, verb="register", from_state="", on=hazard.found_on)
    _attach(actor, hazard, photos, BEFORE)
    record(actor, "hazard_register", hazard, enterprise, after=audit.snapshot(hazard))
    registry.facts_changed([enterprise.pk])
    return hazard


def _move(hazard: Hazard, verb: str, scope: Scope) -> workflow.Transition:
    t = workflow.transition(verb, hazard.state)
    perm = (
        workflow.acceptance_permission(hazard.accepted_by_supervisor)
        if verb in {"accept", "reject"}
        else t.permission
    )
    if not scope.can(perm, hazard):
        if verb in {"accept", "reject"} and hazard.accepted_by_supervisor:
            raise PermissionDenied("该隐患由监管方检查发现，须由监管方验收。")
        raise PermissionDenied(f"您的角色不能「{t.label}」。")
    return t


def _locked(hazard: Hazard, data: dict | None = None) -> Hazard:
    """The hazard's row, locked, with this step counted against the revision the actor saw (if sent)."""
    hazard = Hazard.objects.select_for_update().select_related("enterprise__unit").get(pk=hazard.pk)
    concurrency.claim(hazard, data if data is not None else {})
    return hazard


@transaction.atomic
def hazard_assign(
    *, actor, scope: Scope, hazard: Hazard, data: dict, on: datetime.date | None = None
) -> Hazard:
    """定级并落实五定: 登记 → 待整改. A 重大隐患 also needs its 治理方案 and the date it was reported."""
    hazard = _locked(hazard, data)
    t = _move(hazard, "assign", scope)
    before = audit.snapshot(hazard)
    unknown = set(data) - set(ASSIGN_FIELDS)
    if unknown:
        raise ValidationError(f"不能设置字段：{'、'.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(hazard, name, value)
    hazard.level, error = decide_level(
        criterion_is_major=bool(hazard.criterion and hazard.criterion.is_major),
        requested=hazard.level,
        reason=hazard.level_reason,
    )
    errors = {}
    if error:
        errors["level_reason"] = error
    for name, label in [
        ("responsible_person", "整改责任人"),
        ("measures", "整改措施"),
        ("acceptor_name", "验收人"),
    ]:
        if not getattr(hazard, name).strip():
            errors[name] = f"请填写{label}。"
    if not hazard.deadline:
        errors["deadline"] = "请填写整改期限。"
    elif hazard.deadline < hazard.found_on:
        errors["deadline"] = "整改期限不能早于发现日期。"
    conflict = workflow.acceptor_conflict(
        acceptor_id=None,
        acceptor_name=hazard.acceptor_name,
        rectified_by_id=None,
        responsible_person=hazard.responsible_person,
    )
    if conflict:
        errors["acceptor_name"] = conflict
    if hazard.level == Level.MAJOR:
        for name in PLAN_FIELDS:
            if not getattr(hazard, name).strip():
                errors[name] = f"重大隐患须填写治理方案：{Hazard._meta.get_field(name).verbose_name}。"
        if not hazard.reported_on:
            errors["reported_on"] = "重大隐患须报告监管单位，请填写报告日期。"
    if errors:
        raise ValidationError(errors)
    hazard.state = t.target
    hazard.full_clean()
    hazard.save()
    on = on or timezone.localdate()
    _check_date(on, "on", "定级日期", not_before=hazard.found_on)
    _event(hazard, actor=actor, verb=t.verb, from_state=State.REGISTERED, on=on)
    record(actor, "hazard_assign", hazard, hazard.enterprise, before=before, after=audit.snapshot(hazard))
    registry.facts_changed([hazard.enterprise_id])
    return hazard


@transaction.atomic
def hazard_start(*, actor, scope: Scope, hazard: Hazard, on: datetime.date | None = None) -> Hazard:
    hazard = _locked(hazard)
    t = _move(hazard, "start", scope)
    source = hazard.state
    hazard.state = t.target
    hazard.save(update_fields=["state", "revision", "updated_at"])
    _event(hazard, actor=actor, verb=t.verb, from_state=source, on=on or timezone.localdate())
    record(
        actor,
        "hazard_start",
        hazard,
        hazard.enterprise,
        before={"state": source},
        after={"state": hazard.state},
    )
    return hazard


@transaction.atomic
def hazard_submit(
    *, actor, scope: Scope, hazard: Hazard, rectified_on: datetime.date, note: str, photos=()
) -> Hazard:
    """整改完成, 提交验收: needs the completion date, a note and at least one after-photo."""
    hazard = _locked(hazard)
    t = _move(hazard, "submit", scope)
    errors = {}
    if not note.strip():
        errors["note"] = "请填写整改情况。"
    if not rectified_on:
        errors["rectified_on"] = "请填写整改完成日期。"
    try:
        _check_date(rectified_on, "rectified_on", "整改完成日期", not_before=hazard.found_on)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not photos:
        errors["photos"] = "请上传整改后照片。"
    if errors:
        raise ValidationError(errors)
    source = hazard.state
    hazard.state = t.target
    hazard.rectified_on = rectified_on
    hazard.rectification_note = note.strip()
    hazard.rectified_by = actor if getattr(actor, "pk", None) else None
    hazard.save()
    _attach(actor, hazard, photos, AFTER)
    _event(hazard, actor=actor, verb=t.verb, from_state=source, on=rectified_on, note=note.strip())
    record(
        actor,
        "hazard_submit",
        hazard,
        hazard.enterprise,
        before={"state": source},
        after={"state": hazard.state, "rectified_on": rectified_on, "note": hazard.rectification_note},
    )
    return hazard


@transaction.atomic
def hazard_accept(
    *, actor, scope: Scope, hazard: Hazard, accepted_on: datetime.date, note: str = ""
) -> Hazard:
    """验收销号. The acceptor is never the rectifier; supervisor-found hazards are accepted by supervisors."""
    hazard = _locked(hazard)
    t = _move(hazard, "accept", scope)
    conflict = workflow.acceptor_conflict(
        acceptor_id=getattr(actor, "pk", None),
        acceptor_name=getattr(actor, "full_name", ""),
        rectified_by_id=hazard.rectified_by_id,
        responsible_person=hazard.responsible_person,
    )
    if conflict:
        raise PermissionDenied(conflict)
    if not accepted_on:
        raise ValidationError({"accepted_on": "请填写验收日期。"})
    _check_date(accepted_on, "accepted_on", "验收日期", not_before=hazard.rectified_on)
    hazard.state = t.target
    hazard.accepted_on = accepted_on
    hazard.accepted_by = actor if getattr(actor, "pk", None) else None
    hazard.acceptance_note = note.strip()
    hazard.save()
    _event(hazard, actor=actor, verb=t.verb, from_state=State.AWAITING, on=accepted_on, note=note.strip())
    record(
        actor,
        "hazard_accept",
        hazard,
        hazard.enterprise,
        before={"state": State.AWAITING},
        after={"state": hazard.state, "accepted_on": accepted_on},
    )
    registry.facts_changed([hazard.enterprise_id])
    return hazard


@transaction.atomic
def hazard_reject(*, actor, scope: Scope, hazard: Hazard, reason: str) -> Hazard:
    hazard = _locked(hazard)
    t = _move(hazard, "reject", scope)
    if not reason.strip():
        raise ValidationError({"reason": "请填写验收不通过的原因。"})
    hazard.state = t.target
    hazard.save(update_fields=["state", "revision", "updated_at"])
    _event(
        hazard,
        actor=actor,
        verb=t.verb,
        from_state=State.AWAITING,
        on=timezone.localdate(),
        note=reason.strip(),
    )
    record(
        actor,
        "hazard_reject",
        hazard,
        hazard.enterprise,
        before={"state": State.AWAITING},
        after={"state": hazard.state, "reason": reason.strip()},
    )
    return hazard


@transaction.atomic
def hazard_void(*, actor, scope: Scope, hazard: Hazard, reason: str) -> Hazard:
    hazard = _locked(hazard)
    t = _move(hazard, "void", scope)
    if not reason.strip():
        raise ValidationError({"reason": "请填写作废原因（如误报、重复登记）。"})
    hazard.state = t.target
    hazard.voided_on = timezone.localdate()
    hazard.void_reason = reason.strip()
    hazard.save()
    _event(
        hazard,
        actor=actor,
        verb=t.verb,
        from_state=State.REGISTERED,
        on=hazard.voided_on,
        note=reason.strip(),
    )
    record(
        actor,
        "hazard_void",
        hazard,
        hazard.enterprise,
        before={"state": State.REGISTERED},
        after={"state": hazard.state, "reason": hazard.void_reason},
    )
    registry.facts_changed([hazard.enterprise_id])
    return hazard


# --- 重大隐患挂牌督办 --------------------------------------------------------------------------------
@transaction.atomic
def listing_create(*, actor, scope: Scope, hazard: Hazard, organization, data: dict) -> HazardListing:
    require(scope, "listing.manage", hazard)
    require(scope, "listing.manage", organization)
    if not hazard.is_major:
        raise ValidationError("只有重大隐患可以挂牌督办。")
    if hazard.state in {State.CLOSED, State.VOIDED}:
        raise ValidationError("该隐患已销号或作废，不能挂牌。")
    if HazardListing.objects.filter(hazard=hazard).exists():
        raise ValidationError("该隐患已挂牌督办。")
    if not hazard.enterprise.unit.path.startswith(organization.path):
        raise ValidationError({"organization": "督办单位须是该企业的监管单位或其上级。"})
    listing = HazardListing(hazard=hazard, organization=organization, **data)
    listing.full_clean()
    if listing.deadline < listing.listed_on:
        raise ValidationError({"deadline": "督办期限不能早于挂牌日期。"})
    listing.save()
    record(actor, "listing_create", listing, hazard.enterprise, after=audit.snapshot(listing))
    registry.facts_changed([hazard.enterprise_id])
    return listing


@transaction.atomic
def listing_delist(
    *, actor, scope: Scope, listing: HazardListing, on: datetime.date, note: str
) -> HazardListing:
    """摘牌 after the hazard has been accepted (销号)."""
    require(scope, "listing.manage", listing)
    if not listing.is_active:
        raise ValidationError("已摘牌。")
    if listing.hazard.state != State.CLOSED:
        raise ValidationError("隐患尚未验收销号，不能摘牌。")
    if not on or on < listing.listed_on:
        raise ValidationError({"delisted_on": "摘牌日期不能早于挂牌日期。"})
    listing.delisted_on = on
    listing.delist_note = note.strip()
    listing.save()
    record(
        actor, "listing_delist", listing, listing.hazard.enterprise, after={"delisted_on": on, "note": note}
    )
    registry.facts_changed([listing.hazard.enterprise_id])
    return listing


SUPERVISOR_SOURCE_LABELS = {s: Source(s).label for s in Source.values}
