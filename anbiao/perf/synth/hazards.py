"""Inspections against the starter checklists (every item recorded, 不符合 → 隐患), hazards registered
directly and through internal reports, each moved along the closed loop (workflow.TRANSITIONS) as far as
its age allows, 挂牌督办 of major hazards, inspection plans, and the internal-report channels with rewards.

A hazard's ``state`` is the ``to_state`` of its last timeline event (hazards.selectors.state_on), its dates
follow the events (rectified_on = the last submit, accepted_on = the accept), and an overdue hazard is one
still open past its deadline, exactly as the services would leave it.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

from django.db import transaction

from anbiao.core.scope import system_scope
from anbiao.hazards.choices import (
    SOURCE_OF_INSPECTION,
    SUPERVISOR_SOURCES,
    HazardKind,
    InspectionKind,
    Level,
    Outcome,
    ReportStatus,
    Source,
    State,
)
from anbiao.hazards.models import (
    ChecklistTemplate,
    ChecklistVersion,
    Hazard,
    HazardCriterion,
    HazardEvent,
    HazardListing,
    Inspection,
    InspectionPlan,
    InspectionResult,
    InternalReport,
    ReportingChannel,
)
from anbiao.hazards.services.inspections import KIND_OF_CATEGORY
from anbiao.hazards.services.library import library_load
from anbiao.orgs.models import Organization
from anbiao.perf.synth import names
from anbiao.perf.synth.context import Context, Ent, add_days, person_name, pick, rand_day, ri, spread
from anbiao.perf.synth.evidence import evidence

TEMPLATE_OF_INDUSTRY = {"agri_inputs": "农资", "fireworks": "烟花爆竹", "fuel": "加油站", "logistics": "冷库"}
KINDS = [
    (InspectionKind.SELF, 50),
    (InspectionKind.UNIT, 25),
    (InspectionKind.COUNTY, 5),
    (InspectionKind.EXPERT, 5),
    (InspectionKind.GRID, 12),
    (InspectionKind.ENFORCEMENT, 3),
]
FIVE_MINUTES = [datetime.timedelta(minutes=5 * k + 1) for k in range(16)]
PLAN = {
    "plan_goal": "消除重大事故隐患，恢复安全运营",
    "plan_method": "停用相关区域，更换设施，全面排查同类问题",
    "plan_resources": "专项资金，物资已采购",
    "plan_organisation": "主要负责人牵头，安全管理员具体负责",
    "plan_schedule": "按督办期限完成",
    "plan_safety": "整改期间设置警戒区，落实应急处置措施",
}


def poisson(rng, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class Library:
    """The starter checklists (loaded for the synthetic root through the library service), by name."""

    def __init__(self, ctx: Context):
        root = Organization.objects.get(pk=ctx.root.id)
        with transaction.atomic():
            library_load(actor=None, scope=system_scope(root.path), organization=root)
            # the library was loaded when the system started: the versions are dated then
            ChecklistVersion.objects.filter(template__organization=root, number__isnull=False).update(
                published_at=ctx.at(add_days(ctx.start, -1))
            )
        self.templates = {}
        for t in ChecklistTemplate.objects.filter(organization=root):
            version = t.versions.filter(number__isnull=False).order_by("-number").first()
            items = [(i.pk, i.category, i.content, i.criterion_id, i.order) for i in version.all_items()]
            self.templates[t.name] = (t.pk, version.pk, items)
        self.general = next(v for k, v in self.templates.items() if k.startswith("商贸"))
        self.grid = next((v for k, v in self.templates.items() if "网格员" in k), self.general)
        self.nine_small = next((v for k, v in self.templates.items() if "九小" in k), self.general)

    def pick(self, e: Ent):
        word = TEMPLATE_OF_INDUSTRY.get(e.industry)
        if word:
            for name, t in self.templates.items():
                if word in name:
                    return t
        return self.nine_small if e.nine_small else self.general


def build(ctx: Context) -> None:
    rng = ctx.rng("hazards")
    lib = Library(ctx)
    majors = list(HazardCriterion.objects.filter(is_major=True, is_active=True).values_list("pk", flat=True))
    c = ctx.counts
    weights = []
    for e in ctx.enterprises:
        first, last = ctx.active_span(e)
        years = max(0.0, (last - first).days / 365.25)
        factor = {"above_scale": 2.5, "medium": 1.5}.get(e.current[3], 1.0)
        weights.append(years * factor * rng.uniform(0.5, 1.5))
    inspections = spread(rng, c.inspections, weights)
    hazards = spread(rng, c.hazards, weights)
    codes = (
        {u.id: u.code for u in ctx.units} | {u.id: u.code for u in ctx.levels} | {ctx.root.id: ctx.root.code}
    )
    admins = {u.id: (u.admin_id, u.admin_name) for u in [*ctx.units, *ctx.levels, ctx.root]}
    gen = Generator(ctx, rng, lib, majors, codes, admins)
    for n, e in enumerate(ctx.enterprises):
        gen.enterprise(e, inspections[n], hazards[n])
        if n % 100 == 99:
            ctx.writer.maybe_flush()


class Generator:
    def __init__(self, ctx: Context, rng, lib: Library, majors, codes, admins):
        self.ctx = ctx
        self.rng = rng
        self.lib = lib
        self.majors = majors
        self.codes = codes
        self.admins = admins
        self.notice_seq: dict[tuple, int] = {}
        self.w = ctx.writer
        # the most numerous rows, in their columns' order (HazardEvent: id first)
        self.event = self.w.maker(
            HazardEvent,
            [
                "hazard_id",
                "verb",
                "from_state",
                "to_state",
                "occurred_on",
                "backdated",
                "note",
                "actor_id",
                "actor_name",
                "at",
            ],
        )
        self.result = self.w.maker(
            InspectionResult, ["inspection_id", "item_id", "outcome", "location", "note", "hazard_id"]
        )

    # --- per enterprise ---------------------------------------------------------------------------------
    def enterprise(self, e: Ent, n_inspections: int, n_hazards: int) -> None:
        ctx, rng = self.ctx, self.rng
        first, last = ctx.active_span(e)
        if first > last:
            return
        specs: list[dict] = []
        results: list[list] = []
        mean_fails = min(4.0, 0.4 * n_hazards / max(n_inspections, 1))
        kinds, kind_weights = [k for k, _ in KINDS], [w for _, w in KINDS]
        for _ in range(n_inspections):
            kind = rng.choices(kinds, kind_weights)[0]
            self.inspection(e, kind, rand_day(rng, first, last), mean_fails, specs, results)
        if rng.random() < 0.03:
            self.future_plan(e, last)
        self.internal_reports(e, first, last, specs)
        for _ in range(max(0, n_hazards - len(specs))):
            specs.append(self.direct_hazard(e, rand_day(rng, first, last)))
        specs.sort(key=lambda s: s["found_on"])
        seq: dict[int, int] = {}
        for spec in specs:
            year = spec["found_on"].year
            seq[year] = seq.get(year, 0) + 1
            spec["code"] = f"YH{year}-{seq[year]:04d}"
            spec["id"] = self.hazard(e, spec)
        w = self.w
        result = self.result
        for inspection_id, item_id, outcome, location, note, spec in results:
            result(inspection_id, item_id, outcome, location, note, spec["id"] if spec else None)
        for spec in specs:
            report = spec.get("report")
            if report is not None:
                report["hazard_id"] = spec["id"]
                w.add(InternalReport, **report)

    # --- inspections ------------------------------------------------------------------------------------
    def inspector(self, e: Ent, kind: str, day: datetime.date):
        """(organization id, inspectors text, (user id, name) of who recorded it) for ``kind`` on ``day``."""
        unit = e.unit_on(day)
        if kind == InspectionKind.SELF:
            return None, e.safety, (e.safety_user, e.safety)
        org = (unit.county_id or unit.id) if kind == InspectionKind.COUNTY else unit.id
        admin_id, admin_name = self.admins[org]
        label = {
            InspectionKind.UNIT: f"{admin_name}、{person_name(self.rng)}",
            InspectionKind.COUNTY: f"{admin_name}、{person_name(self.rng)}",
            InspectionKind.EXPERT: f"专家 {person_name(self.rng)}",
            InspectionKind.GRID: f"网格员 {person_name(self.rng)}",
            InspectionKind.ENFORCEMENT: f"执法人员 {person_name(self.rng)}、{person_name(self.rng)}",
        }[kind]
        return org, label, (admin_id, admin_name)

    def inspection(self, e: Ent, kind, day, mean_fails, specs, results) -> None:
        ctx, rng, w = self.ctx, self.rng, self.w
        template_id, version_id, items = self.lib.grid if kind == InspectionKind.GRID else self.lib.pick(e)
        org, inspectors, recorder = self.inspector(e, kind, day)
        created_by = recorder[0]
        draft = (ctx.today - day).days < 20 and rng.random() < 0.05
        plan_id = None
        if kind == InspectionKind.UNIT and rng.random() < 0.3:
            plan_id = w.add(
                InspectionPlan,
                organization_id=org,
                enterprise_id=e.id,
                kind=kind,
                planned_on=add_days(day, -ri(rng, 0, 5)),
                assignee_id=created_by,
                template_id=template_id,
                note="季度例行检查",
                created_at=ctx.at(add_days(day, -20)),
            )
        typed, _ = ctx.entry(rng, day, 0.02)
        inspection_id = w.new_id(Inspection)
        fails: list = []
        if not draft:
            plain = [it for it in items if it[3] is None]
            marked = [it for it in items if it[3] is not None]
            k = min(len(plain), poisson(rng, mean_fails))
            fails = rng.sample(plain, k)
            if marked and rng.random() < 0.004 * max(1, k):
                fails.append(pick(rng, marked))  # a cited 判定标准 article: a 重大隐患
        deadline = add_days(day, pick(rng, [15, 15, 30])) if kind != InspectionKind.SELF else None
        notice_no = ""
        if kind != InspectionKind.SELF and fails:
            key = (org, day.year)
            self.notice_seq[key] = self.notice_seq.get(key, 0) + 1
            notice_no = f"ZG{day.year}-{self.codes[org]}-{self.notice_seq[key]:03d}"
        w.add(
            Inspection,
            id=inspection_id,
            enterprise_id=e.id,
            kind=kind,
            organization_id=org,
            inspected_on=day,
            inspectors=inspectors[:200],
            version_id=version_id,
            status=Inspection.Status.DRAFT if draft else Inspection.Status.DONE,
            summary="" if draft else ("发现问题已下达整改通知" if fails else "未发现问题"),
            notice_no=notice_no,
            plan_id=plan_id,
            created_by_id=created_by,
            created_at=typed,
            completed_at=None if draft else typed,
        )
        if draft:
            return
        failed_ids = {it[0] for it in fails}
        for item_id, category, content, criterion_id, _order in items:
            if item_id in failed_ids:
                location, note = pick(rng, names.LOCATIONS), pick(rng, names.NOTES)
                spec = {
                    "source": SOURCE_OF_INSPECTION[kind],
                    "kind": KIND_OF_CATEGORY.get(category, HazardKind.THING),
                    "location": location,
                    "description": f"{content}——{note}",
                    "found_on": day,
                    "found_by_name": inspectors[:100],
                    "criterion_id": criterion_id,
                    "checklist_item_id": item_id,
                    "inspection_id": inspection_id,
                    # citing a major article makes it 重大 (rules.decide_level without a requested level)
                    "level": Level.MAJOR if criterion_id else Level.GENERAL,
                    "deadline": deadline,
                    "recorder": recorder,
                }
                specs.append(spec)
                results.append([inspection_id, item_id, Outcome.FAIL, location, note, spec])
            else:
                outcome = Outcome.PASS if rng.random() < 0.9 else Outcome.NA
                results.append([inspection_id, item_id, outcome, "", "", None])

    def future_plan(self, e: Ent, last) -> None:
        unit = e.unit_on(last)
        day = add_days(self.ctx.today, ri(self.rng, -20, 40))
        self.w.add(
            InspectionPlan,
            organization_id=unit.id,
            enterprise_id=e.id,
            kind=InspectionKind.UNIT,
            planned_on=day,
            assignee_id=unit.admin_id,
            template_id=self.lib.general[0],
            note="季度例行检查",
            created_at=self.ctx.at(add_days(self.ctx.today, -30)),
        )

    # --- hazards not from inspections -------------------------------------------------------------------
    def direct_hazard(self, e: Ent, day) -> dict:
        rng = self.rng
        major = rng.random() < 0.002 and self.majors
        return {
            "source": Source.SELF if rng.random() < 0.94 else Source.TIP_OFF,
            "kind": pick(
                rng, [HazardKind.THING, HazardKind.THING, HazardKind.BEHAVIOUR, HazardKind.MANAGEMENT]
            ),
            "location": pick(rng, names.LOCATIONS),
            "description": pick(rng, names.NOTES),
            "found_on": day,
            "found_by_name": e.safety,
            "recorder": (e.safety_user, e.safety),
            "criterion_id": pick(rng, self.majors) if major else None,
            "level": Level.MAJOR if major else Level.GENERAL,
        }

    def internal_reports(self, e: Ent, first, last, specs) -> None:
        ctx, rng, w = self.ctx, self.rng, self.w
        share = {"above_scale": 0.7, "medium": 0.45}.get(e.current[3], 0.25)
        if rng.random() > share:
            return
        established = rand_day(rng, first, last)
        channel_id = w.new_id(ReportingChannel)
        doc = evidence(
            ctx,
            rng,
            uploaded_by=e.unit_on(established).admin_id,
            enterprise_id=e.id,
            owner_type="hazards.reportingchannel",
            owner_id=channel_id,
            title="内部报告奖励制度",
            name="内部报告奖励制度.pdf",
            uploaded_at=ctx.at(established),
        )
        w.add(
            ReportingChannel,
            id=channel_id,
            enterprise_id=e.id,
            token=f"{rng.getrandbits(128):032x}",
            is_open=True,
            established_on=established,
            rule="经核实属实的一般隐患奖励50元，重大隐患奖励500元",
            document_id=doc,
            created_at=ctx.at(established),
        )
        years = (last - established).days / 365.25
        for _ in range(poisson(rng, 0.8 * years)):
            day = rand_day(rng, established, last)
            received = ctx.at(day, ri(rng, 8, 21), ri(rng, 0, 59))
            reporter = person_name(rng) if rng.random() < 0.7 else ""
            report = {
                "enterprise_id": e.id,
                "description": pick(rng, names.NOTES),
                "location": pick(rng, names.LOCATIONS),
                "reporter_name": reporter,
                "received_at": received,
                "status": ReportStatus.NEW,
            }
            age = (ctx.today - day).days
            if age < 3 or rng.random() < 0.05:
                w.add(InternalReport, **report)
                continue
            handled = min(ctx.today, add_days(day, ri(rng, 0, 3)))
            if rng.random() < 0.2:
                report.update(
                    status=ReportStatus.REJECTED,
                    reject_reason="现场核实不存在该问题",
                    handled_on=handled,
                    handled_by_id=e.safety_user,
                )
                w.add(InternalReport, **report)
                continue
            report.update(status=ReportStatus.VERIFIED, handled_on=handled, handled_by_id=e.safety_user)
            paid = add_days(day, ri(rng, 5, 20))
            if rng.random() < 0.75 and paid <= ctx.today:
                report.update(
                    reward_amount=Decimal(pick(rng, [50, 50, 100, 200, 500])),
                    reward_paid_on=paid,
                    reward_paid_by="财务 " + person_name(rng),
                )
            specs.append(
                {
                    "source": Source.INTERNAL,
                    "kind": pick(rng, [HazardKind.THING, HazardKind.BEHAVIOUR]),
                    "location": report["location"],
                    "description": report["description"],
                    "found_on": day,
                    "found_by_name": reporter or "匿名职工",
                    "recorder": (e.safety_user, e.safety),
                    "level": Level.GENERAL,
                    "report": report,
                }
            )

    # --- one hazard along the loop ----------------------------------------------------------------------
    def hazard(self, e: Ent, spec: dict) -> int:
        ctx, rng, w = self.ctx, self.rng, self.w
        today = ctx.today
        found = spec["found_on"]
        pk = w.new_id(Hazard)
        major = spec["level"] == Level.MAJOR
        supervised = spec["source"] in SUPERVISOR_SOURCES
        recorder = spec["recorder"]
        rectifier = (e.safety_user, e.safety)
        # supervisor-found hazards are accepted by the supervising side; the enterprise's own by its principal
        acceptor = recorder if supervised else (e.principal_user, e.principal)
        fields = {
            "id": pk,
            "enterprise_id": e.id,
            "code": spec["code"],
            "source": spec["source"],
            "kind": spec["kind"],
            "location": spec["location"],
            "description": spec["description"],
            "level": spec["level"],
            "criterion_id": spec.get("criterion_id"),
            "checklist_item_id": spec.get("checklist_item_id"),
            "inspection_id": spec.get("inspection_id"),
            "found_on": found,
            "found_by_name": spec["found_by_name"],
            "state": State.REGISTERED,
            "deadline": spec.get("deadline"),
            "created_by_id": recorder[0],
        }
        events = [("register", "", State.REGISTERED, found, recorder, "")]
        age = (today - found).days

        def step(verb, source, target, day, who, note=""):
            events.append((verb, source, target, day, who, note))
            fields["state"] = target

        if age > 3 and rng.random() < 0.02 and not major:
            voided = add_days(found, ri(rng, 1, min(10, age)))
            fields.update(voided_on=voided, void_reason="复查确认为误报")
            step("void", State.REGISTERED, State.VOIDED, voided, rectifier, "复查确认为误报")
        elif rng.random() < (0.02 if age < 180 else 0.002):
            pass  # never graded: still 登记 (overdue once a supervisor's deadline passes)
        elif (assigned := add_days(found, pick(rng, [0, 0, 1, 1, 2, 3, 5]))) <= today:
            deadline = fields["deadline"] or add_days(
                found, ri(rng, 30, 90) if major else pick(rng, [7, 15, 15, 30])
            )
            responsible = e.safety if e.safety != acceptor[1] else f"{e.safety}（安全员）"
            fields.update(
                responsible_person=responsible,
                measures=pick(rng, names.MEASURES),
                deadline=deadline,
                funds=Decimal(pick(rng, [0, 200, 500, 1200, 3000, 8000 if major else 600])),
                acceptor_name=acceptor[1],
            )
            if major:
                fields.update(
                    PLAN,
                    reported_on=add_days(found, 1),
                    stop_scope="partial",
                    level_reason="属于重大事故隐患判定标准情形",
                )
            step("assign", State.REGISTERED, State.PENDING, assigned, rectifier)
            self._progress(fields, events, step, assigned, major, rectifier, acceptor)
        self._write(e, fields, events)
        if major:
            self._listing(e, fields)
        return pk

    def _progress(self, fields, events, step, assigned, major, rectifier, acceptor):
        rng, today = self.rng, self.ctx.today
        found = fields["found_on"]
        age = (today - found).days
        stuck = rng.random() < (0.08 if age < 365 else 0.012)
        if rng.random() < 0.7:
            started = add_days(assigned, ri(rng, 0, 2))
            if started > today:
                return
            step("start", State.PENDING, State.RECTIFYING, started, rectifier)
        if stuck:
            return  # still 待整改 / 整改中 (overdue once the deadline passes)
        source = fields["state"]
        submitted = add_days(found, ri(rng, 20, 80) if major else ri(rng, 2, 25))
        submitted = max(submitted, events[-1][3])  # steps never go back in time (services.hazards._event)
        if submitted > today:
            return
        note = "已按措施整改完毕，现场复查合格"
        step("submit", source, State.AWAITING, submitted, rectifier, note)
        fields.update(rectified_on=submitted, rectification_note=note, rectified_by_id=rectifier[0])
        if rng.random() < 0.04:
            rejected = add_days(submitted, ri(rng, 1, 3))
            if rejected > today:
                return
            step("reject", State.AWAITING, State.RECTIFYING, rejected, acceptor, "整改不到位，请重新整改")
            again = add_days(rejected, ri(rng, 2, 10))
            if again > today:
                return
            step("submit", State.RECTIFYING, State.AWAITING, again, rectifier, note)
            fields.update(rectified_on=again)
        if rng.random() < 0.01:
            return  # 待验收 for a long time
        accepted = add_days(fields["rectified_on"], ri(rng, 0, 6))
        if accepted > today:
            return
        step("accept", State.AWAITING, State.CLOSED, accepted, acceptor, "整改到位")
        fields.update(accepted_on=accepted, acceptance_note="整改到位", accepted_by_id=acceptor[0])

    def _write(self, e: Ent, fields: dict, events: list) -> None:
        ctx, rng, w = self.ctx, self.rng, self.w
        last_day = events[-1][3]
        late = rng.random() < 0.03 and last_day < ctx.today
        typed_day = min(ctx.today, add_days(last_day, ri(rng, 1, 10))) if late else None
        stamps = []
        event = self.event
        hazard_id = fields["id"]
        for k, (verb, source, target, day, (actor_id, actor_name), note) in enumerate(events):
            at = ctx.at(typed_day or day, 9) + FIVE_MINUTES[k]
            stamps.append(at)
            backdated = bool(typed_day and day < typed_day)
            event(hazard_id, verb, source, target, day, backdated, note, actor_id, actor_name or "系统", at)
        w.add(Hazard, created_at=stamps[0], updated_at=stamps[-1], **fields)

    def _listing(self, e: Ent, fields: dict) -> None:
        """重大隐患挂牌督办 while it is still open; 摘牌 after 销号."""
        ctx, rng = self.ctx, self.rng
        if fields["state"] == State.VOIDED or rng.random() > 0.7:
            return
        listed = add_days(fields["found_on"], ri(rng, 1, 5))
        if listed > ctx.today or (fields.get("accepted_on") and listed >= fields["accepted_on"]):
            return
        unit = e.unit_on(listed)
        org = unit.county_id if (unit.county_id and rng.random() < 0.4) else unit.id
        delisted = None
        if fields["state"] == State.CLOSED:
            day = add_days(fields["accepted_on"], ri(rng, 0, 10))
            delisted = day if day <= ctx.today else None
        self.w.add(
            HazardListing,
            hazard_id=fields["id"],
            organization_id=org,
            document_no=f"督〔{listed.year}〕{ri(rng, 1, 99)}号",
            listed_on=listed,
            deadline=add_days(listed, 60),
            requirements="制定治理方案，落实停用措施，限期整改并书面报告",
            delisted_on=delisted,
            delist_note="经现场核查整改到位，同意摘牌" if delisted else "",
            created_at=ctx.at(listed),
        )
