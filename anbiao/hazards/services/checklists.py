"""The checklist library: templates owned by a unit (inherited below) or an enterprise, drafts, publishing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from anbiao.core import audit
from anbiao.core.scope import Scope
from anbiao.hazards.models import ChecklistItem, ChecklistTemplate, ChecklistVersion

ITEM_FIELDS = ["order", "category", "content", "method", "basis", "criterion", "element"]


def _record(actor, action: str, obj, template: ChecklistTemplate, **kw) -> None:
    audit.record(
        actor=actor,
        action=f"hazards.{action}",
        obj=obj,
        org_path=template.owner_path,
        enterprise_id=template.enterprise_id,
        **kw,
    )


def _require_manage(scope: Scope, template: ChecklistTemplate) -> None:
    if not scope.can("checklist.manage", template):
        raise PermissionDenied("只能修改本单位（或本企业）的检查清单；上级下发的清单可在其基础上增补。")


def current_version(template: ChecklistTemplate) -> ChecklistVersion | None:
    """The latest published version (what a new inspection uses)."""
    return template.versions.filter(number__isnull=False).order_by("-number").first()


@transaction.atomic
def template_create(
    *, actor, scope: Scope, organization=None, enterprise=None, data: dict
) -> ChecklistTemplate:
    owner = organization or enterprise
    if owner is None or (organization and enterprise):
        raise ValidationError("清单须属于一个单位或一个企业。")
    if not scope.can("checklist.manage", owner):
        raise PermissionDenied("不能在您的管辖范围以外创建检查清单。")
    industries = data.pop("industries", [])
    extends = data.get("extends")
    template = ChecklistTemplate(organization=organization, enterprise=enterprise, **data)
    if extends is not None:
        if not ChecklistTemplate.objects.visible_to(scope).filter(pk=extends.pk).exists():
            raise ValidationError({"extends": "所选清单不可用。"})
        if current_version(extends) is None:
            raise ValidationError({"extends": "所选清单尚未发布，不能在其基础上增补。"})
    template.full_clean()
    template.save()
    template.industries.set(industries)
    ChecklistVersion.objects.create(template=template, base=current_version(extends) if extends else None)
    _record(actor, "checklist_create", template, template, after=audit.snapshot(template))
    return template


def draft_of(template: ChecklistTemplate) -> ChecklistVersion:
    """The template's draft; a new draft starts as a copy of the latest published version."""
    draft = template.versions.filter(number__isnull=True).first()
    if draft is not None:
        return draft
    published = current_version(template)
    draft = ChecklistVersion.objects.create(template=template, base=published.base if published else None)
    if published is not None:
        ChecklistItem.objects.bulk_create(
            [
                ChecklistItem(version=draft, **{f: getattr(item, f) for f in ITEM_FIELDS})
                for item in published.items.all()
            ]
        )
    return draft


@transaction.atomic
def item_save(
    *, actor, scope: Scope, template: ChecklistTemplate, data: dict, item: ChecklistItem | None = None
):
    """Add an item to the draft, or change one of the draft's items."""
    _require_manage(scope, template)
    draft = draft_of(template)
    if item is not None and item.version_id != draft.pk:
        raise ValidationError("只能修改草稿中的检查项；已发布的版本不能修改。")
    before = audit.snapshot(item) if item else None
    item = item or ChecklistItem(version=draft)
    for name, value in data.items():
        if name not in ITEM_FIELDS:
            raise ValidationError(f"不能设置字段 {name}。")
        setattr(item, name, value)
    if not item.order:
        item.order = (draft.items.aggregate(m=Max("order"))["m"] or 0) + 1
    item.full_clean()
    item.save()
    _record(actor, "checklist_item_save", item, template, before=before, after=audit.snapshot(item))
    return item


@transaction.atomic
def item_delete(*, actor, scope: Scope, item: ChecklistItem) -> None:
    template = item.version.template
    _require_manage(scope, template)
    if not item.version.is_draft:
        raise ValidationError("已发布版本的检查项不能删除。")
    _record(actor, "checklist_item_delete", item, template, before=audit.snapshot(item))
    item.delete()


@transaction.atomic
def template_publish(*, actor, scope: Scope, template: ChecklistTemplate, note: str = "") -> ChecklistVersion:
    """Freeze the draft as the next numbered version; it becomes what new inspections use."""
    _require_manage(scope, template)
    # the template row is locked until the transaction ends: two publishes at once take turns (the second
    # then finds nothing left to publish) instead of both taking the same next number
    ChecklistTemplate.objects.select_for_update().only("pk").get(pk=template.pk)
    draft = template.versions.filter(number__isnull=True).first()
    if draft is None:
        raise ValidationError("没有待发布的修改。")
    if template.extends_id is None and not draft.items.exists():
        raise ValidationError("清单没有检查项，不能发布。")
    if template.extends_id:
        base = current_version(template.extends)
        if base is None:
            raise ValidationError("所增补的清单尚未发布。")
        draft.base = base
    draft.number = (template.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    draft.note = note.strip()[:200]
    draft.published_at = timezone.now()
    draft.published_by = actor if getattr(actor, "pk", None) else None
    draft.save()
    _record(
        actor, "checklist_publish", template, template, after={"version": draft.number, "note": draft.note}
    )
    return draft


@transaction.atomic
def template_update(*, actor, scope: Scope, template: ChecklistTemplate, data: dict) -> ChecklistTemplate:
    _require_manage(scope, template)
    before = audit.snapshot(template)
    industries = data.pop("industries", None)
    for name, value in data.items():
        if name not in {"name", "description", "is_active", "kind"}:
            raise ValidationError(f"不能修改字段 {name}。")
        setattr(template, name, value)
    template.full_clean()
    template.save()
    if industries is not None:
        template.industries.set(industries)
    _record(actor, "checklist_update", template, template, before=before, after=audit.snapshot(template))
    return template
