"""What the campaigns app adds to the kernel: permissions, menu, audit labels, home todos, reminders, demo."""

from __future__ import annotations

import datetime

from anbiao.core.registry import MenuItem, Reminder
from anbiao.core.roles import Role

GROUP = "专项行动"

PERMISSIONS = {
    Role.COUNTY_ADMIN: {"campaign.view", "campaign.file", "campaign.review", "campaign.manage"},
    Role.UNIT_ADMIN: {"campaign.view", "campaign.file"},
    Role.LEADER: {"campaign.view"},
}

MENU = [
    MenuItem("campaigns:board", "阶段与报送", "campaign.view", GROUP),
    MenuItem("campaigns:task_list", "年度工作任务清单", "campaign.view", GROUP),
    MenuItem("campaigns:letter_list", "告知书与承诺书", "campaign.view", GROUP),
    MenuItem("campaigns:session_list", "培训与现场观摩", "campaign.view", GROUP),
    MenuItem("campaigns:enforcement_list", "执法与约束激励", "campaign.view", GROUP),
    MenuItem("campaigns:showcase_list", "十百千万示范", "campaign.view", GROUP),
    MenuItem("campaigns:norm_list", "四项规范", "campaign.view", GROUP),
    MenuItem("campaigns:setup", "专项行动设置", "campaign.manage", GROUP),
]

ACTION_LABELS = {
    "campaigns.campaign_create": "新建专项行动",
    "campaigns.campaign_update": "修改专项行动",
    "campaigns.phase_save": "保存阶段",
    "campaigns.requirement_save": "保存报送事项",
    "campaigns.filing_submit": "报送材料",
    "campaigns.filing_accept": "签收报送材料",
    "campaigns.filing_return": "退回报送材料",
    "campaigns.task_create": "新增年度任务",
    "campaigns.task_update": "修改年度任务",
    "campaigns.letters_generate": "生成告知书/承诺书",
    "campaigns.letter_deliver": "登记告知书送达",
    "campaigns.letter_sign": "登记承诺书签订",
    "campaigns.letter_post": "登记公示栏公示",
    "campaigns.session_create": "登记培训观摩",
    "campaigns.session_update": "修改培训观摩",
    "campaigns.attendance_add": "登记参训人员",
    "campaigns.attendance_import": "导入参训人员",
    "campaigns.attendance_remove": "删除参训人员",
    "campaigns.enforcement_create": "登记执法与约束激励",
    "campaigns.enforcement_update": "修改执法与约束激励",
    "campaigns.showcase_create": "登记示范创建",
    "campaigns.showcase_update": "修改示范创建",
    "campaigns.norm_create": "登记四项规范",
    "campaigns.norm_update": "修改四项规范",
}


def todos(user, scope):
    from django.urls import reverse
    from django.utils import timezone

    from anbiao.campaigns import selectors

    if not scope.has_perm("campaign.file"):
        return []
    today = timezone.localdate()
    lines = []
    overdue = selectors.overdue_tasks(scope=scope, as_of=today).count()
    if overdue:
        url = reverse("campaigns:task_list") + "?overdue=true"
        lines.append((f"年度工作任务逾期未完成 {overdue} 项", url))
    for campaign in selectors.current_campaigns(today):
        for row in selectors.unit_obligations(scope=scope, campaign=campaign, as_of=today):
            for cell in row["cells"]:
                if cell["timeliness"] in ("missing", "returned") or (
                    cell["timeliness"] == "pending" and (cell["requirement"].due - today).days <= 7
                ):
                    lines.append(
                        (
                            f"{row['unit'].name}：{cell['requirement'].title}"
                            f"（{cell['label']}，期限 {cell['requirement'].due:%Y-%m-%d}）",
                            reverse("campaigns:board") + f"?campaign={campaign.pk}",
                        )
                    )
    return lines[:10]


