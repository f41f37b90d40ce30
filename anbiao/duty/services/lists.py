"""Duty/assessment list versions of a post, and the templates units keep (inherited downward)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from anbiao.core import audit
from anbiao.core import files as evidence
from anbiao.duty import selectors
from anbiao.duty.choices import ListStatus
from anbiao.duty.models import (
    AssessItem,
    DutyItem,
    DutyList,
    DutyListSignature,
    DutyTemplate,
    Post,
    TemplateAssessItem,
    TemplateDutyItem,
)
from anbiao.duty.services.base import EDIT, TEMPLATE, log, require, today


# --- item lists (shared by templates and post lists) ----------------------------------------------------
def clean_items(duty_items: list[dict], assess_items: list[dict]) -> tuple[list[dict], list[dict]]:
    """Validate and renumber item rows; every problem names the row (责任条目第N条 / 考核条目第N条)."""
    errors: list[str] = []
    duties = []
    for n, row in enumerate(duty_items, 1):
        text = (row.get("text") or "").strip()
        if not text:
            errors.append(f"责任条目第{n}条：请填写责任内容。")
            continue
        duties.append(
            {"number": len(duties) + 1, "text": text, "basis": (row.get("basis") or "").strip()[:200]}
        )
    assess = []
    for n, row in enumerate(assess_items, 1):
        content = (row.get("content") or "").strip()
        if not content:
            errors.append(f"考核条目第{n}条：请填写考核内容及标准。")
            continue
        try:
            marks = Decimal(str(row.get("full_marks"))).quantize(Decimal("0.1"))
        except (InvalidOperation, TypeError, ValueError):
            errors.append(f"考核条目第{n}条：满分须为数字。")
            continue
        if marks <= 0 or marks > 1000:
            errors.append(f"考核条目第{n}条：满分须大于 0 且不超过 1000。")
            continue
        assess.append(
            {
                "number": len(assess) + 1,
                "content": content,
                "indicator": (row.get("indicator") or "").strip()[:100],
                "full_marks": marks,
                "scoring_rule": (row.get("scoring_rule") or "").strip()[:200],
            }
        )
    if not duties:
        errors.append("至少需要一条责任条目。")
    if not assess:
        errors.append("至少需要一条考核条目。")
    if errors:
        raise ValidationError(errors)
    return duties, assess


def _write_items(owner_field: str, owner, duties, assess, duty_model, assess_model) -> None:
    duty_model.objects.filter(**{owner_field: owner}).delete()
    assess_model.objects.filter(**{owner_field: owner}).delete()
    duty_model.objects.bulk_create([duty_model(**{owner_field: owner}, **d) for d in duties])
    assess_model.objects.bulk_create([assess_model(**{owner_field: owner}, **a) for a in assess])


def _items_of(obj) -> tuple[list[dict], list[dict]]:
    duties = [{"text": i.text, "basis": i.basis} for i in obj.duty_items.all()]
    assess = [
        {
            "content": i.content,
            "indicator": i.indicator,
            "full_marks": i.full_marks,
            "scoring_rule": i.scoring_rule,
        }
        for i in obj.assess_items.all()
    ]
    return duties, assess


def _items_snapshot(duties, assess) -> dict:
    return {"duty_items": [d["text"] for d in duties], "assess_items": [a["content"] for a in assess]}


# --- templates ----------------------------------------------------------------------------------------
@transaction.atomic
def template_derive(*, actor, scope, source: DutyTemplate, organization) -> DutyTemplate:
    """Copy a template offered at ``organization`` into the unit's own, to adapt it for the units below."""
    require(scope, TEMPLATE, organization)
    offered = selectors.templates_for_path(organization.path).filter(pk=source.pk).exists()
    if not offered:
        raise ValidationError("只能继承本单位或上级单位（含系统预置）的模板。")
    if source.organization_id == organization.pk:
        raise ValidationError("这是本单位自己的模板，请直接修改。")
    tpl = DutyTemplate(
        organization=organization,
        level=source.level,
        title=f"{source.title}（{organization.name}）",
        derived_from=source,
        source=source.source,
    )
    tpl.full_clean()
    tpl.save()
    duties, assess = _items_of(source)
    duties, assess = clean_items(duties, assess)
    _write_items("template", tpl, duties, assess, TemplateDutyItem, TemplateAssessItem)
    log(
        actor,
        "template_derive",
        tpl,
        None,
        after={**audit.snapshot(tpl), "organization_path": organization.path},
    )
    return tpl


@transaction.atomic
def template_save(
    *, actor, scope, template: DutyTemplate, title: str, is_active: bool, duty_items, assess_items
) -> DutyTemplate:
    require(scope, TEMPLATE, template)
    duties, assess = clean_items(duty_items, assess_items)
    before = {**audit.snapshot(template), **_items_snapshot(*_items_of(template))}
    template.title = (title or "").strip()
    template.is_active = is_active
    template.full_clean()
    template.save()
    _write_items("template", template, duties, assess, TemplateDutyItem, TemplateAssessItem)
    audit.record(
        actor=actor,
        action="duty.template_save",
        obj=template,
        org_path=template.organization.path,
        before=before,
        after={**audit.snapshot(template), **_items_snapshot(duties, assess)},
    )
    return template


