"""Demo data of the campaign ledgers: the 2025 campaign with on-time, late, missing and returned filings,
letters at every stage, trainings with attendance, enforcement, showcase entries, 四项规范 and task lists."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from anbiao.campaigns import ledger_services, services
from anbiao.campaigns.choices import (
    DeliveryMethod,
    EnforcementKind,
    Level,
    NormKind,
    PostType,
    SessionKind,
    ShowcaseCategory,
    TaskStatus,
    TraineeCategory,
)
from anbiao.campaigns.models import (
    EnforcementAction,
    EnterpriseLetter,
    Filing,
    LetterEvent,
    NormDocument,
    ShowcaseEntry,
    TrainingSession,
)
from anbiao.campaigns.seed import ensure_2025

D = datetime.date


def _png():
    from anbiao.core.testing import png_bytes

    return SimpleUploadedFile(
        "盖章扫描件.png", png_bytes((24, 32), (240, 240, 240)), content_type="image/png"
    )


def _docx(title: str):
    from docx import Document

    doc = Document()
    doc.add_heading(title, level=1)
    doc.add_paragraph("（演示文档）")
    buf = io.BytesIO()
    doc.save(buf)
    return SimpleUploadedFile(f"{title}.docx", buf.getvalue())


def build(ctx) -> None:
    if Filing.objects.exists() or EnterpriseLetter.objects.exists():
        return
    campaign = ensure_2025()
    rng = ctx.rng
    scope = ctx.scope
    units = list(ctx.units.values())
    reqs = list(campaign.requirements.order_by("due", "order"))
    county_admin = ctx.users.get("county_admin")

    # Filings: most on time, some late, some missing, one returned and filed again.
    for ui, unit in enumerate(units):
        for ri, req in enumerate(reqs):
            if req.due > ctx.today:
                continue
            roll = (ui * 7 + ri * 3) % 10
            if roll == 9 and ri > 0:
                continue  # missing
            late_days = rng.randint(2, 20) if roll in (7, 8) else 0
            filed = min(
                req.due + datetime.timedelta(days=late_days - (0 if late_days else rng.randint(0, 6))),
                ctx.today,
            )
            filing = services.filing_submit(
                actor=None,
                scope=scope,
                requirement=req,
                unit=unit,
                filed_on=filed,
                scan=_png() if req.needs_scan else None,
                editable=_docx(req.title) if req.needs_editable else None,
            )
            if roll == 6:
                services.filing_review(
                    actor=county_admin,
                    scope=scope,
                    filing=filing,
                    verb="return",
                    reason="未加盖公章，请重新报送。",
                )
                if ui % 2 == 0:
                    services.filing_submit(
                        actor=None,
                        scope=scope,
                        requirement=req,
                        unit=unit,
                        filed_on=min(filed + datetime.timedelta(days=5), ctx.today),
                        scan=_png() if req.needs_scan else None,
                        editable=_docx(req.title) if req.needs_editable else None,
                    )
            elif roll < 5:
                services.filing_review(actor=county_admin, scope=scope, filing=filing, verb="accept")

    # Letters: generated for most enterprises (螺城 keeps some for the unit admin to do), at every stage.
    by_unit: dict[int, list] = {}
    for e in ctx.enterprises:
        if e.status != "closed":
            by_unit.setdefault(e.unit_id, []).append(e)
    lc = ctx.units.get("HA-LC")
    for unit_id, ents in by_unit.items():
        share = 0.5 if lc and unit_id == lc.pk else 0.92
        chosen = [e for e in ents if rng.random() < share]
        if not chosen:
            continue
        deadline = D(2025, 3, 31) if rng.random() < 0.7 else D(2025, 4, 30)
        letters = services.letters_generate(
            actor=None, scope=scope, campaign=campaign, enterprises=chosen, deadline=deadline
        )
        for letter in letters:
            if rng.random() < 0.1:
                continue
            on = D(2025, 1, 27) + datetime.timedelta(days=rng.randint(0, 25))
            services.letter_deliver(
                actor=None, scope=scope, letters=[letter], on=on, method=rng.choice(DeliveryMethod.values)
            )
            if rng.random() < 0.85:
                signed = on + datetime.timedelta(days=rng.randint(0, 10))
                services.letter_sign(
                    actor=None,
                    scope=scope,
                    letter=letter,
                    on=signed,
                    signer=letter.enterprise.legal_representative
                    or letter.enterprise.principal_name
                    or "法定代表人",
                    scan=_png(),
                )
                if rng.random() < 0.7:
                    services.letter_post(
                        actor=None,
                        scope=scope,
                        letter=letter,
                        on=signed + datetime.timedelta(days=rng.randint(0, 5)),
                    )

    # Training and 现场观摩 across 2024–2025, with attendance of the organiser's enterprises.
    topics = [
        (SessionKind.TRAINING, "全员安全生产责任制专题培训"),
        (SessionKind.TRAINING, "安全生产标准化自评实务培训"),
        (SessionKind.TRAINING, "隐患排查治理“三张清单”培训"),
        (SessionKind.TRAINING, "主要负责人和安全管理人员履职培训"),
        (SessionKind.SITE_VISIT, "标杆企业“5S”现场管理观摩"),
        (SessionKind.SITE_VISIT, "“六有”可视化警示标识现场观摩"),
    ]
    for i in range(14):
        unit = units[i % len(units)]
        kind, topic = topics[i % len(topics)]
        year = 2024 if i < 3 else 2025
        held = D(year, rng.randint(1, 11), rng.randint(1, 28))
        level = [Level.TOWNSHIP, Level.COUNTY, Level.CITY][i % 3]
        organizer = {
            Level.CITY: "泉州市供销合作社",
            Level.COUNTY: ctx.county.name,
            Level.TOWNSHIP: unit.name,
        }[level]
        session = ledger_services.session_create(
            actor=None,
            scope=scope,
            unit=unit,
            data={
                "kind": kind,
                "level": level,
                "organizer": organizer,
                "held_on": held,
                "topic": topic,
                "location": f"{unit.name}会议室" if kind == SessionKind.TRAINING else "示范企业现场",
                "targets": [TraineeCategory.PRINCIPAL, TraineeCategory.SAFETY_MANAGER],
            },
        )
        ents = by_unit.get(unit.pk, [])
        rows = []
        for e in rng.sample(ents, min(len(ents), rng.randint(3, 8))):
            rows.append(
                {
                    "enterprise": e,
                    "person_name": e.principal_name or "负责人",
                    "category": TraineeCategory.PRINCIPAL,
                }
            )
            if e.safety_officer_name and e.safety_officer_name != e.principal_name:
                rows.append(
                    {
                        "enterprise": e,
                        "person_name": e.safety_officer_name,
                        "category": TraineeCategory.SAFETY_MANAGER,
                    }
                )
        if rows:
            ledger_services.attendance_bulk_add(actor=None, scope=scope, session=session, rows=rows)

    # Enforcement and 约束激励.
    kinds = [
        (EnforcementKind.FINE, "惠安县应急管理局", Decimal("5000")),
        (EnforcementKind.FINE, "惠安县市场监督管理局", Decimal("12500.50")),
        (EnforcementKind.FINE, "惠安县消防救援大队", Decimal("30000")),
        (EnforcementKind.SUSPEND, "惠安县应急管理局", None),
        (EnforcementKind.LICENCE, "惠安县市场监督管理局", None),
        (EnforcementKind.CLOSE, "螺城镇人民政府", None),
        (EnforcementKind.JUDICIAL, "惠安县应急管理局", None),
        (EnforcementKind.EXPOSE, ctx.county.name, None),
        (EnforcementKind.INTERVIEW, ctx.county.name, None),
        (EnforcementKind.INTERVIEW, ctx.county.name, None),
        (EnforcementKind.INCENTIVE, ctx.county.name, None),
        (EnforcementKind.CONSTRAINT, ctx.county.name, None),
    ]
    live = [e for e in ctx.enterprises if e.status != "closed"]
    for i, (kind, authority, amount) in enumerate(kinds + kinds[:4]):
        ledger_services.enforcement_create(
            actor=None,
            scope=scope,
            data={
                "enterprise": live[(i * 7) % len(live)],
                "kind": kind,
                "authority": authority,
                "action_on": D(2025 if i > 2 else 2024, rng.randint(1, 11), rng.randint(1, 28)),
                "basis": "《中华人民共和国安全生产法》"
                if kind != EnforcementKind.INCENTIVE
                else "年度考核优秀",
                "document_no": f"惠应急罚〔2025〕{i + 1}号" if kind == EnforcementKind.FINE else "",
                "amount": amount,
                "persons": 1 if kind == EnforcementKind.JUDICIAL else None,
            },
        )

    # 十百千万 showcase.
    from anbiao.orgs.models import Township

    town = Township.objects.order_by("sort_order").first()
    entries = [
        (ShowcaseCategory.TOWN_CASE, Level.COUNTY, "螺城镇标准化示范片区", None, ""),
        (ShowcaseCategory.ENTERPRISE_CASE, Level.CITY, "百优企业案例", live[0 % len(live)], ""),
        (ShowcaseCategory.ENTERPRISE_CASE, Level.COUNTY, "百优企业案例", live[5 % len(live)], ""),
        (ShowcaseCategory.THOUSAND, Level.COUNTY, "千企达标评审", live[9 % len(live)], ""),
        (ShowcaseCategory.THOUSAND, Level.TOWNSHIP, "千企达标评审", live[13 % len(live)], ""),
        (ShowcaseCategory.POST, Level.COUNTY, "党员模范岗", live[2 % len(live)], PostType.PARTY),
        (ShowcaseCategory.POST, Level.TOWNSHIP, "工人先锋岗", live[4 % len(live)], PostType.WORKER),
        (ShowcaseCategory.POST, Level.TOWNSHIP, "青年突击手", live[6 % len(live)], PostType.YOUTH),
        (ShowcaseCategory.POST, Level.COUNTY, "巾帼能手", live[8 % len(live)], PostType.WOMEN),
    ]
    for i, (category, level, title, enterprise, post) in enumerate(entries):
        unit = enterprise.unit if enterprise else units[0]
        ledger_services.showcase_create(
            actor=None,
            scope=scope,
            unit=unit,
            data={
                "category": category,
                "level": level,
                "recognised_on": D(2025, 3 + i, 15),
                "title": f"{enterprise.name}{title}" if enterprise else title,
                "township": town if category == ShowcaseCategory.TOWN_CASE else None,
                "enterprise": enterprise,
                "post_type": post,
                "write_up": "坚持全员安全生产责任制，标准化运行良好。",
            },
        )

    # 四项规范.
    for i, (kind, label) in enumerate(NormKind.choices * 2):
        unit = units[i % len(units)]
        ledger_services.norm_create(
            actor=None,
            scope=scope,
            unit=unit,
            data={
                "kind": kind,
                "title": f"{unit.name}{label}",
                "version": "2025版" if i < 4 else "2025修订版",
                "issued_on": D(2025, 2 + i, 10),
                "is_revision": i >= 4,
            },
            upload=_docx(f"{unit.name}{label}"),
        )

    # 年度工作任务清单.
    plans = [
        ("制定本单位持续深化方案并报备", D(2025, 2, 10)),
        ("逐家送达告知书、签订承诺书", D(2025, 2, 10)),
        ("开展“回头看”评估，形成持续改进清单", D(2025, 3, 25)),
        ("组织重点企业督导帮扶", D(2025, 9, 30)),
        ("编制年度工作总结", D(2026, 1, 5)),
    ]
    for ui, unit in enumerate(units):
        for ti, (title, due) in enumerate(plans):
            done = (ui + ti) % 4 != 0
            services.task_create(
                actor=None,
                scope=scope,
                unit=unit,
                data={
                    "campaign": campaign,
                    "year": 2025,
                    "title": title,
                    "owner": unit.contact_person or "分管领导",
                    "due": due,
                    "status": TaskStatus.DONE if done else TaskStatus.DOING,
                    "done_on": due - datetime.timedelta(days=(ui + ti) % 5) if done else None,
                },
            )

    # The demo is typed in one go; only a few entries are shown as 补录 (typed well after the fact).
    for model in (Filing, TrainingSession, EnforcementAction, ShowcaseEntry, NormDocument, LetterEvent):
        model.objects.update(backdated=False)
    Filing.objects.filter(pk__in=Filing.objects.order_by("?").values("pk")[:3]).update(backdated=True)
