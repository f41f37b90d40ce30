"""Writes for the shared configuration (permission ``catalog.manage``): catalogue import, a standard's
thresholds and state, star/level/revocation rule sets, 5S/六有 checklists. Rule sets and checklists
already used by a record are never edited: saving them makes a new active version."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from anbiao.core import audit
from anbiao.core.scope import Scope
from anbiao.standards import catalogue_io
from anbiao.standards.choices import PassMode, RuleEffect, RuleOp
from anbiao.standards.models import (
    Rule,
    RuleSet,
    SelfAssessment,
    SiteAssessment,
    SiteChecklist,
    SiteChecklistItem,
    Standard,
    StandardItem,
    StarRating,
)


def _require_manage(scope: Scope) -> str:
    if not scope.has_perm("catalog.manage"):
        raise PermissionDenied("只有县社管理员可以维护标准目录和规则。")
    return min(scope.q_paths("catalog.manage"), key=len, default="")


def catalogue_import(
    *, actor, scope: Scope, catalogue: catalogue_io.Catalogue, filename: str = ""
) -> Standard:
    """Write a validated catalogue as a new standard; nothing is written on any error."""
    org_path = _require_manage(scope)
    if not catalogue.ok:
        raise ValidationError(catalogue.errors)
    if Standard.objects.filter(code=catalogue.meta["code"]).exists():
        raise ValidationError(
            [
                f"{catalogue_io.META_SHEET}「标准编号」：「{catalogue.meta['code']}」已存在，请使用新的编号或版本。"
            ]
        )
    with transaction.atomic():
        standard = catalogue_io.write(Standard, StandardItem, catalogue)
        standard.full_clean()
        audit.record(
            actor=actor,
            action="standards.catalogue_import",
            obj=standard,
            org_path=org_path,
            object_repr=f"{standard} {filename}"[:255],
            after={"code": standard.code, "items": len(catalogue.items)},
        )
    return standard


STANDARD_FIELDS = ["title", "level1_min", "level2_min", "level3_min", "applies_to", "is_active", "source"]


@transaction.atomic
def standard_update(*, actor, scope: Scope, standard: Standard, data: dict) -> Standard:
    org_path = _require_manage(scope)
    s = Standard.objects.select_for_update().get(pk=standard.pk)
    before = audit.snapshot(s, STANDARD_FIELDS)
    for name, value in data.items():
        if name not in STANDARD_FIELDS:
            raise ValidationError(f"不能修改字段 {name}。")
        setattr(s, name, value)
    s.full_clean()
    s.save()
    audit.record(
        actor=actor,
        action="standards.standard_update",
        obj=s,
        org_path=org_path,
        before=before,
        after=audit.snapshot(s, STANDARD_FIELDS),
    )
    return s


def ruleset_in_use(ruleset: RuleSet) -> bool:
    return (
        StarRating.objects.filter(ruleset=ruleset).exists()
        or SelfAssessment.objects.filter(ruleset=ruleset).exists()
    )


def validate_rule_rows(rows: list[dict], known_facts: set[str]) -> list[dict]:
    """Rows as dicts of raw strings; returns clean rows or raises with 第N行 messages."""
    errors, clean = [], []
    for n, row in enumerate(rows, start=1):
        if not any(str(v).strip() for v in row.values() if v is not None):
            continue
        msgs = []
        fact = (row.get("fact") or "").strip()
        op = (row.get("op") or "").strip()
        effect = (row.get("effect") or "").strip()
        if op not in RuleOp.values:
            msgs.append("比较方式不正确")
        if op != RuleOp.ALWAYS and fact not in known_facts:
            msgs.append(f"事实「{fact}」不存在")
        if effect not in RuleEffect.values:
            msgs.append("作用不正确")
        try:
            threshold = Decimal(str(row.get("threshold") or "0").strip())
            result = int(str(row.get("result") or "0").strip())
            order = int(str(row.get("order") or n * 10).strip())
        except (ValueError, ArithmeticError):
            msgs.append("顺序、阈值和结果须为数字")
            threshold, result, order = Decimal("0"), 0, n
        if not (row.get("reason") or "").strip():
            msgs.append("理由必填")
        if msgs:
            errors.append(f"第{n}行：{'；'.join(msgs)}。")
            continue
        clean.append(
            {
                "order": order,
                "fact": "" if op == RuleOp.ALWAYS else fact,
                "op": op,
                "threshold": threshold,
                "effect": effect,
                "result": result,
                "reason": row["reason"].strip()[:300],
                "unverified": bool(row.get("unverified")),
            }
        )
    if errors:
        raise ValidationError(errors)
    if not clean:
        raise ValidationError(["规则集至少需要一条规则。"])
    return clean


@transaction.atomic
def ruleset_save(
    *, actor, scope: Scope, ruleset: RuleSet, rows: list[dict], known_facts: set[str]
) -> RuleSet:
    """Replace the rows; a rule set already used by a record gets a new active version instead."""
    org_path = _require_manage(scope)
    clean = validate_rule_rows(rows, known_facts)
    before = [r.reason for r in ruleset.rules.all()]
    target = ruleset
    if ruleset_in_use(ruleset):
        latest = RuleSet.objects.filter(kind=ruleset.kind).order_by("-version").first()
        RuleSet.objects.filter(kind=ruleset.kind, is_active=True).update(is_active=False)
        target = RuleSet.objects.create(
            kind=ruleset.kind,
            version=latest.version + 1,
            title=ruleset.title,
            source=ruleset.source,
            is_active=True,
        )
    else:
        target.rules.all().delete()
    Rule.objects.bulk_create([Rule(ruleset=target, **row) for row in clean])
    audit.record(
        actor=actor,
        action="standards.ruleset_save",
        obj=target,
        org_path=org_path,
        before={"version": ruleset.version, "rules": before},
        after={"version": target.version, "rules": [r["reason"] for r in clean]},
    )
    return target


@transaction.atomic
def ruleset_activate(*, actor, scope: Scope, ruleset: RuleSet) -> RuleSet:
    org_path = _require_manage(scope)
    RuleSet.objects.filter(kind=ruleset.kind, is_active=True).update(is_active=False)
    RuleSet.objects.filter(pk=ruleset.pk).update(is_active=True)
    ruleset.refresh_from_db()
    audit.record(
        actor=actor,
        action="standards.ruleset_activate",
        obj=ruleset,
        org_path=org_path,
        after={"version": ruleset.version},
    )
    return ruleset


@transaction.atomic
def checklist_save(
    *,
    actor,
    scope: Scope,
    checklist: SiteChecklist,
    labels: list[str],
    pass_mode: str,
    pass_threshold: Decimal,
) -> SiteChecklist:
    """Edit labels and the pass rule; a checklist already used makes a new active version."""
    org_path = _require_manage(scope)
    labels = [label.strip() for label in labels]
    if len(labels) != checklist.items.count() or not all(labels):
        raise ValidationError({"labels": "每个检查项都须填写名称。"})
    if pass_mode not in PassMode.values:
        raise ValidationError({"pass_mode": "达标规则不正确。"})
    if not (Decimal("0") <= pass_threshold <= Decimal("100")):
        raise ValidationError({"pass_threshold": "阈值应在 0–100 之间。"})
    items = list(checklist.items.all())
    before = {
        "labels": [i.label for i in items],
        "pass_mode": checklist.pass_mode,
        "pass_threshold": checklist.pass_threshold,
    }
    target = checklist
    if SiteAssessment.objects.filter(checklist=checklist).exists():
        latest = SiteChecklist.objects.filter(kind=checklist.kind).order_by("-version").first()
        SiteChecklist.objects.filter(kind=checklist.kind, is_active=True).update(is_active=False)
        target = SiteChecklist.objects.create(
            kind=checklist.kind,
            version=latest.version + 1,
            title=checklist.title,
            pass_mode=pass_mode,
            pass_threshold=pass_threshold,
            source=checklist.source,
            unverified=checklist.unverified,
            is_active=True,
        )
        for old, label in zip(items, labels, strict=True):
            SiteChecklistItem.objects.create(
                checklist=target,
                order=old.order,
                label=label,
                guidance=old.guidance,
                unverified=old.unverified and label == old.label,
            )
    else:
        target.pass_mode, target.pass_threshold = pass_mode, pass_threshold
        target.full_clean()
        target.save()
        for old, label in zip(items, labels, strict=True):
            if old.label != label:
                old.label, old.unverified = label, False
                old.save(update_fields=["label", "unverified"])
    audit.record(
        actor=actor,
        action="standards.checklist_save",
        obj=target,
        org_path=org_path,
        before=before,
        after={
            "labels": labels,
            "pass_mode": pass_mode,
            "pass_threshold": pass_threshold,
            "version": target.version,
        },
    )
    return target
