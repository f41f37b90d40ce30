"""The simple ledgers as configuration: one ``LedgerKind`` per model gives its list columns (page and
export), its form fields and its filter. Views, URLs, API and export are generated from this table."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from anbiao.ledgers import filters
from anbiao.ledgers.models import (
    Drill,
    EmergencyPlan,
    EmergencySupply,
    Equipment,
    RegulationItem,
    RuleDocument,
    TrainingSession,
)
from anbiao.ledgers.selectors import SOON_DAYS


@dataclass(frozen=True)
class Badge:
    """A cell shown as a coloured badge on the page and as plain text in the export."""

    text: str
    level: str = "secondary"  # bootstrap colour

    def __str__(self):
        return self.text


def display(obj, name: str):
    """The value of a field as users read it (choice labels, 是/否, names of related rows, '' for empty)."""
    f = obj._meta.get_field(name)
    value = getattr(obj, name)
    if value is None or value == "":
        return ""
    if f.choices:
        return getattr(obj, f"get_{name}_display")()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value if isinstance(value, int | float) else str(value)


def due_badge(day: datetime.date | None, *, active: bool = True) -> Badge | str:
    if day is None:
        return ""
    if not active:
        return day.isoformat()
    today = timezone.localdate()
    if day < today:
        return Badge(f"{day:%Y-%m-%d} 已逾期", "danger")
    if day <= today + datetime.timedelta(days=SOON_DAYS):
        return Badge(f"{day:%Y-%m-%d} 临期", "warning")
    return day.isoformat()


Column = tuple[str, Callable]


def col(name: str, model) -> Column:
    return str(model._meta.get_field(name).verbose_name), lambda o: display(o, name)


@dataclass(frozen=True)
class LedgerKind:
    key: str  # URL segment and name prefix
    model: type
    label: str
    group: str  # which of the eight elements
    fields: list[str]
    filterset: type
    columns: list[Column]
    select_related: tuple[str, ...] = ("enterprise__unit",)
    has_file: bool = False
    detail_template: str = ""
    extra_columns: list[Column] = field(default_factory=list)

    @property
    def all_columns(self) -> list[Column]:
        return [
            ("企业", lambda o: o.enterprise.name),
            ("监管单位", lambda o: o.enterprise.unit.name),
            *self.columns,
        ]


def _kinds() -> list[LedgerKind]:
    R, D, E, P, S, T, X = (
        RegulationItem,
        RuleDocument,
        Equipment,
        EmergencyPlan,
        EmergencySupply,
        TrainingSession,
        Drill,
    )
    effective = "effective"
    return [
        LedgerKind(
            "regulations",
            R,
            "法规标准识别",
            "制度化管理",
            [
                "category",
                "title",
                "number",
                "issued_by",
                "effective_on",
                "clauses",
                "reviewed_on",
                "next_review_on",
                "is_current",
            ],
            filters.RegulationFilter,
            [
                col("category", R),
                col("title", R),
                col("number", R),
                col("clauses", R),
                col("reviewed_on", R),
                ("下次评审日期", lambda o: due_badge(o.next_review_on, active=o.is_current)),
                col("is_current", R),
            ],
        ),
        LedgerKind(
            "documents",
            D,
            "规章制度和操作规程",
            "制度化管理",
            [
                "kind",
                "title",
                "code",
                "version",
                "applies_to",
                "approved_by",
                "approved_on",
                "next_review_on",
                "status",
            ],
            filters.RuleDocumentFilter,
            [
                col("kind", D),
                col("title", D),
                col("code", D),
                col("version", D),
                col("approved_on", D),
                ("下次评审修订日期", lambda o: due_badge(o.next_review_on, active=o.status == effective)),
                col("status", D),
            ],
            has_file=True,
        ),
        LedgerKind(
            "equipment",
            E,
            "设备设施",
            "设备设施",
            [
                "category",
                "special_kind",
                "name",
                "code",
                "model_spec",
                "location",
                "responsible",
                "registration_number",
                "commissioned_on",
                "inspection_interval_months",
                "first_due",
                "status",
                "retired_on",
                "note",
            ],
            filters.EquipmentFilter,
            [
                col("category", E),
                col("special_kind", E),
                col("name", E),
                col("registration_number", E),
                col("location", E),
                col("responsible", E),
                ("下次检验日期", lambda o: due_badge(o.next_inspection_due, active=o.status == "in_use")),
                col("status", E),
            ],
            detail_template="ledgers/detail_equipment.html",
        ),
        LedgerKind(
            "plans",
            P,
            "应急预案",
            "应急管理",
            [
                "kind",
                "title",
                "version",
                "issued_on",
                "filed_on",
                "filed_with",
                "filing_number",
                "review_due",
                "drill_interval_months",
                "status",
            ],
            filters.EmergencyPlanFilter,
            [
                col("kind", P),
                col("title", P),
                col("version", P),
                col("issued_on", P),
                (
                    "备案",
                    lambda o: f"{o.filed_on} {o.filed_with}" if o.filed_on else Badge("未备案", "danger"),
                ),
                ("下次评估修订日期", lambda o: due_badge(o.review_due, active=o.status == effective)),
                col("status", P),
            ],
            has_file=True,
            detail_template="ledgers/detail_plan.html",
        ),
        LedgerKind(
            "supplies",
            S,
            "应急物资",
            "应急管理",
            ["name", "spec", "quantity", "unit_label", "location", "keeper", "checked_on", "expires_on"],
            filters.EmergencySupplyFilter,
            [
                col("name", S),
                col("spec", S),
                ("数量", lambda o: f"{o.quantity}{o.unit_label}"),
                col("location", S),
                col("keeper", S),
                col("checked_on", S),
                ("有效期至", lambda o: due_badge(o.expires_on)),
            ],
        ),
        LedgerKind(
            "training",
            T,
            "培训记录",
            "教育培训",
            ["kind", "title", "planned_on", "held_on", "hours", "trainer", "location", "content"],
            filters.TrainingFilter,
            [
                col("kind", T),
                col("title", T),
                col("planned_on", T),
                ("实施日期", lambda o: display(o, "held_on") or Badge("计划", "info")),
                ("学时", lambda o: float(o.hours)),
                ("参训人数", lambda o: o.attendee_count),
            ],
            has_file=True,
            detail_template="ledgers/detail_training.html",
        ),
        LedgerKind(
            "drills",
            X,
            "应急演练",
            "应急管理",
            [
                "plan",
                "team",
                "held_on",
                "form",
                "scenario",
                "participants",
                "evaluation",
                "effect",
                "improvements",
            ],
            filters.DrillFilter,
            [
                col("held_on", X),
                col("form", X),
                col("scenario", X),
                ("预案", lambda o: o.plan.title if o.plan_id else ""),
                ("救援队伍", lambda o: o.team.name if o.team_id else ""),
                col("participants", X),
                col("effect", X),
            ],
            select_related=("enterprise__unit", "plan", "team"),
            detail_template="ledgers/detail_drill.html",
        ),
    ]


KINDS: dict[str, LedgerKind] = {k.key: k for k in _kinds()}
