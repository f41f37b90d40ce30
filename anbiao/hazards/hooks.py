"""What the hazard module adds to the kernel (see anbiao/core/registry.py)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from anbiao.core.registry import MenuItem
from anbiao.core.roles import Role

_SEE = {"hazard.view", "inspection.view", "checklist.view"}
_SUPERVISE = _SEE | {
    "hazard.report",
    "hazard.manage",
    "hazard.accept_supervised",
    "inspection.conduct",
    "inspection_plan.view",
    "internal_report.view",
}
PERMISSIONS = {
    Role.COUNTY_ADMIN: _SUPERVISE | {"inspection_plan.manage", "checklist.manage", "listing.manage"},
    Role.UNIT_ADMIN: _SUPERVISE | {"inspection_plan.manage", "checklist.manage", "listing.manage"},
    Role.LEADER: _SEE | {"inspection_plan.view", "internal_report.view"},
    Role.ENT_PRINCIPAL: _SEE
    | {
        "hazard.report",
        "hazard.manage",
        "hazard.rectify",
        "hazard.accept",
        "inspection.conduct",
        "checklist.manage",
        "internal_report.view",
        "internal_report.handle",
    },
    Role.ENT_SAFETY: _SEE
    | {
        "hazard.report",
        "hazard.manage",
        "hazard.rectify",
        "hazard.accept",
        "inspection.conduct",
        "checklist.manage",
        "internal_report.view",
        "internal_report.handle",
    },
    Role.INSPECTOR: _SEE
    | {"hazard.report", "hazard.accept_supervised", "inspection.conduct", "inspection_plan.view"},
    Role.EXPERT: _SEE
    | {"hazard.report", "hazard.accept_supervised", "inspection.conduct", "inspection_plan.view"},
}

GROUP = "隐患排查"
MENU = [
    MenuItem("hazards:hazard_list", "隐患清单", "hazard.view", GROUP),
    MenuItem("hazards:rectification_list", "整改清单", "hazard.view", GROUP),
    MenuItem("hazards:inspection_list", "检查记录", "inspection.view", GROUP),
    MenuItem("hazards:plan_list", "检查计划", "inspection_plan.view", GROUP),
    MenuItem("hazards:checklist_list", "检查清单库", "checklist.view", GROUP),
    MenuItem("hazards:listing_list", "挂牌督办", "hazard.view", GROUP),
    MenuItem("hazards:report_list", "内部报告", "internal_report.view", GROUP),
    MenuItem("hazards:criterion_list", "重大隐患判定标准", "hazard.view", GROUP),
]

ACTION_LABELS = {
    "hazards.hazard_register": "登记隐患",
    "hazards.hazard_assign": "隐患定级与五定",
    "hazards.hazard_start": "开始整改",
    "hazards.hazard_submit": "提交整改验收",
    "hazards.hazard_accept": "验收销号",
    "hazards.hazard_reject": "验收不通过",
    "hazards.hazard_void": "隐患误报作废",
    "hazards.listing_create": "挂牌督办",
    "hazards.listing_delist": "督办摘牌",
    "hazards.inspection_start": "开始检查",
    "hazards.inspection_record": "记录检查结果",
    "hazards.inspection_complete": "完成检查",
    "hazards.plan_create": "新增检查计划",
    "hazards.plan_cancel": "取消检查计划",
    "hazards.checklist_create": "新建检查清单",
    "hazards.checklist_update": "修改检查清单",
    "hazards.checklist_item_save": "编辑检查项",
    "hazards.checklist_item_delete": "删除检查项",
    "hazards.checklist_publish": "发布检查清单",
    "hazards.criterion_save": "修改判定标准条款",
    "hazards.channel_save": "设置内部报告奖励机制",
    "hazards.report_submit": "职工内部报告隐患",
    "hazards.report_verify": "核实内部报告",
    "hazards.report_reject": "内部报告不属实",
    "hazards.report_reward": "兑现内部报告奖励",
}

FACTS = {
    "hazards_open": "未销号隐患（条）",
    "hazards_overdue": "逾期未整改隐患（条）",
    "major_hazards_open": "未销号重大隐患（条）",
    "major_hazards_listed": "挂牌督办中的重大隐患（条）",
    "hazards_found_12m": "近12个月发现隐患（条）",
}


def enterprise_facts(enterprise_ids, as_of):
    from anbiao.hazards.selectors import enterprise_facts as facts

    return facts(enterprise_ids, as_of)


def todos(user, scope):
    from anbiao.hazards.home import todos as hazard_todos

    return hazard_todos(user, scope)


def reminders(today: datetime.date):
    from anbiao.hazards.reminders import reminders as hazard_reminders

    return hazard_reminders(today)


def seed():
    from anbiao.hazards.models import HazardCriterion
    from anbiao.hazards.seeding import seed_criteria

    if not HazardCriterion.objects.exists():
        seed_criteria(HazardCriterion)


def demo(ctx):
    from anbiao.hazards.demo import build

    build(ctx)


def hazard_url(hazard) -> str:
    return reverse("hazards:hazard_detail", args=[hazard.pk])


def enterprise_links(enterprise, scope):
    from anbiao.hazards.links import links

    return links(enterprise, scope)
