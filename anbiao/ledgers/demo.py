"""The ledgers' part of the demo data: a realistic spread of 2024–2026 records for about half the enterprises,
and a complete file for the enterprise of ``ent_principal``/``ent_safety`` (螺城). Idempotent."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from anbiao.ledgers import services
from anbiao.ledgers.models import (
    Accident,
    AccidentGradeRule,
    AccidentRuleSet,
    Drill,
    EmergencyPlan,
    EmergencySupply,
    Equipment,
    RegulationItem,
    RuleDocument,
    TrainingSession,
)
from anbiao.ledgers.seed import seed_accident_rules

D = datetime.date
LAWS = [
    ("law", "中华人民共和国安全生产法", "主席令第88号（2021年修正）", "第4、5、21、24、28条"),
    ("law", "中华人民共和国消防法", "主席令第81号（2021年修正）", "第16、17条"),
    ("law", "中华人民共和国特种设备安全法", "主席令第4号", "第32至42条"),
    ("regulation", "生产安全事故报告和调查处理条例", "国务院令第493号", "第3、9、32条"),
    ("rule", "生产经营单位安全培训规定", "安监总局令第3号", "第9、13条"),
    ("rule", "生产安全事故应急预案管理办法", "应急管理部令第2号", "第26、33条"),
    ("standard", "企业安全生产标准化基本规范", "GB/T 33000-2016", "第5章"),
    ("local", "福建省安全生产条例", "福建省人大常委会公告", "第十九条"),
]
RULES = [
    ("rule", "全员安全生产责任制度"),
    ("rule", "安全生产教育和培训制度"),
    ("rule", "安全检查和隐患排查治理制度"),
    ("rule", "特种设备安全管理制度"),
    ("rule", "消防安全管理制度"),
    ("procedure", "叉车安全操作规程"),
    ("procedure", "仓库装卸作业安全操作规程"),
    ("procedure", "配电室安全操作规程"),
]
SPECIAL = [
    ("vehicle", "电动叉车", "车11闽C"),
    ("lift", "载货电梯", "梯11闽C"),
    ("pressure_vessel", "储气罐", "容11闽C"),
    ("lifting", "电动葫芦", "起11闽C"),
]


def _aware(day: datetime.date, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, 0))


def build(ctx) -> None:
    seed_accident_rules(AccidentRuleSet, AccidentGradeRule)  # the demo database may have been flushed
    if RegulationItem.objects.exists() or Accident.objects.exists():
        return
    rng, scope, today = ctx.rng, ctx.scope, ctx.today
    operating = [e for e in ctx.enterprises if e.status == "operating"]
    own = next((m.enterprise for m in ctx.users["ent_safety"].memberships.all() if m.enterprise_id), None)
    chosen = [e for e in operating if rng.random() < 0.5 and e != own]
    if own is not None:
        chosen.insert(0, own)
    for index, e in enumerate(chosen):
        full = e == own
        _documents(rng, scope, e, today, full)
        _equipment(rng, scope, e, today, full, index)
        _emergency(rng, scope, e, today, full, index)
        _training(rng, scope, e, today, full)
        if full or index % 9 == 4:
            _accidents(rng, scope, e, today, index)


def _create(scope, model, e, **data):
    return services.ledger_record_create(actor=None, scope=scope, model=model, enterprise=e, data=data)


def _documents(rng, scope, e, today, full):
    laws = LAWS if full else rng.sample(LAWS, rng.randint(2, 5))
    for category, title, number, clauses in laws:
        reviewed = today - datetime.timedelta(days=rng.randint(30, 700))
        _create(
            scope,
            RegulationItem,
            e,
            category=category,
            title=title,
            number=number,
            clauses=clauses,
            reviewed_on=reviewed,
            next_review_on=reviewed + datetime.timedelta(days=730) if rng.random() < 0.4 else None,
        )
    rules = RULES if full else rng.sample(RULES, rng.randint(1, 5))
    for n, (kind, title) in enumerate(rules):
        approved = today - datetime.timedelta(days=rng.randint(60, 1000))
        review = approved + datetime.timedelta(days=365 * rng.choice([2, 3, 3, 3]))
        if full and n == 1:
            review = today + datetime.timedelta(days=12)  # shows as 临期 on the safety file
        _create(
            scope,
            RuleDocument,
            e,
            kind=kind,
            title=title,
            code=f"AQ-{n + 1:02d}",
            version=rng.choice(["1.0", "2.0", "2024版"]),
            approved_by=e.principal_name,
            approved_on=approved,
            next_review_on=review,
        )


def _equipment(rng, scope, e, today, full, index):
    count = 3 if full else rng.randint(0, 2)
    for n in range(count):
        kind, name, prefix = SPECIAL[(index + n) % len(SPECIAL)]
        commissioned = D(rng.randint(2018, 2023), rng.randint(1, 12), 1)
        last = today - datetime.timedelta(days=rng.randint(20, 340))
        if (full and n == 0) or (not full and rng.random() < 0.12):
            last = today - datetime.timedelta(days=365 + rng.randint(5, 60))
        eq = _create(
            scope,
            Equipment,
            e,
            category="special",
            special_kind=kind,
            name=name,
            code=f"SB-{n + 1:02d}",
            location=rng.choice(["一号仓库", "装卸平台", "配电房旁", "二号仓库"]),
            responsible=e.safety_officer_name or e.principal_name or "设备管理员",
            registration_number=f"{prefix}{rng.randint(10000, 99999)}",
            commissioned_on=commissioned,
            first_due=last - datetime.timedelta(days=365),
        )
        # two years of periodic inspections; for the demo enterprise the latest one is 20 days overdue
        for inspected in (last - datetime.timedelta(days=365), last):
            services.equipment_inspection_add(
                actor=None,
                scope=scope,
                equipment=eq,
                data={
                    "kind": "periodic",
                    "inspected_on": inspected,
                    "agency": "泉州市特种设备检验研究院",
                    "report_number": f"JY{inspected:%Y}{rng.randint(1000, 9999)}",
                    "result": "pass",
                    "next_due": inspected + datetime.timedelta(days=365),
                },
            )
    for _ in range(1 if full or rng.random() < 0.5 else 0):
        _create(
            scope,
            Equipment,
            e,
            category="fire",
            name="室内消火栓系统",
            location="全厂区",
            responsible=e.safety_officer_name or "安全管理员",
            commissioned_on=D(2020, 6, 1),
            inspection_interval_months=12,
            first_due=D(today.year, rng.randint(1, 12), 15),
        )


def _emergency(rng, scope, e, today, full, index):
    if not full and rng.random() < 0.3:
        return
    issued = D(rng.choice([2023, 2024, 2025]), rng.randint(1, 12), rng.randint(1, 28))
    filed = index % 4 != 2
    plan = _create(
        scope,
        EmergencyPlan,
        e,
        kind="comprehensive",
        title=f"{e.name}生产安全事故应急预案",
        version="2.0",
        issued_on=issued,
        filed_on=issued + datetime.timedelta(days=20) if filed else None,
        filed_with="惠安县应急管理局" if filed else "",
        filing_number=f"350521-{issued:%Y}-{rng.randint(100, 999)}" if filed else "",
        review_due=issued.replace(year=issued.year + 3),
    )
    onsite = _create(
        scope,
        EmergencyPlan,
        e,
        kind="onsite",
        title="仓库火灾现场处置方案",
        issued_on=issued,
        review_due=issued.replace(year=issued.year + 3),
        drill_interval_months=6,
    )
    Team = apps.get_model("duty", "RescueTeam")
    team = Team.objects.filter(enterprise=e).first()
    for year in (2024, 2025, 2026):
        held = D(year, rng.randint(3, 10), rng.randint(1, 28))
        if held < issued or held > today:
            continue
        _create(
            scope,
            Drill,
            e,
            plan=rng.choice([plan, onsite]),
            team=team,
            held_on=held,
            form=rng.choice(["tabletop", "functional", "full"]),
            scenario=rng.choice(["仓库火灾初期扑救和人员疏散", "叉车伤人应急救护", "配电房触电事故处置"]),
            participants=rng.randint(6, 40),
            evaluation="演练按方案实施，人员到位及时；疏散路线标识需完善。",
            effect=rng.choice(["good", "fair"]),
            improvements="补充疏散指示标志；加强新员工应急培训。",
        )
    for name, qty, unit in (("干粉灭火器（4kg）", 12, "具"), ("应急照明灯", 6, "盏"), ("急救箱", 2, "个")):
        _create(
            scope,
            EmergencySupply,
            e,
            name=name,
            quantity=qty,
            unit_label=unit,
            location="值班室",
            keeper=e.safety_officer_name,
            checked_on=D(2025, rng.randint(1, 11), 1),
            expires_on=D(rng.choice([2026, 2027]), rng.randint(1, 12), 1),
        )


def _training(rng, scope, e, today, full):
    Person = apps.get_model("duty", "Person")
    people = list(Person.objects.filter(enterprise=e, is_active=True)[:12])
    plans = [
        ("three_level", "新员工三级安全教育", 24),
        ("annual", "年度安全生产再培训", 8),
        ("special_operation", "叉车司机安全操作培训", 8),
    ]
    for year in (2024, 2025, 2026):
        for kind, title, hours in plans if full else rng.sample(plans, 1):
            planned = D(year, rng.randint(2, 11), rng.randint(1, 28))
            held = planned if planned <= today - datetime.timedelta(days=3) else None
            session = _create(
                scope,
                TrainingSession,
                e,
                kind=kind,
                title=f"{year}年{title}",
                planned_on=planned,
                held_on=held,
                hours=Decimal(hours),
                trainer=rng.choice(["县应急管理局讲师", "企业安全管理员", "第三方培训机构"]),
                location="公司会议室",
                content="安全生产法律法规、岗位风险和操作规程、应急处置。",
            )
            if held is None:
                continue
            for p in rng.sample(people, min(len(people), rng.randint(3, 8))):
                score = Decimal(rng.randint(62, 98))
                services.training_attendance_add(
                    actor=None,
                    scope=scope,
                    session=session,
                    person=p,
                    data={"hours": Decimal(hours), "exam_score": score, "passed": score >= 60},
                )


def _accidents(rng, scope, e, today, index):
    recent = today - datetime.timedelta(days=9)
    cases = [
        (D(2024, 9, 12), "vehicle", "装卸平台", {"minor_injuries": 1}, "叉车倒车时刮伤装卸工小腿。"),
        (D(2025, 4, 8), "fall", "二号仓库货架区", {"serious_injuries": 1}, "理货员从货架梯子跌落致骨折。"),
        (recent, "fire", "配电房", {"direct_loss": Decimal("38000")}, "短路起火。"),
    ]
    for n, (day, kind, place, figures, summary) in enumerate(cases if index == 0 else cases[index % 3 :][:1]):
        occurred = _aware(day, 9 + n)
        late = n == 1
        accident = services.accident_report(
            actor=None,
            scope=scope,
            enterprise=e,
            data={
                "occurred_at": occurred,
                "place": place,
                "kind": kind,
                "summary": summary,
                "reported_at": occurred + datetime.timedelta(minutes=150 if late else 40),
                "reported_to": "惠安县应急管理局",
                **figures,
            },
        )
        if day > today - datetime.timedelta(days=30):
            continue  # the latest one is still being investigated
        services.accident_transition(actor=None, scope=scope, accident=accident, action="investigate")
        services.accident_update(
            actor=None,
            scope=scope,
            accident=accident,
            data={
                "causes": "作业人员违章操作，现场安全管理不到位。",
                "responsibility": "对当班班组长通报批评并扣发当月安全奖。",
                "measures": "修订操作规程，增设警示标志，开展专项培训。",
                "education": "全员召开事故分析会。",
                "causes_found": True,
                "responsible_handled": True,
                "measures_done": True,
                "people_educated": True,
            },
        )
        services.accident_transition(actor=None, scope=scope, accident=accident, action="conclude")
        services.accident_transition(actor=None, scope=scope, accident=accident, action="close")
