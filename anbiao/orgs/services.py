"""Writes for units and enterprises. Each takes the actor and the actor's scope and writes an audit event."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone

from anbiao.core import audit, concurrency
from anbiao.core.scope import Scope
from anbiao.orgs.choices import Status
from anbiao.orgs.models import PATH_SEGMENT_WIDTH, Enterprise, EnterpriseState, Organization

ORG_FIELDS = ["kind", "name", "code", "contact_person", "contact_phone", "address", "sort_order"]
# The counted facts kept as dated history (Art. 24 reads the headcount and the 危险物品 flag as of a date).
STATE_FIELDS = ("unit_id", "size_class", "status", "employee_count", "handles_dangerous_goods")
SEGMENT_CHARS = PATH_SEGMENT_WIDTH + 1


def _require(scope: Scope, perm: str, obj=None) -> None:
    if not scope.can(perm, obj):
        raise PermissionDenied("没有权限执行此操作。")


# --- Organizations -----------------------------------------------------------------------------------
@transaction.atomic
def organization_create(*, actor, scope: Scope, parent: Organization | None, **fields) -> Organization:
    if parent is None:
        if Organization.objects.exists():
            raise ValidationError({"parent": "请选择上级单位。"})
    else:
        _require(scope, "org.manage", parent)
    org = Organization(parent=parent, path=f"tmp-{timezone.now().timestamp()}", **fields)
    org.full_clean(exclude=["path"])
    org.save()
    org.path = (parent.path if parent else "") + Organization.segment(org.pk)
    org.depth = (parent.depth + 1) if parent else 0
    org.save(update_fields=["path", "depth"])
    audit.record(
        actor=actor, action="orgs.organization_create", obj=org, org_path=org.path, after=audit.snapshot(org)
    )
    return org


@transaction.atomic
def organization_update(*, actor, scope: Scope, org: Organization, **fields) -> Organization:
    _require(scope, "org.manage", org)
    before = audit.snapshot(org)
    for name, value in fields.items():
        if name not in ORG_FIELDS:
            raise ValidationError(f"不能修改字段 {name}。")
        setattr(org, name, value)
    org.full_clean()
    org.save()
    audit.record(
        actor=actor,
        action="orgs.organization_update",
        obj=org,
        org_path=org.path,
        before=before,
        after=audit.snapshot(org),
    )
    return org


@transaction.atomic
def organization_move(*, actor, scope: Scope, org: Organization, new_parent: Organization) -> Organization:
    """Move a unit and its subtree under another unit. Both must lie inside the actor's own subtree."""
    _require(scope, "org.manage", org)
    _require(scope, "org.manage", new_parent)
    if org.parent_id is None:
        raise ValidationError({"parent": "顶级单位不能移动。"})
    if not any(org.path.startswith(p) and org.path != p for p in scope.q_paths("org.manage")):
        raise ValidationError({"parent": "不能移动您所在的管理单位本身。"})
    if new_parent.path.startswith(org.path):
        raise ValidationError({"parent": "不能移动到本单位或其下级单位之下。"})
    org = Organization.objects.select_for_update().get(pk=org.pk)
    old_path, old_parent = org.path, org.parent_id
    new_path = new_parent.path + Organization.segment(org.pk)
    subtree = Organization.objects.filter(path__startswith=old_path)
    subtree.update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1, Length("path"))),
    )
    Organization.objects.filter(path__startswith=new_path).update(depth=Length("path") / SEGMENT_CHARS - 1)
    Organization.objects.filter(pk=org.pk).update(parent=new_parent)
    org.refresh_from_db()
    audit.record(
        actor=actor,
        action="orgs.organization_move",
        obj=org,
        org_path=org.path,
        before={"parent": old_parent, "path": old_path},
        after={"parent": new_parent.pk, "path": org.path},
    )
    return org


