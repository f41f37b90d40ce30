"""全员责任制: departments, people, posts and who held them, list versions copied from the nearest templates,
the safety body, officers, rescue teams, certificates, and the annual assessments with scores and rewards."""

from __future__ import annotations

import datetime
from decimal import Decimal

from anbiao.duty import rules, selectors
from anbiao.duty.choices import CertificateKind, Employment, ListStatus, MemberRole, Outcome, PostLevel
from anbiao.duty.models import (
    AnnualAssessment,
    AssessItem,
    AssessmentScore,
    Certificate,
    Department,
    DutyItem,
    DutyList,
    Person,
    Post,
    PostHolding,
    RescueTeam,
    RescueTeamMember,
    SafetyBody,
    SafetyOfficer,
    ScoreDeduction,
)
from anbiao.perf.synth.context import Context, Ent, add_days, person_name, pick, rand_day, ri

BANDS_FROM = datetime.date(2021, 9, 1)  # the seeded 考核结果档次 are valid from this day
POST_NAMES = {
    PostLevel.PRINCIPAL: "主要负责人",
    PostLevel.SAFETY_BODY: "专职安全管理员",
    PostLevel.DEPUTY: "分管安全负责人",
    PostLevel.DEPARTMENT_HEAD: "部门负责人",
    PostLevel.EMPLOYEE: "仓管员",
    PostLevel.TEAM_LEADER: "班组长",
}


class Templates:
    """The nearest template per post level for each unit path (selectors.nearest_templates), cached."""

    def __init__(self):
        self.by_path: dict[str, dict] = {}

    def for_unit(self, path: str) -> dict:
        if path not in self.by_path:
            found = selectors.nearest_templates(path)
            self.by_path[path] = {
                level: (
                    tpl.pk,
                    [(i.text, i.basis) for i in tpl.duty_items.all()],
                    [(i.content, i.indicator, i.full_marks, i.scoring_rule) for i in tpl.assess_items.all()],
                )
                for level, tpl in found.items()
            }
        return self.by_path[path]


def build(ctx: Context) -> None:
    rng = ctx.rng("duty")
    templates = Templates()
    bands_cache: dict = {}

    def bands(day):
        if day not in bands_cache:
            bands_cache[day] = selectors.bands_on(day)
        return bands_cache[day]

    for n, e in enumerate(ctx.enterprises):
        _enterprise(ctx, rng, e, templates, bands)
        if n % 200 == 199:
            ctx.writer.maybe_flush()


