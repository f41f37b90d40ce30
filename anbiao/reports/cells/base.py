"""The registry of every cell of 季报表(一)(二)(三): key, column path as printed, definition, window, and how
it is computed from the modules' selectors (report-tables.md). Nothing here counts records itself: each
cell calls the selector its module publishes and, for drill-down, the queryset of the rows behind it.

``measure``:
- ``rows``: the value is the number of rows the drill-down lists (enterprises, hazards, inspections …);
- ``sum``: the value sums a quantity over the rows listed (人员, 人次, 金额, 家次 of attendances).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

D2021 = datetime.date(2021, 8, 1)  # 责任制 columns, 达标评审
D2024 = datetime.date(2024, 4, 1)  # 星级
D2025 = datetime.date(2025, 1, 1)  # 自查/整改隐患, 自评, tables 2 and 3


@dataclass(frozen=True)
class Family:
    """Cells whose values one set-based count gives together (e.g. every hazard cell from one query over
    the hazards): ``values(ctx) -> {cell key: value}``. It is only a faster way to the same numbers: each
    cell keeps its own definition (``rows`` / ``value``), and a test checks both give the same value."""

    name: str
    values: Callable


@dataclass(frozen=True)
class Cell:
    key: str
    table: int
    path: tuple[str, ...]  # the column path as printed, top header first
    row: str  # the row label inside the unit-type block ("" = the whole block)
    definition: str
    window: datetime.date | None  # start of the window; None = the state on the quarter's last day
    rows: Callable  # rows(ctx) -> queryset behind the cell
    value: Callable | None = None  # value(ctx) when it is not rows(ctx).count()
    measure: str = "rows"
    unit_of_rows: str = "企业"
    additive: bool = True  # parent == sum of children (False where distinct enterprises may overlap)
    extra: dict = field(default_factory=dict)
    family: Family | None = None  # computed with its family's cells in one query (tables.compute)

    def __post_init__(self):
        # choice labels are lazy translations: the registry keeps plain text
        object.__setattr__(self, "path", tuple(str(p) for p in self.path))
        object.__setattr__(self, "row", str(self.row))
        object.__setattr__(self, "definition", str(self.definition))

    def compute(self, ctx):
        """The cell alone, by its definition (the drill-down, the API's one cell, and the reference the
        families are tested against)."""
        if self.value is not None:
            return self.value(ctx)
        return self.rows(ctx).count()

    @property
    def window_text(self) -> str:
        if self.window is None:
            return "季末时点数"
        return f"{self.window:%Y-%m-%d} 至季末累计"

    @property
    def title(self) -> str:
        head = " / ".join(self.path) + (f"（{self.row}）" if self.row else "")
        return f"{head}：{self.definition}（{self.window_text}）"


CELLS: dict[str, Cell] = {}


def _add(cell: Cell) -> None:
    assert cell.key not in CELLS, cell.key
    CELLS[cell.key] = cell


def cells_of(table: int) -> list[Cell]:
    return [c for c in CELLS.values() if c.table == table]