@transaction.atomic
def organization_set_active(*, actor, scope: Scope, org: Organization, active: bool) -> Organization:
    _require(scope, "org.manage", org)
    if not active:
        if org.parent_id is None:
            raise ValidationError("顶级单位不能停用。")
        if org.path in scope.q_paths("org.manage"):
            raise ValidationError("不能停用您所在的管理单位本身。")
        open_enterprises = Enterprise.objects.filter(unit__path__startswith=org.path).exclude(
            status=Status.CLOSED
        )
        if open_enterprises.exists():
            raise ValidationError(
                f"该单位及其下级仍有 {open_enterprises.count()} 家未注销企业，请先转移或注销。"
            )
        if Organization.objects.filter(path__startswith=org.path, is_active=True).exclude(pk=org.pk).exists():
            raise ValidationError("请先停用其下级单位。")
    before = {"is_active": org.is_active}
    org.is_active = active
    org.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="orgs.organization_activate" if active else "orgs.organization_deactivate",
        obj=org,
        org_path=org.path,
        before=before,
        after={"is_active": active},
    )
    return org


# --- Enterprises ----------------------------------------------------------------------------------------
def _open_state(enterprise: Enterprise, *, valid_from: datetime.date, actor) -> EnterpriseState:
    state = _first_state(enterprise, valid_from=valid_from, actor=actor)
    state.save(force_insert=True)
    return state


def _first_state(enterprise: Enterprise, *, valid_from: datetime.date, actor) -> EnterpriseState:
    return EnterpriseState(
        enterprise=enterprise,
        valid_from=valid_from,
        unit_id=enterprise.unit_id,
        size_class=enterprise.size_class,
        status=enterprise.status,
        employee_count=enterprise.employee_count,
        handles_dangerous_goods=enterprise.handles_dangerous_goods,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        backdated=valid_from < timezone.localdate(),
    )


def _check_unit(scope: Scope, unit: Organization) -> None:
    if not scope.can("enterprise.manage", unit):
        raise PermissionDenied("只能在本单位及下级单位登记企业。")
    if not unit.is_active:
        raise ValidationError({"unit": "该单位已停用。"})


@transaction.atomic
def enterprise_create(*, actor, scope: Scope, data: dict) -> Enterprise:
    unit = data["unit"]
    _check_unit(scope, unit)
    enterprise = Enterprise(**data)
    enterprise.uscc = enterprise.uscc.upper()
    enterprise.full_clean()
    enterprise.save()
    start = min(enterprise.registered_on, enterprise.status_since)
    _open_state(enterprise, valid_from=start, actor=actor)
    audit.record(
        actor=actor,
        action="orgs.enterprise_create",
        obj=enterprise,
        org_path=unit.path,
        enterprise_id=enterprise.pk,
        after=audit.snapshot(enterprise),
    )
    return enterprise


# The importer looked these up in the actor's scope in the same transaction: validating them again would cost
# one query per field and row.
IMPORT_RESOLVED_FIELDS = ("unit", "industry", "township", "landlord_unit")
BULK_BATCH = 1000


class InvalidRows(Exception):
    """Rows of a bulk create that failed validation: ``errors`` is a list of (row index, ValidationError)."""

    def __init__(self, errors: list[tuple[int, ValidationError]]):
        super().__init__(f"{len(errors)} invalid rows")
        self.errors = errors


