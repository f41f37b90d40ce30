"""The unit tree, one login per unit, and the enterprises with their dated states (EnterpriseState)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from anbiao.accounts.models import Membership, User
from anbiao.core.roles import Role
from anbiao.orgs.choices import NineSmallKind, OrgKind, SizeClass, Status
from anbiao.orgs.models import Enterprise, EnterpriseState, Industry, Organization, Township
from anbiao.orgs.uscc import check_char
from anbiao.perf.synth import names
from anbiao.perf.synth.context import (
    DAY,
    Context,
    Ent,
    Unit,
    add_days,
    person_name,
    pick,
    rand_day,
    ri,
    spread,
)

SIZES = [SizeClass.ABOVE_SCALE, SizeClass.MEDIUM, SizeClass.SMALL]
SIZE_WEIGHTS = [8, 25, 67]
UP = {SizeClass.SMALL: SizeClass.MEDIUM, SizeClass.MEDIUM: SizeClass.ABOVE_SCALE}


def employees_for(rng, size: str) -> int:
    if size == SizeClass.ABOVE_SCALE:
        return ri(rng, 100, 400) if rng.random() < 0.4 else ri(rng, 60, 99)
    if size == SizeClass.MEDIUM:
        return ri(rng, 20, 99)
    return ri(rng, 2, 19)


# --- the tree ----------------------------------------------------------------------------------------------
def _org(ctx: Context, *, parent: Unit | None, parent_path: str, depth: int, kind, code, name, order, rng):
    w = ctx.writer
    pk = w.new_id(Organization)
    path = parent_path + Organization.segment(pk)
    created, _ = ctx.entry(rng, ctx.start, 0)
    w.add(
        Organization,
        id=pk,
        parent_id=parent.id if parent else None,
        path=path,
        depth=depth,
        kind=kind,
        name=name,
        code=code,
        contact_person=person_name(rng),
        contact_phone=f"0595-8{ri(rng, 1000000, 9999999)}",
        address=f"{name[:3]}{pick(rng, names.PLACES)}路{ri(rng, 1, 300)}号",
        sort_order=order,
        created_at=created,
    )
    return Unit(pk, path, code, name, kind, parent.id if parent else None, depth)


def build_tree(ctx: Context) -> None:
    rng = ctx.rng("orgs.tree")
    c = ctx.counts
    existing_root = Organization.objects.filter(parent__isnull=True).order_by("id").first()
    base_path = existing_root.path if existing_root else ""
    base_depth = existing_root.depth + 1 if existing_root else 0
    anchor = (
        Unit(
            existing_root.pk,
            existing_root.path,
            existing_root.code,
            existing_root.name,
            existing_root.kind,
            None,
            existing_root.depth,
        )
        if existing_root
        else None
    )
    if c.cities:
        kind, name = OrgKind.OTHER, "福建省供销合作社联合社（合成数据）"
    elif c.counties:
        kind, name = OrgKind.CITY, "泉州市供销合作社联合社（合成数据）"
    else:
        kind, name = OrgKind.COUNTY, "惠安县供销合作社联合社（合成数据）"
    root = _org(
        ctx,
        parent=anchor,
        parent_path=base_path,
        depth=base_depth,
        kind=kind,
        code=ctx.tag,
        name=name,
        order=0,
        rng=rng,
    )
    ctx.root = root
    cities = []
    for i in range(c.cities):
        cities.append(
            _org(
                ctx,
                parent=root,
                parent_path=root.path,
                depth=root.depth + 1,
                kind=OrgKind.CITY,
                code=f"{ctx.tag}-P{i + 1:02d}",
                name=f"{names.FUJIAN_CITIES[i % 9]}供销社（{i + 1}）",
                order=i,
                rng=rng,
            )
        )
    counties = []
    for i in range(c.counties):
        parent = cities[i % len(cities)] if cities else root
        county_name = names.QUANZHOU_COUNTIES[i % len(names.QUANZHOU_COUNTIES)]
        if cities or i >= len(names.QUANZHOU_COUNTIES):
            county_name = f"{parent.name[:2]}第{i + 1}县"
        counties.append(
            _org(
                ctx,
                parent=parent,
                parent_path=parent.path,
                depth=parent.depth + 1,
                kind=OrgKind.COUNTY,
                code=f"{ctx.tag}-C{i + 1:03d}",
                name=f"{county_name}供销社",
                order=i,
                rng=rng,
            )
        )
    ctx.levels = cities + counties
    parents = counties or [root]
    for i in range(c.units):
        parent = parents[i % len(parents)]
        roll = rng.random()
        kind = OrgKind.GRASSROOTS if roll < 0.75 else OrgKind.COMPANY if roll < 0.92 else OrgKind.CENTRE
        word = names.UNIT_WORDS[(i // len(parents)) % len(names.UNIT_WORDS)]
        label = {"grassroots": "供销社", "company": "农资有限公司", "centre": "综合服务中心"}[kind]
        unit = _org(
            ctx,
            parent=parent,
            parent_path=parent.path,
            depth=parent.depth + 1,
            kind=kind,
            code=f"{ctx.tag}-U{i + 1:04d}",
            name=f"{parent.name[:2]}{word}{label}（{i + 1}）",
            order=i,
            rng=rng,
        )
        unit.county_id = parent.id
        ctx.units.append(unit)
    ctx.writer.flush()


def _user(
    ctx: Context, username, full_name, role, *, org: Unit | None = None, enterprise_id=None, since=None
):
    w = ctx.writer
    uid = w.add(
        User,
        username=username,
        full_name=full_name,
        password=ctx.password_hash,
        is_active=True,
        must_change_password=False,
        password_changed_at=w.now,
        date_joined=w.now,
        email="",
    )
    w.add(
        Membership,
        user_id=uid,
        role=role,
        organization_id=org.id if org else None,
        enterprise_id=enterprise_id,
        valid_from=since or ctx.start,
    )
    return uid


def build_users(ctx: Context, password: str) -> None:
    """One unit admin per unit, an admin per city/county level and one for the root: all with the same
    password (hashed once: one salt for every synthetic login), none asked to change it on first login.
    The enterprises' own logins (主要负责人, 安全管理员) are made with the enterprises."""
    ctx.password_hash = make_password(password, salt=f"anbiaosynth{ctx.seed}")
    prefix = ctx.tag.lower()

    def user(username, full_name, role, org: Unit):
        uid = _user(ctx, username, full_name, role, org=org)
        ctx.users[username] = uid
        return uid

    user(f"{prefix}_admin", f"{ctx.root.name[:6]}管理员", Role.COUNTY_ADMIN, ctx.root)
    ctx.logins.append((f"{prefix}_admin", f"{ctx.root.name}（全系统）"))
    for n, level in enumerate(ctx.levels, start=1):
        name = f"{prefix}_{'p' if level.kind == OrgKind.CITY else 'c'}{n:03d}"
        level.admin_id = user(name, f"{level.name[:6]}管理员", Role.COUNTY_ADMIN, level)
        level.admin_name = f"{level.name[:6]}管理员"
        if n <= 3:
            ctx.logins.append((name, level.name))
    ctx.root.admin_id = ctx.users[f"{prefix}_admin"]
    ctx.root.admin_name = f"{ctx.root.name[:6]}管理员"
    rng = ctx.rng("orgs.users")
    for n, unit in enumerate(ctx.units, start=1):
        name = f"{prefix}_u{n:04d}"
        unit.admin_name = person_name(rng)
        unit.admin_id = user(name, unit.admin_name, Role.UNIT_ADMIN, unit)
        if n <= 3:
            ctx.logins.append((name, unit.name))
    ctx.unit_login_range = (f"{prefix}_u0001", f"{prefix}_u{len(ctx.units):04d}")
    ctx.writer.flush()


