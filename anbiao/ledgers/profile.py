"""The enterprise's safety file (安全档案): each platform data group this app keeps, with its status.

Groups kept by other apps (全员责任制, 现场管理, 安全风险管控, 隐患排查治理, 持续改进) are added by the lead
where those apps publish a status. Rules here are plain reads plus pure status functions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from anbiao.ledgers import selectors
from anbiao.ledgers.choices import DocumentKind, DocumentStatus, EquipmentStatus
from anbiao.ledgers.models import (
    Accident,
    Drill,
    EmergencyPlan,
    EmergencySupply,
    Equipment,
    RegulationItem,
    RuleDocument,
    TrainingSession,
)

COMPLETE, DUE, OVERDUE = "complete", "due", "overdue"
KEY_FEW = ("principal_assessment", "safety_manager_assessment")
STATUS_LABELS = {COMPLETE: ("完整", "success"), DUE: ("待完善", "warning"), OVERDUE: ("逾期", "danger")}


@dataclass
class Group:
    key: str
    label: str
    overdue: list[str] = field(default_factory=list)
    due: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return OVERDUE if self.overdue else DUE if self.due else COMPLETE

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status][0]

    @property
    def level(self) -> str:
        return STATUS_LABELS[self.status][1]


def basic_group(e) -> Group:
    g = Group("basic", "基本信息")
    needed = {
        "principal_name": "主要负责人",
        "principal_phone": "主要负责人电话",
        "safety_officer_name": "安全管理员",
        "safety_officer_phone": "安全管理员电话",
        "address": "经营地址",
    }
    missing = [label for name, label in needed.items() if not getattr(e, name)]
    if not e.township_id:
        missing.append("乡镇（街道）")
    if missing:
        g.due.append("未填写：" + "、".join(missing))
    g.facts.append(f"{e.get_size_class_display()} · {e.industry.name} · 从业人员 {e.employee_count} 人")
    g.links.append(("查看企业信息", reverse("orgs:enterprise_detail", args=[e.pk])))
    return g


def rules_group(e, today) -> Group:
    g = Group("rules", "制度化管理")
    soon = today + datetime.timedelta(days=selectors.SOON_DAYS)
    regs = RegulationItem.objects.filter(enterprise=e, is_current=True).aggregate(
        n=Count("id"),
        overdue=Count("id", filter=Q(next_review_on__lt=today)),
        due=Count("id", filter=Q(next_review_on__gte=today, next_review_on__lte=soon)),
    )
    docs = RuleDocument.objects.filter(enterprise=e, status=DocumentStatus.EFFECTIVE).aggregate(
        rules=Count("id", filter=Q(kind=DocumentKind.RULE)),
        procedures=Count("id", filter=Q(kind=DocumentKind.PROCEDURE)),
        overdue=Count("id", filter=Q(next_review_on__lt=today)),
        due=Count("id", filter=Q(next_review_on__gte=today, next_review_on__lte=soon)),
    )
    if regs["overdue"] or docs["overdue"]:
        g.overdue.append(f"{regs['overdue'] + docs['overdue']} 项法规标准或制度规程已过评审日期")
    if regs["due"] or docs["due"]:
        g.due.append(f"{regs['due'] + docs['due']} 项将在 {selectors.SOON_DAYS} 天内到评审日期")
    if not regs["n"]:
        g.due.append("尚未登记适用的法律法规和标准")
    if not docs["rules"]:
        g.due.append("尚未登记安全生产规章制度")
    if not docs["procedures"]:
        g.due.append("尚未登记岗位安全操作规程")
    g.facts.append(f"法规标准 {regs['n']} 项；规章制度 {docs['rules']} 项；操作规程 {docs['procedures']} 项")
    g.links += [
        ("法规标准识别", reverse("ledgers:regulations_list") + f"?enterprise={e.pk}"),
        ("规章制度和操作规程", reverse("ledgers:documents_list") + f"?enterprise={e.pk}"),
    ]
    return g


def training_group(e, today, certificates) -> Group:
    g = Group("training", "教育培训")
    start, _ = selectors.twelve_months(today)
    t = TrainingSession.objects.filter(enterprise=e).aggregate(
        held=Count("id", filter=Q(held_on__gte=start, held_on__lte=today)),
        late=Count("id", filter=Q(held_on__isnull=True, planned_on__lt=today)),
        hours=Count("attendances", filter=Q(held_on__gte=start, held_on__lte=today)),
    )
    expired = [c for c in certificates if c.expires_on < today]
    expiring = [c for c in certificates if c.expires_on >= today]
    if expired:
        g.overdue.append(
            f"{len(expired)} 本证书已过期：" + "、".join(f"{c.person}（{c}）" for c in expired[:5])
        )
    if expiring:
        g.due.append(f"{len(expiring)} 本证书将在 {selectors.CERT_SOON_DAYS} 天内到期")
    if t["late"]:
        g.due.append(f"{t['late']} 项培训计划已过计划日期仍未实施")
    if not t["held"]:
        g.due.append("近12个月没有已实施的培训记录")
    g.facts.append(f"近12个月实施培训 {t['held']} 次，参训 {t['hours']} 人次")
    g.facts.append(_key_few_line(e, today, g))
    g.links.append(("培训记录", reverse("ledgers:training_list") + f"?enterprise={e.pk}"))
    return g


def _key_few_line(e, today, g: Group) -> str:
    """两个关键少数: the principal's and safety managers' assessment certificates (kept by the duty app)."""
    Certificate = selectors.certificate_model()
    held = _group_by_kind(
        Certificate.objects.filter(person__enterprise=e, person__is_active=True, kind__in=KEY_FEW)
        .select_related("person")
        .order_by("person__name", "id")
    )
    parts = []
    for kind, label in zip(KEY_FEW, ("主要负责人", "安全管理人员"), strict=True):
        valid = [c for c in held.get(kind, []) if c.expires_on is None or c.expires_on >= today]
        if valid:
            names = "、".join(f"{c.person.name}（至 {c.expires_on or '长期'}）" for c in valid)
            parts.append(f"{label}：{names}")
        else:
            parts.append(f"{label}：无有效考核合格证明")
            g.due.append(f"{label}无有效的安全生产知识和管理能力考核合格证明")
    return "两个关键少数 — " + "；".join(parts)


def _group_by_kind(certificates) -> dict[str, list]:
    out: dict[str, list] = {}
    for c in certificates:
        out.setdefault(c.kind, []).append(c)
    return out


def equipment_group(e, today) -> Group:
    g = Group("equipment", "设备设施")
    qs = Equipment.objects.filter(enterprise=e)
    overdue = selectors.special_equipment_overdue(qs, today).count()
    in_use = qs.filter(status=EquipmentStatus.IN_USE)
    due = in_use.filter(
        next_inspection_due__gte=today,
        next_inspection_due__lte=today + datetime.timedelta(days=selectors.SOON_DAYS),
    ).count()
    counts = qs.exclude(status=EquipmentStatus.SCRAPPED).aggregate(
        n=Count("id"), special=Count("id", filter=Q(category="special"))
    )
    if overdue:
        g.overdue.append(f"{overdue} 台特种设备定期检验已逾期")
    if due:
        g.due.append(f"{due} 台设备将在 {selectors.SOON_DAYS} 天内到检验日期")
    if not counts["n"]:
        g.due.append("尚未建立设备设施台账")
    g.facts.append(f"设备设施 {counts['n']} 台（套），其中特种设备 {counts['special']} 台")
    g.links.append(("设备设施台账", reverse("ledgers:equipment_list") + f"?enterprise={e.pk}"))
    return g


def emergency_group(e, today) -> Group:
    g = Group("emergency", "应急管理")
    plans = EmergencyPlan.objects.filter(enterprise=e, status=DocumentStatus.EFFECTIVE).aggregate(
        n=Count("id"),
        unfiled=Count("id", filter=Q(filed_on__isnull=True)),
        overdue=Count("id", filter=Q(review_due__lt=today)),
        interval=Min("drill_interval_months"),
    )
    last_drill = Drill.objects.filter(enterprise=e, held_on__lte=today).aggregate(d=Max("held_on"))["d"]
    expired_supplies = EmergencySupply.objects.filter(enterprise=e, expires_on__lt=today).count()
    if not plans["n"]:
        g.due.append("尚未登记应急预案")
    if plans["overdue"]:
        g.overdue.append(f"{plans['overdue']} 项应急预案已过评估修订日期")
    if plans["unfiled"]:
        g.due.append(f"{plans['unfiled']} 项应急预案未备案")
    if plans["n"]:
        months = plans["interval"] or 12
        limit = today - datetime.timedelta(days=round(months * 30.44))
        if last_drill is None:
            g.due.append("尚无应急演练记录")
        elif last_drill < limit:
            g.overdue.append(f"最近一次演练是 {last_drill}，已超过 {months} 个月的演练周期")
    if expired_supplies:
        g.due.append(f"{expired_supplies} 项应急物资已过有效期")
    g.facts.append(f"现行预案 {plans['n']} 项；最近演练 {last_drill or '—'}")
    g.links += [
        ("应急预案", reverse("ledgers:plans_list") + f"?enterprise={e.pk}"),
        ("应急演练", reverse("ledgers:drills_list") + f"?enterprise={e.pk}"),
        ("应急物资", reverse("ledgers:supplies_list") + f"?enterprise={e.pk}"),
    ]
    return g


def accident_group(e, today) -> Group:
    from anbiao.ledgers import scoring

    g = Group("accidents", "事故管理")
    open_ = list(Accident.objects.filter(enterprise=e).exclude(status="closed").select_related("rule_set"))
    late = [
        a
        for a in open_
        if scoring.investigation_overdue(
            occurred_on=timezone.localtime(a.occurred_at).date(),
            closed=False,
            today=today,
            limit_days=a.rule_set.investigation_limit_days,
        )
    ]
    if late:
        g.overdue.append(f"{len(late)} 起事故超过调查结案时限仍未结案（四不放过）")
    if len(open_) > len(late):
        g.due.append(f"{len(open_) - len(late)} 起事故正在调查或整改")
    figures = selectors.accident_figures([e.pk], today).get(e.pk, {})
    n, deaths = figures.get("accidents_12m", 0), figures.get("accident_deaths_12m", 0)
    serious, minor = figures.get("accident_injuries_12m", 0), figures.get("accident_minor_injuries_12m", 0)
    g.facts.append(f"近12个月事故 {n} 起，死亡 {deaths} 人，重伤 {serious} 人，轻伤 {minor} 人")
    g.links.append(("事故台账", reverse("ledgers:accident_list") + f"?enterprise={e.pk}"))
    return g


def enterprise_profile(enterprise, today: datetime.date, certificates) -> list[Group]:
    """The groups this app can judge, in the platform's order."""
    return [
        basic_group(enterprise),
        rules_group(enterprise, today),
        training_group(enterprise, today, certificates),
        equipment_group(enterprise, today),
        emergency_group(enterprise, today),
        accident_group(enterprise, today),
    ]
