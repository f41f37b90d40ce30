"""What the standards app adds to the kernel (see anbiao/core/registry.py)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse

from anbiao.core.registry import MenuItem, Reminder
from anbiao.core.roles import Role

_ADMIN = {
    "standards.view",
    "standards.assess",
    "standards.submit",
    "standards.review",
    "standards.improve",
    "standards.accept",
    "standards.grade",
    "standards.star",
    "standards.site",
}
PERMISSIONS = {
    Role.COUNTY_ADMIN: _ADMIN,
    Role.UNIT_ADMIN: _ADMIN,
    Role.LEADER: {"standards.view"},
    Role.ENT_PRINCIPAL: {
        "standards.view",
        "standards.assess",
        "standards.submit",
        "standards.improve",
        "standards.accept",
        "standards.site",
    },
    Role.ENT_SAFETY: {
        "standards.view",
        "standards.assess",
        "standards.improve",
        "standards.accept",
        "standards.site",
    },
    Role.INSPECTOR: {"standards.view", "standards.site"},
    Role.EXPERT: {"standards.view", "standards.site", "standards.accept"},
}

GROUP = "标准化"
MENU = [
    MenuItem("standards:assessment_list", "标准化自评", "standards.view", GROUP),
    MenuItem("standards:improvement_list", "持续改进清单", "standards.view", GROUP),
    MenuItem("standards:grade_list", "达标评审", "standards.view", GROUP),
    MenuItem("standards:star_list", "星级管理", "standards.view", GROUP),
    MenuItem("standards:site_list", "5S与六有", "standards.view", GROUP),
    MenuItem("standards:lookback_list", "回头看评估报告", "standards.view", GROUP),
    MenuItem("standards:overview", "标准化总览", "standards.grade", GROUP),
    MenuItem("standards:standard_list", "标准目录", "standards.view", GROUP),
    MenuItem("standards:rules", "规则与检查表", "catalog.manage", GROUP),
]

ACTION_LABELS = {
    "standards.assessment_create": "开始标准化自评",
    "standards.assessment_update": "修改自评信息",
    "standards.assessment_score": "自评评分",
    "standards.assessment_submit": "提交自评",
    "standards.assessment_announce": "通报自评结果",
    "standards.assessment_reopen": "退回自评",
    "standards.improvement_create": "新增持续改进项",
    "standards.improvement_complete": "持续改进项整改完成",
    "standards.improvement_accept": "持续改进项验收通过",
    "standards.improvement_reject": "持续改进项验收不通过",
    "standards.improvement_cancel": "撤销持续改进项",
    "standards.lookback_create": "登记回头看评估报告",
    "standards.grade_create": "登记达标评审",
    "standards.grade_revoke": "撤销达标等级",
    "standards.star_rate": "星级评定",
    "standards.site_assessment_create": "登记5S/六有检查",
    "standards.catalogue_import": "导入标准目录",
    "standards.standard_update": "修改标准设置",
    "standards.ruleset_save": "修改规则集",
    "standards.ruleset_activate": "启用规则集",
    "standards.checklist_save": "修改现场检查表",
}

FACTS = {
    "standard_grade_level": "达标等级（1/2/3 = 一/二/三级，4 = 地标不分级，0 = 无）",
    "self_assessment_score": "近12个月最近一次自评百分制得分（无则0）",
    "stars": "当前星级（1–5，无则0）",
}


def enterprise_facts(enterprise_ids, as_of: datetime.date) -> dict[int, dict[str, float]]:
    from anbiao.standards import selectors

    ids = list(enterprise_ids)
    levels = selectors.grade_levels(ids, as_of)
    scores = selectors.latest_scores(ids, as_of)
    stars = selectors.stars_on(ids, as_of)
    return {
        pk: {
            "standard_grade_level": levels.get(pk, 0),
            "self_assessment_score": scores.get(pk, 0),
            "stars": stars.get(pk, 0),
        }
        for pk in ids
    }


def todos(user, scope) -> list[tuple[str, str]]:
    from django.utils import timezone

    from anbiao.orgs.models import Enterprise
    from anbiao.standards.models import GradeRecord, ImprovementItem, SelfAssessment

    if not scope.has_perm("standards.view"):
        return []
    today = timezone.localdate()
    out: list[tuple[str, str]] = []
    if scope.has_perm("standards.assess") and scope.enterprise_ids:
        own = Enterprise.objects.visible_to(scope, "standards.assess").filter(
            pk__in=scope.enterprise_ids, status="operating"
        )
        done = set(
            SelfAssessment.objects.filter(
                enterprise__in=own, year=today.year, status__in=["submitted", "announced"]
            ).values_list("enterprise_id", flat=True)
        )
        for e in own:
            if e.pk not in done:
                out.append(
                    (
                        f"{e.name}：{today.year}年度安全生产标准化自评尚未提交。",
                        reverse("standards:assessment_list"),
                    )
                )
    overdue = (
        ImprovementItem.objects.visible_to(scope)
        .filter(status__in=["open", "done"], deadline__lt=today)
        .count()
    )
    if overdue:
        out.append(
            (f"{overdue} 项持续改进项已超过整改时限。", reverse("standards:improvement_list") + "?overdue=1")
        )
    if scope.has_perm("standards.grade"):
        soon = (
            GradeRecord.objects.visible_to(scope)
            .filter(
                revoked_on__isnull=True, valid_to__gt=today, valid_to__lte=today + datetime.timedelta(days=90)
            )
            .count()
        )
        if soon:
            out.append(
                (
                    f"{soon} 条达标评审将在90天内到期，请督促企业申请复评。",
                    reverse("standards:grade_list") + "?state=expiring",
                )
            )
    return out


def reminders(today: datetime.date):
    """Grade expiry (90 and 30 days before, and on expiry) and overdue improvement items."""
    from anbiao.accounts.models import Membership
    from anbiao.core.roles import ENTERPRISE_ROLES
    from anbiao.standards.models import GradeRecord, ImprovementItem

    grades = list(
        GradeRecord.objects.filter(revoked_on__isnull=True, valid_to__gte=today - datetime.timedelta(days=1))
        .filter(valid_to__lte=today + datetime.timedelta(days=90))
        .select_related("enterprise__unit")
    )
    items = list(
        ImprovementItem.objects.filter(status__in=["open", "done"], deadline__lt=today).select_related(
            "enterprise__unit", "organization"
        )
    )
    late_assessments = _missing_assessments(today)
    if not grades and not items and not late_assessments:
        return []
    members = list(
        Membership.objects.active(today)
        .filter(Q(role__in=ENTERPRISE_ROLES) | Q(role=Role.UNIT_ADMIN))
        .values_list("user_id", "role", "enterprise_id", "organization__path")
    )

    def people(enterprise=None, path=""):
        ids = set()
        for user_id, role, ent_id, org_path in members:
            if enterprise is not None and ent_id == enterprise.pk:
                ids.add(user_id)
            target = enterprise.unit.path if enterprise is not None else path
            if role == Role.UNIT_ADMIN and org_path and target.startswith(org_path):
                ids.add(user_id)
        return ids

    out = []
    for g in grades:
        days = (g.valid_to - today).days
        stage = "expired" if days <= 0 else "30" if days <= 30 else "90"
        level = "danger" if stage == "expired" else "warning" if stage == "30" else "info"
        text = (
            f"{g.enterprise.name} 的{g.label}已于 {g.valid_to:%Y-%m-%d} 到期"
            if days <= 0
            else f"{g.enterprise.name} 的{g.label}将于 {g.valid_to:%Y-%m-%d} 到期（剩 {days} 天）"
        )
        for uid in people(g.enterprise):
            out.append(
                Reminder(
                    user_id=uid,
                    key=f"standards.grade.{g.pk}.{stage}",
                    title=text,
                    url=reverse("standards:grade_detail", args=[g.pk]),
                    level=level,
                    enterprise_id=g.enterprise_id,
                    due=g.valid_to,
                )
            )
    for e in late_assessments:
        for uid in people(e):
            out.append(
                Reminder(
                    user_id=uid,
                    key=f"standards.assessment.{today.year}.{e.pk}",
                    title=f"{e.name}：{today.year}年度安全生产标准化自评尚未提交（每年至少一次）",
                    url=reverse("standards:assessment_list"),
                    level="warning",
                    enterprise_id=e.pk,
                    due=datetime.date(today.year, 12, 31),
                )
            )
    for it in items:
        owner = it.enterprise or it.organization
        for uid in people(it.enterprise, "" if it.enterprise else it.organization.path):
            out.append(
                Reminder(
                    user_id=uid,
                    key=f"standards.improvement.{it.pk}.overdue",
                    title=f"持续改进项逾期：{owner} · {it.problem[:40]}（时限 {it.deadline:%Y-%m-%d}）",
                    url=reverse("standards:improvement_detail", args=[it.pk]),
                    level="danger",
                    enterprise_id=it.enterprise_id,
                    due=it.deadline,
                )
            )
    return out


ASSESSMENT_REMINDER_FROM_MONTH = 10  # from October, remind enterprises whose annual 自评 is not submitted


def _missing_assessments(today: datetime.date):
    from anbiao.orgs.models import Enterprise
    from anbiao.standards.models import SelfAssessment

    if today.month < ASSESSMENT_REMINDER_FROM_MONTH:
        return []
    done = SelfAssessment.objects.filter(year=today.year, status__in=["submitted", "announced"]).values(
        "enterprise_id"
    )
    return list(Enterprise.objects.filter(status="operating").exclude(pk__in=done).select_related("unit"))


def demo(ctx) -> None:
    from anbiao.standards.demo import build

    build(ctx)


def enterprise_links(enterprise, scope):
    from django.urls import reverse
    from django.utils import timezone

    from anbiao.standards import selectors

    if not scope.can("standards.view", enterprise):
        return []
    today = timezone.localdate()
    level = selectors.grade_levels([enterprise.pk], today).get(enterprise.pk, 0)
    score = selectors.latest_scores([enterprise.pk], today).get(enterprise.pk, 0)
    stars = selectors.stars_on([enterprise.pk], today).get(enterprise.pk, 0)
    grade = {1: "一级", 2: "二级", 3: "三级", 4: "达标（不分级）"}.get(level, "未达标")
    note = f"{grade}；自评 {score} 分" if score else f"{grade}；近一年未自评"
    if stars:
        note += f"；{stars} 星"
    return [("安全生产标准化", reverse("standards:enterprise", args=[enterprise.pk]), note)]


def seed() -> None:
    """The seeded catalogues, rule sets and 5S/六有 checklists, if a flush removed them (adds the missing)."""
    from django.apps import apps

    from anbiao.standards.seed import seed as seed_standards

    seed_standards(lambda name: apps.get_model("standards", name))
