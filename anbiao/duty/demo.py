"""Demo data for 全员责任制: posts, people, published lists, officers, bodies, teams, certificates and
2024–2025 annual assessments with paid rewards, spread over the demo enterprises.

The demo users' own enterprise (ent_principal / ent_safety) gets posts, people and officers but no lists and
no assessment: that is what its principal does in the browser journey.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from anbiao.accounts.models import Membership
from anbiao.core.roles import Role
from anbiao.duty import services
from anbiao.duty.choices import CertificateKind, Employment, MemberRole, Outcome, PostLevel
from anbiao.duty.models import Person
from anbiao.orgs.choices import Status

SURNAMES = "陈林黄张吴王李郑刘杨蔡许庄曾骆康"
GIVEN = ["志强", "美华", "建平", "秀琴", "文杰", "国华", "雅婷", "少伟", "丽琼", "金龙", "清水", "惠玲"]
SHOP_POSTS = [("营业员", "营业部"), ("仓管员", "仓储部"), ("收银员", "营业部")]
TARGET = 20  # enterprises with a full record set (keeps the demo quick)


def _name(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _date(rng, start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, days))


def build(ctx) -> None:
    if Person.objects.exists():
        return
    # ctx.rng and ctx.scope are used by the helpers below
    own = Membership.objects.filter(role=Role.ENT_PRINCIPAL, user__username="ent_principal").first()
    own_ent = own.enterprise if own else None
    operating = [e for e in ctx.enterprises if e.status == Status.OPERATING and e != own_ent]
    # the unit admin's unit (螺城) first, so its supervisor view has a realistic spread
    luocheng = ctx.units.get("HA-LC")
    operating.sort(key=lambda e: (0 if luocheng and e.unit_id == luocheng.pk else 1, e.pk))
    operating = operating[:8] + sorted(operating[8:], key=lambda e: (e.unit_id, e.pk))[::2]
    if own_ent is not None:
        _demo_users_enterprise(ctx, own_ent)
    chosen = operating[:TARGET]
    for n, e in enumerate(chosen):
        _enterprise(ctx, e, n)


def _person(scope, e, name, dept=None, joined=None, phone=""):
    return services.person_create(
        actor=None,
        scope=scope,
        enterprise=e,
        data={"name": name, "department": dept, "joined_on": joined, "phone": phone},
    )


def _post(scope, e, name, level, dept, established):
    return services.post_create(
        actor=None,
        scope=scope,
        enterprise=e,
        data={"name": name, "level": level, "department": dept, "established_on": established},
    )


def _demo_users_enterprise(ctx, e) -> None:
    scope, rng = ctx.scope, ctx.rng
    start = datetime.date(2024, 3, 1)
    dept = services.department_create(actor=None, scope=scope, enterprise=e, name="综合部")
    boss = _person(scope, e, e.principal_name or "张志明", None, datetime.date(2019, 5, 1), e.principal_phone)
    safety = _person(scope, e, e.safety_officer_name or "李丽娟", dept, datetime.date(2020, 7, 1))
    clerk = _person(scope, e, _name(rng), dept, datetime.date(2022, 3, 1))
    for name, level, holder, d in (
        ("总经理", PostLevel.PRINCIPAL, boss, None),
        ("安全管理员", PostLevel.SAFETY_BODY, safety, dept),
        ("营业员", PostLevel.EMPLOYEE, clerk, dept),
    ):
        post = _post(scope, e, name, level, d, start)
        services.holding_add(actor=None, scope=scope, post=post, person=holder, valid_from=start)
    services.officer_appoint(
        actor=None,
        scope=scope,
        enterprise=e,
        person=safety,
        employment=Employment.PART_TIME,
        valid_from=start,
    )
    services.certificate_add(
        actor=None,
        scope=scope,
        person=boss,
        data={
            "kind": CertificateKind.PRINCIPAL_ASSESSMENT,
            "number": "闽应急主考2023-0418",
            "issuer": "泉州市应急管理局",
            "issued_on": datetime.date(2023, 1, 20),
            "expires_on": ctx.today + datetime.timedelta(days=40),
        },
    )


def _enterprise(ctx, e, n: int) -> None:
    scope, rng = ctx.scope, ctx.rng
    start = max(e.registered_on, datetime.date(2023, 6, 1)) + datetime.timedelta(days=rng.randint(0, 60))
    start = min(start, ctx.today - datetime.timedelta(days=400))
    dept_a = services.department_create(actor=None, scope=scope, enterprise=e, name="综合部")
    dept_b = services.department_create(actor=None, scope=scope, enterprise=e, name="业务部")
    boss = _person(scope, e, e.principal_name or _name(rng), None, start, e.principal_phone)
    safety = _person(scope, e, e.safety_officer_name or _name(rng), dept_a, start)
    staff = [_person(scope, e, _name(rng), dept_b, start) for _ in range(2)]
    posts = [
        (_post(scope, e, "总经理", PostLevel.PRINCIPAL, None, start), [boss]),
        (_post(scope, e, "安全管理员", PostLevel.SAFETY_BODY, dept_a, start), [safety]),
    ]
    name, _ = SHOP_POSTS[n % len(SHOP_POSTS)]
    posts.append((_post(scope, e, name, PostLevel.EMPLOYEE, dept_b, start), staff))
    for post, holders in posts:
        for p in holders:
            services.holding_add(actor=None, scope=scope, post=post, person=p, valid_from=start)
    complete = n % 5 != 4  # one in five has a post without lists
    published = []
    for i, (post, _) in enumerate(posts):
        if not complete and i == len(posts) - 1:
            break
        dl = services.duty_list_adopt(actor=None, scope=scope, post=post)
        day = _date(rng, start + datetime.timedelta(days=10), 50)
        services.duty_list_publish(
            actor=None,
            scope=scope,
            duty_list=dl,
            effective_from=day,
            published_on=day,
            published_place="企业安全生产公示栏",
        )
        published.append(dl)
    strict = e.handles_dangerous_goods or e.employee_count > 100
    employment = Employment.FULL_TIME if (strict and n % 4 != 3) else Employment.PART_TIME
    if n % 7 != 6:
        services.officer_appoint(
            actor=None, scope=scope, enterprise=e, person=safety, employment=employment, valid_from=start
        )
    if e.employee_count > 60 and n % 2 == 0:
        services.body_create(
            actor=None,
            scope=scope,
            enterprise=e,
            name="安全生产管理部",
            document=f"{e.name[:6]}〔{start.year}〕3号",
            valid_from=start + datetime.timedelta(days=5),
        )
    for p, kind in (
        (boss, CertificateKind.PRINCIPAL_ASSESSMENT),
        (safety, CertificateKind.SAFETY_MANAGER_ASSESSMENT),
    ):
        if rng.random() < 0.8:
            issued = _date(rng, datetime.date(2023, 3, 1), 900)
            services.certificate_add(
                actor=None,
                scope=scope,
                person=p,
                data={
                    "kind": kind,
                    "number": f"FJ{issued.year}{rng.randint(10000, 99999)}",
                    "issuer": "泉州市应急管理局",
                    "issued_on": issued,
                    "expires_on": issued + datetime.timedelta(days=365 * 3),
                },
            )
    if e.handles_dangerous_goods or n % 3 == 0:
        team = services.team_create(
            actor=None,
            scope=scope,
            enterprise=e,
            data={
                "name": "义务消防队" if not e.handles_dangerous_goods else "应急救援队",
                "employment": Employment.PART_TIME,
                "contact_name": safety.name,
                "contact_phone": f"139{rng.randint(10000000, 99999999)}",
                "equipment": "灭火器 12 具、消防水带 4 盘、防毒面具 4 套、急救箱 1 个",
            },
            valid_from=start + datetime.timedelta(days=20),
        )
        for i, p in enumerate([safety, *staff]):
            services.member_add(
                actor=None,
                scope=scope,
                team=team,
                person=p,
                role=MemberRole.LEADER if i == 0 else MemberRole.MEMBER,
                valid_from=team.valid_from,
            )
    if complete and published:
        for year, done in ((2024, n % 3 != 2), (2025, n % 4 != 1)):
            if not done or datetime.date(year, 12, 1) < max(d.effective_from for d in published):
                continue
            _assessment(ctx, e, year, posts, rng)


def _assessment(ctx, e, year, posts, rng) -> None:
    scope = ctx.scope
    started = datetime.date(year, 12, rng.randint(1, 10))
    a = services.assessment_start(actor=None, scope=scope, enterprise=e, year=year, started_on=started)
    scored_on = started + datetime.timedelta(days=rng.randint(3, 12))
    last = scored_on
    for post, _holders in posts:
        for holding in post.holdings.filter(valid_to__isnull=True).select_related("person", "post"):
            dl = holding.post.lists.exclude(status="draft").order_by("-version").first()
            items = list(dl.assess_items.all())
            deductions = {}
            for item in rng.sample(items, k=min(len(items), rng.randint(0, 3))):
                pts = Decimal(rng.choice([1, 2, 3, 5]))
                deductions[item.pk] = (
                    min(pts, item.full_marks),
                    rng.choice(
                        [
                            "检查记录不完整",
                            "培训台账缺少签到",
                            "隐患整改超期",
                            "未按月组织检查",
                            "演练记录缺照片",
                        ]
                    ),
                )
            score = services.score_record(
                actor=None,
                scope=scope,
                assessment=a,
                holding=holding,
                scored_on=scored_on,
                assessor="安全生产考核小组",
                deductions=deductions,
            )
            if score.percent >= 90 and rng.random() < 0.8:
                decided = scored_on + datetime.timedelta(days=5)
                services.score_set_outcome(
                    actor=None,
                    scope=scope,
                    score=score,
                    outcome=Outcome.REWARD,
                    amount=Decimal(rng.choice([500, 800, 1000, 2000])),
                    decided_on=decided,
                    paid_on=decided + datetime.timedelta(days=rng.randint(5, 25)),
                )
            last = max(last, scored_on)
    services.assessment_complete(
        actor=None, scope=scope, assessment=a, completed_on=last + datetime.timedelta(days=rng.randint(5, 20))
    )
