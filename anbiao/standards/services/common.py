"""Helpers shared by the standards services."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from anbiao.core.scope import Scope
from anbiao.standards.models import StandardsEvent


def require(scope: Scope, perm: str, obj=None) -> None:
    if not scope.can(perm, obj):
        raise PermissionDenied("没有权限执行此操作。")


def not_future(day: datetime.date | None, field: str, label: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: f"{label}不能晚于今天。"})


def actor_name(actor) -> str:
    if getattr(actor, "pk", None):
        return getattr(actor, "display_name", "") or actor.get_username()
    return "系统"


def event(*, owner_obj, action: str, label: str, actor, happened_on=None, note: str = "") -> StandardsEvent:
    """Append to the object's timeline (what users read on the page)."""
    return StandardsEvent.objects.create(
        enterprise_id=getattr(owner_obj, "enterprise_id", None),
        organization_id=getattr(owner_obj, "organization_id", None),
        object_type=owner_obj._meta.model_name,
        object_id=owner_obj.pk,
        action=action,
        label=label,
        happened_on=happened_on or timezone.localdate(),
        actor_name=actor_name(actor)[:150],
        note=note,
    )


def org_path_of(obj) -> str:
    enterprise = getattr(obj, "enterprise", None)
    if enterprise is not None:
        return enterprise.unit.path
    organization = getattr(obj, "organization", None)
    return organization.path if organization is not None else ""
