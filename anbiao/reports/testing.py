"""Scope-matrix pairs for the reports app: one row in unit A's subtree (A1), one in sibling unit B."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from anbiao.reports import models as m

QUARTER = "2025Q3"


def adjustments(w):
    def make(unit):
        return m.Adjustment.objects.get_or_create(
            unit=unit,
            quarter=QUARTER,
            cell_key="t2.training.sessions",
            defaults={"delta": Decimal(1), "reason": "外单位组织"},
        )[0]

    return make(w.unit_a1), make(w.unit_b)


def submissions(w):
    def make(unit):
        return m.Submission.objects.get_or_create(
            unit=unit, quarter=QUARTER, defaults={"status": "submitted"}
        )[0]

    return make(w.unit_a1), make(w.unit_b)


def versions(w):
    def make(submission):
        return m.SubmissionVersion.objects.get_or_create(
            submission=submission,
            number=1,
            defaults={
                "values": {},
                "computed": {},
                "filler_name": "张三",
                "filler_phone": "0595-1",
                "submitted_at": timezone.now(),
            },
        )[0]

    a, b = submissions(w)
    return make(a), make(b)


PAIRS = {m.Adjustment: adjustments, m.Submission: submissions, m.SubmissionVersion: versions}
