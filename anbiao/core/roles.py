"""Roles and what each may do. The table is the documentation."""

from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("县社管理员")
    UNIT_ADMIN = "unit_admin", _("单位管理员")
    LEADER = "leader", _("只读领导")
    ENT_PRINCIPAL = "ent_principal", _("企业主要负责人")
    ENT_SAFETY = "ent_safety", _("企业安全管理员")
    INSPECTOR = "inspector", _("网格员")
    EXPERT = "expert", _("专家")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


# 三权分立 (等保 三级 8.1.4.2d 管理用户的权限分离; docs/security.md B7), on with ANBIAO_SEPARATION_OF_DUTIES:
# the county/unit administrator becomes the 系统管理员 (units, enterprises, business accounts), the 安全管理员
# grants the privileged roles and secures accounts (unlock, password and 动态口令 reset), the 审计管理员 alone
# reads the audit log. The two oversight roles hold nothing without the switch and cannot be granted then.
OVERSIGHT_ROLES = frozenset({Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
ADMIN_ROLES = frozenset({Role.COUNTY_ADMIN, Role.UNIT_ADMIN})
PRIVILEGED_ROLES = ADMIN_ROLES | OVERSIGHT_ROLES
BUSINESS_ROLES = frozenset(Role) - OVERSIGHT_ROLES
SUPERVISOR_ROLES = frozenset({Role.COUNTY_ADMIN, Role.UNIT_ADMIN, Role.LEADER})
UNIT_ROLES = SUPERVISOR_ROLES | OVERSIGHT_ROLES
ENTERPRISE_ROLES = frozenset({Role.ENT_PRINCIPAL, Role.ENT_SAFETY})
ASSIGNED_ROLES = frozenset({Role.INSPECTOR, Role.EXPERT})

_VIEW = {"org.view", "enterprise.view", "user.view", "file.view"}
_ADMIN = _VIEW | {
    "org.manage",
    "enterprise.manage",
    "enterprise.import",
    "user.manage",
    "account.secure",
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

# With the separation of duties: what the administrators and the leader give up, and what the two oversight
# roles hold (nothing of the enterprises' records: least privilege).
SEPARATED_AWAY: dict[str, frozenset[str]] = {
    Role.COUNTY_ADMIN: frozenset({"audit.view", "account.secure"}),
    Role.UNIT_ADMIN: frozenset({"audit.view", "account.secure"}),
    Role.LEADER: frozenset({"audit.view"}),
}
OVERSIGHT_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.SECURITY_ADMIN: frozenset(_VIEW | {"user.manage", "account.secure", _PII}),
    Role.AUDIT_ADMIN: frozenset(_VIEW | {"audit.view"}),
}

# Which roles a holder of a role may grant to others (always inside the granter's own subtree).
GRANTABLE: dict[str, frozenset[str]] = {
    Role.COUNTY_ADMIN: BUSINESS_ROLES,
    Role.UNIT_ADMIN: BUSINESS_ROLES - {Role.COUNTY_ADMIN},
}
SEPARATED_GRANTABLE: dict[str, frozenset[str]] = {
    Role.COUNTY_ADMIN: BUSINESS_ROLES - ADMIN_ROLES,
    Role.UNIT_ADMIN: BUSINESS_ROLES - ADMIN_ROLES,
    Role.SECURITY_ADMIN: PRIVILEGED_ROLES,
}


def separated() -> bool:
    return bool(getattr(settings, "ANBIAO_SEPARATION_OF_DUTIES", False))


def grantable(role: str) -> frozenset[str]:
    return (SEPARATED_GRANTABLE if separated() else GRANTABLE).get(role, frozenset())


def duty_of(role: str) -> str | None:
    """Which of the three separated powers a role exercises (None: a business role)."""
    if role in ADMIN_ROLES:
        return "system"
    return {Role.SECURITY_ADMIN: "security", Role.AUDIT_ADMIN: "audit"}.get(role)


def duty_conflict(held: set[str] | frozenset[str], role: str) -> str | None:
    """With the separation on, the power among ``held`` that ``role`` would join in one person, else None."""
    if not separated() or duty_of(role) is None:
        return None
    return next((duty_of(r) for r in held if duty_of(r) not in (None, duty_of(role))), None)


DUTY_LABELS = {"system": "系统管理员", "security": "安全管理员", "audit": "审计管理员"}


@cache
def _table(separate: bool) -> dict[str, frozenset[str]]:
    table = {role: set(perms) for role, perms in PERMISSIONS.items()}
    for extra in _hooks_permissions():
        for role, perms in extra.items():
            table.setdefault(role, set()).update(perms)
    for role, away in SEPARATED_AWAY.items() if separate else ():
        table[role] -= away
    for role, perms in OVERSIGHT_PERMISSIONS.items():
        table[role] = set(perms) if separate else set()
    return {role: frozenset(perms) for role, perms in table.items()}


def _hooks_permissions():
    from anbiao.core.registry import hooks

    return hooks("PERMISSIONS")


def permission_table() -> dict[str, frozenset[str]]:
    """The kernel's table above plus what every domain app's ``hooks.PERMISSIONS`` adds, separated into the
    three administrator powers when ANBIAO_SEPARATION_OF_DUTIES is on."""
    return _table(separated())


def role_has_perm(role: str, perm: str) -> bool:
    return perm in permission_table().get(role, frozenset())


@receiver(setting_changed)
def _forget_tables(*, setting, **kwargs):
    if setting == "ANBIAO_SEPARATION_OF_DUTIES":
        _table.cache_clear()