def _enterprise(ctx: Context, rng, e: Ent, templates: Templates, bands) -> None:
    w = ctx.writer
    first, last = ctx.active_span(e)
    e.people = []
    e.principal_person = None
    if first > last:
        return
    size, employees = e.current[3], e.current[5]
    strict = e.current[6] or employees > 100
    # --- departments and people ------------------------------------------------------------------------
    depts = ["综合部"] + (["安全部", "仓储部"] if size != "small" else [])
    dept_ids = [w.add(Department, enterprise_id=e.id, name=d, sort_order=i) for i, d in enumerate(depts)]
    joined = min(e.registered_on, first)

    def person(name, dept, left=None):
        pid = w.add(
            Person,
            enterprise_id=e.id,
            name=name,
            phone=f"13{ri(rng, 100000000, 999999999)}",
            department_id=dept,
            is_active=left is None,
            joined_on=joined,
            left_on=left,
            created_at=ctx.at(first),
        )
        if left is None:
            e.people.append(pid)
        return pid

    principal = person(e.principal, dept_ids[0])
    e.principal_person = principal
    safety = person(e.safety, dept_ids[-1]) if e.safety else None
    staff = []
    for _ in range(min(max(employees - 2, 0), ri(rng, 2, 9 if size != "small" else 5))):
        left = None
        if rng.random() < 0.05 and (last - first).days > 120:
            left = rand_day(rng, add_days(first, 60), last)
        staff.append((person(person_name(rng), pick(rng, dept_ids), left), left))
    # --- posts, holders and list versions ----------------------------------------------------------------
    if rng.random() < 0.15:
        return  # has not set up its duty system in Anbiao yet
    established = rand_day(rng, first, min(last, add_days(first, 180)))
    posts = [(PostLevel.PRINCIPAL, [(principal, None)])]
    if safety:
        level = PostLevel.SAFETY_BODY if strict or size != "small" else PostLevel.DEPUTY
        posts.append((level, [(safety, None)]))
    if len(depts) > 1 and staff:
        posts.append((PostLevel.DEPARTMENT_HEAD, [staff[0]]))
    if len(staff) > 1:
        posts.append((PostLevel.EMPLOYEE, staff[1:3]))
    tpls = templates.for_unit(e.unit_on(established).path)
    skip_list = rng.random() < 0.12  # one post still without a list (the enterprise does not count)
    scored_posts = []
    for i, (level, holders) in enumerate(posts):
        post_id = w.add(
            Post,
            enterprise_id=e.id,
            department_id=dept_ids[0] if level in (PostLevel.PRINCIPAL, PostLevel.DEPUTY) else dept_ids[-1],
            name=POST_NAMES[level],
            level=level,
            established_on=established,
            created_at=ctx.at(established),
        )
        held = []
        for pid, left in holders:
            if left is not None and left <= established:
                continue
            w.add(
                PostHolding,
                post_id=post_id,
                person_id=pid,
                valid_from=established,
                valid_to=left,
                backdated=False,
                recorded_at=ctx.at(established),
            )
            held.append((pid, left))
        lists = []
        if not (skip_list and i == len(posts) - 1) and level in tpls:
            lists = _lists(ctx, rng, post_id, tpls[level], established, last)
        scored_posts.append((post_id, held, lists))
    # --- Art. 24 staffing, the safety body, rescue teams, certificates ------------------------------------
    if strict and rng.random() < 0.6:
        w.add(
            SafetyBody,
            enterprise_id=e.id,
            name=pick(rng, ["安全生产委员会", "安全管理部", "安全生产领导小组"]),
            document=f"{e.name[:4]}〔{established.year}〕{ri(rng, 1, 20)}号",
            valid_from=established,
            valid_to=None,
            backdated=False,
            recorded_at=ctx.at(established),
        )
    if safety or staff:
        officer = safety or staff[0][0]
        start = add_days(established, ri(rng, 0, 30))
        if start <= last:
            employment = Employment.FULL_TIME if (strict and rng.random() < 0.75) else Employment.PART_TIME
            end = None
            if rng.random() < 0.08 and (last - start).days > 200 and staff:
                end = rand_day(rng, add_days(start, 100), last)
            w.add(
                SafetyOfficer,
                enterprise_id=e.id,
                person_id=officer,
                employment=employment,
                valid_from=start,
                valid_to=end,
                appointment_document=f"任命〔{start.year}〕{ri(rng, 1, 9)}号",
                backdated=False,
                recorded_at=ctx.at(start),
            )
            if end is not None:
                replacement = next((p for p, left in staff if left is None and p != officer), None)
                if replacement is not None:
                    w.add(
                        SafetyOfficer,
                        enterprise_id=e.id,
                        person_id=replacement,
                        employment=employment,
                        valid_from=end,
                        valid_to=None,
                        backdated=False,
                        recorded_at=ctx.at(end),
                    )
    members = [p for p, left in staff if left is None]
    if len(members) >= 3 and rng.random() < 0.3:
        start = add_days(established, ri(rng, 10, 120))
        if start <= last:
            team = w.add(
                RescueTeam,
                enterprise_id=e.id,
                name="义务消防队" if rng.random() < 0.6 else "应急救援队",
                employment=Employment.PART_TIME if rng.random() < 0.9 else Employment.FULL_TIME,
                contact_name=e.safety or e.principal,
                valid_from=start,
                valid_to=None,
                backdated=False,
                recorded_at=ctx.at(start),
            )
            for k, pid in enumerate(members[: ri(rng, 3, 5)]):
                w.add(
                    RescueTeamMember,
                    team_id=team,
                    person_id=pid,
                    role=MemberRole.LEADER if k == 0 else MemberRole.MEMBER,
                    valid_from=start,
                    valid_to=None,
                    backdated=False,
                    recorded_at=ctx.at(start),
                )
    for pid, kind in (
        (principal, CertificateKind.PRINCIPAL_ASSESSMENT),
        (safety, CertificateKind.SAFETY_MANAGER_ASSESSMENT),
    ):
        if pid and rng.random() < 0.55:
            issued = rand_day(rng, add_days(first, -700), last)
            w.add(
                Certificate,
                person_id=pid,
                kind=kind,
                number=f"350{ri(rng, 10**11, 10**12 - 1)}",
                issuer="泉州市应急管理局",
                issued_on=issued,
                expires_on=add_days(issued, 3 * 365),
                created_at=ctx.at(max(issued, first)),
            )
    _annual_assessments(ctx, rng, e, scored_posts, established, last, bands)


