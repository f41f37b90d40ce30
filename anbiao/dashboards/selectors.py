"""Reads of the home-page dashboards (issue 9 part 7): per role, as of today, over the user's scope.

Every figure is counted with the owning module's selectors and list-filter definitions over
``Enterprise.objects.visible_to(scope)`` and carries the link to that module's own list page whose filters
show the rows behind it (``url``). A chart is a plain dict: ``data`` goes to the page through
``json_script`` for ``static/dashboards/dashboards.js``; ``table`` is the same figures as an accessible table
beneath the chart (phones, screen readers). The number of queries does not depend on the number of
enterprises or records (``tests/test_selectors.py`` asserts it).

Definitions, each the same as the list page the figure links to:

- 隐患 by month (last 12 months, by the month found): found = not voided (the 整改清单 excludes 误报作废),
  rectified = of those, 已销号 now; 整改率 = rectified / found over the 12 months; 逾期 = the hazard list's
  own ``overdue_q`` (open, not yet submitted for acceptance, past the deadline).
- 四色: ``risks.selectors.count_enterprises_by_colour`` (each visible enterprise's overall colour today);
  the list is the 企业四色等级 page filtered by colour.
- 达标: enterprises holding a grade valid today (``standards.selectors.valid_grades``) by type and level;
  the list is the 达标评审 records filtered by type, level and 有效.
- 星级, 自评覆盖率: the 标准化落实情况 overview's own annotations (``standards.selectors.overview``) over the
  operating enterprises: current star rating; a submitted self-assessment of this year.
- 专项行动: ``campaigns.selectors.unit_obligations`` (unit × deliverable timeliness) grouped by phase, and
  ``letter_progress`` / ``unit_letter_counts`` for 告知书 / 承诺书.
- Enterprise users: their open hazards by state and by deadline, active risk points by colour
  (``risks.selectors.level_counts``), their unread reminders (what ``anbiao_remind`` collected from every
  module's ``reminders`` hook).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from anbiao.campaigns import selectors as campaigns
from anbiao.campaigns.choices import Timeliness
from anbiao.core.models import Notification
from anbiao.core.roles import ENTERPRISE_ROLES, SUPERVISOR_ROLES
from anbiao.core.scope import Scope
from anbiao.dashboards.charts import (
    LEVEL_COLOURS,
    LEVEL_NAMES,
    STARS,
    TIMELINESS_COLOURS,
    bar_chart,
    cell,
    hazard_month_chart,
    last_months,
    letter_chart,
    link,
    percent,
    percent_text,
    pie_chart,
    self_assessment_chart,
    star_chart,
)
from anbiao.hazards.choices import OPEN_STATES, OVERDUE_STATES, State
from anbiao.hazards.filters import overdue_q
from anbiao.hazards.selectors import hazards_of
from anbiao.orgs.choices import Status
from anbiao.orgs.models import Enterprise, Organization
from anbiao.risks import selectors as risks
from anbiao.risks.choices import COLOUR_HEX, COLOUR_NAME, PointStatus
from anbiao.risks.choices import Level as RiskLevel
from anbiao.standards import selectors as standards
from anbiao.standards.choices import GradeType
from anbiao.standards.models import GradeRecord

SUBMITTED = {str(s) for s in standards.SUBMITTED}
KPI_ORDER = ("kpi-rate", "kpi-overdue", "kpi-letters", "kpi-coverage")
CHART_ORDER = ("campaign-phases", "letters", "hazard-months", "colours", "grades", "stars", "self-assessment")


# --- who gets which dashboard ----------------------------------------------------------------------------
def dashboard_for(user, scope: Scope, today: datetime.date | None = None) -> dict | None:
    """The supervisor dashboard for 县社/单位管理员 and 只读领导, the enterprise one for enterprise users,
    none for 网格员 and 专家 (their home page lists their assigned enterprises and plans) and for the
    安全/审计管理员 (no business data: least privilege)."""
    today = today or timezone.localdate()
    if scope.roles & SUPERVISOR_ROLES:
        return supervisor_dashboard(scope, today)
    if scope.roles & ENTERPRISE_ROLES:
        return enterprise_dashboard(user, scope, today)
    return None


def supervision_roots(scope: Scope) -> tuple[str, ...]:
    """The subtree roots of the user's unit roles (county / unit administrator, leader)."""
    paths = [g.org_path for g in scope.grants if g.role in SUPERVISOR_ROLES and g.org_path]
    return tuple(p for p in sorted(set(paths)) if not any(p != q and p.startswith(q) for q in paths))


