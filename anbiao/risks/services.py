"""Writes for risk points, assessments and site maps. Each checks the permission, validates, audits."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image

from anbiao.core import audit, concurrency
from anbiao.core import files as evidence
from anbiao.core.models import EvidenceFile
from anbiao.core.scope import Scope
from anbiao.risks import scoring, selectors
from anbiao.risks.choices import (
    COLOUR_NAME,
    METHOD_FACTORS,
    RANK,
    AccidentType,
    AssessmentKind,
    HazardFactor,
    Level,
    PointStatus,
    ShapeKind,
)
from anbiao.risks.dates import add_months
from anbiao.risks.models import BandSet, MapShape, RiskAssessment, RiskPoint, SiteMap

POINT_FIELDS = [
    "name",
    "kind",
    "location",
    "hazard_factors",
    "hazard_description",
    "accident_types",
    "measures_engineering",
    "measures_management",
    "measures_training",
    "measures_ppe",
    "measures_emergency",
    "control_level",
    "responsible_department",
    "responsible_person",
    "responsible_phone",
    "check_content",
    "check_cycle",
]


def _require(scope: Scope, perm: str, obj=None) -> None:
    if not scope.can(perm, obj):
        raise PermissionDenied("没有权限执行此操作。")


def _org_path(enterprise) -> str:
    return enterprise.unit.path


def _clean_codes(values, choices, field: str, label: str) -> list[str]:
    valid = set(choices.values)
    values = list(dict.fromkeys(values or []))
    bad = [v for v in values if v not in valid]
    if bad:
        raise ValidationError({field: f"{label}含有无效的代码：{'、'.join(map(str, bad))}。"})
    return values


# --- Risk points -----------------------------------------------------------------------------------------
def _apply_point_data(point: RiskPoint, data: dict) -> None:
    for name, value in data.items():
        if name not in POINT_FIELDS:
            raise ValidationError(f"不能修改字段 {name}。")
        setattr(point, name, value)
    point.hazard_factors = _clean_codes(point.hazard_factors, HazardFactor, "hazard_factors", "危险有害因素")
    point.accident_types = _clean_codes(point.accident_types, AccidentType, "accident_types", "事故类型")


@transaction.atomic
def point_create(*, actor, scope: Scope, enterprise, data: dict) -> RiskPoint:
    _require(scope, "risk.manage", enterprise)
    point = RiskPoint(enterprise=enterprise)
    _apply_point_data(point, data)
    point.full_clean(exclude=["enterprise"])
    point.save()
    audit.record(
        actor=actor,
        action="risks.point_create",
        obj=point,
        org_path=_org_path(enterprise),
        enterprise_id=enterprise.pk,
        after=audit.snapshot(point),
    )
    return point


@transaction.atomic
def point_update(*, actor, scope: Scope, point: RiskPoint, data: dict) -> RiskPoint:
    _require(scope, "risk.manage", point)
    point = RiskPoint.objects.select_for_update().select_related("enterprise__unit").get(pk=point.pk)
    before = audit.snapshot(point)
    data = dict(data)
    concurrency.claim(point, data)
    _apply_point_data(point, data)
    point.full_clean()
    point.save()
    audit.record(
        actor=actor,
        action="risks.point_update",
        obj=point,
        org_path=_org_path(point.enterprise),
        enterprise_id=point.enterprise_id,
        before=before,
        after=audit.snapshot(point),
    )
    return point


@transaction.atomic
def point_retire(*, actor, scope: Scope, point: RiskPoint, on: datetime.date, reason: str) -> RiskPoint:
    """Retire a risk point (equipment removed, area closed). Its history stays; it no longer counts."""
    _require(scope, "risk.manage", point)
    if point.status == PointStatus.RETIRED:
        raise ValidationError("该风险点已撤销。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写撤销原因。"})
    if on > timezone.localdate():
        raise ValidationError({"on": "撤销日期不能晚于今天。"})
    before = audit.snapshot(point, ["status", "retired_on"])
    point.status, point.retired_on = PointStatus.RETIRED, on
    point.save(update_fields=["status", "retired_on", "updated_at"])
    audit.record(
        actor=actor,
        action="risks.point_retire",
        obj=point,
        org_path=_org_path(point.enterprise),
        enterprise_id=point.enterprise_id,
        before=before,
        after={"status": point.status, "retired_on": on, "reason": reason},
    )
    return point


def _refresh_point(point: RiskPoint, new: RiskAssessment | None = None, policies=None) -> None:
    """Copy the latest assessment's level, score and dates onto the point (for lists and filters)."""
    if new is not None and (point.assessed_on is None or new.assessed_on >= point.assessed_on):
        latest = new
    else:
        latest = point.assessments.order_by("-assessed_on", "-id").first()
    point.level = latest.level if latest else ""
    point.score = latest.score if latest else None
    point.assessed_on = latest.assessed_on if latest else None
    point.next_review_on = latest.next_review_on if latest else None
    if latest and not point.control_level:
        point.control_level = (policies or selectors.level_policies())[latest.level].control_level
    point.save(
        update_fields=["level", "score", "assessed_on", "next_review_on", "control_level", "updated_at"]
    )


