"""The hazard module's part of an enterprise's safety file (安全档案) on the enterprise page."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from anbiao.hazards.choices import OPEN_STATES
from anbiao.hazards.filters import overdue_q
from anbiao.hazards.models import Hazard, Inspection, ReportingChannel


def links(enterprise, scope) -> list[tuple[str, str, str]]:
    if not scope.can("hazard.view", enterprise):
        return []
    counts = Hazard.objects.filter(enterprise=enterprise).aggregate(
        open=Count("id", filter=Q(state__in=OPEN_STATES)),
        overdue=Count("id", filter=overdue_q(timezone.localdate())),
        major=Count("id", filter=Q(state__in=OPEN_STATES, level="major")),
    )
    last = Inspection.objects.filter(enterprise=enterprise, status="done").order_by("-inspected_on").first()
    note = f"未销号 {counts['open']} 条"
    if counts["overdue"]:
        note += f"，逾期 {counts['overdue']} 条"
    if counts["major"]:
        note += f"，重大 {counts['major']} 条"
    out = [
        ("隐患清单 / 整改清单", f"{reverse('hazards:hazard_list')}?enterprise={enterprise.pk}", note),
        (
            "检查记录",
            f"{reverse('hazards:inspection_list')}?enterprise={enterprise.pk}",
            f"最近检查 {last.inspected_on:%Y-%m-%d}（{last.get_kind_display()}）" if last else "尚无检查记录",
        ),
    ]
    if scope.can("internal_report.view", enterprise):
        channel = ReportingChannel.objects.filter(enterprise=enterprise).first()
        state = "已建立" if channel and channel.mechanism_established else "未建立"
        out.append(("内部报告奖励机制", reverse("hazards:channel", args=[enterprise.pk]), state))
    return out
