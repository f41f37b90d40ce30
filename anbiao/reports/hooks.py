"""What the reports app adds to the kernel: the permission to compute the quarterly tables and the menu."""

from __future__ import annotations

from anbiao.core.registry import MenuItem
from anbiao.core.roles import Role

GROUP = "季度报表"

PERMISSIONS = {
    Role.COUNTY_ADMIN: {"report.view"},
    Role.UNIT_ADMIN: {"report.view"},
    Role.LEADER: {"report.view"},
}

MENU = [
    MenuItem("reports:index", "季报表(一)(二)(三)", "report.view", GROUP),
]
