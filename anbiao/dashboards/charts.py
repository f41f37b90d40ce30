"""The dashboards' charts as plain data: what ``static/dashboards/dashboards.js`` draws (``data``, passed with
``json_script``) and the same figures as a table under the chart (``table``), each figure with the link to the
list page that shows its rows. Pure functions of figures already counted by ``selectors``."""

from __future__ import annotations

import calendar
import datetime
from urllib.parse import urlencode

from django.urls import reverse

from anbiao.campaigns.choices import Timeliness

GREY = "#adb5bd"
TIMELINESS_COLOURS = {
    Timeliness.ON_TIME: "#198754",
    Timeliness.LATE: "#fd7e14",
    Timeliness.RETURNED: "#6f42c1",
    Timeliness.MISSING: "#dc3545",
    Timeliness.PENDING: GREY,
}
LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", None: "不分级"}
LEVEL_COLOURS = {1: "#0a3622", 2: "#198754", 3: "#75b798", None: "#a3cfbb"}
STARS = (5, 4, 3, 2, 1)


def link(name: str, *args, **params) -> str:
    """``reverse(name)`` with the list filters as its query string (empty values left out)."""
    url = reverse(name, args=args)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{query}" if query else url


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def percent_text(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def last_months(today: datetime.date, n: int = 12) -> list[tuple[datetime.date, datetime.date]]:
    """The ``n`` calendar months ending with ``today``'s month: (first day, last day), oldest first."""
    index = today.year * 12 + today.month - 1
    months = []
    for i in range(index - n + 1, index + 1):
        year, month = divmod(i, 12)
        month += 1
        months.append(
            (datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1]))
        )
    return months


def cell(value, url: str = "", text: str | None = None) -> dict:
    return {"value": value, "url": url, "text": str(value) if text is None else text}


def bar_chart(
    chart_id: str,
    title: str,
    categories: list[str],
    series: list[dict],
    *,
    axis: str,
    horizontal: bool = False,
    stacked: bool = False,
    unit: str = "",
    note: str = "",
    row_notes: list[str] | None = None,
) -> dict:
    """``series``: [{"name", "color", "cells": [cell(...) per category]}]; ``row_notes``: a second line
    under a table row's label (what the chart's axis has no room for)."""
    return {
        "id": chart_id,
        "json_id": f"{chart_id}-data",
        "title": title,
        "note": note,
        "empty": not any(c["value"] for s in series for c in s["cells"]),
        "data": {
            "type": "hbar" if horizontal else "bar",
            "stacked": stacked,
            "unit": unit,
            "categories": categories,
            "series": [
                {
                    "name": s["name"],
                    "color": s["color"],
                    "data": [{"value": c["value"] or 0, "url": c["url"]} for c in s["cells"]],
                }
                for s in series
            ],
        },
        "table": {
            "head": [axis, *[s["name"] for s in series]],
            "rows": [
                {
                    "label": label,
                    "note": row_notes[i] if row_notes else "",
                    "cells": [s["cells"][i] for s in series],
                }
                for i, label in enumerate(categories)
            ],
        },
    }


def pie_chart(chart_id: str, title: str, slices: list[dict], *, axis: str, note: str = "") -> dict:
    """``slices``: [{"name", "color", "cell": cell(...)}]."""
    total = sum(s["cell"]["value"] for s in slices)
    return {
        "id": chart_id,
        "json_id": f"{chart_id}-data",
        "title": title,
        "note": note,
        "empty": not total,
        "data": {
            "type": "pie",
            "series": [
                {
                    "name": title,
                    "data": [
                        {
                            "name": s["name"],
                            "value": s["cell"]["value"],
                            "url": s["cell"]["url"],
                            "color": s["color"],
                        }
                        for s in slices
                    ],
                }
            ],
        },
        "table": {
            "head": [axis, "数量", "占比"],
            "rows": [
                {
                    "label": s["name"],
                    "cells": [s["cell"], cell(None, text=percent_text(percent(s["cell"]["value"], total)))],
                }
                for s in slices
            ],
        },
    }


def letter_chart(campaign, progress: dict) -> dict:
    """告知书 / 承诺书 of the enterprises that should get them (``campaigns.selectors.letter_progress``):
    signed, delivered but not signed, not delivered (the letter list's 尚未送达, letters not yet generated
    included)."""
    signed = progress["signed"]
    delivered_only = max(progress["delivered"] - signed, 0)
    not_delivered = max(progress["total"] - progress["delivered"], 0)
    base = {"campaign": campaign.pk}
    slices = [
        {
            "name": "已签订承诺书",
            "color": "#198754",
            "cell": cell(signed, link("campaigns:letter_list", **base, state="signed")),
        },
        {
            "name": "已送达未签订",
            "color": "#ffc107",
            "cell": cell(delivered_only, link("campaigns:letter_list", **base, state="delivered")),
        },
        {
            "name": "尚未送达",
            "color": GREY,
            "cell": cell(not_delivered, link("campaigns:letter_list", **base, state="not_delivered")),
        },
    ]
    return pie_chart(
        "letters",
        "告知书送达与承诺书签订",
        slices,
        axis="进度",
        note=(
            f"应函告企业 {progress['total']} 家，函告 {progress['delivered']} 家，签订承诺书 {signed} 家；"
            f"尚未送达的含尚未生成告知书的 {max(progress['total'] - progress['generated'], 0)} 家。"
        ),
    )


def hazard_month_chart(months, found: dict, rectified: dict) -> dict:
    labels = [f"{first:%Y-%m}" for first, _ in months]
    windows = [{"found_after": first, "found_before": last} for first, last in months]
    series = [
        {
            "name": "发现隐患",
            "color": "#fd7e14",
            "cells": [
                cell(found.get(first, 0), link("hazards:rectification_list", **w))
                for (first, _), w in zip(months, windows, strict=True)
            ],
        },
        {
            "name": "其中已整改销号",
            "color": "#198754",
            "cells": [
                cell(rectified.get(first, 0), link("hazards:rectification_list", **w, state="closed"))
                for (first, _), w in zip(months, windows, strict=True)
            ],
        },
    ]
    return bar_chart(
        "hazard-months",
        "隐患发现与整改（近12个月，按发现月份）",
        labels,
        series,
        axis="发现月份",
        note="每月发现的隐患（不含误报作废）及其中现已整改销号的条数。",
    )


def star_chart(counts: dict) -> dict:
    labels = [f"{n}星" for n in STARS] + ["未评星"]
    cells = [cell(counts[n], link("standards:overview", stars=n)) for n in STARS]
    cells.append(cell(counts[None], link("standards:overview", stars="0")))
    return bar_chart(
        "stars",
        "在营企业星级",
        labels,
        [{"name": "企业数", "color": "#ffc107", "cells": cells}],
        axis="星级",
        note="在营企业今日有效的星级评定。",
    )


def self_assessment_chart(assessed: int, total: int, today: datetime.date) -> dict:
    slices = [
        {
            "name": "已提交自评",
            "color": "#198754",
            "cell": cell(assessed, link("standards:overview", assessed="1")),
        },
        {
            "name": "未自评",
            "color": "#dc3545",
            "cell": cell(total - assessed, link("standards:overview", assessed="0")),
        },
    ]
    return pie_chart(
        "self-assessment",
        f"{today.year}年度标准化自评覆盖率：{percent_text(percent(assessed, total))}",
        slices,
        axis="自评情况",
        note=f"在营企业 {total} 家中，本年度已提交自评的企业。",
    )
