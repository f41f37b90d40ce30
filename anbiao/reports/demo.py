"""Demo submissions: every unit's 2025 and 2026 H1 tables submitted and accepted (one returned and
resubmitted); for the last finished quarter some units have submitted, one was returned, some have not;
one adjustment with its reason and evidence."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anbiao.reports import services
from anbiao.reports.context import Quarter
from anbiao.reports.models import Submission, SubmissionVersion


def _evidence():
    from anbiao.core.testing import png_bytes

    return SimpleUploadedFile(
        "培训签到表.png", png_bytes((24, 32), (250, 250, 250)), content_type="image/png"
    )


def _backdate(submission: Submission, quarter: Quarter, days: int) -> None:
    """Demo history: put the submission where it would have happened (a few days before the deadline)."""
    at = timezone.make_aware(
        datetime.datetime.combine(quarter.due - datetime.timedelta(days=days), datetime.time(9, 30))
    )
    for version in SubmissionVersion.objects.filter(submission=submission).order_by("number"):
        version.submitted_at = at + datetime.timedelta(days=2 * (version.number - 1))
        if version.decided_at:
            version.decided_at = version.submitted_at + datetime.timedelta(days=1)
        version.save(update_fields=["submitted_at", "decided_at"])


def build(ctx) -> None:
    if Submission.objects.exists():
        return
    county_admin = ctx.users.get("county_admin")
    scope = ctx.scope
    units = list(ctx.units.values())
    last = Quarter.last_finished(ctx.today)
    quarters = [q for q in Quarter.finished(ctx.today) if q.year >= 2025]
    quarters.reverse()
    first_unit = units[0]
    services.adjustment_save(
        actor=county_admin,
        scope=scope,
        unit=first_unit,
        quarter=Quarter(2025, 2),
        cell_key="t2.training.sessions",
        delta=1,
        reason="县应急管理局组织的专题培训，本单位组织企业参加，培训记录由主办单位保存",
        evidence=_evidence(),
    )
    for quarter in quarters:
        for i, unit in enumerate(units):
            if quarter == last and i % 4 == 3:
                continue  # not submitted yet
            filler = unit.contact_person or "填表人"
            phone = unit.contact_phone or "0595-87300000"
            version = services.submit(
                actor=county_admin,
                scope=scope,
                unit=unit,
                quarter=quarter,
                filler_name=filler,
                filler_phone=phone,
            )
            returned = (quarter == Quarter(2025, 3) and i == 1) or (quarter == last and i == 2)
            if returned:
                services.review(
                    actor=county_admin,
                    scope=scope,
                    submission=version.submission,
                    verb="return",
                    reason="隐患整改数与台账不符，请核实后重新报送",
                )
                if quarter == last:
                    continue
                services.submit(
                    actor=county_admin,
                    scope=scope,
                    unit=unit,
                    quarter=quarter,
                    filler_name=filler,
                    filler_phone=phone,
                    note="已核实隐患整改台账",
                )
            if quarter != last or i % 4 == 0:
                services.review(actor=county_admin, scope=scope, submission=version.submission, verb="accept")
            _backdate(version.submission, quarter, 3 + i % 5)
