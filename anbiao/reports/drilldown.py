"""The rows behind a cell, described uniformly for the drill-down page and the export's 明细 sheet."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from anbiao.orgs.models import Enterprise

# model label → (URL name of its detail page, attribute holding the pk to link)
DETAIL_URLS = {
    "orgs.enterprise": ("orgs:enterprise_detail", "pk"),
    "hazards.hazard": ("hazards:hazard_detail", "pk"),
    "hazards.inspection": ("hazards:inspection_detail", "pk"),
    "hazards.hazardlisting": ("hazards:hazard_detail", "hazard_id"),
    "hazards.internalreport": ("hazards:report_detail", "pk"),
    "campaigns.trainingsession": ("campaigns:session_detail", "pk"),
    "campaigns.attendance": ("campaigns:session_detail", "session_id"),
}


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def prepared(rows):
    """The queryset ordered and with the enterprise joined (one query per page)."""
    model = rows.model
    if _has_field(model, "enterprise") and model is not Enterprise:
        rows = rows.select_related("enterprise")
    return rows.order_by("pk")


def _url(label: str, obj) -> str:
    name, attr = DETAIL_URLS.get(label, (None, None))
    if not name or getattr(obj, attr, None) is None:
        return ""
    try:
        return reverse(name, args=[getattr(obj, attr)])
    except NoReverseMatch:
        return ""


def describe(obj) -> dict:
    label = obj._meta.label_lower
    enterprise = obj if isinstance(obj, Enterprise) else getattr(obj, "enterprise", None)
    return {
        "kind": str(obj._meta.verbose_name),
        "id": obj.pk,
        "text": str(obj),
        "url": _url(label, obj),
        "enterprise": "" if enterprise is None or enterprise is obj else str(enterprise),
        "enterprise_url": ""
        if enterprise is None or enterprise is obj
        else reverse("orgs:enterprise_detail", args=[enterprise.pk]),
    }
