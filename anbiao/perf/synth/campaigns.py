"""The campaign ledgers: 告知书/承诺书 per enterprise (generated → delivered → signed with the stamped scan →
posted, each step a LetterEvent), the units' 专题培训 and 现场观摩 with attendances, 十百千万 showcase entries
(size class as on the day of recognition), 四项规范, enforcement and 约束激励, filings and annual tasks."""

from __future__ import annotations

import datetime
from decimal import Decimal

from anbiao.campaigns.choices import (
    DeliveryMethod,
    EnforcementKind,
    FilingStatus,
    Level,
    NormKind,
    PostType,
    SessionKind,
    ShowcaseCategory,
    TaskStatus,
    TraineeCategory,
)
from anbiao.campaigns.models import (
    Attendance,
    Campaign,
    EnforcementAction,
    EnterpriseLetter,
    Filing,
    LetterEvent,
    NormDocument,
    Requirement,
    ShowcaseEntry,
    TrainingSession,
    WorkTask,
)
from anbiao.campaigns.rules import REPORT_WINDOW_START
from anbiao.orgs.choices import SizeClass
from anbiao.orgs.models import Township
from anbiao.perf.synth.context import Context, add_days, pick, rand_day, ri
from anbiao.perf.synth.evidence import evidence

ENFORCEMENT = [
    (EnforcementKind.FINE, 30),
    (EnforcementKind.SUSPEND, 8),
    (EnforcementKind.LICENCE, 3),
    (EnforcementKind.CLOSE, 2),
    (EnforcementKind.JUDICIAL, 1),
    (EnforcementKind.EXPOSE, 6),
    (EnforcementKind.INTERVIEW, 25),
    (EnforcementKind.INCENTIVE, 15),
    (EnforcementKind.CONSTRAINT, 10),
]


def build(ctx: Context) -> None:
    rng = ctx.rng("campaigns")
    _letters(ctx, rng)
    window = max(REPORT_WINDOW_START, ctx.start)
    if window <= ctx.today:
        _sessions(ctx, rng, window)
        _showcase(ctx, rng, window)
        _norms(ctx, rng, window)
    _enforcement(ctx, rng)
    _filings(ctx, rng)


def _letters(ctx: Context, rng) -> None:
    w = ctx.writer
    for campaign in Campaign.objects.filter(starts_on__lte=ctx.today, organization__isnull=True).order_by(
        "year"
    ):
        for n, e in enumerate(ctx.enterprises):
            if not e.operating_on(campaign.starts_on) or rng.random() > 0.85:
                continue
            generated = min(ctx.today, add_days(campaign.starts_on, ri(rng, 0, 10)))
            letter_id = w.new_id(EnterpriseLetter)
            steps = [
                (LetterEvent.Kind.GENERATED, generated, f"自评截止日期 {campaign.letter_deadline:%Y-%m-%d}")
            ]
            delivered = signed = posted = None
            method = ""
            scan = None
            if rng.random() < 0.95:
                delivered = add_days(generated, ri(rng, 1, 45))
                if delivered > ctx.today:
                    delivered = None
            if delivered:
                method = pick(
                    rng, [DeliveryMethod.IN_PERSON, DeliveryMethod.IN_PERSON, DeliveryMethod.ELECTRONIC]
                )
                steps.append((LetterEvent.Kind.DELIVERED, delivered, str(DeliveryMethod(method).label)))
                if rng.random() < 0.88:
                    signed = add_days(delivered, ri(rng, 0, 20))
                    signed = signed if signed <= ctx.today else None
            if signed:
                scan = evidence(
                    ctx,
                    rng,
                    uploaded_by=e.unit_on(signed).admin_id,
                    enterprise_id=e.id,
                    owner_type="campaigns.enterpriseletter",
                    owner_id=letter_id,
                    title=f"承诺书（盖章）：{e.name}",
                    name="承诺书.pdf",
                    uploaded_at=ctx.at(signed, 15),
                )
                steps.append((LetterEvent.Kind.SIGNED, signed, e.legal))
                if rng.random() < 0.8:
                    posted = add_days(signed, ri(rng, 0, 10))
                    posted = posted if posted <= ctx.today else None
            if posted:
                steps.append((LetterEvent.Kind.POSTED, posted, ""))
            w.add(
                EnterpriseLetter,
                id=letter_id,
                campaign_id=campaign.pk,
                enterprise_id=e.id,
                deadline=campaign.letter_deadline,
                generated_at=ctx.at(generated, 10),
                delivered_on=delivered,
                delivery_method=method,
                signed_on=signed,
                signer=e.legal if signed else "",
                signed_scan_id=scan,
                posted_on=posted,
            )
            for kind, on, detail in steps:
                typed, backdated = ctx.entry(rng, on)
                w.add(
                    LetterEvent,
                    letter_id=letter_id,
                    kind=kind,
                    on=on,
                    detail=detail,
                    recorded_at=typed,
                    recorded_by_id=None,
                    backdated=backdated,
                )
            if n % 500 == 499:
                w.maybe_flush()


