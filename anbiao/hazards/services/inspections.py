"""Inspections: start one against a published checklist, record findings, complete it (不符合 → 隐患),
and the units' inspection plans."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anbiao.core import audit, files
from anbiao.core.models import EvidenceFile
from anbiao.core.scope import Scope
from anbiao.hazards.choices import SOURCE_OF_INSPECTION, HazardKind, ItemCategory, Outcome
from anbiao.hazards.models import ChecklistTemplate, Inspection, InspectionPlan, InspectionResult
from anbiao.hazards.rules import inspection_kinds
from anbiao.hazards.services.checklists import current_version
from anbiao.hazards.services.common import record, require
from anbiao.hazards.services.hazards import hazard_register

KIND_OF_CATEGORY = {
    ItemCategory.MANAGEMENT: HazardKind.MANAGEMENT,
    ItemCategory.EQUIPMENT: HazardKind.THING,
    ItemCategory.SITE: HazardKind.THING,
    ItemCategory.BEHAVIOUR: HazardKind.BEHAVIOUR,
}


def _inspecting_unit(scope: Scope, enterprise, kind: str):
    """The supervising unit on whose behalf a supervisor inspects: the actor's deepest unit above the
    enterprise, or the enterprise's own unit for assigned inspectors and experts."""
    if kind == "self":
        return None
    from anbiao.orgs.models import Organization

    paths = [p for p in scope.unit_paths if enterprise.unit.path.startswith(p)]
    if paths:
        return Organization.objects.get(path=max(paths, key=len))
    return enterprise.unit


