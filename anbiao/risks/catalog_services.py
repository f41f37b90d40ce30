"""County-administrator revisions of the catalogue: each revision is a new version; old ones stay."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anbiao.core import audit
from anbiao.core.scope import Scope
from anbiao.risks.catalog import fact_labels
from anbiao.risks.choices import METHOD_FACTORS, Comparison, Level
from anbiao.risks.models import Band, BandSet, FactorOption, GradeRule, GradeRuleSet, LevelPolicy


def _require_catalog(scope: Scope) -> None:
    if not scope.has_perm("catalog.manage"):
        raise PermissionDenied("只有县社管理员可以修改评价标准和评定规则。")


def _root_path(scope: Scope) -> str:
    paths = scope.q_paths("catalog.manage")
    return paths[0] if paths else ""


@transaction.atomic
def bandset_revise(
    *, actor, scope: Scope, band_set: BandSet, bands: list[dict], factors: list[dict], note: str
):
    """A new version of a band set. ``bands``: [{level, lower, inclusive, meaning}]; ``factors``:
    [{factor, value, label}]. Assessments made with the old version keep it."""
    _require_catalog(scope)
    band_set = BandSet.objects.select_for_update().get(pk=band_set.pk)
    if not band_set.is_current:
        raise ValidationError("只能修订现行版本。")
    if not note.strip():
        raise ValidationError({"note": "请填写修订说明（依据或原因）。"})
    levels = {b["level"] for b in bands}
    if not bands or levels != set(Level.values):
        raise ValidationError({"bands": "分级区间须覆盖红、橙、黄、蓝四个等级。"})
    if min(Decimal(str(b["lower"])) for b in bands) > 0:
        raise ValidationError({"bands": "最低区间的下限须为 0，使任何分值都有等级。"})
    ordered = sorted(bands, key=lambda b: Decimal(str(b["lower"])), reverse=True)
    ranks = [list(Level.values).index(b["level"]) for b in ordered]
    if ranks != sorted(ranks):
        raise ValidationError({"bands": "分值越高，风险等级须越高（区间与等级顺序不一致）。"})
    lowers = [Decimal(str(b["lower"])) for b in bands]
    if len(set(lowers)) != len(lowers):
        raise ValidationError({"bands": "两个区间的下限相同。"})
    wanted = set(METHOD_FACTORS[band_set.method])
    if {f["factor"] for f in factors} != wanted:
        raise ValidationError({"factors": f"因子须为 {'、'.join(sorted(wanted))}。"})
    for f in factors:
        if Decimal(str(f["value"])) <= 0 or not str(f["label"]).strip():
            raise ValidationError({"factors": f"因子 {f['factor']} 的取值须大于 0 并有说明。"})
    band_set.is_current = False
    band_set.save(update_fields=["is_current"])
    new = BandSet.objects.create(
        method=band_set.method,
        variant=band_set.variant,
        name=band_set.name,
        version=band_set.version + 1,
        is_current=True,
        is_default=band_set.is_default,
        valid_from=timezone.localdate(),
        source=band_set.source,
        note=note.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    Band.objects.bulk_create(
        Band(
            band_set=new,
            level=b["level"],
            lower=Decimal(str(b["lower"])),
            lower_inclusive=bool(b.get("inclusive", True)),
            meaning=b.get("meaning", ""),
        )
        for b in bands
    )
    try:
        FactorOption.objects.bulk_create(
            FactorOption(band_set=new, factor=f["factor"], value=Decimal(str(f["value"])), label=f["label"])
            for f in factors
        )
    except Exception as exc:
        raise ValidationError({"factors": "同一因子的取值不能重复。"}) from exc
    audit.record(
        actor=actor,
        action="risks.bandset_revise",
        obj=new,
        org_path=_root_path(scope),
        before={"version": band_set.version},
        after={"version": new.version, "bands": bands, "factors": factors, "note": note},
    )
    return new


@transaction.atomic
def rules_revise(*, actor, scope: Scope, rules: list[dict], default_level: str, note: str) -> GradeRuleSet:
    """A new version of the enterprise grade rules; grades computed before keep the version they used."""
    _require_catalog(scope)
    if not note.strip():
        raise ValidationError({"note": "请填写修订说明（依据或原因）。"})
    known = set(fact_labels())
    for i, r in enumerate(rules, start=1):
        if r["fact"] not in known:
            raise ValidationError({"rules": f"第{i}条规则：未知的事实“{r['fact']}”。"})
        if r["comparison"] not in Comparison.values or r["result"] not in Level.values:
            raise ValidationError({"rules": f"第{i}条规则：比较方式或评定颜色无效。"})
        if not str(r.get("reason", "")).strip():
            raise ValidationError({"rules": f"第{i}条规则：请填写理由模板。"})
    if default_level not in Level.values:
        raise ValidationError({"default_level": "请选择未触发规则时的颜色。"})
    current = GradeRuleSet.objects.select_for_update().filter(is_current=True).first()
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    version = (GradeRuleSet.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    new = GradeRuleSet.objects.create(
        version=version,
        is_current=True,
        valid_from=timezone.localdate(),
        default_level=default_level,
        source=current.source if current else "",
        note=note.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    GradeRule.objects.bulk_create(
        GradeRule(
            rule_set=new,
            fact=r["fact"],
            comparison=r["comparison"],
            threshold=Decimal(str(r["threshold"])),
            result=r["result"],
            reason=r["reason"].strip(),
            is_active=bool(r.get("is_active", True)),
            sort_order=i,
        )
        for i, r in enumerate(rules)
    )
    audit.record(
        actor=actor,
        action="risks.rules_revise",
        obj=new,
        org_path=_root_path(scope),
        before={"version": current.version if current else None},
        after={"version": new.version, "rules": rules, "default_level": default_level, "note": note},
    )
    return new


@transaction.atomic
def policy_update(
    *, actor, scope: Scope, policy: LevelPolicy, control_level: str, review_months: int, responsible: str
):
    _require_catalog(scope)
    before = audit.snapshot(policy)
    policy.control_level, policy.review_months, policy.responsible = control_level, review_months, responsible
    policy.full_clean()
    if not 1 <= review_months <= 60:
        raise ValidationError({"review_months": "复评周期须在 1–60 个月之间。"})
    policy.save()
    audit.record(
        actor=actor,
        action="risks.policy_update",
        obj=policy,
        org_path=_root_path(scope),
        before=before,
        after=audit.snapshot(policy),
    )
    return policy
