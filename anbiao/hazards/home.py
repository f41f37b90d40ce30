"""Home-page lines of the hazard module: what each role should do next."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from anbiao.hazards.choices import ReportStatus, State
from anbiao.hazards.filters import overdue_q
from anbiao.hazards.models import Hazard, InspectionPlan, InternalReport


def todos(user, scope) -> list[tuple[str, str]]:
    if not scope.has_perm("hazard.view"):
        return []
    today = timezone.localdate()
    hazards = Hazard.objects.visible_to(scope)
    lines: list[tuple[str, str]] = []
    base = reverse("hazards:hazard_list")
    counts = {
        "overdue": hazards.filter(overdue_q(today)).count(),
        "registered": hazards.filter(state=State.REGISTERED).count()
        if scope.has_perm("hazard.manage")
        else 0,
        "awaiting": 0,
    }
    if scope.has_perm("hazard.accept") or scope.has_perm("hazard.accept_supervised"):
        counts["awaiting"] = hazards.filter(state=State.AWAITING).count()
    if counts["overdue"]:
        lines.append((f"{counts['overdue']} 条隐患已逾期未整改，请督促落实。", f"{base}?overdue=true"))
    if counts["registered"]:
        lines.append(
            (
                f"{counts['registered']} 条隐患待定级并落实五定（责任人、措施、期限、资金、验收人）。",
                f"{base}?state=registered",
            )
        )
    if counts["awaiting"]:
        lines.append((f"{counts['awaiting']} 条隐患整改完成，待验收销号。", f"{base}?state=awaiting"))
    if scope.has_perm("internal_report.handle"):
        new = InternalReport.objects.visible_to(scope).filter(status=ReportStatus.NEW).count()
        if new:
            lines.append((f"{new} 条职工内部报告待核实。", reverse("hazards:report_list") + "?status=new"))
    if scope.has_perm("inspection.conduct"):
        mine = (
            InspectionPlan.objects.visible_to(scope)
            .filter(assignee=user, cancelled=False, planned_on__lte=today + datetime.timedelta(days=7))
            .exclude(inspection__status="done")
            .count()
        )
        if mine:
            lines.append((f"您有 {mine} 项检查计划在 7 天内到期或已逾期。", reverse("hazards:plan_list")))
    return lines