@transaction.atomic
def inspection_start(
    *,
    actor,
    scope: Scope,
    enterprise,
    kind: str,
    inspected_on: datetime.date,
    inspectors: str,
    template: ChecklistTemplate | None,
    plan: InspectionPlan | None = None,
) -> Inspection:
    require(scope, "inspection.conduct", enterprise)
    if kind not in inspection_kinds(scope.roles):
        raise PermissionDenied("您的角色不能进行此类检查。")
    version = None
    if template is not None:
        if not ChecklistTemplate.objects.visible_to(scope).filter(pk=template.pk).exists():
            raise ValidationError({"template": "所选检查清单不可用。"})
        version = current_version(template)
        if version is None:
            raise ValidationError({"template": "所选检查清单尚未发布。"})
    if inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": "检查日期不能晚于今天。"})
    if plan is not None and (plan.enterprise_id != enterprise.pk or hasattr(plan, "inspection")):
        raise ValidationError({"plan": "检查计划与企业不符或已完成。"})
    inspection = Inspection(
        enterprise=enterprise,
        kind=kind,
        organization=_inspecting_unit(scope, enterprise, kind),
        inspected_on=inspected_on,
        inspectors=inspectors.strip(),
        version=version,
        plan=plan,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    inspection.full_clean()
    inspection.save()
    record(actor, "inspection_start", inspection, enterprise, after=audit.snapshot(inspection))
    return inspection


def _require_conduct(scope: Scope, inspection: Inspection) -> None:
    require(scope, "inspection.conduct", inspection)
    if inspection.kind not in inspection_kinds(scope.roles):
        raise PermissionDenied("您的角色不能修改此检查。")
    if inspection.is_done:
        raise ValidationError("检查已完成，结果不能再修改。")


@transaction.atomic
def inspection_record(*, actor, scope: Scope, inspection: Inspection, findings: list[dict]) -> list:
    """Save findings, each ``{"item": ChecklistItem|None, "outcome", "location", "note", "photos"}``.
    Items must belong to the inspection's checklist version; a 不符合 needs a note."""
    _require_conduct(scope, inspection)
    allowed = {i.pk for i in inspection.version.all_items()} if inspection.version else set()
    errors = []
    for n, f in enumerate(findings, start=1):
        item = f.get("item")
        label = f"第{item.order}项" if item else f"第{n}条补充发现"
        if item is not None and item.pk not in allowed:
            errors.append(f"{label}：不属于本次检查使用的清单。")
        if f.get("outcome") not in Outcome.values:
            errors.append(f"{label}：请选择检查结果。")
        if f.get("outcome") == Outcome.FAIL and not (f.get("note") or "").strip():
            errors.append(f"{label}：不符合时请说明具体情况。")
    if errors:
        raise ValidationError(errors)
    existing = {r.item_id: r for r in inspection.results.filter(item__isnull=False)}
    saved, new, changed = [], [], []
    for f in findings:
        item = f.get("item")
        result = existing.get(item.pk) if item is not None else None
        (changed if result else new).append(
            result := result or InspectionResult(inspection=inspection, item=item)
        )
        result.outcome = f["outcome"]
        result.note = (f.get("note") or "").strip()
        result.location = (f.get("location") or "").strip()[:120]
        saved.append((result, f.get("photos") or []))
    InspectionResult.objects.bulk_create(new)
    InspectionResult.objects.bulk_update(changed, ["outcome", "note", "location"])
    for result, photos in saved:
        for photo in photos:
            files.store(
                actor=actor,
                upload=photo,
                enterprise=inspection.enterprise,
                owner=result,
                kind=EvidenceFile.Kind.PHOTO,
                title="检查照片",
                images_only=True,
            )
    record(actor, "inspection_record", inspection, inspection.enterprise, after={"findings": len(saved)})
    return [result for result, _ in saved]


def _notice_no(inspection: Inspection) -> str:
    year = inspection.inspected_on.year
    count = Inspection.objects.filter(
        organization=inspection.organization, inspected_on__year=year, notice_no__startswith=f"ZG{year}-"
    ).count()
    return f"ZG{year}-{inspection.organization.code}-{count + 1:03d}"


@transaction.atomic
def inspection_complete(
    *, actor, scope: Scope, inspection: Inspection, summary: str, deadline: datetime.date | None
) -> Inspection:
    """Finish: every 不符合 finding becomes a hazard (source from the inspection kind) in one step. A
    supervisor's inspection sets the rectification deadline and gets a 整改通知单 number."""
    _require_conduct(scope, inspection)
    results = list(inspection.results.select_related("item__criterion").filter(hazard__isnull=True))
    failed = [r for r in results if r.outcome == Outcome.FAIL]
    if inspection.version and not inspection.results.exists():
        raise ValidationError("还没有记录任何检查结果。")
    if inspection.by_supervisor and failed and not deadline:
        raise ValidationError({"deadline": "发现隐患时请填写整改期限（整改通知单要求）。"})
    if deadline and deadline < inspection.inspected_on:
        raise ValidationError({"deadline": "整改期限不能早于检查日期。"})
    for result in failed:
        item = result.item
        hazard = hazard_register(
            actor=actor,
            scope=scope,
            enterprise=inspection.enterprise,
            data={
                "source": SOURCE_OF_INSPECTION[inspection.kind],
                "kind": KIND_OF_CATEGORY.get(item.category, HazardKind.THING) if item else HazardKind.THING,
                "location": result.location or "现场",
                "description": f"{item.content}——{result.note}" if item else result.note,
                "found_on": inspection.inspected_on,
                "found_by_name": inspection.inspectors[:100],
                "criterion": item.criterion if item else None,
                "checklist_item": item,
                "inspection": inspection,
            },
        )
        if deadline:
            hazard.deadline = deadline
            hazard.save(update_fields=["deadline"])
        result.hazard = hazard
        result.save(update_fields=["hazard"])
    inspection.summary = summary.strip()
    inspection.status = Inspection.Status.DONE
    inspection.completed_at = timezone.now()
    if inspection.by_supervisor and failed:
        inspection.notice_no = _notice_no(inspection)
    inspection.save()
    record(
        actor,
        "inspection_complete",
        inspection,
        inspection.enterprise,
        after={"hazards": len(failed), "notice_no": inspection.notice_no},
    )
    return inspection


@transaction.atomic
def plan_create(*, actor, scope: Scope, data: dict) -> InspectionPlan:
    enterprise = data["enterprise"]
    require(scope, "inspection_plan.manage", enterprise)
    organization = data.get("organization")
    if organization is None or not scope.can("inspection_plan.manage", organization):
        raise ValidationError({"organization": "请选择您管辖的计划单位。"})
    if not enterprise.unit.path.startswith(organization.path):
        raise ValidationError({"enterprise": "该企业不在计划单位管辖范围内。"})
    plan = InspectionPlan(**data)
    plan.full_clean()
    plan.save()
    record(actor, "plan_create", plan, enterprise, after=audit.snapshot(plan))
    return plan


@transaction.atomic
def plan_cancel(*, actor, scope: Scope, plan: InspectionPlan) -> InspectionPlan:
    require(scope, "inspection_plan.manage", plan)
    if hasattr(plan, "inspection"):
        raise ValidationError("计划已执行，不能取消。")
    plan.cancelled = True
    plan.save(update_fields=["cancelled"])
    record(actor, "plan_cancel", plan, plan.enterprise, after={"cancelled": True})
    return plan
