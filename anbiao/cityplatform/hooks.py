"""What the 泉州 platform export adds to the kernel: its permission, menu entry and enterprise page link."""

from __future__ import annotations

from anbiao.core.registry import MenuItem
from anbiao.core.roles import Role

PERM = "cityplatform.export"

# Units export their subtree, enterprises their own data; the read-only county leader may download it too.
PERMISSIONS = {
    Role.COUNTY_ADMIN: {PERM},
    Role.UNIT_ADMIN: {PERM},
    Role.LEADER: {PERM},
    Role.ENT_PRINCIPAL: {PERM},
    Role.ENT_SAFETY: {PERM},
}

MENU = [
    MenuItem("cityplatform:index", "泉州平台数据", PERM, "季度报表"),
]


def enterprise_links(enterprise, scope):
    from django.urls import reverse

    if not scope.can(PERM, enterprise):
        return []
    return [
        (
            "导出泉州平台数据",
            reverse("cityplatform:enterprise", args=[enterprise.pk]),
            "按泉州市标准化智慧管理平台的11类数据项导出 xlsx / JSON",
        )
    ]
