"""Writes for 达标评审 grades, star ratings and 5S/六有 site assessments (all dated history)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anbiao.core import audit, files, registry
from anbiao.core.models import EvidenceFile
from anbiao.core.scope import Scope
from anbiao.standards import scoring, selectors
from anbiao.standards.choices import RuleKind
from anbiao.standards.models import GradeRecord, SiteAssessment, SiteResult, StarRating
from anbiao.standards.services.common import not_future, require

GRADE_VALIDITY_YEARS = (
    3  # 定级办法: 有效期三年 (domain.md §1.3, [R]); the form's default, editable per record
)


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _audit(actor, action, obj, before=None, after=None):
    audit.record(
        actor=actor,
        action=f"standards.{action}",
        obj=obj,
        org_path=obj.enterprise.unit.path,
        enterprise_id=obj.enterprise_id,
        before=before,
        after=after,
    )


def _backdated(day: datetime.date) -> bool:
    return day < timezone.localdate()


# --- 达标评审 ---------------------------------------------------------------------------------------------
GRADE_FIELDS = [
    "grade_type",
    "level",
    "reviewing_body",
    "certificate_no",
    "certified_on",
    "valid_from",
    "valid_to",
    "note",
]


@transaction.atomic
def grade_create(*, actor, scope: Scope, enterprise, data: dict) -> GradeRecord:
    require(scope, "standards.grade", enterprise)
    data = {k: v for k, v in data.items() if k in GRADE_FIELDS}
    data.setdefault("valid_from", data.get("certified_on"))
    if data.get("valid_from") and not data.get("valid_to"):
        data["valid_to"] = add_years(data["valid_from"], GRADE_VALIDITY_YEARS)
    grade = GradeRecord(
        enterprise=enterprise,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        **data,
    )
    grade.full_clean()
    not_future(grade.certified_on, "certified_on", "发证日期")
    grade.backdated = _backdated(grade.certified_on)
    grade.save()
    _audit(actor, "grade_create", grade, after=audit.snapshot(grade, GRADE_FIELDS))
    return grade


@transaction.atomic
def grade_revoke(*, actor, scope: Scope, grade: GradeRecord, on: datetime.date, reason: str) -> GradeRecord:
    require(scope, "standards.grade", grade)
    g = GradeRecord.objects.select_for_update().select_related("enterprise__unit").get(pk=grade.pk)
    if g.revoked_on:
        raise ValidationError("该达标记录已撤销。")
    if not reason.strip():
        raise ValidationError({"revoke_reason": "请填写撤销原因。"})
    not_future(on, "revoked_on", "撤销日期")
    if on >= g.valid_to:
        raise ValidationError({"revoked_on": "该记录在撤销日期前已过期，无需撤销。"})
    g.revoked_on, g.revoke_reason = on, reason.strip()
    g.revoked_by = actor if getattr(actor, "pk", None) else None
    g.full_clean()
    g.save()
    _audit(
        actor, "grade_revoke", g, {"revoked_on": None}, {"revoked_on": on, "revoke_reason": g.revoke_reason}
    )
    return g


# --- 星级 -------------------------------------------------------------------------------------------------
def star_suggestion(enterprise_id: int, as_of: datetime.date) -> dict:
    """What the active star rules suggest for one enterprise on a date, with the facts and reasons."""
    ruleset = selectors.active_ruleset(RuleKind.STAR)
    facts = registry.enterprise_facts([enterprise_id], as_of).get(enterprise_id, {})
    stars, reasons = scoring.suggest_stars(selectors.rule_rows(ruleset), facts)
    return {"stars": stars, "reasons": reasons, "ruleset": ruleset, "facts": facts}


@transaction.atomic
def star_rate(
    *,
    actor,
    scope: Scope,
    enterprise,
    stars: int | None,
    rated_on: datetime.date,
    basis: str,
    rater_name: str,
) -> StarRating:
    """Rate from ``rated_on``, closing the current rating; ``stars=None`` takes the rules' suggestion."""
    require(scope, "standards.star", enterprise)
    not_future(rated_on, "valid_from", "评定日期")
    current = (
        StarRating.objects.select_for_update().filter(enterprise=enterprise, valid_to__isnull=True).first()
    )
    if current is not None and rated_on <= current.valid_from:
        raise ValidationError(
            {"valid_from": f"评定日期须晚于上一次评定日期（{current.valid_from:%Y-%m-%d}）。"}
        )
    suggestion = star_suggestion(enterprise.pk, rated_on)
    if stars is None:
        stars = suggestion["stars"]
    rating = StarRating(
        enterprise=enterprise,
        stars=stars,
        valid_from=rated_on,
        basis=basis.strip(),
        rater_name=rater_name.strip(),
        suggested_stars=suggestion["stars"],
        ruleset=suggestion["ruleset"],
        facts=audit.jsonable(suggestion["facts"]),
        reasons=suggestion["reasons"],
        recorded_by=actor if getattr(actor, "pk", None) else None,
        backdated=_backdated(rated_on),
    )
    rating.full_clean(exclude=["valid_to"])
    if current is not None:
        current.valid_to = rated_on
        current.save(update_fields=["valid_to"])
    rating.save()
    _audit(
        actor,
        "star_rate",
        rating,
        before={"stars": current.stars if current else None},
        after={"stars": stars, "suggested": suggestion["stars"], "valid_from": rated_on},
    )
    return rating


