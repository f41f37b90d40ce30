"""Roles and what each may do. The table is the documentation."""

from functools import cache

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("县社管理员")
    UNIT_ADMIN = "unit_admin", _("单位管理员")
    LEADER = "leader", _("只读领导")
    ENT_PRINCIPAL = "ent_principal", _("企业主要负责人")
    ENT_SAFETY = "ent_safety", _("企业安全管理员")
    INSPECTOR = "inspector", _("网格员")
    EXPERT = "expert", _("专家")


UNIT_ROLES = frozenset({Role.COUNTY_ADMIN, Role.UNIT_ADMIN, Role.LEADER})
ENTERPRISE_ROLES = frozenset({Role.ENT_PRINCIPAL, Role.ENT_SAFETY})
ASSIGNED_ROLES = frozenset({Role.INSPECTOR, Role.EXPERT})

_VIEW = {"org.view", "enterprise.view", "user.view", "file.view"}
_ADMIN = _VIEW | {
    "org.manage",
    "enterprise.manage",
    "enterprise.import",
    "user.manage",
    "audit.view",
    "file.upload",
    "assignment.manage",
}

# ``pii.view``: full phone and ID numbers (core/privacy.py). Only the people who must call the person hold it;
# the read-only leader, grid inspectors and experts see them masked (security.md F1, docs/privacy.md).
_PII = "pii.view"
_ENTERPRISE = {"enterprise.view", "enterprise.edit_profile", "file.view", "file.upload", _PII}

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.COUNTY_ADMIN: frozenset(_ADMIN | {"catalog.manage", _PII}),
    Role.UNIT_ADMIN: frozenset(_ADMIN | {_PII}),
    Role.LEADER: frozenset(_VIEW | {"audit.view"}),
    Role.ENT_PRINCIPAL: frozenset(_ENTERPRISE),
    Role.ENT_SAFETY: frozenset(_ENTERPRISE),
    Role.INSPECTOR: frozenset({"enterprise.view", "file.view"}),
    Role.EXPERT: frozenset({"enterprise.view", "file.view"}),
}

# Which roles a holder of a role may grant to others (always inside the granter's own subtree).
GRANTABLE: dict[str, frozenset[str]] = {
    Role.COUNTY_ADMIN: frozenset(Role.values),
    Role.UNIT_ADMIN: frozenset(Role.values) - {Role.COUNTY_ADMIN},
}


@cache
def permission_table() -> dict[str, frozenset[str]]:
    """The kernel's table above plus what every domain app's ``hooks.PERMISSIONS`` adds."""
    from anbiao.core.registry import hooks

    table = {role: set(perms) for role, perms in PERMISSIONS.items()}
    for extra in hooks("PERMISSIONS"):
        for role, perms in extra.items():
            table.setdefault(role, set()).update(perms)
    return {role: frozenset(perms) for role, perms in table.items()}


def role_has_perm(role: str, perm: str) -> bool:
    return perm in permission_table().get(role, frozenset())