def _lists(ctx: Context, rng, post_id: int, template, established, last):
    """Version 1 from the template (sometimes a revision later, sometimes a draft): returns
    [(list id, effective_from, superseded_on, assess items [(id, number, marks)])] of published versions."""
    w = ctx.writer
    tpl_id, duties, assess = template
    out = []
    effective = add_days(established, ri(rng, 5, 60))
    if effective > last:
        return out
    versions = [effective]
    if rng.random() < 0.25:
        second = add_days(effective, ri(rng, 200, 700))
        if second <= last:
            versions.append(second)
    for v, eff in enumerate(versions, start=1):
        superseded = versions[v] if v < len(versions) else None
        typed, backdated = ctx.entry(rng, eff)
        list_id = w.add(
            DutyList,
            post_id=post_id,
            version=v,
            status=ListStatus.SUPERSEDED if superseded else ListStatus.EFFECTIVE,
            template_id=tpl_id,
            effective_from=eff,
            superseded_on=superseded,
            published_on=eff,
            published_place=pick(rng, ["公示栏", "员工大会", "企业微信群"]),
            backdated=backdated,
            note="" if v == 1 else "按年度考核结果修订",
            created_at=typed,
        )
        items = _items(w, list_id, duties, assess)
        out.append((list_id, eff, superseded, items))
    if rng.random() < 0.03:
        draft = w.add(
            DutyList,
            post_id=post_id,
            version=len(versions) + 1,
            status=ListStatus.DRAFT,
            template_id=tpl_id,
            note="修订中",
            created_at=ctx.at(last),
        )
        _items(w, draft, duties, assess)
    return out


def _items(w, list_id, duties, assess):
    for number, (text, basis) in enumerate(duties, start=1):
        w.add(DutyItem, duty_list_id=list_id, number=number, text=text, basis=basis)
    items = []
    for number, (content, indicator, marks, rule) in enumerate(assess, start=1):
        item_id = w.add(
            AssessItem,
            duty_list_id=list_id,
            number=number,
            content=content,
            indicator=indicator,
            full_marks=marks,
            scoring_rule=rule,
        )
        items.append((item_id, number, marks))
    return items


def _annual_assessments(ctx: Context, rng, e: Ent, posts, established, last, bands) -> None:
    """年度考核 for some years: each holder scored against the list in force (rules.score), rewards paid."""
    w = ctx.writer
    if not any(lists for _, _, lists in posts):
        return
    for year in range(max(2021, established.year), ctx.today.year):
        if rng.random() > 0.55:
            continue
        started = datetime.date(year, 12, ri(rng, 1, 20))
        if started < BANDS_FROM or started < established or started > last:
            continue
        scores = []
        for post_id, held, lists in posts:
            scored = add_days(started, ri(rng, 1, 10))
            if scored > last:
                continue
            in_force = [x for x in lists if x[1] <= scored and (x[2] is None or x[2] > scored)]
            published = in_force or [x for x in lists if x[1] <= scored]
            if not published:
                continue
            list_id, _, _, items = published[-1]
            for pid, left in held:
                if left is not None and left <= scored:
                    continue
                points = {}
                reasons = {}
                for item_id, number, marks in items:
                    if rng.random() < 0.2:
                        d = Decimal(ri(rng, 1, max(1, int(marks) // 2)))
                        points[number] = min(d, Decimal(marks))
                        reasons[item_id] = (number, points[number])
                result = rules.score([(n, m) for _, n, m in items], points, bands(scored))
                scores.append((pid, post_id, list_id, scored, result, reasons))
        if not scores:
            continue
        completed = add_days(max(s[3] for s in scores), ri(rng, 1, 15))
        done = completed <= last
        typed, backdated = ctx.entry(rng, started)
        assessment = w.add(
            AnnualAssessment,
            enterprise_id=e.id,
            year=year,
            started_on=started,
            completed_on=completed if done else None,
            backdated=backdated,
            created_at=typed,
        )
        for pid, post_id, list_id, scored, result, reasons in scores:
            outcome, amount, decided, paid = Outcome.NONE, Decimal("0"), None, None
            if done:
                roll = rng.random()
                if roll < 0.3 and result.passed:
                    outcome, amount, decided = Outcome.REWARD, Decimal(ri(rng, 2, 30) * 100), completed
                    pay = add_days(decided, ri(rng, 0, 25))
                    paid = pay if pay <= last else None
                elif roll > 0.95:
                    outcome, amount, decided = Outcome.PENALTY, Decimal(ri(rng, 1, 5) * 100), completed
            score_id = w.add(
                AssessmentScore,
                assessment_id=assessment,
                person_id=pid,
                post_id=post_id,
                duty_list_id=list_id,
                scored_on=scored,
                assessor=e.principal,
                full_marks=result.full_marks,
                score=result.score,
                percent=result.percent,
                band=result.band,
                passed=result.passed,
                outcome=outcome,
                amount=amount,
                decided_on=decided,
                paid_on=paid,
                outcome_note="年度考核兑现" if outcome == Outcome.REWARD else "",
                created_at=ctx.at(scored),
            )
            for item_id, (_, pts) in reasons.items():
                w.add(
                    ScoreDeduction,
                    score_id=score_id,
                    item_id=item_id,
                    points=pts,
                    reason="检查发现未落实，扣分",
                )
