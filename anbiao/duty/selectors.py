"""Reads and counts for 全员责任制. Every selector that counts takes ``as_of`` (and a window where the notice
sets one), so a report for a past quarter gives what it gave then (architecture §6a).

Quarterly-table cells (report-tables.md) served here:

季报表(一) 落实全员安全生产责任制 — rolling since 2021-08, as of the quarter's last day:
- 建立全员责任制及其考核清单(家): ``enterprises_with_duty_lists``
- 依法依规设置安全生产管理机构(家): ``enterprises_with_safety_body``
- 依法依规配备专兼职安全生产管理人员 企业数量(家) / 人员数量(人): ``enterprises_with_safety_officers`` /
  ``count_safety_officers``
- 依法依规建立专兼职应急救援队伍 企业数量(家) / 人员数量(人): ``enterprises_with_rescue_teams`` /
  ``count_rescue_team_members``

季报表(三) 落实全员责任制年度考核 — cumulative within [start, end]:
- 企业数量(家): ``enterprises_assessed``
- 兑现奖励企业数量(家): ``enterprises_paid_rewards``
- 兑现奖励资金(万元): ``reward_funds_wan``
- 获得奖励岗位(个): ``count_posts_rewarded``
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat

from anbiao.core.money import wan_yuan
from anbiao.duty.choices import Employment, ListStatus, Outcome, PostLevel
from anbiao.duty.models import (
    AnnualAssessment,
    AssessmentScore,
    Certificate,
    DutyList,
    DutyTemplate,
    Person,
    Post,
    PostHolding,
    RescueTeam,
    RescueTeamMember,
    ResultBand,
    SafetyBody,
    SafetyOfficer,
    StaffingRule,
)
from anbiao.duty.models.base import current_on
from anbiao.duty.rules import Band, StaffingThresholds, art24_check
from anbiao.orgs.models import EnterpriseState

TABLE1_SINCE = datetime.date(2021, 8, 1)
TABLE3_SINCE = datetime.date(2025, 1, 1)
EXPIRY_WARNING_DAYS = 60


# --- catalogue data valid on a date ------------------------------------------------------------------------
def staffing_rule_on(day: datetime.date) -> StaffingThresholds:
    row = (
        StaffingRule.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .order_by("-valid_from")
        .first()
    )
    if row is None:
        return StaffingThresholds()
    return StaffingThresholds(
        row.headcount_threshold, row.strict_min_full_time, row.basic_min_officers, row.source
    )


def bands_on(day: datetime.date) -> list[Band]:
    rows = ResultBand.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )
    return [Band(r.label, r.min_score, r.passed) for r in rows]


# --- posts, holders, lists ----------------------------------------------------------------------------------
def _active_posts(day):
    return Q(established_on__lte=day) & (Q(abolished_on__isnull=True) | Q(abolished_on__gt=day))


def _effective_lists(day, prefix=""):
    return (
        Q(**{f"{prefix}status__in": [ListStatus.EFFECTIVE, ListStatus.SUPERSEDED]})
        & Q(**{f"{prefix}effective_from__lte": day})
        & (Q(**{f"{prefix}superseded_on__isnull": True}) | Q(**{f"{prefix}superseded_on__gt": day}))
    )


def effective_list(post: Post, day: datetime.date) -> DutyList | None:
    return DutyList.objects.filter(post=post).filter(_effective_lists(day)).order_by("-version").first()


def holders_on(posts, day: datetime.date) -> dict[int, list[PostHolding]]:
    """Current holdings of each post on ``day`` (one query)."""
    out: dict[int, list[PostHolding]] = {}
    qs = PostHolding.objects.filter(post__in=posts).filter(current_on(day)).select_related("person")
    for h in qs.order_by("valid_from", "id"):
        out.setdefault(h.post_id, []).append(h)
    return out


def posts_with_status(enterprise, day: datetime.date):
    """The enterprise's posts (active on ``day`` first) with their current list version and holders."""
    posts = list(
        Post.objects.filter(enterprise=enterprise)
        .select_related("department")
        .order_by("abolished_on", "level", "name")
    )
    lists = {}
    for dl in DutyList.objects.filter(post__in=posts).filter(_effective_lists(day)).order_by("version"):
        lists[dl.post_id] = dl
    drafts = set(
        DutyList.objects.filter(post__in=posts, status=ListStatus.DRAFT).values_list("post_id", flat=True)
    )
    holders = holders_on(posts, day)
    for p in posts:
        p.current_list = lists.get(p.pk)
        p.has_draft = p.pk in drafts
        p.current_holders = holders.get(p.pk, [])
        p.active_on_day = p.established_on <= day and (p.abolished_on is None or p.abolished_on > day)
    return posts


