"""County-admin edits of the thresholds kept as data: result bands and the Art. 24 rule (versioned)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from anbiao.core import audit
from anbiao.duty.models import ResultBand, StaffingRule
from anbiao.duty.services.base import CATALOG, require


def _close_current(model, valid_from):
    current = list(model.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from)))
    for row in current:
        if row.valid_from >= valid_from:
            raise ValidationError({"valid_from": f"起始日期须晚于现行版本的起始日期（{row.valid_from}）。"})
        row.valid_to = valid_from
        row.save(update_fields=["valid_to"])
    return current


@transaction.atomic
def staffing_rule_create(*, actor, scope, data: dict, valid_from: datetime.date) -> StaffingRule:
    """A new version of the Art. 24 rule from ``valid_from``; the current version ends that day."""
    require(scope, CATALOG)
    if valid_from is None:
        raise ValidationError({"valid_from": "请填写起始日期。"})
    rule = StaffingRule(valid_from=valid_from, **data)
    rule.full_clean()
    _close_current(StaffingRule, valid_from)
    rule.save()
    audit.record(actor=actor, action="duty.rule_create", obj=rule, after=audit.snapshot(rule))
    return rule


@transaction.atomic
def bands_replace(
    *, actor, scope, bands: list[dict], valid_from: datetime.date, source: str
) -> list[ResultBand]:
    """A new set of result bands from ``valid_from``. Needs one band starting at 0 and distinct minimums."""
    require(scope, CATALOG)
    if valid_from is None:
        raise ValidationError({"valid_from": "请填写起始日期。"})
    rows = []
    for n, b in enumerate(bands, 1):
        label = (b.get("label") or "").strip()
        if not label:
            continue
        try:
            min_score = Decimal(str(b.get("min_score"))).quantize(Decimal("0.1"))
        except (InvalidOperation, ValueError) as exc:
            raise ValidationError(f"第{n}档：最低得分须为数字。") from exc
        rows.append(
            ResultBand(
                label=label,
                min_score=min_score,
                passed=bool(b.get("passed")),
                valid_from=valid_from,
                source=source,
            )
        )
    if len(rows) < 2:
        raise ValidationError("至少需要两个档次。")
    mins = [r.min_score for r in rows]
    if len(set(mins)) != len(mins):
        raise ValidationError("各档次的最低得分不能相同。")
    if min(mins) != 0:
        raise ValidationError("最低一档的最低得分须为 0。")
    for r in rows:
        r.full_clean()
    closed = _close_current(ResultBand, valid_from)
    ResultBand.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="duty.bands_replace",
        object_repr="考核结果档次",
        before={"bands": [f"{r.label}≥{r.min_score}" for r in closed]},
        after={"bands": [f"{r.label}≥{r.min_score}" for r in rows], "valid_from": valid_from},
    )
    return rows
