"""What a report is computed from: a unit's subtree as of a quarter's last day."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Q
from django.db.models.expressions import RawSQL

from anbiao.orgs.choices import SizeClass, Status
from anbiao.orgs.models import Enterprise, Organization
from anbiao.orgs.selectors import enterprise_states_on

QUARTER_RE = re.compile(r"^(\d{4})Q([1-4])$")
FIRST_QUARTER = (2021, 3)  # 2021-08 is the start of the earliest window


@dataclass(frozen=True)
class Quarter:
    year: int
    q: int

    @classmethod
    def parse(cls, text: str | None) -> Quarter | None:
        m = QUARTER_RE.match((text or "").strip().upper())
        if not m:
            return None
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def last_finished(cls, today: datetime.date) -> Quarter:
        q = (today.month - 1) // 3 + 1
        return cls(today.year, q - 1) if q > 1 else cls(today.year - 1, 4)

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.q}"

    @property
    def label(self) -> str:
        return f"{self.year}年第{'一二三四'[self.q - 1]}季度"

    @property
    def end(self) -> datetime.date:
        month = self.q * 3
        nxt = datetime.date(self.year + (month == 12), month % 12 + 1, 1)
        return nxt - datetime.timedelta(days=1)

    @property
    def due(self) -> datetime.date:
        """The deadline: day 1 of the following quarter's first month (表注：每季度首月1日前上报)."""
        return self.end + datetime.timedelta(days=1)

    def is_finished(self, today: datetime.date) -> bool:
        return self.end < today

    def previous(self) -> Quarter:
        return Quarter(self.year, self.q - 1) if self.q > 1 else Quarter(self.year - 1, 4)

    @staticmethod
    def finished(today: datetime.date) -> list[Quarter]:
        """Every finished quarter since 2021Q3, newest first."""
        out, cur = [], Quarter.last_finished(today)
        while (cur.year, cur.q) >= FIRST_QUARTER:
            out.append(cur)
            cur = cur.previous()
        return out


def enterprises_of(states):
    """The enterprises of ``states``, selected by SQL built once.

    ``placed`` and ``operating`` are embedded in every cell's query: building the nested, scoped subquery
    each time cost more than running it, and so did scoping the enterprises again — a state is visible
    exactly when its enterprise is (both scope by the enterprise's unit path or its id)."""
    sql, params = states.order_by().values("enterprise_id").query.sql_with_params()
    return Enterprise.objects.filter(pk__in=RawSQL(sql, params))


class ReportContext:
    """The unit's subtree on ``as_of``: enterprises placed there by their state on that day, its units.

    ``own_only`` narrows it to the unit itself (本级): the enterprises placed directly under it and the
    records it keeps, without its sub-units — the part of a roll-up no child unit reports.
    """

    def __init__(self, *, scope, unit: Organization, as_of: datetime.date, own_only: bool = False):
        self.scope = scope
        self.unit = unit
        self.as_of = as_of
        self.own_only = own_only

    @property
    def quarter(self) -> Quarter:
        return Quarter(self.as_of.year, (self.as_of.month - 1) // 3 + 1)

    @cached_property
    def states(self):
        states = enterprise_states_on(scope=self.scope, on=self.as_of)
        if self.own_only:
            return states.filter(unit_id=self.unit.pk)
        return states.filter(unit__path__startswith=self.unit.path)

    def _enterprises(self, states):
        return Enterprise.objects.visible_to(self.scope).filter(pk__in=states.values("enterprise_id"))

    @cached_property
    def placed(self):
        """Every enterprise registered by as_of and placed in the subtree on that day (any status):
        the owners of dated records (hazards, inspections, rewards …) counted in a window."""
        return enterprises_of(self.states)

    @cached_property
    def operating(self):
        """The enterprises operating (在营) on as_of in the subtree: the owners of 'has it on as_of' cells."""
        return enterprises_of(self.states.filter(status=Status.OPERATING))

    def operating_of_size(self, size_class: str):
        return self._enterprises(self.states.filter(Q(status=Status.OPERATING), size_class=size_class))

    def operating_counts(self) -> dict[str, int]:
        """The enterprise base in one query: operating enterprises on as_of (``total``) and per size class
        (the counts of ``operating`` and ``operating_of_size``). ``states`` are scoped exactly as the
        enterprises (both by the enterprise's unit path or its id), so counting them counts those."""
        operating = Q(status=Status.OPERATING)
        counts = {"total": Count("enterprise", distinct=True, filter=operating)}
        for size in SizeClass.values:
            counts[size] = Count("enterprise", distinct=True, filter=operating & Q(size_class=size))
        return self.states.aggregate(**counts)

    @cached_property
    def units(self):
        """The reporting unit and all units below it (owners of unit-level records)."""
        if self.own_only:
            return Organization.objects.filter(pk=self.unit.pk)
        return Organization.objects.filter(path__startswith=self.unit.path)
