"""Test builders of the ledgers and the scope-matrix pairs (one row on each side of the sibling boundary)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from anbiao.core.testing import system_scope
from anbiao.ledgers import services
from anbiao.ledgers.models import (
    Accident,
    AccidentEvent,
    Drill,
    EmergencyPlan,
    EmergencySupply,
    Equipment,
    EquipmentInspection,
    RegulationItem,
    RuleDocument,
    TrainingAttendance,
    TrainingSession,
)

D = datetime.date


def _scope(enterprise):
    from anbiao.orgs.models import Organization

    root = Organization.objects.filter(parent__isnull=True).order_by("path").first()
    return system_scope(root)


def make(model, enterprise, **data):
    """Create a ledger row through the service with sensible defaults for ``model``."""
    defaults = {
        RegulationItem: {
            "category": "law",
            "title": "中华人民共和国安全生产法",
            "reviewed_on": D(2025, 1, 10),
        },
        RuleDocument: {
            "kind": "rule",
            "title": "安全生产责任制度",
            "approved_on": D(2025, 1, 5),
            "next_review_on": D(2026, 1, 5),
        },
        Equipment: {
            "category": "special",
            "special_kind": "vehicle",
            "name": "电动叉车",
            "location": "一号仓库",
            "responsible": "陈师傅",
            "registration_number": "车11闽C00001",
            "commissioned_on": D(2023, 5, 1),
            "first_due": D(2026, 5, 1),
        },
        EmergencyPlan: {
            "kind": "comprehensive",
            "title": "生产安全事故综合应急预案",
            "issued_on": D(2025, 3, 1),
            "review_due": D(2028, 3, 1),
        },
        EmergencySupply: {"name": "干粉灭火器", "quantity": 10, "location": "一号仓库"},
        TrainingSession: {
            "kind": "annual",
            "title": "年度安全生产再培训",
            "planned_on": D(2025, 6, 1),
            "held_on": D(2025, 6, 1),
            "hours": Decimal("8"),
        },
        Drill: {
            "held_on": D(2025, 6, 15),
            "form": "functional",
            "scenario": "仓库火灾疏散",
            "participants": 12,
        },
    }[model]
    return services.ledger_record_create(
        actor=None, scope=_scope(enterprise), model=model, enterprise=enterprise, data={**defaults, **data}
    )


def make_accident(enterprise, **data):
    defaults = {
        "occurred_at": timezone.make_aware(datetime.datetime(2025, 8, 1, 10, 0)),
        "place": "一号仓库",
        "kind": "vehicle",
        "summary": "叉车倒车时碰伤装卸工。",
        "minor_injuries": 1,
    }
    return services.accident_report(
        actor=None, scope=_scope(enterprise), enterprise=enterprise, data={**defaults, **data}
    )


def make_person(enterprise, name="张三", **data):
    Person = apps.get_model("duty", "Person")
    return Person.objects.create(enterprise=enterprise, name=name, **data)


def make_inspection(equipment, **data):
    defaults = {
        "kind": "periodic",
        "inspected_on": D(2025, 5, 1),
        "agency": "泉州市特种设备检验所",
        "result": "pass",
        "next_due": D(2026, 5, 1),
    }
    return services.equipment_inspection_add(
        actor=None, scope=_scope(equipment.enterprise), equipment=equipment, data={**defaults, **data}
    )


def make_attendance(session, person, **data):
    return services.training_attendance_add(
        actor=None,
        scope=_scope(session.enterprise),
        session=session,
        person=person,
        data={"hours": Decimal("8"), **data},
    )


def _first_or(model, enterprise, build):
    found = model.objects.filter(enterprise=enterprise).first()
    return found or build()


def _pair(model):
    def build(world):
        return tuple(_first_or(model, e, lambda e=e: make(model, e)) for e in (world.ent_a, world.ent_b))

    return build


def _inspections(world):
    out = []
    for e in (world.ent_a, world.ent_b):
        eq = _first_or(Equipment, e, lambda e=e: make(Equipment, e))
        out.append(eq.inspections.first() or make_inspection(eq))
    return tuple(out)


def _attendances(world):
    out = []
    for e in (world.ent_a, world.ent_b):
        session = _first_or(TrainingSession, e, lambda e=e: make(TrainingSession, e))
        existing = session.attendances.first()
        out.append(existing or make_attendance(session, make_person(e, name=f"{e.name}员工")))
    return tuple(out)


def _accidents(world):
    return tuple(_first_or(Accident, e, lambda e=e: make_accident(e)) for e in (world.ent_a, world.ent_b))


def _events(world):
    return tuple(a.events.first() for a in _accidents(world))


PAIRS = {
    RegulationItem: _pair(RegulationItem),
    RuleDocument: _pair(RuleDocument),
    Equipment: _pair(Equipment),
    EmergencyPlan: _pair(EmergencyPlan),
    EmergencySupply: _pair(EmergencySupply),
    TrainingSession: _pair(TrainingSession),
    Drill: _pair(Drill),
    EquipmentInspection: _inspections,
    TrainingAttendance: _attendances,
    Accident: _accidents,
    AccidentEvent: _events,
}
