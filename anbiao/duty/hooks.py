"""What the duty app (全员安全生产责任制) adds to the kernel (see anbiao/core/registry.py)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from anbiao.core.registry import MenuItem, Reminder
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
PERMISSIONS: dict[str, set[str]] = {role: {"duty.view"} for role in _ALL}
for _role in (Role.COUNTY_ADMIN, Role.UNIT_ADMIN, Role.ENT_PRINCIPAL, Role.ENT_SAFETY):
    PERMISSIONS[_role].add("duty.edit")
for _role in (Role.COUNTY_ADMIN, Role.UNIT_ADMIN, Role.ENT_PRINCIPAL):
    PERMISSIONS[_role].add("duty.assess")
    # Erasing a departed person's personal data (services.person_anonymise, docs/privacy.md).
    PERMISSIONS[_role].add("duty.anonymise")
for _role in (Role.COUNTY_ADMIN, Role.UNIT_ADMIN):
    PERMISSIONS[_role].add("duty.template")

GROUP = "全员责任制"
MENU = [
    MenuItem("duty:overview", "责任制落实情况", "duty.view", GROUP),
    MenuItem("duty:key_people", "两个关键少数", "duty.view", GROUP),
    MenuItem("duty:template_list", "责任清单模板", "duty.view", GROUP),
    MenuItem("duty:catalogue", "考核档次与配备规则", "duty.view", GROUP),
]

ACTION_LABELS = {
    "duty.department_create": "新增部门",
    "duty.person_create": "登记人员",
    "duty.person_update": "修改人员",
    "duty.person_anonymise": "匿名化人员信息",
    "duty.post_create": "新增岗位",
    "duty.post_update": "修改岗位",
    "duty.post_abolish": "撤销岗位",
    "duty.holding_add": "任职",
    "duty.holding_end": "离任",
    "duty.certificate_add": "登记证书",
    "duty.template_derive": "继承清单模板",
    "duty.template_save": "修改清单模板",
    "duty.list_adopt": "采用责任清单",
    "duty.list_save": "修改责任清单草稿",
    "duty.list_publish": "发布责任清单",
    "duty.list_discard": "删除责任清单草稿",
    "duty.list_sign": "上传责任书",
    "duty.assessment_start": "开始年度考核",
    "duty.score_record": "考核评分",
    "duty.score_outcome": "奖惩决定",
    "duty.assessment_complete": "完成年度考核",
    "duty.body_create": "设立安全生产管理机构",
    "duty.body_end": "撤销安全生产管理机构",
    "duty.officer_appoint": "任命安全生产管理人员",
    "duty.officer_end": "免去安全生产管理人员",
    "duty.team_create": "组建应急救援队伍",
    "duty.team_update": "修改应急救援队伍",
    "duty.team_disband": "撤销应急救援队伍",
    "duty.member_add": "救援队员入队",
    "duty.member_end": "救援队员离队",
    "duty.rule_create": "修订第24条配备规则",
    "duty.bands_replace": "修订考核结果档次",
}

FACTS = {
    "duty_lists_complete": "已建立全员责任制及其考核清单（1 是 / 0 否）",
    "art24_compliant": "安全生产管理机构和人员配备符合《安全生产法》第二十四条（1 是 / 0 否）",
}


def enterprise_facts(enterprise_ids, as_of: datetime.date) -> dict[int, dict[str, int]]:
    from anbiao.duty.selectors import with_duty_status
    from anbiao.orgs.models import Enterprise

    rows = with_duty_status(Enterprise.objects.filter(pk__in=list(enterprise_ids)), as_of).values_list(
        "pk", "lists_complete", "art24_ok"
    )
    return {pk: {"duty_lists_complete": int(lists), "art24_compliant": int(ok)} for pk, lists, ok in rows}


def todos(user, scope) -> list[tuple[str, str]]:
    from django.utils import timezone

    from anbiao.duty.models import Certificate
    from anbiao.duty.selectors import EXPIRY_WARNING_DAYS, with_duty_status
    from anbiao.orgs.models import Enterprise

    if not scope.has_perm("duty.edit"):
        return []
    today = timezone.localdate()
    lines = []
    own = sorted(scope.enterprise_ids)
    if own:
        for e in with_duty_status(Enterprise.objects.filter(pk__in=own), today):
            url = reverse("duty:enterprise", args=[e.pk])
            if not e.lists_complete:
                lines.append((f"{e.name}：还有岗位没有生效的责任清单和考核清单。", url))
            if not e.art24_ok:
                lines.append((f"{e.name}：安全生产管理机构或人员配备不符合《安全生产法》第二十四条。", url))
        soon = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
        due = Certificate.objects.filter(person__enterprise_id__in=own, expires_on__lte=soon).count()
        if due:
            lines.append(
                (f"{due} 本证书已过期或将在 {EXPIRY_WARNING_DAYS} 天内到期。", reverse("duty:key_people"))
            )
    return lines


def reminders(today: datetime.date):
    """Certificates of the 两个关键少数 and special operations that expire within 30 days or have expired."""
    from anbiao.accounts.models import Membership
    from anbiao.duty.models import Certificate

    soon = today + datetime.timedelta(days=30)
    certs = Certificate.objects.filter(
        expires_on__lte=soon, expires_on__gte=today - datetime.timedelta(days=30)
    )
    certs = list(certs.select_related("person"))
    if not certs:
        return
    enterprise_ids = {c.person.enterprise_id for c in certs}
    members = (
        Membership.objects.active()
        .filter(enterprise_id__in=enterprise_ids, role__in=[Role.ENT_PRINCIPAL, Role.ENT_SAFETY])
        .values_list("user_id", "enterprise_id")
    )
    users_by_ent: dict[int, list[int]] = {}
    for user_id, ent_id in members:
        users_by_ent.setdefault(ent_id, []).append(user_id)
    for c in certs:
        expired = c.expires_on < today
        when = "已于" if expired else "将于"
        for user_id in users_by_ent.get(c.person.enterprise_id, []):
            yield Reminder(
                user_id=user_id,
                key=f"duty.cert.{c.pk}.{c.expires_on}",
                title=f"{c.person.name} 的{c.get_kind_display()}{when} {c.expires_on} 到期",
                url=reverse("duty:person_detail", args=[c.person_id]),
                level="danger" if expired else "warning",
                enterprise_id=c.person.enterprise_id,
                due=c.expires_on,
            )


def demo(ctx) -> None:
    from anbiao.duty.demo import build

    build(ctx)


def enterprise_links(enterprise, scope):
    from django.utils import timezone

    from anbiao.duty.selectors import with_duty_status
    from anbiao.orgs.models import Enterprise

    if not scope.can("duty.view", enterprise):
        return []
    row = with_duty_status(Enterprise.objects.filter(pk=enterprise.pk), timezone.localdate()).first()
    lists = "责任清单齐全" if row and row.lists_complete else "责任清单不全"
    staffing = "安全管理人员配备符合第24条" if row and row.art24_ok else "安全管理人员配备不符合第24条"
    return [("全员安全生产责任制", reverse("duty:enterprise", args=[enterprise.pk]), f"{lists}；{staffing}")]


def seed() -> None:
    """The seeded bands, staffing rule and templates, if a flush removed them (as migration 0002 does)."""
    from importlib import import_module

    from django.apps import apps

    import_module("anbiao.duty.migrations.0002_seed_catalogue").seed(apps, None)
