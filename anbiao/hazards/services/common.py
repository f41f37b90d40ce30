from __future__ import annotations

from django.core.exceptions import PermissionDenied

from anbiao.core import audit
from anbiao.core.models import EvidenceFile
from anbiao.core.scope import Scope


def require(scope: Scope, perm: str, obj=None) -> None:
    if not scope.can(perm, obj):
        raise PermissionDenied("没有权限执行此操作。")


def record(actor, action: str, obj, enterprise, *, before=None, after=None) -> None:
    audit.record(
        actor=actor,
        action=f"hazards.{action}",
        obj=obj,
        org_path=enterprise.unit.path,
        enterprise_id=enterprise.pk,
        before=before,
        after=after,
    )


def actor_name(actor) -> str:
    if actor is None or getattr(actor, "pk", None) is None:
        return "系统"
    return getattr(actor, "full_name", "") or actor.get_username()


def photos_of(obj, title: str | None = None):
    qs = EvidenceFile.objects.filter(owner_type=obj._meta.label_lower, owner_id=str(obj.pk))
    return qs.filter(title=title) if title else qs


def photos_by_owner(owner_type: str, ids) -> list[EvidenceFile]:
    return list(EvidenceFile.objects.filter(owner_type=owner_type, owner_id__in=[str(i) for i in ids]))
