"""Scope-matrix pairs: for every scoped model, one object unit A's admin sees and one only unit B's side sees.

Builders are idempotent (the matrix calls them once per route)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from anbiao.campaigns import models as m
from anbiao.campaigns.choices import (
    EnforcementKind,
    Level,
    NormKind,
    SessionKind,
    ShowcaseCategory,
    TraineeCategory,
)
from anbiao.campaigns.seed import ensure_2025

DAY = datetime.date(2025, 3, 1)


def _campaign():
    return ensure_2025()


def filings(w):
    req = _campaign().requirements.order_by("order").first()

    def make(unit):
        return m.Filing.objects.get_or_create(requirement=req, unit=unit, defaults={"filed_on": DAY})[0]

    return make(w.unit_a1), make(w.unit_b)


def tasks(w):
    def make(unit):
        return m.WorkTask.objects.get_or_create(
            unit=unit, title="完成方案备案", defaults={"year": 2025, "owner": "张三", "due": DAY}
        )[0]

    return make(w.unit_a), make(w.unit_b)


def sessions(w):
    def make(unit):
        return m.TrainingSession.objects.get_or_create(
            unit=unit,
            topic=f"{unit.name}专题培训",
            defaults={
                "kind": SessionKind.TRAINING,
                "level": Level.TOWNSHIP,
                "organizer": unit.name,
                "held_on": DAY,
            },
        )[0]

    return make(w.unit_a), make(w.unit_b)


def attendances(w):
    sa, sb = sessions(w)

    def make(session, enterprise):
        return m.Attendance.objects.get_or_create(
            session=session,
            enterprise=enterprise,
            person_name="李四",
            defaults={"category": TraineeCategory.PRINCIPAL},
        )[0]

    return make(sa, w.ent_a), make(sb, w.ent_b)


def showcase(w):
    def make(unit, enterprise):
        return m.ShowcaseEntry.objects.get_or_create(
            unit=unit,
            title=f"{enterprise.name}百优案例",
            defaults={
                "category": ShowcaseCategory.ENTERPRISE_CASE,
                "level": Level.COUNTY,
                "recognised_on": DAY,
                "enterprise": enterprise,
                "size_class": enterprise.size_class,
            },
        )[0]

    return make(w.unit_a, w.ent_a), make(w.unit_b, w.ent_b)


def norms(w):
    def make(unit):
        return m.NormDocument.objects.get_or_create(
            unit=unit,
            title=f"{unit.name}安全检查清单",
            defaults={"kind": NormKind.CHECKLIST, "version": "V1", "issued_on": DAY},
        )[0]

    return make(w.unit_a), make(w.unit_b)


def letters(w):
    campaign = _campaign()

    def make(enterprise):
        return m.EnterpriseLetter.objects.get_or_create(
            campaign=campaign, enterprise=enterprise, defaults={"deadline": datetime.date(2025, 3, 31)}
        )[0]

    return make(w.ent_a), make(w.ent_b)


def letter_events(w):
    la, lb = letters(w)

    def make(letter):
        return m.LetterEvent.objects.get_or_create(letter=letter, kind=m.LetterEvent.Kind.GENERATED, on=DAY)[
            0
        ]

    return make(la), make(lb)


def enforcement(w):
    def make(enterprise):
        return m.EnforcementAction.objects.get_or_create(
            enterprise=enterprise,
            kind=EnforcementKind.FINE,
            defaults={"authority": "惠安县应急管理局", "action_on": DAY, "amount": Decimal("5000")},
        )[0]

    return make(w.ent_a), make(w.ent_b)


PAIRS = {
    m.Filing: filings,
    m.WorkTask: tasks,
    m.TrainingSession: sessions,
    m.Attendance: attendances,
    m.ShowcaseEntry: showcase,
    m.NormDocument: norms,
    m.EnterpriseLetter: letters,
    m.LetterEvent: letter_events,
    m.EnforcementAction: enforcement,
}