# --- 5S / 六有 --------------------------------------------------------------------------------------------
@transaction.atomic
def site_assessment_create(
    *,
    actor,
    scope: Scope,
    enterprise,
    kind: str,
    assessed_on: datetime.date,
    assessor_name: str,
    note: str,
    results: list[dict],
) -> SiteAssessment:
    """``results``: one dict per checklist item, in order: item, passed, score, note, photo (or None)."""
    require(scope, "standards.site", enterprise)
    checklist = selectors.active_checklist(kind)
    if checklist is None:
        raise ValidationError("没有启用的检查表。")
    items = list(checklist.items.all())
    if [r["item"].pk for r in results] != [i.pk for i in items]:
        raise ValidationError("检查项与当前检查表不一致，请刷新页面后重填。")
    not_future(assessed_on, "assessed_on", "检查日期")
    if not assessor_name.strip():
        raise ValidationError({"assessor_name": "请填写检查人。"})
    inputs = [scoring.SiteInput(passed=bool(r.get("passed")), score=r.get("score")) for r in results]
    for r in results:
        score = r.get("score")
        if score is not None and not (Decimal("0") <= Decimal(score) <= Decimal("100")):
            raise ValidationError({"results": f"「{r['item'].label}」得分应在 0–100 之间。"})
    site = SiteAssessment(
        enterprise=enterprise,
        kind=kind,
        checklist=checklist,
        assessed_on=assessed_on,
        assessor_name=assessor_name.strip(),
        note=note,
        passed=scoring.site_passes(checklist.pass_mode, checklist.pass_threshold, inputs),
        average=scoring.site_average(inputs),
        recorded_by=actor if getattr(actor, "pk", None) else None,
        backdated=_backdated(assessed_on),
    )
    site.full_clean()
    site.save()
    for r in results:
        result = SiteResult.objects.create(
            assessment=site,
            item=r["item"],
            passed=bool(r.get("passed")),
            score=r.get("score"),
            note=(r.get("note") or "")[:300],
        )
        if r.get("photo"):
            try:
                result.photo = files.store(
                    actor=actor,
                    upload=r["photo"],
                    enterprise=enterprise,
                    owner=result,
                    kind=EvidenceFile.Kind.PHOTO,
                    title=f"{site.get_kind_display()} {r['item'].label} {assessed_on}",
                    images_only=True,
                )
            except ValidationError as exc:
                raise ValidationError(
                    {"results": f"「{r['item'].label}」照片：{'；'.join(exc.messages)}"}
                ) from exc
            result.save(update_fields=["photo"])
    _audit(
        actor,
        "site_assessment_create",
        site,
        after={"kind": kind, "assessed_on": assessed_on, "passed": site.passed, "checklist": checklist.pk},
    )
    return site
