"""年度考核: start, score post-holders against their list, decide and pay rewards, conclude."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from anbiao.core import audit
from anbiao.duty import rules, selectors
from anbiao.duty.choices import Outcome
from anbiao.duty.models import AnnualAssessment, AssessmentScore, PostHolding, ScoreDeduction
from anbiao.duty.services.base import ASSESS, log, require, today


@transaction.atomic
def assessment_start(
    *, actor, scope, enterprise, year: int, started_on: datetime.date, note=""
) -> AnnualAssessment:
    require(scope, ASSESS, enterprise)
    if started_on is None or started_on > today():
        raise ValidationError({"started_on": "开始日期不能为空或晚于今天。"})
    if year is None or year < 2021 or year > today().year:
        raise ValidationError({"year": f"考核年度须在 2021 至 {today().year} 之间。"})
    if started_on.year < year:
        raise ValidationError({"started_on": "开始日期不能早于考核年度。"})
    if AnnualAssessment.objects.filter(enterprise=enterprise, year=year).exists():
        raise ValidationError({"year": f"{year}年度考核已存在。"})
    a = AnnualAssessment(
        enterprise=enterprise,
        year=year,
        started_on=started_on,
        note=note,
        backdated=started_on < today() - datetime.timedelta(days=30),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    a.full_clean()
    a.save()
    log(actor, "assessment_start", a, enterprise)
    return a


def _parse_points(value, n) -> Decimal:
    try:
        return Decimal(str(value or 0)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(f"第{n}项扣分须为数字。") from exc


@transaction.atomic
def score_record(
    *,
    actor,
    scope,
    assessment: AnnualAssessment,
    holding: PostHolding,
    scored_on: datetime.date,
    assessor: str,
    deductions: dict[int, tuple],
) -> AssessmentScore:
    """Score one post-holder: ``deductions`` maps AssessItem id → (points, reason).

    The list version in force on ``scored_on`` (or, failing that, the latest published one) is the standard;
    the band is the one valid on ``scored_on``. Re-scoring the same holder replaces the earlier score.
    """
    require(scope, ASSESS, assessment)
    enterprise = assessment.enterprise
    if assessment.is_completed:
        raise ValidationError("年度考核已完成，不能再评分。")
    if holding.post.enterprise_id != enterprise.pk:
        raise ValidationError("任职记录不属于该企业。")
    if scored_on is None or scored_on > today():
        raise ValidationError({"scored_on": "考核日期不能为空或晚于今天。"})
    if scored_on < assessment.started_on:
        raise ValidationError({"scored_on": "考核日期不能早于年度考核开始日期。"})
    duty_list = selectors.effective_list(holding.post, scored_on) or selectors.latest_published_list(
        holding.post
    )
    if duty_list is None:
        raise ValidationError(f"岗位「{holding.post.name}」还没有发布的考核清单，不能评分。")
    items = list(duty_list.assess_items.all())
    by_id = {i.pk: i for i in items}
    points: dict[int, Decimal] = {}
    reasons: dict[int, str] = {}
    for item_id, (value, reason) in deductions.items():
        item = by_id.get(int(item_id))
        if item is None:
            raise ValidationError("扣分条目不在该岗位的考核清单中。")
        d = _parse_points(value, item.number)
        if d:
            if not (reason or "").strip():
                raise ValidationError(f"第{item.number}项扣了分，请填写扣分原因。")
            points[item.number] = d
            reasons[item.number] = reason.strip()[:200]
    try:
        result = rules.score([(i.number, i.full_marks) for i in items], points, selectors.bands_on(scored_on))
    except rules.ScoringError as exc:
        raise ValidationError(str(exc)) from exc
    s, created = AssessmentScore.objects.get_or_create(
        assessment=assessment,
        person=holding.person,
        post=holding.post,
        defaults={"duty_list": duty_list, "scored_on": scored_on},
    )
    before = None if created else audit.snapshot(s)
    s.duty_list = duty_list
    s.scored_on = scored_on
    s.assessor = (assessor or "").strip()[:50]
    s.full_marks, s.score, s.percent, s.band, s.passed = (
        result.full_marks,
        result.score,
        result.percent,
        result.band,
        result.passed,
    )
    s.full_clean()
    s.save()
    s.deductions.all().delete()
    ScoreDeduction.objects.bulk_create(
        [
            ScoreDeduction(score=s, item=i, points=points[i.number], reason=reasons[i.number])
            for i in items
            if i.number in points
        ]
    )
    log(
        actor,
        "score_record",
        s,
        enterprise,
        before=before,
        after={**audit.snapshot(s), "deductions": reasons},
    )
    return s


@transaction.atomic
def score_set_outcome(
    *,
    actor,
    scope,
    score: AssessmentScore,
    outcome: str,
    amount,
    decided_on: datetime.date | None,
    paid_on: datetime.date | None,
    note: str = "",
) -> AssessmentScore:
    """Decide the reward or penalty for a score, and record when it was paid (兑现)."""
    require(scope, ASSESS, score)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "奖惩决定无效。"})
    try:
        amount = Decimal(str(amount or 0)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"amount": "金额须为数字。"}) from exc
    for name, day in (("decided_on", decided_on), ("paid_on", paid_on)):
        if day and day > today():
            raise ValidationError({name: "日期不能晚于今天。"})
    if decided_on and decided_on < score.scored_on:
        raise ValidationError({"decided_on": "决定日期不能早于考核日期。"})
    before = audit.snapshot(score)
    score.outcome = outcome
    score.amount = amount
    score.decided_on = decided_on
    score.paid_on = paid_on
    score.outcome_note = (note or "").strip()[:200]
    score.full_clean()
    score.save()
    log(
        actor, "score_outcome", score, score.assessment.enterprise, before=before, after=audit.snapshot(score)
    )
    return score


@transaction.atomic
def assessment_complete(
    *, actor, scope, assessment: AnnualAssessment, completed_on: datetime.date
) -> AnnualAssessment:
    require(scope, ASSESS, assessment)
    if assessment.is_completed:
        raise ValidationError("年度考核已完成。")
    if completed_on is None or completed_on > today():
        raise ValidationError({"completed_on": "完成日期不能为空或晚于今天。"})
    if not assessment.scores.exists():
        raise ValidationError("还没有任何人员的考核得分，不能完成。")
    last = assessment.scores.order_by("-scored_on").values_list("scored_on", flat=True).first()
    if completed_on < last:
        raise ValidationError({"completed_on": f"完成日期不能早于最后一次评分日期（{last}）。"})
    assessment.completed_on = completed_on
    assessment.full_clean()
    assessment.save(update_fields=["completed_on"])
    log(actor, "assessment_complete", assessment, assessment.enterprise, before={"completed_on": None})
    return assessment
