"""Build a realistic Hui'an-like demo system. Idempotent; refuses to run with production settings."""

import datetime
import os
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from anbiao.accounts.models import Assignment, Membership, User
from anbiao.core import audit, registry
from anbiao.core.commands import command_context
from anbiao.core.roles import Role
from anbiao.core.scope import Grant, Scope
from anbiao.orgs import reference, services
from anbiao.orgs.choices import NineSmallKind, OrgKind, SizeClass, Status
from anbiao.orgs.models import Enterprise, Industry, Organization, Township
from anbiao.orgs.uscc import CHARSET, check_char

DEMO_PASSWORD = "Anbiao@2025"
COUNTY = ("HAGX", "惠安县供销合作社联合社", OrgKind.COUNTY)
UNITS = [
    ("HA-LC", "螺城供销社", OrgKind.GRASSROOTS, "luocheng"),
    ("HA-HT", "黄塘供销社", OrgKind.GRASSROOTS, "huangtang"),
    ("HA-DL", "东岭供销社", OrgKind.GRASSROOTS, "dongling"),
    ("HA-CW", "崇武供销社", OrgKind.GRASSROOTS, "chongwu"),
    ("HA-TZ", "涂寨供销社", OrgKind.GRASSROOTS, "tuzhai"),
    ("HA-NZ", "惠安县农资有限公司", OrgKind.COMPANY, "luocheng"),
    ("HA-ZS", "惠安县再生资源回收有限公司", OrgKind.COMPANY, "zishan"),
    ("HA-FW", "惠安县供销社综合服务中心", OrgKind.CENTRE, "luocheng"),
]
SUFFIX = {
    "retail": ["超市", "百货商行", "便利店", "日杂店", "商贸有限公司"],
    "logistics": ["仓储有限公司", "物流有限公司", "冷链仓储中心"],
    "agri_inputs": ["农资经营部", "化肥农药店", "农资连锁店"],
    "fireworks": ["烟花爆竹零售点", "烟花爆竹批发部"],
    "fuel": ["加油站"],
    "recycling": ["再生资源回收站", "废旧物资回收点"],
    "agri_processing": ["茶叶加工厂", "粮油加工厂", "农产品加工有限公司"],
    "hospitality": ["酒店", "餐饮店", "宾馆"],
    "other": ["服务部", "综合门市"],
}
SURNAMES = "陈林黄张吴王李郑刘杨蔡许庄曾骆康"
GIVEN = [
    "志明",
    "建华",
    "丽娟",
    "文斌",
    "秀英",
    "国强",
    "海燕",
    "晓东",
    "俊杰",
    "美玲",
    "荣辉",
    "金水",
    "阿珠",
    "清河",
]
PLACES = [
    "惠兴",
    "螺阳",
    "锦绣",
    "惠民",
    "东方",
    "顺丰",
    "永安",
    "福缘",
    "鸿达",
    "海峡",
    "聚源",
    "惠南",
    "新联",
    "益农",
]


@dataclass
class DemoContext:
    """What every app's ``hooks.demo(ctx)`` builds on. Apps run in INSTALLED_APPS order and must be
    idempotent (skip when their demo rows exist)."""

    rng: random.Random
    scope: Scope  # system actor with the county admin's reach
    county: Organization
    units: dict[str, Organization]  # by code, e.g. "HA-LC" (螺城供销社, the unit_admin's unit)
    users: dict[str, User]  # by username: county_admin, unit_admin, ent_principal, ent_safety, inspector ...
    enterprises: list[Enterprise]
    today: datetime.date = field(default_factory=datetime.date.today)


def make_uscc(rng: random.Random) -> str:
    """A 统一社会信用代码 with a valid check digit, registered in 惠安县 (350521)."""
    body = (
        rng.choice("9") + rng.choice("123") + "350521" + "".join(rng.choice(CHARSET[:10]) for _ in range(8))
    )
    body += rng.choice(CHARSET)
    return body + check_char(body)


