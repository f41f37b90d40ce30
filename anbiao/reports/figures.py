"""The figures a unit reports for a quarter: the cells computed from records, plus the adjustments.

Every page, export, draft and API answer that shows a unit's figures reads them here, so the table, the
xlsx, the docx drafts and the API agree. Three sources:

- live: computed now from the records as of the quarter's end, plus the adjustments entered in the subtree;
- frozen: what a submission version holds (never recomputed);
- roll-up: a supervising unit's figures put together from its children's submitted (else live) figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from anbiao.reports import tables
from anbiao.reports.cells import CELLS
from anbiao.reports.context import ReportContext
from anbiao.reports.models import Adjustment


def number(value) -> int | Decimal:
    """A stored value back to a number: JSON keeps Decimals (万元) as strings."""
    if isinstance(value, str):
        return Decimal(value)
    return value


def add(value, delta: Decimal):
    """A computed value plus an adjustment, keeping whole numbers whole."""
    if not delta:
        return value
    total = Decimal(value) + delta
    return int(total) if isinstance(value, int) and total == total.to_integral_value() else total


def adjustments_for(ctx: ReportContext):
    """The adjustments that apply to ``ctx``'s figures: its own and (unless 本级 only) its sub-units'."""
    qs = Adjustment.objects.filter(quarter=ctx.quarter.code).select_related("unit", "evidence")
    if ctx.own_only:
        return qs.filter(unit=ctx.unit)
    return qs.filter(unit__path__startswith=ctx.unit.path)


def deltas(adjustments) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(Decimal)
    for a in adjustments:
        out[a.cell_key] += a.delta
    return dict(out)


@dataclass
class Figures:
    """A unit's figures for a quarter with how each was reached."""

    computed: dict[str, object]
    adjustments: list = field(default_factory=list)

    @property
    def values(self) -> dict[str, object]:
        by_key = deltas(self.adjustments)
        return {k: add(v, by_key.get(k, Decimal(0))) for k, v in self.computed.items()}


def live(ctx: ReportContext) -> Figures:
    return Figures(tables.compute(ctx), list(adjustments_for(ctx)))


def report_values(ctx: ReportContext) -> dict[str, object]:
    """Every cell's reported value for ``ctx`` (key → number): computed plus adjustments."""
    return live(ctx).values


def row_ids(ctx: ReportContext, computed: dict, keys=None) -> dict[str, list[int]]:
    """The ids of the rows behind every non-zero cell (what a submission freezes); ``keys`` limits them to
    those cells (a live roll-up part needs them only where the roll-up takes a union: ``UNION_KEYS``)."""
    return {
        key: sorted(CELLS[key].rows(ctx).values_list("pk", flat=True))
        for key, value in computed.items()
        if value and (keys is None or key in keys)
    }


# The cells a roll-up puts together as a union of distinct rows rather than a sum (``rollup``).
UNION_KEYS = frozenset(key for key, cell in CELLS.items() if not cell.additive)


def frozen(version) -> dict[str, object]:
    """A version's figures (a cell added to the registry after it was filed reads 0)."""
    return {k: number(version.values.get(k, 0)) for k in CELLS}


def differences(version, ctx: ReportContext) -> list[dict]:
    """Cells whose value now differs from what ``version`` froze, with the rows added and removed."""
    now = live(ctx).values
    then = frozen(version)
    out = []
    for key, cell in CELLS.items():
        before, after = then.get(key, 0), now[key]
        if number(before) == after:
            continue
        old_ids = set(version.row_ids.get(key, []))
        new_ids = set(cell.rows(ctx).values_list("pk", flat=True)) if after or old_ids else set()
        out.append(
            {
                "cell": cell,
                "before": before,
                "after": after,
                "added": sorted(new_ids - old_ids),
                "removed": sorted(old_ids - new_ids),
            }
        )
    return out


def rollup(parts: list[dict]) -> dict[str, object]:
    """Put figures together: a sum per cell, or — where the cell counts distinct things that two parts
    may share (``additive=False``) — the size of the union of the parts' row ids plus their adjustments.

    Each part is ``{"values": {...}, "computed": {...}, "row_ids": {...}}``.
    """
    out: dict[str, object] = {}
    for key, cell in CELLS.items():
        if cell.additive:
            out[key] = sum((number(p["values"][key]) for p in parts), 0)
            continue
        union: set[int] = set()
        adjusted = Decimal(0)
        for p in parts:
            union.update(p["row_ids"].get(key, []))
            adjusted += Decimal(number(p["values"][key])) - Decimal(number(p["computed"][key]))
        out[key] = add(len(union), adjusted)
    return out