def ranked_units(scope: Scope) -> list[Organization]:
    """The direct child units of the user's subtree roots (the rows of the per-unit ranking)."""
    roots = supervision_roots(scope)
    if not roots:
        return []
    return list(
        Organization.objects.visible_to(scope).filter(is_active=True, parent__path__in=roots).order_by("path")
    )


# --- supervisor ------------------------------------------------------------------------------------------
def supervisor_dashboard(scope: Scope, today: datetime.date) -> dict:
    enterprises = Enterprise.objects.visible_to(scope)
    units = ranked_units(scope)
    board: dict = {"kind": "supervisor", "today": today, "kpis": [], "charts": [], "ranking": None}
    per_unit: dict[str, dict] = {}
    if scope.has_perm("campaign.view"):
        _campaign_section(board, scope, today, units, per_unit)
    if scope.has_perm("hazard.view"):
        _hazard_section(board, enterprises, today, units, per_unit)
    if scope.has_perm("grade.view"):
        board["charts"].append(colour_chart(enterprises, today))
    if scope.has_perm("standards.view"):
        board["charts"].append(grade_chart(scope, today))
        _standards_section(board, enterprises, today, units, per_unit)
    board["charts"].sort(key=lambda c: CHART_ORDER.index(c["id"]))
    board["kpis"].sort(key=lambda k: KPI_ORDER.index(k["testid"]))
    if len(units) >= 2 and per_unit:
        board["ranking"] = ranking(units, per_unit)
        board["charts"].append(board["ranking"]["chart"])
    return board


def _campaign_section(board, scope, today, units, per_unit) -> None:
    campaign = campaigns.pick_campaign(None)
    if campaign is None:
        return
    board["campaign"] = campaign
    board["charts"].append(phase_chart(scope, campaign, today))
    progress = campaigns.letter_progress(scope=scope, campaign=campaign, as_of=today)
    board["charts"].append(letter_chart(campaign, progress))
    board["kpis"].append(
        {
            "label": "签订承诺书企业",
            "value": f"{progress['signed']}/{progress['total']}",
            "note": f"函告 {progress['delivered']} 家",
            "url": link("campaigns:letter_list", campaign=campaign.pk, state="signed"),
            "testid": "kpi-letters",
        }
    )
    counts = campaigns.unit_letter_counts(scope=scope, campaign=campaign, as_of=today)
    for unit in units:
        if unit.pk in counts:
            per_unit.setdefault(unit.path, {})["letters"] = {
                **counts[unit.pk],
                "url": link("campaigns:letter_list", campaign=campaign.pk, unit=unit.pk, state="signed"),
            }


def phase_chart(scope: Scope, campaign, today: datetime.date) -> dict:
    """Per phase: how many unit × deliverable obligations are 按时 / 逾期报送 / 被退回 / 逾期未报 / 未到期."""
    rows = campaigns.unit_obligations(scope=scope, campaign=campaign, as_of=today)
    phases = list(campaign.phases.all())
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Timeliness.values, 0))
    for row in rows:
        for c in row["cells"]:
            counts[c["requirement"].phase_id][c["timeliness"]] += 1
    columns = [(p.pk, p.name, f"{p.deadline:%Y-%m-%d}前") for p in phases]
    if None in counts:
        columns.append((None, "未分阶段", ""))
    order = [Timeliness.ON_TIME, Timeliness.LATE, Timeliness.RETURNED, Timeliness.MISSING, Timeliness.PENDING]
    labels = dict(Timeliness.choices)
    series = [
        {
            "name": str(labels[state]),
            "color": TIMELINESS_COLOURS[state],
            "cells": [
                cell(counts[pk][state], link("campaigns:board", campaign=campaign.pk, phase=pk))
                for pk, _, _ in columns
            ],
        }
        for state in order
    ]
    return bar_chart(
        "campaign-phases",
        f"专项行动阶段进度：{campaign.name}",
        [name for _, name, _ in columns],
        series,
        row_notes=[note for _, _, note in columns],
        axis="阶段",
        horizontal=True,
        stacked=True,
        note=f"各单位各报送事项的报送情况（单位×事项），截至 {today:%Y-%m-%d}。",
    )


