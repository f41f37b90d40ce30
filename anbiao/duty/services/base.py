"""Shared helpers for the duty services: permission check, audit in the write's transaction, dated periods."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from anbiao.core import audit
from anbiao.core.scope import Scope

EDIT = "duty.edit"
ANONYMISE = "duty.anonymise"
ASSESS = "duty.assess"
TEMPLATE = "duty.template"
CATALOG = "catalog.manage"


def require(scope: Scope, perm: str, obj=None) -> None:
    if not scope.can(perm, obj):
        raise PermissionDenied("没有权限执行此操作。")


def today() -> datetime.date:
    return timezone.localdate()


def log(actor, action: str, obj, enterprise, *, before=None, after=None) -> None:
    audit.record(
        actor=actor,
        action=f"duty.{action}",
        obj=obj,
        org_path=enterprise.unit.path if enterprise is not None else "",
        enterprise_id=enterprise.pk if enterprise is not None else None,
        before=before,
        after=after if after is not None else audit.snapshot(obj),
    )


def start_period(obj, valid_from: datetime.date, actor) -> None:
    """Fill the dated-period fields of a new row; a start before today is marked 补录."""
    if valid_from is None:
        raise ValidationError({"valid_from": "请填写起始日期。"})
    if valid_from > today():
        raise ValidationError({"valid_from": "起始日期不能晚于今天。"})
    obj.valid_from = valid_from
    obj.backdated = valid_from < today()
    obj.recorded_by = actor if getattr(actor, "pk", None) else None


def end_period(*, actor, obj, enterprise, valid_to: datetime.date, action: str) -> None:
    """Close a dated row on ``valid_to`` (the first day it no longer holds)."""
    if obj.valid_to is not None:
        raise ValidationError("该记录已经结束。")
    if valid_to is None:
        raise ValidationError({"valid_to": "请填写截止日期。"})
    if valid_to <= obj.valid_from:
        raise ValidationError({"valid_to": "截止日期须晚于起始日期。"})
    if valid_to > today() + datetime.timedelta(days=1):
        raise ValidationError({"valid_to": "截止日期不能晚于明天。"})
    before = {"valid_to": None}
    obj.valid_to = valid_to
    obj.full_clean()
    obj.save(update_fields=["valid_to"])
    log(actor, action, obj, enterprise, before=before, after={"valid_to": valid_to})
