"""Demo data: self-assessments, grades, stars, 5S/六有 checks and 持续改进清单 across 2024–2026."""

from __future__ import annotations

import datetime
from decimal import Decimal

from anbiao.orgs.choices import SizeClass, Status
from anbiao.standards import selectors, services
from anbiao.standards.choices import SiteKind
from anbiao.standards.models import SelfAssessment

REVIEWERS = {
    "national": "福建省应急管理厅（定级组织单位）",
    "provincial": "福建省安全生产标准化评审中心",
    "local": "泉州市应急管理局",
}


def _day(rng, year: int, start_month: int = 1, end_month: int = 12) -> datetime.date:
    return datetime.date(year, rng.randint(start_month, end_month), rng.randint(1, 28))


def _assessment(ctx, e, year: int, *, submit: bool, announce: bool):
    rng, scope = ctx.rng, ctx.scope
    started = max(_day(rng, year, 2, 9), e.registered_on)
    if started > ctx.today:
        return None
    a = services.assessment_create(
        actor=None,
        scope=scope,
        enterprise=e,
        year=year,
        leader_name=e.principal_name or "主要负责人",
        team_members=f"{e.safety_officer_name or '安全管理员'} 安全管理员\n仓库主管\n财务负责人",
        method="对照标准逐项查阅文件记录、现场检查、询问从业人员",
        started_on=started,
    )
    quality = rng.random()
    rows = {}
    for entry in a.entries.select_related("item"):
        item = entry.item
        if rng.random() < 0.05 and not item.is_veto:
            rows[entry.pk] = {"applicable": False}
            continue
        deduction = Decimal("0")
        reason = ""
        if rng.random() < 0.1 + 0.35 * quality:
            deduction = min(item.score, Decimal(rng.choice([1, 1, 2, 2, 3, 5])))
            reason = rng.choice(
                [
                    "制度未及时修订",
                    "记录不全",
                    "培训档案缺失",
                    "现场检查发现问题未闭环",
                    "台账未更新",
                    "标识缺失",
                ]
            )
        veto = item.is_veto and rng.random() < 0.04
        rows[entry.pk] = {
            "applicable": True,
            "deduction": deduction,
            "reason": reason or ("否决项不符合：现场核查未落实" if veto else ""),
            "veto_failed": veto,
            "description": "查阅资料、现场检查",
        }
    services.entries_save(actor=None, scope=scope, assessment=a, rows=rows)
    if not submit:
        return a
    done = min(started + datetime.timedelta(days=rng.randint(10, 40)), ctx.today)
    a = services.assessment_submit(
        actor=None,
        scope=scope,
        assessment=a,
        assessed_on=done,
        conclusion="本单位安全生产标准化体系运行基本有效，扣分项已列入持续改进清单限期整改。",
    )
    if announce:
        services.assessment_announce(
            actor=None,
            scope=scope,
            assessment=a,
            announced_on=min(done + datetime.timedelta(days=rng.randint(1, 10)), ctx.today),
            method=rng.choice(["职工大会通报", "信息公示栏公示", "安全生产例会通报并公示"]),
        )
    return a


def _improvements(ctx, a, luck: float):
    rng, scope = ctx.rng, ctx.scope
    if not a.entries.exclude(deduction=0, veto_failed=False).exists():
        return
    deadline = a.assessed_on + datetime.timedelta(days=rng.randint(30, 120))
    items = services.improvements_from_assessment(
        actor=None,
        scope=scope,
        assessment=a,
        responsible_name=a.enterprise.safety_officer_name or "安全管理员",
        deadline=deadline,
    )
    for it in items:
        done_on = it.found_on + datetime.timedelta(days=rng.randint(5, 90))
        if rng.random() < luck and done_on <= ctx.today:
            services.improvement_complete(
                actor=None, scope=scope, item=it, completed_on=done_on, note="已按措施整改完毕"
            )
            accept_on = min(done_on + datetime.timedelta(days=rng.randint(1, 10)), ctx.today)
            if rng.random() < 0.85:
                services.improvement_accept(
                    actor=None,
                    scope=scope,
                    item=it,
                    accepted_on=accept_on,
                    acceptor_name=a.enterprise.principal_name or "主要负责人",
                    note="整改到位",
                )


def _grade(ctx, e):
    rng, scope = ctx.rng, ctx.scope
    if e.size_class == SizeClass.ABOVE_SCALE:
        grade_type = rng.choice(["national", "national", "provincial"])
        level = rng.choice([2, 3, 3])
    else:
        grade_type, level = "local", None
    certified = max(
        datetime.date(2021, 9, 1) + datetime.timedelta(days=rng.randint(0, 1500)), e.registered_on
    )
    if certified > ctx.today:
        return None
    g = services.grade_create(
        actor=None,
        scope=scope,
        enterprise=e,
        data={
            "grade_type": grade_type,
            "level": level,
            "reviewing_body": REVIEWERS[grade_type],
            "certificate_no": f"闽AQB{certified:%Y}{rng.randint(10000, 99999)}",
            "certified_on": certified,
        },
    )
    if rng.random() < 0.06 and g.valid_to > ctx.today:
        services.grade_revoke(
            actor=None,
            scope=scope,
            grade=g,
            on=min(certified + datetime.timedelta(days=rng.randint(200, 600)), ctx.today),
            reason="发生生产安全事故，经核查撤销达标等级",
        )
    return g