def hazard_rows(enterprises, start: datetime.date, today: datetime.date) -> list[tuple]:
    """(month, unit path, found, rectified) of the hazards found in [start, today], not voided: one query."""
    return list(
        hazards_of(enterprises)
        .filter(found_on__range=(start, today))
        .exclude(state=State.VOIDED)
        .annotate(month=TruncMonth("found_on"))
        .order_by()
        .values_list("month", "enterprise__unit__path")
        .annotate(found=Count("id"), rectified=Count("id", filter=Q(state=State.CLOSED)))
    )


def overdue_by_unit(enterprises, today: datetime.date) -> dict[str, int]:
    """Overdue hazards (the hazard list's ``overdue=true``) per enterprise unit path: one query."""
    return dict(
        hazards_of(enterprises)
        .filter(overdue_q(today))
        .order_by()
        .values_list("enterprise__unit__path")
        .annotate(n=Count("id"))
    )


def _hazard_section(board, enterprises, today, units, per_unit) -> None:
    months = last_months(today)
    start = months[0][0]
    found: dict[datetime.date, int] = defaultdict(int)
    rectified: dict[datetime.date, int] = defaultdict(int)
    by_path: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for month, path, f, r in hazard_rows(enterprises, start, today):
        key = month.date() if isinstance(month, datetime.datetime) else month
        found[key] += f
        rectified[key] += r
        by_path[path][0] += f
        by_path[path][1] += r
    overdue = overdue_by_unit(enterprises, today)
    board["charts"].append(hazard_month_chart(months, found, rectified))
    total_found, total_rectified = sum(found.values()), sum(rectified.values())
    rate = percent(total_rectified, total_found)
    board["hazards"] = {
        "found": total_found,
        "rectified": total_rectified,
        "rate": rate,
        "overdue": sum(overdue.values()),
    }
    board["kpis"].append(
        {
            "label": "近12个月隐患整改率",
            "value": percent_text(rate),
            "note": f"发现 {total_found} 条，已销号 {total_rectified} 条",
            "url": link("hazards:rectification_list", found_after=start, found_before=today),
            "testid": "kpi-rate",
        }
    )
    board["kpis"].append(
        {
            "label": "逾期未整改隐患",
            "value": str(sum(overdue.values())),
            "note": "超过整改期限仍未提交验收",
            "url": link("hazards:hazard_list", overdue="true"),
            "testid": "kpi-overdue",
            "danger": bool(sum(overdue.values())),
        }
    )
    for unit in units:
        mine = [v for p, v in by_path.items() if p.startswith(unit.path)]
        f = sum(v[0] for v in mine)
        r = sum(v[1] for v in mine)
        window = {"unit": unit.pk, "found_after": start, "found_before": today}
        per_unit.setdefault(unit.path, {})["hazards"] = {
            "found": f,
            "rectified": r,
            "rate": percent(r, f),
            "overdue": sum(n for p, n in overdue.items() if p.startswith(unit.path)),
            "found_url": link("hazards:rectification_list", **window),
            "rectified_url": link("hazards:rectification_list", **window, state=State.CLOSED.value),
            "overdue_url": link("hazards:hazard_list", unit=unit.pk, overdue="true"),
        }


def colour_chart(enterprises, today: datetime.date) -> dict:
    counts = risks.count_enterprises_by_colour(enterprises, today)
    labels = dict(RiskLevel.choices)
    slices = [
        {
            "name": f"{COLOUR_NAME[level]}色（{labels[level]}）",
            "color": COLOUR_HEX[level],
            "cell": cell(counts[level], link("risks:grade_list", level=level.value)),
        }
        for level in RiskLevel
    ]
    graded = sum(counts.values())
    return pie_chart(
        "colours",
        "企业安全风险四色等级",
        slices,
        axis="四色等级",
        note=f"已评定 {graded} 家企业的综合四色等级（截至今日）。",
    )


