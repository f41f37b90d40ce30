"""What the risks app adds to the kernel (see anbiao/core/registry.py)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from anbiao.core.registry import MenuItem
from anbiao.core.roles import Role

_ALL = [
    Role.COUNTY_ADMIN,
    Role.UNIT_ADMIN,
    Role.LEADER,
    Role.ENT_PRINCIPAL,
    Role.ENT_SAFETY,
    Role.INSPECTOR,
    Role.EXPERT,
]
PERMISSIONS = {role: {"risk.view"} for role in _ALL}
for _role in (Role.COUNTY_ADMIN, Role.UNIT_ADMIN, Role.ENT_PRINCIPAL, Role.ENT_SAFETY, Role.EXPERT):
    PERMISSIONS[_role].add("risk.manage")
for _role in (Role.COUNTY_ADMIN, Role.UNIT_ADMIN, Role.LEADER, Role.INSPECTOR, Role.EXPERT):
    PERMISSIONS[_role].add("grade.view")
for _role in (Role.COUNTY_ADMIN, Role.UNIT_ADMIN):
    PERMISSIONS[_role] |= {"grade.override", "grade.recompute"}

GROUP = "风险管控"
MENU = [
    MenuItem("risks:point_list", "风险点", "risk.view", GROUP),
    MenuItem("risks:grade_list", "企业四色等级", "grade.view", GROUP),
    MenuItem("risks:grade_map", "企业风险地图", "grade.view", GROUP),
    MenuItem("risks:standard_list", "风险评价标准", "risk.view", GROUP),
    MenuItem("risks:rule_list", "四色评定规则", "grade.view", GROUP),
]

ACTION_LABELS = {
    "risks.point_create": "新增风险点",
    "risks.point_update": "修改风险点",
    "risks.point_retire": "撤销风险点",
    "risks.assessment_create": "风险评估",
    "risks.level_raise": "调高风险等级",
    "risks.sitemap_create": "上传四色分布图底图",
    "risks.sitemap_shapes": "绘制四色分布图",
    "risks.grade_compute": "计算企业四色等级",
    "risks.grade_override": "调整企业四色等级",
    "risks.grade_close": "企业停业，结束四色等级",
    "risks.bandset_revise": "修订风险评价标准",
    "risks.rules_revise": "修订企业四色评定规则",
    "risks.policy_update": "修改分级管控要求",
}

FACTS = {
    "risk_points_red": "重大风险（红）风险点数",
    "risk_points_orange": "较大风险（橙）风险点数",
    "risk_points_red_uncontrolled": "管控措施未落实有效的重大风险点数",
    "risk_points_review_overdue": "逾期未复评的风险点数",
}


def enterprise_facts(enterprise_ids, as_of: datetime.date) -> dict[int, dict[str, int]]:
    from anbiao.risks.selectors import risk_facts

    return risk_facts(enterprise_ids, as_of)


def todos(user, scope) -> list[tuple[str, str]]:
    from django.db.models import Count, Q
    from django.utils import timezone

    from anbiao.risks.models import RiskPoint, SiteMap

    if not scope.has_perm("risk.manage"):
        return []
    today = timezone.localdate()
    lines = []
    own = list(scope.enterprise_ids)
    if own:
        points = RiskPoint.objects.visible_to(scope).filter(enterprise_id__in=own, status="active")
        stats = points.aggregate(
            total=Count("id"),
            unassessed=Count("id", filter=Q(level="")),
            overdue=Count("id", filter=Q(next_review_on__lt=today)),
        )
        url = reverse("risks:point_list")
        if stats["total"] == 0:
            for pk in own:
                lines.append(
                    (
                        "本企业还没有登记风险点：辨识风险点并评估。",
                        reverse("risks:enterprise_risks", args=[pk]),
                    )
                )
        if stats["unassessed"]:
            lines.append((f"{stats['unassessed']} 个风险点尚未评估。", url + "?assessed=no"))
        if stats["overdue"]:
            lines.append((f"{stats['overdue']} 个风险点已过复评日期，请重新评估。", url + "?overdue=1"))
        mapped = set(SiteMap.objects.filter(enterprise_id__in=own).values_list("enterprise_id", flat=True))
        for pk in own:
            if pk not in mapped and stats["total"]:
                lines.append(
                    (
                        "还没有四色安全风险空间分布图：上传平面图并标注风险点。",
                        reverse("risks:sitemap_create", args=[pk]),
                    )
                )
    return lines


def reminders(today: datetime.date):
    """Risk points past their review date (to the enterprise's users); enterprises whose grade rose
    (to the supervising unit's administrators). Recomputes the day's grades first."""
    from anbiao.risks.reminders import collect

    return collect(today)


def seed() -> None:
    """The seeded catalogue (band sets, level policies, grade rules) if a flush removed it."""
    from anbiao.risks.catalog import seed as seed_catalogue

    seed_catalogue()


def demo(ctx) -> None:
    from anbiao.risks.demo import build

    build(ctx)


def demo_finish(ctx) -> None:
    from anbiao.risks.demo import finish

    finish(ctx)


def enterprise_links(enterprise, scope):
    from django.urls import reverse

    from anbiao.risks.choices import Level
    from anbiao.risks.models import EnterpriseGrade, RiskPoint

    out = []
    if scope.can("risk.view", enterprise):
        points = RiskPoint.objects.filter(enterprise=enterprise, status="active")
        red = points.filter(level=Level.MAJOR).count()
        note = f"在用风险点 {points.count()} 个" + (f"，重大风险 {red} 个" if red else "")
        out.append(
            ("风险分级管控（一图一卡一报告）", reverse("risks:enterprise_risks", args=[enterprise.pk]), note)
        )
    if scope.can("grade.view", enterprise):
        grade = EnterpriseGrade.objects.filter(enterprise=enterprise, valid_to__isnull=True).first()
        note = f"当前：{grade.get_level_display()}" if grade else "尚未评定"
        out.append(("企业四色等级", reverse("risks:enterprise_grade", args=[enterprise.pk]), note))
    return out


def on_facts_changed(enterprise_ids) -> None:
    """Recompute today's grade of enterprises whose facts changed (an accident, a major hazard …)."""
    from anbiao.core.scope import system_scope
    from anbiao.orgs.models import Enterprise
    from anbiao.risks import grading

    enterprises = list(Enterprise.objects.filter(pk__in=enterprise_ids).select_related("unit"))
    roots = {e.unit.path.split(".")[0] + "." for e in enterprises}
    for root in roots:
        mine = [e for e in enterprises if e.unit.path.startswith(root)]
        grading.grades_recompute(actor=None, scope=system_scope(root), enterprises=mine)