def _members(ctx: Context):
    by_unit: dict[int, list] = {}
    for e in ctx.enterprises:
        by_unit.setdefault(e.unit.id, []).append(e)
    return by_unit


def _sessions(ctx: Context, rng, window) -> None:
    w = ctx.writer
    members = _members(ctx)
    for unit in ctx.units:
        pool = members.get(unit.id, [])
        year = window.year
        while year <= ctx.today.year:
            for _ in range(ri(rng, 2, 4)):
                held = rand_day(
                    rng, max(window, datetime.date(year, 1, 1)), min(ctx.today, datetime.date(year, 12, 31))
                )
                kind = SessionKind.TRAINING if rng.random() < 0.7 else SessionKind.SITE_VISIT
                typed, backdated = ctx.entry(rng, held)
                session = w.add(
                    TrainingSession,
                    unit_id=unit.id,
                    kind=kind,
                    level=pick(rng, [Level.TOWNSHIP, Level.TOWNSHIP, Level.COUNTY, Level.CITY]),
                    organizer=unit.name,
                    held_on=held,
                    topic="安全生产标准化提升专题培训"
                    if kind == SessionKind.TRAINING
                    else "标准化示范企业现场观摩",
                    location="单位会议室" if kind == SessionKind.TRAINING else "示范企业现场",
                    targets=[TraineeCategory.PRINCIPAL, TraineeCategory.SAFETY_MANAGER],
                    note="",
                    recorded_at=typed,
                    recorded_by_id=unit.admin_id,
                    backdated=backdated,
                )
                present = [e for e in pool if e.operating_on(held) and e.unit_on(held) is unit]
                for e in rng.sample(present, min(len(present), ri(rng, 5, 15))):
                    people = [(e.principal, TraineeCategory.PRINCIPAL, "主要负责人")]
                    if e.safety and e.safety != e.principal:
                        people.append((e.safety, TraineeCategory.SAFETY_MANAGER, "安全管理员"))
                    for name, category, position in people:
                        w.add(
                            Attendance,
                            session_id=session,
                            enterprise_id=e.id,
                            person_name=name,
                            category=category,
                            position=position,
                            phone="",
                            recorded_at=typed,
                        )
                w.add(
                    Attendance,
                    session_id=session,
                    enterprise_id=None,
                    person_name=unit.admin_name,
                    category=TraineeCategory.SUPERVISOR,
                    position="单位管理员",
                    phone="",
                    recorded_at=typed,
                )
            year += 1
    w.maybe_flush()


def _showcase(ctx: Context, rng, window) -> None:
    w = ctx.writer
    towns = list(Township.objects.values_list("pk", "name"))
    members = _members(ctx)
    recorders = ctx.levels or [ctx.root]
    for org in recorders:
        units = [u for u in ctx.units if u.parent_id == org.id] or ctx.units
        pool = [e for u in units for e in members.get(u.id, [])]
        if not pool:
            continue
        for _ in range(ri(rng, 3, 8)):
            day = rand_day(rng, window, ctx.today)
            category = pick(rng, list(ShowcaseCategory.values))
            level = pick(rng, [Level.COUNTY, Level.COUNTY, Level.CITY, Level.TOWNSHIP])
            data = {"unit_id": org.id, "category": category, "level": level, "recognised_on": day}
            if category == ShowcaseCategory.TOWN_CASE:
                town_id, town = pick(rng, towns)
                data.update(title=f"{town}安全生产标准化示范案例", township_id=town_id)
            else:
                candidates = [e for e in pool if e.operating_on(day)]
                if category == ShowcaseCategory.THOUSAND:
                    candidates = [e for e in candidates if e.size_on(day) != SizeClass.SMALL]
                if not candidates:
                    continue
                e = pick(rng, candidates)
                data.update(
                    title=f"{e.name}{ShowcaseCategory(category).label}",
                    enterprise_id=e.id,
                    size_class=e.size_on(day),
                )
                if category == ShowcaseCategory.POST:
                    data.update(post_type=pick(rng, list(PostType.values)), title=f"{e.name}仓储岗")
            typed, backdated = ctx.entry(rng, day)
            w.add(
                ShowcaseEntry,
                write_up="",
                recorded_at=typed,
                recorded_by_id=org.admin_id,
                backdated=backdated,
                **data,
            )