def grade_chart(scope: Scope, today: datetime.date) -> dict:
    """Enterprises holding a 达标 grade valid today, by type (国标/省标/地标) and level."""
    rows = (
        standards.valid_grades(GradeRecord.objects.visible_to(scope), today)
        .order_by()
        .values_list("grade_type", "level")
        .annotate(n=Count("enterprise", distinct=True))
    )
    counts = {(t, lv): n for t, lv, n in rows}
    types = list(GradeType.choices)
    series = []
    for level in (1, 2, 3, None):
        cells = []
        for t, _ in types:
            n = counts.get((t, level), 0)
            if n == 0 and (t == GradeType.LOCAL) != (level is None):
                cells.append(cell(0, "", "—"))  # 地标 不分级; 国标/省标 are graded 一级–三级
            else:
                cells.append(cell(n, link("standards:grade_list", grade_type=t, level=level, state="valid")))
        series.append({"name": LEVEL_NAMES[level], "color": LEVEL_COLOURS[level], "cells": cells})
    return bar_chart(
        "grades",
        "标准化达标企业（按达标类型和等级）",
        [str(label) for _, label in types],
        series,
        axis="达标类型",
        stacked=True,
        note="持有今日有效达标证书的企业数；地标不分级。",
    )


def _standards_section(board, enterprises, today, units, per_unit) -> None:
    operating = enterprises.filter(status=Status.OPERATING)
    rows = list(
        standards.overview(operating, today).order_by().values_list("unit__path", "sa_status", "stars")
    )
    star_counts = dict.fromkeys((*STARS, None), 0)
    assessed = 0
    for _path, sa_status, stars in rows:
        star_counts[stars if stars in star_counts else None] += 1
        assessed += sa_status in SUBMITTED
    total = len(rows)
    board["charts"].append(star_chart(star_counts))
    board["charts"].append(self_assessment_chart(assessed, total, today))
    coverage = percent(assessed, total)
    board["kpis"].append(
        {
            "label": f"{today.year}年自评覆盖率",
            "value": percent_text(coverage),
            "note": f"在营企业 {total} 家，已自评 {assessed} 家",
            "url": link("standards:overview", assessed="1"),
            "testid": "kpi-coverage",
        }
    )
    for unit in units:
        mine = [r for r in rows if r[0].startswith(unit.path)]
        done = sum(1 for r in mine if r[1] in SUBMITTED)
        per_unit.setdefault(unit.path, {})["standards"] = {
            "operating": len(mine),
            "assessed": done,
            "coverage": percent(done, len(mine)),
            "operating_url": link("standards:overview", unit=unit.pk),
            "assessed_url": link("standards:overview", unit=unit.pk, assessed="1"),
        }


def ranking(units: list[Organization], per_unit: dict[str, dict]) -> dict:
    """Per direct child unit: 整改率, 逾期, 自评覆盖率, 承诺书; ranked by 整改率, then 自评覆盖率."""
    rows = []
    for unit in units:
        data = per_unit.get(unit.path, {})
        rows.append({"unit": unit, **data})

    def key(row):
        rate = row.get("hazards", {}).get("rate")
        coverage = row.get("standards", {}).get("coverage")
        return (
            -(rate if rate is not None else -1),
            -(coverage if coverage is not None else -1),
            row["unit"].path,
        )

    rows.sort(key=key)
    for n, row in enumerate(rows, start=1):
        row["rank"] = n
    names = [row["unit"].name for row in rows]
    series = []
    if any("hazards" in r for r in rows):
        series.append(
            {
                "name": "隐患整改率",
                "color": "#198754",
                "cells": [
                    cell(
                        r["hazards"]["rate"],
                        r["hazards"]["found_url"],
                        percent_text(r["hazards"]["rate"]),
                    )
                    for r in rows
                ],
            }
        )
    if any("standards" in r for r in rows):
        series.append(
            {
                "name": "自评覆盖率",
                "color": "#0d6efd",
                "cells": [
                    cell(
                        r["standards"]["coverage"],
                        r["standards"]["operating_url"],
                        percent_text(r["standards"]["coverage"]),
                    )
                    for r in rows
                ],
            }
        )
    chart = bar_chart(
        "ranking",
        "下级单位排名",
        names,
        series,
        axis="单位",
        horizontal=True,
        unit="%",
        note="按近12个月隐患整改率排序，其次按本年度自评覆盖率。",
    )
    chart["table"] = None  # the figures and their links are in the ranking table under the charts
    chart["note"] += "各单位的数字及明细链接见下方“下级单位明细”。"
    return {"chart": chart, "rows": rows, "has_letters": any("letters" in r for r in rows)}


