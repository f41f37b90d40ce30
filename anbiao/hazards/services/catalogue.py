"""The 重大事故隐患判定标准 catalogue (shared reference data)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from anbiao.core import audit
from anbiao.core.scope import Scope
from anbiao.hazards.models import HazardCriterion


@transaction.atomic
def criterion_save(*, actor, scope: Scope, form, editing: HazardCriterion | None) -> HazardCriterion:
    if not scope.has_perm("catalog.manage"):
        raise PermissionDenied("只有县社管理员可以修改判定标准。")
    before = audit.snapshot(editing) if editing else None
    entry = form.save()
    audit.record(
        actor=actor,
        action="hazards.criterion_save",
        obj=entry,
        org_path=min(scope.q_paths("catalog.manage"), key=len, default=""),
        before=before,
        after=audit.snapshot(entry),
    )
    return entry