def _norms(ctx: Context, rng, window) -> None:
    w = ctx.writer
    for unit in ctx.units:
        for k in range(ri(rng, 0, 3)):
            day = rand_day(rng, window, ctx.today)
            kind = pick(rng, list(NormKind.values))
            typed, backdated = ctx.entry(rng, day)
            w.add(
                NormDocument,
                unit_id=unit.id,
                enterprise_id=None,
                kind=kind,
                title=f"{unit.name[:6]}{NormKind(kind).label}",
                version=f"{day.year}版",
                issued_on=day,
                is_revision=k > 0,
                note="",
                recorded_at=typed,
                recorded_by_id=unit.admin_id,
                backdated=backdated,
            )


def _enforcement(ctx: Context, rng) -> None:
    w = ctx.writer
    kinds, weights = [k for k, _ in ENFORCEMENT], [x for _, x in ENFORCEMENT]
    since = max(ctx.start, datetime.date(2024, 1, 1))
    for e in ctx.enterprises:
        first, last = ctx.active_span(e)
        first = max(first, since)
        if first > last:
            continue
        years = (last - first).days / 365.25
        for _ in range(int(0.03 * years + rng.random())):
            day = rand_day(rng, first, last)
            kind = rng.choices(kinds, weights)[0]
            typed, backdated = ctx.entry(rng, day)
            w.add(
                EnforcementAction,
                enterprise_id=e.id,
                kind=kind,
                authority=pick(rng, ["县应急管理局", "县市场监督管理局", e.unit_on(day).name]),
                action_on=day,
                basis="《安全生产法》",
                document_no=f"罚〔{day.year}〕{ri(rng, 1, 999)}号" if kind == EnforcementKind.FINE else "",
                amount=Decimal(ri(rng, 1, 50) * 1000) if kind == EnforcementKind.FINE else None,
                persons=ri(rng, 1, 2) if kind == EnforcementKind.JUDICIAL else None,
                description="",
                recorded_at=typed,
                recorded_by_id=None,
                backdated=backdated,
            )
        w.maybe_flush()


def _filings(ctx: Context, rng) -> None:
    w = ctx.writer
    filers = [*ctx.levels, *ctx.units]
    for campaign in Campaign.objects.filter(starts_on__lte=ctx.today, organization__isnull=True):
        requirements = list(Requirement.objects.filter(campaign=campaign, due__lte=ctx.today).order_by("due"))
        for unit in filers:
            for k in range(3):
                due = min(campaign.ends_on, add_days(campaign.starts_on, 60 * (k + 1)))
                done = due < ctx.today and rng.random() < 0.85
                w.add(
                    WorkTask,
                    unit_id=unit.id,
                    campaign_id=campaign.pk,
                    year=campaign.year,
                    title=["制定持续深化方案", "组织企业开展自评", "开展督导帮扶"][k],
                    owner=unit.admin_name or "负责人",
                    due=due,
                    status=TaskStatus.DONE if done else TaskStatus.DOING,
                    done_on=add_days(due, -ri(rng, 0, 10)) if done else None,
                    created_at=ctx.at(campaign.starts_on),
                )
            for req in requirements:
                if rng.random() > 0.9:
                    continue  # 逾期未报
                filed = add_days(req.due, -ri(rng, 0, 10) if rng.random() < 0.9 else ri(rng, 1, 10))
                filed = min(filed, ctx.today)
                filing_id = w.new_id(Filing)
                files = {}
                for attr, needed, label in (
                    ("scan_id", req.needs_scan, "盖章扫描件"),
                    ("editable_id", req.needs_editable, "电子文档"),
                ):
                    files[attr] = (
                        evidence(
                            ctx,
                            rng,
                            uploaded_by=unit.admin_id,
                            organization_id=unit.id,
                            owner_type="campaigns.filing",
                            owner_id=filing_id,
                            title=f"{req.title}（{label}）",
                            name=f"{label}.pdf",
                            uploaded_at=ctx.at(filed),
                        )
                        if needed
                        else None
                    )
                roll = rng.random()
                status = FilingStatus.ACCEPTED if roll < 0.7 else FilingStatus.SUBMITTED
                reviewed = (
                    ctx.at(min(ctx.today, add_days(filed, 3))) if status == FilingStatus.ACCEPTED else None
                )
                typed, backdated = ctx.entry(rng, filed)
                w.add(
                    Filing,
                    id=filing_id,
                    requirement_id=req.pk,
                    unit_id=unit.id,
                    filed_on=filed,
                    status=status,
                    note="",
                    reviewed_at=reviewed,
                    reviewed_by_id=ctx.root.admin_id if reviewed else None,
                    recorded_at=typed,
                    recorded_by_id=unit.admin_id,
                    backdated=backdated,
                    **files,
                )
    w.maybe_flush()