@transaction.atomic
def enterprise_create_many(*, actor, scope: Scope, rows: list[dict]) -> list[Enterprise]:
    """``enterprise_create`` for many new enterprises at once (the xlsx import): the same placement check
    (once per unit), validation, first state and audit event per enterprise, in three bulk inserts.

    The caller resolved units, industries and townships in the actor's scope and checked that every code is
    new (the unique constraint still guards). Raises ``InvalidRows`` (nothing written) when a row fails.
    """
    unit_errors: dict[int, ValidationError | None] = {}
    enterprises: list[Enterprise] = []
    errors: list[tuple[int, ValidationError]] = []
    for index, data in enumerate(rows):
        unit = data["unit"]
        if unit.pk not in unit_errors:
            try:
                _check_unit(scope, unit)
                unit_errors[unit.pk] = None
            except ValidationError as exc:
                unit_errors[unit.pk] = exc
        enterprise = Enterprise(**data)
        enterprise.uscc = enterprise.uscc.upper()
        try:
            if unit_errors[unit.pk] is not None:
                raise unit_errors[unit.pk]
            enterprise.full_clean(exclude=IMPORT_RESOLVED_FIELDS, validate_unique=False)
        except ValidationError as exc:
            errors.append((index, exc))
        enterprises.append(enterprise)
    if errors:
        raise InvalidRows(errors)
    Enterprise.objects.bulk_create(enterprises, batch_size=BULK_BATCH)
    EnterpriseState.objects.bulk_create(
        [_first_state(e, valid_from=min(e.registered_on, e.status_since), actor=actor) for e in enterprises],
        batch_size=BULK_BATCH,
    )
    audit.record_many(
        actor=actor,
        action="orgs.enterprise_create",
        events=[
            audit.Event(obj=e, org_path=e.unit.path, enterprise_id=e.pk, after=audit.snapshot(e))
            for e in enterprises
        ],
    )
    return enterprises


@transaction.atomic
def enterprise_update(
    *,
    actor,
    scope: Scope,
    enterprise: Enterprise,
    data: dict,
    effective: datetime.date | None = None,
    profile_only: bool = False,
) -> Enterprise:
    """Update an enterprise. A new unit, size class or status opens a dated state on ``effective``."""
    perm = "enterprise.edit_profile" if profile_only else "enterprise.manage"
    _require(scope, perm, enterprise)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    before = audit.snapshot(enterprise)
    data = dict(data)
    concurrency.claim(enterprise, data)
    for name, value in data.items():
        setattr(enterprise, name, value)
    if "unit" in data and data["unit"].pk != before["unit"]:
        _check_unit(scope, data["unit"])
    enterprise.uscc = enterprise.uscc.upper()
    enterprise.full_clean()
    effective = effective or timezone.localdate()
    state_changed = any(getattr(enterprise, f) != before[f.removesuffix("_id")] for f in STATE_FIELDS)
    if "status" in data and enterprise.status != before["status"]:
        enterprise.status_since = effective
    enterprise.save()
    if state_changed:
        _move_state(enterprise, effective=effective, actor=actor)
    audit.record(
        actor=actor,
        action="orgs.enterprise_update",
        obj=enterprise,
        org_path=enterprise.unit.path,
        enterprise_id=enterprise.pk,
        before=before,
        after=audit.snapshot(enterprise),
    )
    return enterprise


def _move_state(enterprise: Enterprise, *, effective: datetime.date, actor) -> None:
    current = (
        EnterpriseState.objects.select_for_update()
        .filter(enterprise=enterprise, valid_to__isnull=True)
        .first()
    )
    if current is not None:
        if effective < current.valid_from:
            raise ValidationError(
                {"effective": f"变更生效日期不能早于上一次变更的日期（{current.valid_from:%Y-%m-%d}）。"}
            )
        if effective == current.valid_from:
            current.delete()
        else:
            current.valid_to = effective
            current.save(update_fields=["valid_to"])
    _open_state(enterprise, valid_from=effective, actor=actor)


@transaction.atomic
def enterprise_close(*, actor, scope: Scope, enterprise: Enterprise, on: datetime.date) -> Enterprise:
    """Deactivate: the enterprise is 注销 from ``on``; its records and history stay."""
    if enterprise.status == Status.CLOSED:
        raise ValidationError("该企业已注销。")
    return enterprise_update(
        actor=actor, scope=scope, enterprise=enterprise, data={"status": Status.CLOSED}, effective=on
    )