def ancestor_paths(path: str) -> list[str]:
    """``000001.000004.`` → ["000001.", "000001.000004."]."""
    parts = [p for p in path.split(".") if p]
    return [".".join(parts[: i + 1]) + "." for i in range(len(parts))]


def templates_for_path(path: str):
    """Templates offered at a unit path: the system's and those kept by the unit or any unit above it."""
    return (
        DutyTemplate.objects.filter(is_active=True)
        .filter(Q(organization__isnull=True) | Q(organization__path__in=ancestor_paths(path)))
        .select_related("organization")
        .prefetch_related("duty_items", "assess_items")
    )


def nearest_templates(path: str) -> dict[str, DutyTemplate]:
    """Per post level, the template kept nearest to ``path`` (a unit's own beats its parent's beats the
    system's)."""
    best: dict[str, DutyTemplate] = {}
    for tpl in templates_for_path(path):
        depth = len(tpl.organization.path) if tpl.organization_id else -1
        current = best.get(tpl.level)
        current_depth = (len(current.organization.path) if current.organization_id else -1) if current else -2
        if depth > current_depth or (depth == current_depth and tpl.pk > current.pk):
            best[tpl.level] = tpl
    return best


# --- enterprise status (one query for any number of enterprises) --------------------------------------------
def _count(model_qs, field="enterprise"):
    return Coalesce(
        Subquery(
            model_qs.values(field).annotate(c=Count("person", distinct=True)).values("c")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_duty_status(enterprises, day: datetime.date):
    """Annotate enterprises with what the duty selectors and the supervisor view need, as of ``day``.

    Adds: ``posts_n``, ``has_principal_post``, ``posts_missing_list``, ``lists_complete``, ``has_body``,
    ``full_time_n``, ``part_time_n``, ``officers_n``, ``teams_n``, ``team_members_n``, ``assessed_year``
    (the annual assessment of ``day.year - 1`` or ``day.year`` completed by ``day``), ``art24_ok``.
    """
    rule = staffing_rule_on(day)
    posts = Post.objects.filter(enterprise=OuterRef("pk")).filter(_active_posts(day))
    lists = DutyList.objects.filter(post=OuterRef("pk")).filter(_effective_lists(day))
    officers = SafetyOfficer.objects.filter(enterprise=OuterRef("pk")).filter(current_on(day))
    members = RescueTeamMember.objects.filter(team__enterprise=OuterRef("pk")).filter(
        current_on(day), current_on(day, "team__")
    )
    qs = enterprises.annotate(
        posts_n=Coalesce(
            Subquery(
                posts.values("enterprise").annotate(c=Count("id")).values("c")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        has_principal_post=Exists(posts.filter(level=PostLevel.PRINCIPAL)),
        posts_missing_list=Exists(posts.annotate(ok=Exists(lists)).filter(ok=False)),
        has_body=Exists(SafetyBody.objects.filter(enterprise=OuterRef("pk")).filter(current_on(day))),
        full_time_n=_count(officers.filter(employment=Employment.FULL_TIME)),
        part_time_n=_count(officers.filter(employment=Employment.PART_TIME)),
        teams_n=Coalesce(
            Subquery(
                RescueTeam.objects.filter(enterprise=OuterRef("pk"))
                .filter(current_on(day))
                .values("enterprise")
                .annotate(c=Count("id"))
                .values("c")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        team_members_n=_count(members, "team__enterprise"),
        assessed_year=Exists(
            AnnualAssessment.objects.filter(
                enterprise=OuterRef("pk"), completed_on__lte=day, year__gte=day.year - 1
            )
        ),
    )
    # Art. 24 reads the headcount and the 危险物品 flag the enterprise had on ``day`` (its dated state).
    state = EnterpriseState.objects.filter(enterprise=OuterRef("pk"), valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )
    strict = Q(dangerous_on_day=True) | Q(employees_on_day__gt=rule.headcount_threshold)
    return qs.annotate(
        officers_n=F("full_time_n") + F("part_time_n"),
        employees_on_day=Coalesce(Subquery(state.values("employee_count")[:1]), F("employee_count")),
        dangerous_on_day=Coalesce(
            Subquery(state.values("handles_dangerous_goods")[:1]), F("handles_dangerous_goods")
        ),
    ).annotate(
        lists_complete=_bool(Q(has_principal_post=True, posts_missing_list=False)),
        art24_ok=_bool(
            (strict & (Q(has_body=True) | Q(full_time_n__gte=rule.strict_min_full_time)))
            | (~strict & Q(officers_n__gte=rule.basic_min_officers))
        ),
    )


def _bool(q):
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


# --- 季报表(一) cells ---------------------------------------------------------------------------------------
def enterprises_with_duty_lists(enterprises, as_of: datetime.date):
    """建立全员责任制及其考核清单(家): enterprises that on ``as_of`` have a 主要负责人 post and, for every
    active
    post, an effective version of its 责任清单 + 考核清单."""
    return with_duty_status(enterprises, as_of).filter(lists_complete=True)


def enterprises_with_safety_body(enterprises, as_of: datetime.date):
    """依法依规设置安全生产管理机构(家): enterprises with a 安全生产管理机构 set up and not dissolved on
    ``as_of``."""
    return enterprises.filter(
        Exists(SafetyBody.objects.filter(enterprise=OuterRef("pk")).filter(current_on(as_of)))
    )


def enterprises_with_safety_officers(enterprises, as_of: datetime.date):
    """依法依规配备专兼职安全生产管理人员 企业数量(家): enterprises that on ``as_of`` have at least one 专职
    or
    兼职 安全生产管理人员 appointed and whose staffing meets the Art. 24 rule valid on that day."""
    return with_duty_status(enterprises, as_of).filter(officers_n__gt=0, art24_ok=True)


def count_safety_officers(enterprises, as_of: datetime.date) -> int:
    """依法依规配备专兼职安全生产管理人员 人员数量(人): distinct people appointed on ``as_of`` in the
    enterprises
    counted by ``enterprises_with_safety_officers``."""
    ids = enterprises_with_safety_officers(enterprises, as_of).values("pk")
    return (
        SafetyOfficer.objects.filter(enterprise__in=ids)
        .filter(current_on(as_of))
        .values("person")
        .distinct()
        .count()
    )


def enterprises_with_rescue_teams(enterprises, as_of: datetime.date):
    """依法依规建立专兼职应急救援队伍 企业数量(家): enterprises with a 专职 or 兼职 team that exists on
    ``as_of``
    and has at least one member on that day."""
    members = RescueTeamMember.objects.filter(team__enterprise=OuterRef("pk")).filter(
        current_on(as_of), current_on(as_of, "team__")
    )
    return enterprises.filter(Exists(members))


def count_rescue_team_members(enterprises, as_of: datetime.date) -> int:
    """依法依规建立专兼职应急救援队伍 人员数量(人): distinct people who are members of such a team on
    ``as_of``."""
    return (
        RescueTeamMember.objects.filter(team__enterprise__in=enterprises.values("pk"))
        .filter(current_on(as_of), current_on(as_of, "team__"))
        .values("person")
        .distinct()
        .count()
    )


# --- 季报表(三) cells ---------------------------------------------------------------------------------------
def _paid_rewards(enterprises, start, end):
    return AssessmentScore.objects.filter(
        assessment__enterprise__in=enterprises.values("pk"),
        outcome=Outcome.REWARD,
        paid_on__gte=start,
        paid_on__lte=end,
    )


def enterprises_assessed(enterprises, start: datetime.date, end: datetime.date):
    """落实全员责任制年度考核 企业数量(家): enterprises that concluded an annual assessment within [start,
    end]."""
    return enterprises.filter(
        Exists(
            AnnualAssessment.objects.filter(
                enterprise=OuterRef("pk"), completed_on__gte=start, completed_on__lte=end
            )
        )
    )


def enterprises_paid_rewards(enterprises, start: datetime.date, end: datetime.date):
    """兑现奖励企业数量(家): enterprises that paid an assessment reward within [start, end]."""
    return enterprises.filter(pk__in=_paid_rewards(enterprises, start, end).values("assessment__enterprise"))


def reward_funds_wan(enterprises, start: datetime.date, end: datetime.date) -> Decimal:
    """兑现奖励资金(万元): rewards paid within [start, end], entered in 元, in 万元 to four decimals."""
    total = _paid_rewards(enterprises, start, end).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return wan_yuan(total)


def count_posts_rewarded(enterprises, start: datetime.date, end: datetime.date) -> int:
    """获得奖励岗位(个): posts rewarded (reward paid within [start, end]); a post rewarded in two years counts
    twice, several holders of one post rewarded in one assessment count once."""
    return _paid_rewards(enterprises, start, end).values("assessment_id", "post_id").distinct().count()


# --- the same cells, counted together (the report's fast path) ---------------------------------------------
def duty_counts(enterprises, as_of: datetime.date) -> dict[str, int]:
    """The 季报表(一) duty cells in four queries: ``lists`` (``enterprises_with_duty_lists``), ``body``
    (``enterprises_with_safety_body``), ``officers`` / ``officer_people``
    (``enterprises_with_safety_officers`` / ``count_safety_officers``), ``rescue`` / ``rescue_people``
    (``enterprises_with_rescue_teams`` / ``count_rescue_team_members``).

    The staffing rule, one row of facts per enterprise, one per current officer and one per current
    rescue-team member are read, and Art. 24 is judged by ``rules.art24_check`` (the rule
    ``with_duty_status`` states in SQL): far less SQL to build than annotating the full status, the same
    numbers (anbiao/perf/tests/test_floor.py compares every cell with its definition).
    """
    rule = staffing_rule_on(as_of)
    posts = Post.objects.filter(enterprise=OuterRef("pk")).filter(_active_posts(as_of))
    lists = DutyList.objects.filter(post=OuterRef("pk")).filter(_effective_lists(as_of))
    state = EnterpriseState.objects.filter(enterprise=OuterRef("pk"), valid_from__lte=as_of).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=as_of)
    )
    rows = (
        enterprises.order_by()
        .annotate(
            _principal=Exists(posts.filter(level=PostLevel.PRINCIPAL)),
            _missing=Exists(posts.annotate(ok=Exists(lists)).filter(ok=False)),
            _body=Exists(SafetyBody.objects.filter(enterprise=OuterRef("pk")).filter(current_on(as_of))),
            _employees=Coalesce(Subquery(state.values("employee_count")[:1]), F("employee_count")),
            _dangerous=Coalesce(
                Subquery(state.values("handles_dangerous_goods")[:1]), F("handles_dangerous_goods")
            ),
        )
        .values_list("pk", "_principal", "_missing", "_body", "_employees", "_dangerous")
    )
    officers: dict[int, dict[str, set]] = {}
    current = (
        SafetyOfficer.objects.filter(enterprise__in=enterprises.order_by().values("pk"))
        .filter(current_on(as_of))
        .order_by()
    )
    for enterprise_id, person_id, employment in current.values_list(
        "enterprise_id", "person_id", "employment"
    ):
        officers.setdefault(enterprise_id, {}).setdefault(employment, set()).add(person_id)
    rescuers: dict[int, set] = {}
    members = (
        RescueTeamMember.objects.filter(team__enterprise__in=enterprises.order_by().values("pk"))
        .filter(current_on(as_of), current_on(as_of, "team__"))
        .order_by()
    )
    for enterprise_id, person_id in members.values_list("team__enterprise_id", "person_id"):
        rescuers.setdefault(enterprise_id, set()).add(person_id)
    counts = {"lists": 0, "body": 0, "officers": 0, "rescue": len(rescuers)}
    people: set[int] = set()
    for pk, principal, missing, body, employees, dangerous in rows:
        counts["lists"] += bool(principal and not missing)
        counts["body"] += bool(body)
        held = officers.get(pk, {})
        full_time = len(held.get(Employment.FULL_TIME, ()))
        part_time = len(held.get(Employment.PART_TIME, ()))
        if (
            full_time + part_time
            and art24_check(
                dangerous_goods=bool(dangerous),
                employees=employees,
                has_body=bool(body),
                full_time=full_time,
                part_time=part_time,
                rule=rule,
            ).compliant
        ):
            counts["officers"] += 1
            for persons in held.values():
                people |= persons
    counts["officer_people"] = len(people)
    counts["rescue_people"] = len(set().union(*rescuers.values()))
    return counts


def assessment_counts(enterprises, start: datetime.date, end: datetime.date) -> dict:
    """The 季报表(三) 年度考核 cells in two queries: ``assessed`` (``enterprises_assessed``); and, over the
    rewards paid in the window, ``rewarded`` (``enterprises_paid_rewards``), ``funds_wan``
    (``reward_funds_wan``) and ``posts`` (``count_posts_rewarded``: distinct (assessment, post) pairs)."""
    pair = Concat(Cast("assessment_id", CharField()), Value("-"), Cast("post_id", CharField()))
    paid = _paid_rewards(enterprises, start, end).aggregate(
        rewarded=Count("assessment__enterprise", distinct=True),
        total=Sum("amount"),
        posts=Count(pair, distinct=True),
    )
    return {
        "assessed": enterprises_assessed(enterprises, start, end).count(),
        "rewarded": paid["rewarded"],
        "funds_wan": wan_yuan(paid["total"] or Decimal("0")),
        "posts": paid["posts"],
    }


# --- 两个关键少数 -------------------------------------------------------------------------------------------
def key_people(people, day: datetime.date):
    """People who on ``day`` hold a 主要负责人 post or a 安全生产管理人员 appointment, with certificates."""
    principal = PostHolding.objects.filter(person=OuterRef("pk"), post__level=PostLevel.PRINCIPAL).filter(
        current_on(day)
    )
    officer = SafetyOfficer.objects.filter(person=OuterRef("pk")).filter(current_on(day))
    return people.annotate(is_principal=Exists(principal), is_officer=Exists(officer)).filter(
        Q(is_principal=True) | Q(is_officer=True)
    )


def certificate_state(cert: Certificate, day: datetime.date) -> str:
    if cert.expires_on is None:
        return "valid"
    if cert.expires_on < day:
        return "expired"
    if cert.expires_on <= day + datetime.timedelta(days=EXPIRY_WARNING_DAYS):
        return "due"
    return "valid"


def required_certificate_kind(is_principal: bool) -> str:
    from anbiao.duty.choices import CertificateKind

    return CertificateKind.PRINCIPAL_ASSESSMENT if is_principal else CertificateKind.SAFETY_MANAGER_ASSESSMENT


def person_counts(enterprise) -> dict:
    return {"people": Person.objects.filter(enterprise=enterprise, is_active=True).count()}


def latest_published_list(post: Post) -> DutyList | None:
    return post.lists.exclude(status=ListStatus.DRAFT).order_by("-version").first()
