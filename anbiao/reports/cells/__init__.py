"""The registry of every cell of 季报表(一)(二)(三) (see base.py for what a cell is)."""

from anbiao.reports.cells import table1, table2, table3
from anbiao.reports.cells.base import CELLS, D2021, D2024, D2025, Cell, cells_of
from anbiao.reports.cells.table1 import RAISE

table1.register()
table2.register()
table3.register()

__all__ = ["CELLS", "D2021", "D2024", "D2025", "RAISE", "Cell", "cells_of"]