# --- enterprise ------------------------------------------------------------------------------------------
def enterprise_dashboard(user, scope: Scope, today: datetime.date) -> dict:
    enterprises = Enterprise.objects.visible_to(scope)
    board: dict = {"kind": "enterprise", "today": today, "kpis": [], "charts": []}
    if scope.has_perm("hazard.view"):
        hazards = hazards_of(enterprises)
        by_state = dict(
            hazards.filter(state__in=OPEN_STATES).order_by().values_list("state").annotate(n=Count("id"))
        )
        overdue = hazards.filter(overdue_q(today)).count()
        open_count = sum(by_state.values())
        board["kpis"].append(
            {
                "label": "逾期未整改隐患",
                "value": str(overdue),
                "note": "超过整改期限仍未提交验收",
                "url": link("hazards:hazard_list", overdue="true"),
                "testid": "kpi-overdue",
                "danger": bool(overdue),
            }
        )
        labels = dict(State.choices)
        states = [State.REGISTERED, State.PENDING, State.RECTIFYING, State.AWAITING]
        board["charts"].append(
            bar_chart(
                "open-hazards",
                f"未销号隐患 {open_count} 条（按状态）",
                [str(labels[s]) for s in states],
                [
                    {
                        "name": "隐患数",
                        "color": "#fd7e14",
                        "cells": [
                            cell(by_state.get(s.value, 0), link("hazards:hazard_list", state=s.value))
                            for s in states
                        ],
                    }
                ],
                axis="状态",
            )
        )
        board["deadlines"] = [
            {
                "hazard": h,
                "overdue": h.state in OVERDUE_STATES and h.deadline is not None and h.deadline < today,
            }
            for h in hazards.filter(state__in=OPEN_STATES)
            .select_related("enterprise")
            .order_by(F("deadline").asc(nulls_last=True), "found_on", "id")[:10]
        ]
        board["open_hazards"] = open_count
    if scope.has_perm("risk.view"):
        points = risks.point_list(scope=scope).select_related(None).only("level", "status")
        counts = risks.level_counts(points)
        labels = dict(RiskLevel.choices)
        board["charts"].append(
            pie_chart(
                "risk-points",
                "风险点四色分级",
                [
                    {
                        "name": f"{COLOUR_NAME[level]}色（{labels[level]}）",
                        "color": COLOUR_HEX[level],
                        "cell": cell(
                            counts[level],
                            link("risks:point_list", level=level.value, status=PointStatus.ACTIVE.value),
                        ),
                    }
                    for level in RiskLevel
                ],
                axis="风险等级",
                note="在用且已评估的风险点。",
            )
        )
        review_overdue = (
            risks.point_list(scope=scope).filter(next_review_on__lt=today, status=PointStatus.ACTIVE).count()
        )
        board["kpis"].append(
            {
                "label": "逾期未复评风险点",
                "value": str(review_overdue),
                "note": "超过下次复评日期",
                "url": link("risks:point_list", overdue="true"),
                "testid": "kpi-review",
                "danger": bool(review_overdue),
            }
        )
    board["duties"] = list(
        Notification.objects.filter(user=user, read_at__isnull=True).order_by(
            F("due").asc(nulls_last=True), "-id"
        )[:8]
    )
    return board