def _site(ctx, e, kind: str, year: int, good: bool):
    rng = ctx.rng
    checklist = selectors.active_checklist(kind)
    day = max(_day(rng, year, 3, 11), e.registered_on)
    if day > ctx.today:
        return
    results = []
    for item in checklist.items.all():
        ok = good or rng.random() < 0.6
        score = (
            Decimal(rng.randint(82, 98) if ok else rng.randint(55, 78)) if kind == SiteKind.FIVE_S else None
        )
        results.append({"item": item, "passed": ok, "score": score, "note": "" if ok else "需整改"})
    services.site_assessment_create(
        actor=None,
        scope=ctx.scope,
        enterprise=e,
        kind=kind,
        assessed_on=day,
        assessor_name=rng.choice(["黄文斌（网格员）", "郑国强（专家）", "企业自查"]),
        note="",
        results=results,
    )


def build(ctx) -> None:
    if SelfAssessment.objects.exists():
        return
    rng = ctx.rng
    journey_enterprise = (
        ctx.users["ent_principal"].memberships.first().enterprise_id if "ent_principal" in ctx.users else None
    )
    operating = [e for e in ctx.enterprises if e.status == Status.OPERATING and e.registered_on.year <= 2025]
    for e in operating:
        mine = e.pk == journey_enterprise
        new = e.registered_on.year == 2025
        if (mine or rng.random() < 0.2) and not new:
            _assessment(ctx, e, 2024, submit=True, announce=True)
        a25 = None
        if mine or rng.random() < 0.4:
            a25 = _assessment(ctx, e, 2025, submit=True, announce=mine or rng.random() < 0.6)
            if mine or rng.random() < 0.5:
                _improvements(ctx, a25, luck=0.7)
        if not mine and rng.random() < 0.2:
            a26 = _assessment(ctx, e, ctx.today.year, submit=rng.random() < 0.7, announce=False)
            if a26 is not None and a26.status != "draft" and rng.random() < 0.5:
                _improvements(ctx, a26, luck=0.3)
        if mine or rng.random() < 0.45:
            _grade(ctx, e)
        if mine or rng.random() < 0.4:
            for kind in (SiteKind.FIVE_S, SiteKind.SIX_HAVE):
                if not new:
                    _site(ctx, e, kind, 2024, good=rng.random() < 0.5)
                if rng.random() < 0.7:
                    _site(ctx, e, kind, 2025, good=rng.random() < 0.75)
        if mine or rng.random() < 0.45:
            first = max(_day(rng, 2025 if new else 2024, 4, 12), e.registered_on)
            services.star_rate(
                actor=None,
                scope=ctx.scope,
                enterprise=e,
                stars=None,
                rated_on=first,
                basis="按星级评定规则初评",
                rater_name="县社基层股",
            )
            if rng.random() < 0.5 and not new:
                again = _day(rng, 2025, 4, 11)
                services.star_rate(
                    actor=None,
                    scope=ctx.scope,
                    enterprise=e,
                    stars=None,
                    rated_on=again,
                    basis="年度复评",
                    rater_name="县社基层股",
                )
    unit = ctx.units.get("HA-LC")
    if unit is not None:
        report = services.lookback_create(
            actor=None,
            scope=ctx.scope,
            organization=unit,
            data={
                "title": "螺城供销社落实全员责任制和标准化提升“回头看”评估报告",
                "period_start": datetime.date(2021, 8, 1),
                "reported_on": datetime.date(2025, 3, 20),
                "signed_by": unit.contact_person or "陈建华",
                "summary": (
                    "1. 部分网点全员责任制考核流于形式；\n2. 出租经营网点统一协调管理不到位；\n"
                    "3. 隐患排查记录不规范。"
                ),
            },
        )
        for problem, measure, days, done in [
            ("部分网点全员责任制考核流于形式", "修订考核清单，按季度考核并兑现", 60, True),
            ("出租经营网点统一协调管理不到位", "与承租方签订安全管理协议，每月联合检查", 90, True),
            ("隐患排查记录不规范", "统一使用三张清单表样，培训网点负责人", 45, False),
        ]:
            it = services.improvement_create(
                actor=None,
                scope=ctx.scope,
                organization=unit,
                lookback=report,
                data={
                    "problem": problem,
                    "measure": measure,
                    "responsible_name": "林志明",
                    "found_on": datetime.date(2025, 3, 20),
                    "deadline": datetime.date(2025, 3, 20) + datetime.timedelta(days=days),
                },
            )
            if done:
                services.improvement_complete(
                    actor=None,
                    scope=ctx.scope,
                    item=it,
                    completed_on=datetime.date(2025, 5, 10),
                    note="已整改",
                )
                services.improvement_accept(
                    actor=None,
                    scope=ctx.scope,
                    item=it,
                    accepted_on=datetime.date(2025, 5, 20),
                    acceptor_name="陈建华",
                    note="验收合格",
                )