def reminders(today: datetime.date):
    """Unit administrators: deliverables due within 7 days or overdue; returned filings."""
    from django.urls import reverse

    from anbiao.accounts.models import Membership
    from anbiao.campaigns import selectors
    from anbiao.core.scope import Scope

    memberships = (
        Membership.objects.active(today).filter(role=Role.UNIT_ADMIN).select_related("user", "organization")
    )
    campaigns = list(selectors.current_campaigns(today))
    for m in memberships:
        scope = Scope.for_user(m.user)
        for campaign in campaigns:
            for row in selectors.unit_obligations(scope=scope, campaign=campaign, as_of=today):
                if row["unit"].pk != m.organization_id:
                    continue
                for cell in row["cells"]:
                    req = cell["requirement"]
                    state = cell["timeliness"]
                    days = (req.due - today).days
                    if state == "pending" and days <= 7:
                        level = "warning"
                    elif state in ("missing", "returned"):
                        level = "danger"
                    else:
                        continue
                    yield Reminder(
                        user_id=m.user_id,
                        key=f"campaigns:req:{req.pk}:unit:{m.organization_id}:{state}",
                        title=f"{req.title}：{cell['label']}（期限 {req.due:%Y-%m-%d}）",
                        url=reverse("campaigns:board") + f"?campaign={campaign.pk}",
                        level=level,
                        due=req.due,
                    )


def demo(ctx):
    from anbiao.campaigns.demo import build

    build(ctx)


FACTS = {
    "commitment_signed": "本年度已签订安全生产标准化承诺书（1/0）",
    "training_attendances_12m": "近12个月参加专题培训、现场观摩的人次",
    "penalties_12m": "近12个月受到罚款、停产停业整顿、暂扣吊销证照、取缔关闭、移送司法机关的次数",
}


def enterprise_facts(enterprise_ids, as_of: datetime.date):
    """Three queries for any number of enterprises."""
    from django.db.models import Count

    from anbiao.campaigns.choices import EnforcementKind
    from anbiao.campaigns.models import Attendance, EnforcementAction, EnterpriseLetter

    ids = list(enterprise_ids)
    year_ago = as_of - datetime.timedelta(days=365)
    signed = set(
        EnterpriseLetter.objects.filter(
            enterprise_id__in=ids, signed_on__lte=as_of, signed_on__year=as_of.year
        ).values_list("enterprise_id", flat=True)
    )
    trained = dict(
        Attendance.objects.filter(
            enterprise_id__in=ids, session__held_on__gt=year_ago, session__held_on__lte=as_of
        )
        .values_list("enterprise_id")
        .annotate(n=Count("id"))
    )
    penalties = dict(
        EnforcementAction.objects.filter(
            enterprise_id__in=ids,
            action_on__gt=year_ago,
            action_on__lte=as_of,
            kind__in=[
                EnforcementKind.FINE,
                EnforcementKind.SUSPEND,
                EnforcementKind.LICENCE,
                EnforcementKind.CLOSE,
                EnforcementKind.JUDICIAL,
            ],
        )
        .values_list("enterprise_id")
        .annotate(n=Count("id"))
    )
    return {
        pk: {
            "commitment_signed": 1 if pk in signed else 0,
            "training_attendances_12m": trained.get(pk, 0),
            "penalties_12m": penalties.get(pk, 0),
        }
        for pk in ids
    }


def seed():
    """The 2025 campaign of the notice (idempotent); a test database flush removes what 0002 seeded."""
    from anbiao.campaigns.seed import ensure_2025

    ensure_2025()


def enterprise_links(enterprise, scope):
    from django.urls import reverse

    from anbiao.campaigns.models import EnterpriseLetter

    if not scope.can("campaign.view", enterprise):
        return []
    letter = (
        EnterpriseLetter.objects.filter(enterprise=enterprise)
        .select_related("campaign")
        .order_by("-id")
        .first()
    )
    if letter is None:
        return []
    note = f"{letter.campaign}：" + (
        "承诺书已签订" if letter.signed_on else "已送达，待签订" if letter.delivered_on else "未送达"
    )
    return [("告知书 / 承诺书", reverse("campaigns:letter_detail", args=[letter.pk]), note)]