def parse_factors(band_set: BandSet, raw: dict) -> dict[str, dict]:
    """Check each factor value against the band set's table; returns {factor: {value, label}}."""
    options: dict[str, dict[Decimal, str]] = {}
    for opt in band_set.factors.all():
        options.setdefault(opt.factor, {})[opt.value] = opt.label
    result = {}
    errors = {}
    for factor in METHOD_FACTORS[band_set.method]:
        value = raw.get(factor)
        if value in (None, ""):
            errors[f"factor_{factor}"] = f"请选择因子 {factor} 的取值。"
            continue
        try:
            number = Decimal(str(value)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            errors[f"factor_{factor}"] = f"因子 {factor} 的取值“{value}”不是数字。"
            continue
        if number not in options.get(factor, {}):
            errors[f"factor_{factor}"] = f"因子 {factor} 的取值 {value} 不在《{band_set.name}》的取值表中。"
            continue
        result[factor] = {"value": float(number), "label": options[factor][number]}
    if errors:
        raise ValidationError(errors)
    return result


@transaction.atomic
def assessment_create(
    *,
    actor,
    scope: Scope,
    point: RiskPoint,
    band_set: BandSet,
    factors: dict,
    assessed_on: datetime.date,
    next_review_on: datetime.date | None = None,
    controls_effective: bool = True,
    raised_level: str = "",
    raise_reason: str = "",
    assessor: str = "",
    note: str = "",
) -> RiskAssessment:
    """Assess (or re-assess) a risk point: a new dated row; the point's level is its latest row's."""
    _require(scope, "risk.manage", point)
    point = RiskPoint.objects.select_for_update().select_related("enterprise__unit").get(pk=point.pk)
    if point.status == PointStatus.RETIRED:
        raise ValidationError("该风险点已撤销，不能再评估。")
    if not band_set.is_current:
        raise ValidationError({"band_set": "该评价标准已有新版本，请选择现行版本。"})
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": "评估日期不能晚于今天。"})
    values = parse_factors(band_set, factors)
    score = scoring.product(v["value"] for v in values.values())
    computed = scoring.classify(score, selectors.band_specs(band_set)).level
    if raised_level and raised_level not in Level.values:
        raise ValidationError({"raised_level": "调高后的等级无效。"})
    if raised_level and RANK[raised_level] >= RANK[computed]:
        raise ValidationError({"raised_level": "只能调高风险等级（从严从高），不能调低或保持计算等级。"})
    level = scoring.final_level(computed, raised_level or None)
    policies = selectors.level_policies()
    if next_review_on is None:
        months = policies[level].review_months
        next_review_on = add_months(assessed_on, months)
    previous = point.level
    if previous and RANK[level] > RANK[previous] and not note.strip() and point.assessed_on <= assessed_on:
        raise ValidationError(
            {"note": f"本次评定等级低于当前等级（{COLOUR_NAME[previous]}），须在备注中说明降级原因。"}
        )
    row = RiskAssessment(
        risk_point=point,
        kind=AssessmentKind.ASSESS,
        band_set=band_set,
        method=band_set.method,
        factors=values,
        score=score,
        computed_level=computed,
        raised_level=raised_level,
        raise_reason=raise_reason.strip(),
        level=level,
        controls_effective=controls_effective,
        assessed_on=assessed_on,
        next_review_on=next_review_on,
        assessor=assessor,
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        backdated=assessed_on < timezone.localdate(),
    )
    row.full_clean(exclude=["risk_point", "band_set", "recorded_by"])
    row.save()
    _refresh_point(point, row, policies)
    audit.record(
        actor=actor,
        action="risks.assessment_create",
        obj=row,
        org_path=_org_path(point.enterprise),
        enterprise_id=point.enterprise_id,
        after=audit.snapshot(row),
    )
    return row


@transaction.atomic
def level_raise(
    *, actor, scope: Scope, point: RiskPoint, level: str, reason: str, on: datetime.date | None = None
) -> RiskAssessment:
    """Raise a point's level by hand (从严从高) without re-assessing: a dated row copying the latest
    assessment. Lowering, or keeping the same level, is refused."""
    _require(scope, "risk.manage", point)
    point = RiskPoint.objects.select_for_update().select_related("enterprise__unit").get(pk=point.pk)
    on = on or timezone.localdate()
    latest = point.assessments.order_by("-assessed_on", "-id").first()
    if latest is None:
        raise ValidationError("该风险点尚未评估，请先评估再调整等级。")
    if level not in Level.values:
        raise ValidationError({"level": "请选择风险等级。"})
    if RANK[level] >= RANK[latest.level]:
        raise ValidationError(
            {
                "level": f"只能调高风险等级（从严从高）：当前为{COLOUR_NAME[latest.level]}色，不能调低或保持不变。"  # noqa: E501
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": "调高风险等级须填写理由。"})
    if on < latest.assessed_on or on > timezone.localdate():
        raise ValidationError({"on": f"调整日期须在上次评估（{latest.assessed_on}）与今天之间。"})
    row = RiskAssessment(
        risk_point=point,
        kind=AssessmentKind.RAISE,
        band_set=latest.band_set,
        method=latest.method,
        factors=latest.factors,
        score=latest.score,
        computed_level=latest.computed_level,
        raised_level=level,
        raise_reason=reason.strip(),
        level=level,
        controls_effective=latest.controls_effective,
        assessed_on=on,
        next_review_on=latest.next_review_on if latest.next_review_on > on else add_months(on, 6),
        assessor=getattr(actor, "get_username", lambda: "")(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
        backdated=on < timezone.localdate(),
    )
    row.full_clean(exclude=["risk_point", "band_set", "recorded_by"])
    row.save()
    _refresh_point(point, row)
    audit.record(
        actor=actor,
        action="risks.level_raise",
        obj=row,
        org_path=_org_path(point.enterprise),
        enterprise_id=point.enterprise_id,
        before={"level": latest.level},
        after={"level": level, "reason": reason},
    )
    return row


# --- Site maps -------------------------------------------------------------------------------------------
@transaction.atomic
def sitemap_create(*, actor, scope: Scope, enterprise, title: str, upload) -> SiteMap:
    _require(scope, "risk.manage", enterprise)
    if not title.strip():
        raise ValidationError({"title": "请填写图名。"})
    plan = evidence.store(
        actor=actor,
        upload=upload,
        enterprise=enterprise,
        owner=enterprise,
        kind=EvidenceFile.Kind.PHOTO,
        title=f"四色分布图底图：{title}"[:200],
        images_only=True,
    )
    with default_storage.open(plan.storage_name, "rb") as fh, Image.open(io.BytesIO(fh.read())) as img:
        width, height = img.size
    site_map = SiteMap(
        enterprise=enterprise,
        title=title.strip(),
        plan=plan,
        width=width,
        height=height,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    site_map.full_clean()
    site_map.save()
    EvidenceFile.objects.filter(pk=plan.pk).update(owner_type="risks.sitemap", owner_id=str(site_map.pk))
    audit.record(
        actor=actor,
        action="risks.sitemap_create",
        obj=site_map,
        org_path=_org_path(enterprise),
        enterprise_id=enterprise.pk,
        after={"title": site_map.title, "plan": str(plan.pk), "width": width, "height": height},
    )
    return site_map


def _clean_shape(index: int, raw, points_by_id: dict) -> MapShape:
    where = f"第{index}个图形"
    if not isinstance(raw, dict):
        raise ValidationError(f"{where}格式不正确。")
    try:
        point = points_by_id[int(raw.get("risk_point"))]
    except (TypeError, ValueError, KeyError) as exc:
        raise ValidationError(f"{where}：风险点不属于本企业或已撤销。") from exc
    kind = raw.get("kind")
    if kind not in ShapeKind.values:
        raise ValidationError(f"{where}：形状只能是区域或标记点。")
    coords = raw.get("points")
    if not isinstance(coords, list) or not coords:
        raise ValidationError(f"{where}：缺少坐标。")
    clean = []
    for xy in coords:
        try:
            x, y = (round(float(v), 5) for v in xy)
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"{where}：坐标不是数字。") from exc
        if not (0 <= x <= 1 and 0 <= y <= 1):
            raise ValidationError(f"{where}：坐标超出图面范围。")
        clean.append([x, y])
    if kind == ShapeKind.POLYGON and not 3 <= len(clean) <= 200:
        raise ValidationError(f"{where}：区域至少需要 3 个顶点。")
    if kind == ShapeKind.MARKER and len(clean) != 1:
        raise ValidationError(f"{where}：标记点只能有 1 个坐标。")
    return MapShape(risk_point=point, kind=kind, points=clean)


@transaction.atomic
def sitemap_save_shapes(*, actor, scope: Scope, site_map: SiteMap, shapes: list) -> SiteMap:
    """Replace the shapes drawn on a site map (all or nothing)."""
    _require(scope, "risk.manage", site_map)
    if not isinstance(shapes, list) or len(shapes) > 500:
        raise ValidationError("图形数据格式不正确。")
    points_by_id = {
        p.pk: p
        for p in RiskPoint.objects.filter(enterprise_id=site_map.enterprise_id, status=PointStatus.ACTIVE)
    }
    new = [_clean_shape(i, raw, points_by_id) for i, raw in enumerate(shapes, start=1)]
    before = list(site_map.shapes.values("risk_point_id", "kind", "points"))
    site_map.shapes.all().delete()
    for shape in new:
        shape.site_map = site_map
    MapShape.objects.bulk_create(new)
    site_map.save(update_fields=["updated_at"])
    audit.record(
        actor=actor,
        action="risks.sitemap_shapes",
        obj=site_map,
        org_path=site_map.enterprise.unit.path,
        enterprise_id=site_map.enterprise_id,
        before={"shapes": len(before)},
        after={"shapes": len(new), "risk_points": sorted({s.risk_point_id for s in new})},
    )
    return site_map
