"""Demo data of the hazard module: the starter checklist library, inspection plans, self-inspections and
supervisors' inspections 2024–2026 with their hazards in every state, 挂牌督办, internal reports and rewards.
Every row is written through the services, back-dated where it happened in the past."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anbiao.core.scope import Grant, Scope
from anbiao.core.testing import SystemActor, png_bytes
from anbiao.hazards.choices import InspectionKind, Outcome
from anbiao.hazards.models import ChecklistTemplate, Inspection
from anbiao.hazards.services import hazards as hz
from anbiao.hazards.services import inspections as ins
from anbiao.hazards.services import reports
from anbiao.hazards.services.library import library_load

TEMPLATE_OF_INDUSTRY = {
    "agri_inputs": "农资",
    "fireworks": "烟花爆竹",
    "fuel": "加油站",
    "logistics": "冷库",
}
NOTES = [
    "通道堆放货物",
    "灭火器压力不足",
    "配电箱门未关、线路老化",
    "未见培训记录",
    "警示标志缺失",
    "货物堆垛超高",
    "应急灯不亮",
    "安全出口上锁",
    "台账记录不全",
    "作业人员未戴防护用品",
]
LOCATIONS = ["一号仓库", "营业厅", "配电房", "卸货区", "办公室", "二楼库房", "罐区", "门店后场"]
PEOPLE = ["陈建国", "林海燕", "黄文斌", "张丽娟", "吴国强", "郑晓东"]


def _scope(role: str, *, org=None, enterprise=None) -> Scope:
    return Scope(
        user=SystemActor(),
        grants=[
            Grant(
                role=role,
                org_path=org.path if org else None,
                enterprise_id=enterprise.pk if enterprise else None,
            )
        ],
    )


def _photo(rng) -> SimpleUploadedFile:
    color = (rng.randint(60, 220), rng.randint(60, 220), rng.randint(60, 220))
    return SimpleUploadedFile("photo.png", png_bytes((32, 24), color), content_type="image/png")


def _templates(county) -> dict[str, ChecklistTemplate]:
    found = {}
    for t in ChecklistTemplate.objects.filter(organization=county):
        found["general" if t.name.startswith("商贸") else t.name] = t
    return found


def _pick(templates, enterprise) -> ChecklistTemplate:
    word = TEMPLATE_OF_INDUSTRY.get(enterprise.industry.code)
    if word:
        for name, t in templates.items():
            if word in name:
                return t
    if enterprise.nine_small_kind:
        for name, t in templates.items():
            if "九小" in name:
                return t
    return templates["general"]


def _progress(ctx, hazard, today, *, rectifier, acceptor_scope, acceptor):
    """Move a hazard along the loop as far as its age suggests."""
    rng = ctx.rng
    age = (today - hazard.found_on).days
    ent_scope = _scope("ent_safety", enterprise=hazard.enterprise)
    if age > 20 and rng.random() < 0.04:
        hz.hazard_void(actor=rectifier, scope=ent_scope, hazard=hazard, reason="复查确认为误报")
        return
    deadline = hazard.deadline or hazard.found_on + datetime.timedelta(days=rng.choice([7, 15, 30]))
    acceptor_name = getattr(acceptor, "full_name", "")
    data = {
        "responsible_person": rng.choice([p for p in PEOPLE if p != acceptor_name]),
        "measures": "立即清理整改，落实专人负责并复查",
        "deadline": deadline,
        "funds": Decimal(rng.choice([0, 200, 500, 1200, 3000])),
        "acceptor_name": "安全管理员" if hazard.source == "self" else "监管单位检查人员",
    }
    if hazard.is_major:
        data.update(
            plan_goal="消除重大事故隐患，恢复安全运营",
            plan_method="停用相关区域，更换设施，全面排查同类问题",
            plan_resources="专项资金，物资已采购",
            plan_organisation="主要负责人牵头，安全管理员具体负责",
            plan_schedule="按督办期限完成",
            plan_safety="整改期间设置警戒区，落实应急处置措施",
            reported_on=hazard.found_on + datetime.timedelta(days=1),
            stop_scope="partial",
        )
    if age < 2:
        return
    hz.hazard_assign(
        actor=rectifier,
        scope=ent_scope,
        hazard=hazard,
        data=data,
        on=min(today, hazard.found_on + datetime.timedelta(days=1)),
    )
    if age < 5 or (rng.random() < 0.10 and deadline > today - datetime.timedelta(days=60)):
        return  # 待整改 (some of them overdue)
    hz.hazard_start(
        actor=rectifier,
        scope=ent_scope,
        hazard=hazard,
        on=min(today, hazard.found_on + datetime.timedelta(days=2)),
    )
    done_on = min(today, hazard.found_on + datetime.timedelta(days=rng.randint(3, 25)))
    if age < 10 or rng.random() < 0.06:
        return  # 整改中
    hz.hazard_submit(
        actor=rectifier,
        scope=ent_scope,
        hazard=hazard,
        rectified_on=done_on,
        note="已按措施整改完毕，现场复查合格",
        photos=[_photo(rng)],
    )
    if age < 20 or rng.random() < 0.05:
        return  # 待验收
    hz.hazard_accept(
        actor=acceptor,
        scope=acceptor_scope,
        hazard=hazard,
        accepted_on=min(today, done_on + datetime.timedelta(days=rng.randint(1, 5))),
        note="整改到位",
    )


def build(ctx) -> None:
    if Inspection.objects.exists():
        return
    rng = ctx.rng
    today = ctx.today
    county = ctx.county
    library_load(actor=None, scope=_scope("county_admin", org=county), organization=county)
    templates = _templates(county)
    users = ctx.users
    operating = [e for e in ctx.enterprises if e.status == "operating"]
    start = datetime.date(2024, 1, 8)
    for n, enterprise in enumerate(operating):
        if n % 2:
            continue  # half of the enterprises have not started self-inspection in Anbiao yet
        template = _pick(templates, enterprise)
        safety = _scope("ent_safety", enterprise=enterprise)
        day = start + datetime.timedelta(days=rng.randint(0, 120))
        while day < today:
            _inspect(ctx, enterprise, InspectionKind.SELF, template, day, safety, users.get("ent_safety"))
            day += datetime.timedelta(days=rng.randint(150, 300))
    supervised = operating[::4]
    for enterprise in supervised:
        unit_scope = _scope("unit_admin", org=enterprise.unit)
        day = start + datetime.timedelta(days=rng.randint(30, 300))
        while day < today:
            _inspect(
                ctx,
                enterprise,
                InspectionKind.UNIT,
                templates["general"],
                day,
                unit_scope,
                users.get("unit_admin"),
            )
            day += datetime.timedelta(days=rng.randint(180, 320))
    grid_guide = next((t for name, t in templates.items() if "网格员" in name), templates["general"])
    for enterprise in operating[1:9]:
        inspector = _scope("inspector", enterprise=enterprise)
        _inspect(
            ctx,
            enterprise,
            InspectionKind.GRID,
            grid_guide,
            today - datetime.timedelta(days=rng.randint(3, 200)),
            inspector,
            users.get("inspector"),
        )
    county_scope = _scope("county_admin", org=county)
    for enterprise in operating[5:60:11]:
        _inspect(
            ctx,
            enterprise,
            InspectionKind.COUNTY,
            templates["general"],
            datetime.date(2025, 9, rng.randint(1, 28)),
            county_scope,
            users.get("county_admin"),
        )
    _majors(ctx, operating, county_scope)
    _plans(ctx, operating, templates)
    _reports(ctx, operating)


def _inspect(ctx, enterprise, kind, template, day, scope, user):
    rng = ctx.rng
    inspection = ins.inspection_start(
        actor=user,
        scope=scope,
        enterprise=enterprise,
        kind=kind,
        inspected_on=day,
        inspectors=user.display_name if user else "检查组",
        template=template,
    )
    items = inspection.version.all_items()
    failing = set(rng.sample(range(len(items)), k=min(len(items), rng.choice([0, 0, 1, 1, 2, 3]))))
    findings = [
        {
            "item": item,
            "outcome": Outcome.FAIL if i in failing else rng.choice([Outcome.PASS] * 6 + [Outcome.NA]),
            "location": rng.choice(LOCATIONS) if i in failing else "",
            "note": rng.choice(NOTES) if i in failing else "",
        }
        for i, item in enumerate(items)
    ]
    ins.inspection_record(actor=user, scope=scope, inspection=inspection, findings=findings)
    deadline = day + datetime.timedelta(days=15) if kind != InspectionKind.SELF else None
    ins.inspection_complete(actor=user, scope=scope, inspection=inspection, summary="", deadline=deadline)
    rectifier = ctx.users.get("ent_safety")
    for hazard in inspection.hazards.all():
        if kind == InspectionKind.SELF:
            acceptor_scope = _scope("ent_principal", enterprise=enterprise)
            acceptor = ctx.users.get("ent_principal")
        else:
            acceptor_scope, acceptor = scope, user
        _progress(
            ctx, hazard, ctx.today, rectifier=rectifier, acceptor_scope=acceptor_scope, acceptor=acceptor
        )


def _majors(ctx, operating, county_scope):
    """Two major hazards listed for supervision: one closed and delisted, one still listed."""
    for n, enterprise in enumerate([e for e in operating if e.handles_dangerous_goods][:2]):
        found = datetime.date(2025, 4 + n * 5, 12)
        hazard = hz.hazard_register(
            actor=None,
            scope=county_scope,
            enterprise=enterprise,
            data={
                "source": "supervisor",
                "kind": "thing",
                "location": "危险品仓库",
                "description": "危险化学品未分区分类储存，禁配物质混放"
                if n == 0
                else "可燃气体检测报警装置失效",
                "found_on": found,
                "level": "major",
                "level_reason": "属于危险化学品重大隐患判定标准情形",
                "found_by_name": "县社督查组",
            },
        )
        listing = hz.listing_create(
            actor=None,
            scope=county_scope,
            hazard=hazard,
            organization=ctx.county,
            data={
                "document_no": f"惠供联督〔{found.year}〕{n + 1}号",
                "listed_on": found + datetime.timedelta(days=2),
                "deadline": found + datetime.timedelta(days=60),
                "requirements": "制定治理方案，落实停用措施，限期整改并书面报告",
            },
        )
        if n == 0:
            _progress(
                ctx,
                hazard,
                ctx.today,
                rectifier=ctx.users.get("ent_safety"),
                acceptor_scope=county_scope,
                acceptor=ctx.users.get("county_admin"),
            )
            hazard.refresh_from_db()
            if hazard.state == "closed":
                hz.listing_delist(
                    actor=None,
                    scope=county_scope,
                    listing=listing,
                    on=hazard.accepted_on,
                    note="经现场核查整改到位，同意摘牌",
                )


def _plans(ctx, operating, templates):
    unit = ctx.units["HA-LC"]
    scope = _scope("unit_admin", org=unit)
    admin = ctx.users.get("unit_admin")
    ours = [e for e in operating if e.unit_id == unit.pk][:6]
    for n, enterprise in enumerate(ours):
        planned = ctx.today + datetime.timedelta(days=[-20, -5, 3, 10, 25, 40][n])
        ins.plan_create(
            actor=admin,
            scope=scope,
            data={
                "organization": unit,
                "enterprise": enterprise,
                "kind": "unit",
                "planned_on": planned,
                "assignee": admin,
                "template": templates["general"],
                "note": "季度例行检查",
            },
        )


def _reports(ctx, operating):
    rng = ctx.rng
    for n, enterprise in enumerate(operating[:40]):
        if n % 2:
            continue
        scope = _scope("ent_principal", enterprise=enterprise)
        established = datetime.date(2024, rng.randint(3, 12), rng.randint(1, 28))
        document = SimpleUploadedFile("内部报告奖励制度.png", png_bytes(), content_type="image/png")
        channel = reports.channel_save(
            actor=None,
            scope=scope,
            enterprise=enterprise,
            data={"established_on": established, "rule": "经核实属实的一般隐患奖励50元，重大隐患奖励500元"},
            document=document,
        )
        for _ in range(rng.choice([0, 1, 2])):
            received = ctx.today - datetime.timedelta(days=rng.randint(1, 500))
            report = reports.report_submit(
                channel=channel,
                data={
                    "location": rng.choice(LOCATIONS),
                    "description": rng.choice(NOTES),
                    "reporter_name": rng.choice(PEOPLE),
                    "received_at": timezone.make_aware(
                        datetime.datetime.combine(received, datetime.time(9, 30))
                    ),
                },
            )
            paid_on = min(ctx.today, received + datetime.timedelta(days=10))
            if rng.random() < 0.2:
                continue
            if rng.random() < 0.2:
                reports.report_reject(actor=None, scope=scope, report=report, reason="现场核实不存在该问题")
                continue
            report = reports.report_verify(actor=None, scope=scope, report=report, data={"kind": "thing"})
            reports.report_reward(
                actor=None,
                scope=scope,
                report=report,
                amount=Decimal(50),
                paid_on=paid_on,
                paid_by="财务 " + rng.choice(PEOPLE),
            )