# --- enterprises -------------------------------------------------------------------------------------------
def _changes(rng, ctx: Context, e_unit: Unit, registered: datetime.date, size: str, siblings):
    """Dated changes of (unit, size, status) after registration: strictly later dates, close/suspend last."""
    first = max(registered, ctx.start) + datetime.timedelta(days=30)
    last = ctx.today - DAY
    if first >= last:
        return []
    out = []
    if rng.random() < 0.06 and size in UP:
        out.append((rand_day(rng, first, last), "size", UP[size]))
    if rng.random() < 0.03 and len(siblings) > 1:
        out.append((rand_day(rng, first, last), "unit", pick(rng, [u for u in siblings if u is not e_unit])))
    roll = rng.random()
    if roll < 0.08 and (ctx.today - registered).days > 400:
        out.append(
            (
                rand_day(rng, max(first, registered + datetime.timedelta(days=180)), last),
                "status",
                Status.CLOSED,
            )
        )
    elif roll < 0.11:
        out.append(
            (
                rand_day(rng, max(first, ctx.today - datetime.timedelta(days=720)), last),
                "status",
                Status.SUSPENDED,
            )
        )
    out.sort(key=lambda x: x[0])
    clean, seen = [], set()
    for day, what, value in out:
        if day in seen or day <= registered:
            continue
        seen.add(day)
        clean.append((day, what, value))
    # a closure or suspension ends the history
    for i, (_, what, _) in enumerate(clean):
        if what == "status":
            return clean[: i + 1]
    return clean