# --- post list versions ------------------------------------------------------------------------------------
@transaction.atomic
def duty_list_adopt(*, actor, scope, post: Post, template: DutyTemplate | None = None) -> DutyList:
    """Start a new draft version of the post's lists.

    From ``template`` (one offered at the enterprise's unit), or — without one — from the current version
    (a revision), or else from the nearest template for the post's level.
    """
    require(scope, EDIT, post)
    if post.abolished_on:
        raise ValidationError("岗位已撤销。")
    if post.lists.filter(status=ListStatus.DRAFT).exists():
        raise ValidationError("该岗位已有未发布的草稿，请先完成或修改该草稿。")
    path = post.enterprise.unit.path
    source = None
    if template is not None:
        if not selectors.templates_for_path(path).filter(pk=template.pk).exists():
            raise ValidationError({"template": "该模板不适用于本企业。"})
        source = template
    else:
        current = post.lists.exclude(status=ListStatus.DRAFT).order_by("-version").first()
        source = current or selectors.nearest_templates(path).get(post.level)
        template = current.template if current else source
    if source is None:
        raise ValidationError("没有可用的模板，请手工填写清单。")
    version = (post.lists.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    dl = DutyList(
        post=post,
        version=version,
        template=template,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    dl.full_clean()
    dl.save()
    duties, assess = clean_items(*_items_of(source))
    _write_items("duty_list", dl, duties, assess, DutyItem, AssessItem)
    log(
        actor,
        "list_adopt",
        dl,
        post.enterprise,
        after={**audit.snapshot(dl), **_items_snapshot(duties, assess)},
    )
    return dl


@transaction.atomic
def duty_list_save(
    *, actor, scope, duty_list: DutyList, duty_items, assess_items, note: str = ""
) -> DutyList:
    """Adapt a draft: replace its items (numbered in order) and the revision note."""
    require(scope, EDIT, duty_list)
    if not duty_list.is_draft:
        raise ValidationError("已发布的清单不能修改，请新建修订版本。")
    duties, assess = clean_items(duty_items, assess_items)
    before = _items_snapshot(*_items_of(duty_list))
    duty_list.note = (note or "").strip()[:200]
    duty_list.save(update_fields=["note"])
    _write_items("duty_list", duty_list, duties, assess, DutyItem, AssessItem)
    log(
        actor,
        "list_save",
        duty_list,
        duty_list.post.enterprise,
        before=before,
        after=_items_snapshot(duties, assess),
    )
    return duty_list


@transaction.atomic
def duty_list_publish(
    *,
    actor,
    scope,
    duty_list: DutyList,
    effective_from: datetime.date,
    published_on: datetime.date | None,
    published_place: str,
) -> DutyList:
    """Put a draft into force from ``effective_from``; the version in force before it ends that day."""
    require(scope, EDIT, duty_list)
    if not duty_list.is_draft:
        raise ValidationError("该版本已发布。")
    errors = {}
    if effective_from is None:
        errors["effective_from"] = "请填写生效日期。"
    elif effective_from > today():
        errors["effective_from"] = "生效日期不能晚于今天。"
    if not published_on:
        errors["published_on"] = "请填写公示日期。"
    elif published_on > today():
        errors["published_on"] = "公示日期不能晚于今天。"
    if not (published_place or "").strip():
        errors["published_place"] = "请填写公示地点。"
    if errors:
        raise ValidationError(errors)
    if not duty_list.duty_items.exists() or not duty_list.assess_items.exists():
        raise ValidationError("清单须至少有一条责任条目和一条考核条目。")
    previous = duty_list.post.lists.filter(status=ListStatus.EFFECTIVE).first()
    if previous is not None:
        if effective_from <= previous.effective_from:
            raise ValidationError(
                {"effective_from": f"生效日期须晚于上一版本的生效日期（{previous.effective_from}）。"}
            )
        previous.status = ListStatus.SUPERSEDED
        previous.superseded_on = effective_from
        previous.save(update_fields=["status", "superseded_on"])
    duty_list.status = ListStatus.EFFECTIVE
    duty_list.effective_from = effective_from
    duty_list.published_on = published_on
    duty_list.published_place = published_place.strip()
    duty_list.backdated = effective_from < today()
    duty_list.full_clean()
    duty_list.save()
    log(actor, "list_publish", duty_list, duty_list.post.enterprise, before={"status": ListStatus.DRAFT})
    return duty_list


@transaction.atomic
def duty_list_discard(*, actor, scope, duty_list: DutyList) -> None:
    require(scope, EDIT, duty_list)
    if not duty_list.is_draft:
        raise ValidationError("只能删除草稿。")
    log(
        actor,
        "list_discard",
        duty_list,
        duty_list.post.enterprise,
        before=audit.snapshot(duty_list),
        after={},
    )
    duty_list.delete()


@transaction.atomic
def duty_list_sign(
    *, actor, scope, duty_list: DutyList, person, signed_on: datetime.date, upload
) -> DutyListSignature:
    """Attach a signed 责任书 scan for a published version."""
    require(scope, EDIT, duty_list)
    enterprise = duty_list.post.enterprise
    if duty_list.is_draft:
        raise ValidationError("草稿不能签署责任书，请先发布。")
    if person.enterprise_id != enterprise.pk:
        raise ValidationError({"person": "签署人不属于该企业。"})
    if signed_on is None or signed_on > today():
        raise ValidationError({"signed_on": "签署日期不能为空或晚于今天。"})
    if upload is None:
        raise ValidationError({"file": "请上传责任书扫描件。"})
    file = evidence.store(
        actor=actor,
        upload=upload,
        enterprise=enterprise,
        owner=duty_list,
        title=f"{person.name} 安全生产责任书",
    )
    sig = DutyListSignature(duty_list=duty_list, person=person, signed_on=signed_on, file=file)
    sig.full_clean()
    sig.save()
    log(actor, "list_sign", sig, enterprise)
    return sig
