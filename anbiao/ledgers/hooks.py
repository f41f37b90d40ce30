"""What the ledgers app adds to the kernel: permissions, menu, audit labels, facts, reminders, todos, demo."""

from __future__ import annotations

import datetime

from django.utils import timezone

from anbiao.core.registry import MenuItem
from anbiao.core.roles import BUSINESS_ROLES, Role

ALL_ROLES = sorted(BUSINESS_ROLES)
PERMISSIONS = {
    **{role: {"ledger.view"} for role in ALL_ROLES},
}
for _role in (Role.COUNTY_ADMIN, Role.UNIT_ADMIN, Role.ENT_PRINCIPAL, Role.ENT_SAFETY):
    PERMISSIONS[_role] = PERMISSIONS[_role] | {"ledger.edit"}
for _role in (Role.COUNTY_ADMIN, Role.UNIT_ADMIN, Role.ENT_PRINCIPAL):
    PERMISSIONS[_role] = PERMISSIONS[_role] | {"accident.close"}
for _role in (Role.COUNTY_ADMIN, Role.UNIT_ADMIN):
    PERMISSIONS[_role] = PERMISSIONS[_role] | {"accident.reopen"}
for _role in (Role.COUNTY_ADMIN, Role.UNIT_ADMIN, Role.LEADER):
    PERMISSIONS[_role] = PERMISSIONS[_role] | {"ledger.supervise"}

GROUP = "安全台账"
MENU = [
    MenuItem("ledgers:supervision", "台账监管", "ledger.supervise", GROUP),
    MenuItem("ledgers:regulations_list", "法规标准识别", "ledger.view", GROUP),
    MenuItem("ledgers:documents_list", "规章制度和操作规程", "ledger.view", GROUP),
    MenuItem("ledgers:equipment_list", "设备设施", "ledger.view", GROUP),
    MenuItem("ledgers:training_list", "培训记录", "ledger.view", GROUP),
    MenuItem("ledgers:plans_list", "应急预案", "ledger.view", GROUP),
    MenuItem("ledgers:drills_list", "应急演练", "ledger.view", GROUP),
    MenuItem("ledgers:supplies_list", "应急物资", "ledger.view", GROUP),
    MenuItem("ledgers:accident_list", "事故台账", "ledger.view", GROUP),
    MenuItem("ledgers:certificates_due", "证书到期", "ledger.supervise", GROUP),
    MenuItem("ledgers:accident_rules", "事故等级标准", "ledger.view", GROUP),
]

_ENTITIES = {
    "regulation": "法规标准识别",
    "document": "制度规程",
    "equipment": "设备设施",
    "inspection": "检验检查记录",
    "plan": "应急预案",
    "supply": "应急物资",
    "training": "培训记录",
    "attendance": "参训人员",
    "drill": "应急演练",
}
ACTION_LABELS = {
    **{f"ledgers.{k}_create": f"登记{v}" for k, v in _ENTITIES.items()},
    **{f"ledgers.{k}_update": f"修改{v}" for k, v in _ENTITIES.items()},
    **{f"ledgers.{k}_delete": f"删除{v}" for k, v in _ENTITIES.items()},
    "ledgers.drill_photo": "上传演练照片",
    "ledgers.accident_report": "登记事故",
    "ledgers.accident_update": "修改事故",
    "ledgers.accident_investigate": "开始事故调查",
    "ledgers.accident_conclude": "事故调查结论",
    "ledgers.accident_close": "事故结案",
    "ledgers.accident_reopen": "事故重新调查",
    "ledgers.rule_set_create": "新增事故规则版本",
}

FACTS = {
    "accidents_12m": "近12个月事故起数（不含未遂事件）",
    "accident_deaths_12m": "近12个月事故死亡人数",
    "accident_injuries_12m": "近12个月事故重伤人数",
    "accident_minor_injuries_12m": "近12个月事故轻伤人数",
    "accident_direct_loss_12m": "近12个月事故直接经济损失（元）",
    "accident_late_reports_12m": "近12个月迟报或未报告的事故起数",
    "special_equipment_overdue": "定期检验逾期的在用特种设备台数",
}


def enterprise_facts(enterprise_ids, as_of: datetime.date) -> dict[int, dict[str, float]]:
    """Two queries for any number of enterprises."""
    from anbiao.ledgers import selectors

    ids = list(enterprise_ids)
    out: dict[int, dict[str, float]] = {pk: {} for pk in ids}
    for pk, figures in selectors.accident_figures(ids, as_of).items():
        out[pk].update(figures)
    for pk, n in selectors.special_equipment_overdue_counts(ids, as_of).items():
        out[pk]["special_equipment_overdue"] = n
    return out


def reminders(today: datetime.date):
    from anbiao.ledgers.reminders import collect

    return collect(today)


def todos(user, scope) -> list[tuple[str, str]]:
    from anbiao.ledgers.reminders import todo_lines

    return todo_lines(scope, timezone.localdate())


def demo(ctx) -> None:
    from anbiao.ledgers.demo import build

    build(ctx)


def enterprise_links(enterprise, scope):
    from django.urls import reverse
    from django.utils import timezone

    from anbiao.ledgers.selectors import accident_figures

    if not scope.can("ledger.view", enterprise):
        return []
    figures = accident_figures([enterprise.pk], timezone.localdate()).get(enterprise.pk, {})
    accidents = int(figures.get("accidents_12m", 0))
    note = f"近12个月事故 {accidents} 起" if accidents else "制度、设备、培训、应急、事故台账"
    return [("企业安全台账", reverse("ledgers:enterprise_profile", args=[enterprise.pk]), note)]


def seed() -> None:
    """The 国务院令493 accident rules, if a flush removed them (as migration 0002 does)."""
    from anbiao.ledgers.models import AccidentGradeRule, AccidentRuleSet
    from anbiao.ledgers.seed import seed_accident_rules

    seed_accident_rules(AccidentRuleSet, AccidentGradeRule)