def build_enterprises(ctx: Context) -> None:
    rng = ctx.rng("orgs.enterprises")
    w = ctx.writer
    c = ctx.counts
    industries = dict(Industry.objects.values_list("code", "pk"))
    townships = list(Township.objects.order_by("sort_order", "code").values_list("pk", "name"))
    industry_codes = [code for code in names.INDUSTRY_WEIGHTS if code in industries]
    weights = [names.INDUSTRY_WEIGHTS[code] for code in industry_codes]
    per_unit = spread(rng, c.enterprises, [rng.uniform(0.5, 1.5) for _ in ctx.units])
    siblings: dict[int | None, list[Unit]] = {}
    for u in ctx.units:
        siblings.setdefault(u.parent_id, []).append(u)
    existing = (
        set(Enterprise.objects.values_list("uscc", flat=True)) if Enterprise.objects.exists() else set()
    )
    used_names: dict[str, int] = {}
    region_of = {}
    for i, lv in enumerate(ctx.levels):
        region_of[lv.id] = f"35{(i // 10) % 90 + 10:02d}{i % 90 + 10:02d}"
    before_start = ctx.start - datetime.timedelta(days=1500)
    prefix = ctx.tag.lower()
    for unit, n in zip(ctx.units, per_unit, strict=True):
        region = region_of.get(unit.county_id, "350521")
        area = unit.name[:2]
        for _ in range(n):
            pk = w.new_id(Enterprise)
            industry = rng.choices(industry_codes, weights)[0]
            size = rng.choices(SIZES, SIZE_WEIGHTS)[0]
            if rng.random() < 0.7:
                registered = rand_day(rng, before_start, ctx.start - DAY)
            else:
                registered = rand_day(rng, ctx.start, ctx.today - datetime.timedelta(days=30))
            nine_small = ""
            if size == SizeClass.SMALL and industry in {"retail", "hospitality"} and rng.random() < 0.5:
                nine_small = NineSmallKind.SHOP if industry == "retail" else NineSmallKind.RESTAURANT
            base = f"{area}{pick(rng, names.PLACES)}{pick(rng, names.SUFFIX[industry])}"
            k = used_names.get(base, 0) + 1
            used_names[base] = k
            name = base if k == 1 else f"{base}（{k}号店）"
            body = ("92" if nine_small else "91") + region + f"{pk:09d}"
            uscc = body + check_char(body)
            while uscc in existing:
                body = "Y" + body[1:]
                uscc = body + check_char(body)
            town_id, town_name = pick(rng, townships)
            principal = person_name(rng)
            safety = person_name(rng)
            while safety == principal:
                safety = person_name(rng)
            e = Ent(pk, name, industry, nine_small, town_id, registered, principal, safety, principal)
            employees = employees_for(rng, size)
            dangerous = industry in names.DANGEROUS
            state = [registered, None, unit, size, Status.OPERATING, employees, dangerous]
            states = [state]
            for day, what, value in _changes(rng, ctx, unit, registered, size, siblings[unit.parent_id]):
                nxt = list(states[-1])
                states[-1][1] = day
                nxt[0], nxt[1] = day, None
                if what == "size":
                    nxt[3], nxt[5] = value, employees_for(rng, value)
                elif what == "unit":
                    nxt[2] = value
                else:
                    nxt[4] = value
                states.append(nxt)
            e.states = [tuple(s) for s in states]
            e.starts = [s[0] for s in e.states]
            ctx.enterprises.append(e)
            cur = e.states[-1]
            status_since = next((s[0] for s in reversed(e.states) if s[4] != Status.OPERATING), registered)
            rental = rng.random() < 0.15
            created, _ = ctx.entry(rng, max(registered, ctx.start), 0)
            w.add(
                Enterprise,
                id=pk,
                unit_id=cur[2].id,
                name=name,
                uscc=uscc,
                legal_representative=principal,
                principal_name=principal,
                principal_phone=f"13{ri(rng, 100000000, 999999999)}",
                safety_officer_name=safety,
                safety_officer_phone=f"15{ri(rng, 100000000, 999999999)}" if safety else "",
                address=f"{town_name}{pick(rng, names.PLACES)}路{ri(rng, 1, 300)}号",
                township_id=town_id,
                longitude=Decimal(f"{118.40 + rng.random() * 0.9:.6f}"),
                latitude=Decimal(f"{24.60 + rng.random() * 0.8:.6f}"),
                industry_id=industries[industry],
                size_class=cur[3],
                tag_new=registered >= add_days(ctx.today, -730),
                tag_trade=industry in names.TRADE,
                tag_micro=cur[3] == SizeClass.SMALL,
                nine_small_kind=nine_small,
                is_rental_outlet=rental,
                landlord_unit_id=unit.id if rental else None,
                employee_count=cur[5],
                handles_dangerous_goods=dangerous,
                status=cur[4],
                status_since=status_since,
                registered_on=registered,
                created_at=created,
                updated_at=created,
            )
            since = max(registered, ctx.start)
            number = len(ctx.enterprises)
            e.principal_user = _user(
                ctx, f"{prefix}_e{number:06d}", principal, Role.ENT_PRINCIPAL, enterprise_id=pk, since=since
            )
            e.safety_user = _user(
                ctx, f"{prefix}_e{number:06d}s", safety, Role.ENT_SAFETY, enterprise_id=pk, since=since
            )
            if number == 1:
                ctx.logins.append((f"{prefix}_e{number:06d}", f"{name} 主要负责人"))
                ctx.logins.append((f"{prefix}_e{number:06d}s", f"{name} 安全管理员"))
            for n_state, s in enumerate(e.states):
                if n_state == 0:
                    typed = created
                    backdated = s[0] < created.date()
                else:
                    typed, backdated = ctx.entry(rng, s[0], 0.15)
                w.add(
                    EnterpriseState,
                    enterprise_id=pk,
                    valid_from=s[0],
                    valid_to=s[1],
                    unit_id=s[2].id,
                    size_class=s[3],
                    status=s[4],
                    employee_count=s[5],
                    handles_dangerous_goods=s[6],
                    recorded_at=typed,
                    recorded_by_id=None,
                    backdated=backdated,
                )
            w.maybe_flush()
    w.flush()