class Command(BaseCommand):
    help = "Load the demo data (county, 8 units, ~120 enterprises, one user per role)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="only when the database has no units")
        parser.add_argument("--print-logins", action="store_true", help="print the demo logins and stop")
        parser.add_argument("--enterprises", type=int, default=120)
        parser.add_argument(
            "--only",
            default="",
            help="comma-separated module names (e.g. hazards,risks): only their demo data",
        )

    def handle(self, *args, **options):
        if options["print_logins"]:
            self.print_logins()
            return
        if settings.PRODUCTION:
            raise CommandError("生产环境不创建演示数据和演示账号。")
        if options["if_empty"] and Organization.objects.exists():
            self.stdout.write("数据库已有数据，跳过演示数据。")
            return
        with command_context("anbiao_demo"), transaction.atomic():
            self.build(options["enterprises"], only={m for m in options["only"].split(",") if m})
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))

    def print_logins(self):
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, label in [
            ("county_admin", "县社管理员"),
            ("unit_admin", "单位管理员（螺城供销社）"),
            ("ent_principal", "企业主要负责人"),
            ("ent_safety", "企业安全管理员"),
            ("inspector", "网格员"),
            ("expert", "专家"),
            ("leader", "只读领导"),
        ]:
            self.stdout.write(f"  {username:<15} {label}")
        self.stdout.write(f"打开 http://127.0.0.1:{os.environ.get('PORT', '8000')}/ 登录。\n")

    def build(self, n_enterprises: int, only: set[str] = frozenset()):
        rng = random.Random(2025)
        reference.seed_everything()  # in case the database was flushed after migrating
        county = Organization.objects.filter(code=COUNTY[0]).first()
        system = Scope(user=None)
        if county is None:
            county = services.organization_create(
                actor=None,
                scope=system,
                parent=None,
                code=COUNTY[0],
                name=COUNTY[1],
                kind=COUNTY[2],
                contact_person="王帆",
                contact_phone="0595-87368796",
                address="惠安县螺城镇",
            )
        root_scope = Scope(user=_SystemUser(), grants=[Grant(role=Role.COUNTY_ADMIN, org_path=county.path)])
        units = {}
        for order, (code, name, kind, _) in enumerate(UNITS):
            unit = Organization.objects.filter(code=code).first() or services.organization_create(
                actor=None,
                scope=root_scope,
                parent=county,
                code=code,
                name=name,
                kind=kind,
                sort_order=order,
                contact_person=rng.choice(SURNAMES) + rng.choice(GIVEN),
                contact_phone=f"0595-8{rng.randint(1000000, 9999999)}",
            )
            units[code] = unit
        industries = {i.code: i for i in Industry.objects.all()}
        townships = {t.code: t for t in Township.objects.all()}
        existing = Enterprise.objects.count()
        for i in range(existing, n_enterprises):
            self.make_enterprise(i, rng, root_scope, units, industries, townships)
        self.make_users(county, units)
        ctx = DemoContext(
            rng=rng,
            scope=root_scope,
            county=county,
            units=units,
            users={u.username: u for u in User.objects.all()},
            enterprises=list(Enterprise.objects.select_related("unit", "industry").order_by("id")),
        )
        for build in registry.hooks("demo"):
            if not only or build.__module__.split(".")[1] in only:
                build(ctx)
        for finish in registry.hooks("demo_finish"):
            if not only or finish.__module__.split(".")[1] in only:
                finish(ctx)
        if not only:
            from anbiao.core.notifications import notifications_create

            notifications_create(today=ctx.today)  # what the daily anbiao_remind would have sent

    def make_enterprise(self, i, rng, scope, units, industries, townships):
        code, _, _, home_town = UNITS[i % len(UNITS)]
        industry_code = {
            "HA-NZ": "agri_inputs",
            "HA-ZS": "recycling",
        }.get(code) or rng.choice(
            ["retail"] * 5
            + [
                "logistics",
                "agri_inputs",
                "fireworks",
                "fuel",
                "agri_processing",
                "hospitality",
                "other",
                "retail",
            ]
        )
        size = rng.choices([SizeClass.ABOVE_SCALE, SizeClass.MEDIUM, SizeClass.SMALL], [1, 3, 8])[0]
        town = townships[home_town] if rng.random() < 0.6 else rng.choice(list(townships.values()))
        for attempt in range(20):
            prefix = "惠安县" if attempt < 5 else f"惠安县{town.name[:2]}"
            name = f"{prefix}{rng.choice(PLACES)}{rng.choice(SUFFIX[industry_code])}"
            if not Enterprise.objects.filter(name=name).exists():
                break
        else:
            name = f"{name}（{i}号店）"
        nine_small = ""
        if size == SizeClass.SMALL and industry_code in {"retail", "hospitality"} and rng.random() < 0.5:
            nine_small = NineSmallKind.SHOP if industry_code == "retail" else NineSmallKind.RESTAURANT
        rental = rng.random() < 0.15
        registered = datetime.date(2021, 8, 1) + datetime.timedelta(days=rng.randint(0, 1300))
        if i % 17 == 0:
            registered = datetime.date(2025, rng.randint(1, 9), rng.randint(1, 28))
        principal = rng.choice(SURNAMES) + rng.choice(GIVEN)
        data = dict(
            unit=units[code],
            name=name,
            uscc=make_uscc(rng),
            legal_representative=principal,
            principal_name=principal,
            principal_phone=f"13{rng.randint(100000000, 999999999)}",
            safety_officer_name=rng.choice(SURNAMES) + rng.choice(GIVEN) if rng.random() < 0.9 else "",
            safety_officer_phone=f"15{rng.randint(100000000, 999999999)}" if rng.random() < 0.85 else "",
            address=f"{town.name}{rng.choice(PLACES)}路{rng.randint(1, 300)}号",
            township=town,
            industry=industries[industry_code],
            size_class=size,
            tag_new=registered.year >= 2024,
            tag_trade=industry_code in {"retail", "agri_inputs", "fireworks", "fuel"},
            tag_micro=size == SizeClass.SMALL,
            nine_small_kind=nine_small,
            is_rental_outlet=rental,
            landlord_unit=units[code] if rental else None,
            employee_count={"above_scale": rng.randint(60, 180), "medium": rng.randint(20, 99)}.get(
                size, rng.randint(2, 19)
            ),
            handles_dangerous_goods=industry_code in {"agri_inputs", "fireworks", "fuel"},
            registered_on=registered,
            status_since=registered,
            longitude=Decimal(f"{118.80 + rng.random() * 0.15:.6f}"),
            latitude=Decimal(f"{24.95 + rng.random() * 0.15:.6f}"),
        )
        enterprise = services.enterprise_create(actor=None, scope=scope, data=data)
        if i % 23 == 5 and registered < datetime.date(2025, 1, 1):
            services.enterprise_update(
                actor=None,
                scope=scope,
                enterprise=enterprise,
                data={"status": Status.CLOSED},
                effective=datetime.date(2025, rng.randint(2, 10), 15),
            )
        elif i % 19 == 3 and registered < datetime.date(2024, 6, 1):
            services.enterprise_update(
                actor=None,
                scope=scope,
                enterprise=enterprise,
                data={"size_class": SizeClass.MEDIUM},
                effective=datetime.date(2025, 4, 1),
            )

    def make_users(self, county, units):
        luocheng = units["HA-LC"]
        ent = Enterprise.objects.filter(unit=luocheng, status=Status.OPERATING).order_by("id").first()
        plan = [
            ("county_admin", "王帆", Role.COUNTY_ADMIN, county, None),
            ("leader", "林主任", Role.LEADER, county, None),
            ("unit_admin", "陈建华", Role.UNIT_ADMIN, luocheng, None),
            ("ent_principal", ent.principal_name or "张志明", Role.ENT_PRINCIPAL, None, ent),
            ("ent_safety", ent.safety_officer_name or "李丽娟", Role.ENT_SAFETY, None, ent),
            ("inspector", "黄文斌", Role.INSPECTOR, luocheng, None),
            ("expert", "郑国强", Role.EXPERT, county, None),
        ]
        for code, unit in units.items():
            if code != "HA-LC":
                plan.append(
                    (f"admin_{code.split('-')[1].lower()}", f"{unit.name}管理员", Role.UNIT_ADMIN, unit, None)
                )
        for username, full_name, role, org, enterprise in plan:
            user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                place = org or enterprise
                audit.record(
                    actor=None,
                    action="accounts.user_create",
                    obj=user,
                    org_path=org.path if org else enterprise.unit.path,
                    enterprise_id=enterprise.pk if enterprise else None,
                    after={"username": username, "role": role, "place": str(place)},
                )
            Membership.objects.get_or_create(
                user=user,
                role=role,
                organization=org,
                enterprise=enterprise,
                defaults={"valid_from": datetime.date(2021, 8, 1)},
            )
        inspector = User.objects.get(username="inspector")
        for e in Enterprise.objects.filter(unit=luocheng, status=Status.OPERATING).order_by("id")[1:9]:
            Assignment.objects.get_or_create(
                user=inspector,
                enterprise=e,
                role=Role.INSPECTOR,
                defaults={"valid_from": datetime.date(2024, 1, 1)},
            )
        expert = User.objects.get(username="expert")
        for e in Enterprise.objects.filter(handles_dangerous_goods=True, status=Status.OPERATING).order_by(
            "id"
        )[:6]:
            Assignment.objects.get_or_create(
                user=expert,
                enterprise=e,
                role=Role.EXPERT,
                defaults={"valid_from": datetime.date(2025, 3, 1)},
            )


class _SystemUser:
    """Stands in for a person when the system itself writes (demo loading)."""

    pk = None
    is_authenticated = True
    is_active = True

    def get_username(self):
        return "系统"
