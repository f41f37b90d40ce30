from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError

from anbiao.core.roles import ENTERPRISE_ROLES
from anbiao.orgs.models import Enterprise, Organization


def is_supervisor(scope) -> bool:
    """Anyone whose grants are not only enterprise roles (units, inspectors, experts)."""
    return any(g.role not in ENTERPRISE_ROLES for g in scope.grants)


def enterprises_for(scope, perm: str):
    return (
        Enterprise.objects.visible_to(scope, perm)
        .filter(status="operating")
        .select_related("unit")
        .order_by("name")
    )


def units_for(scope, perm: str):
    return Organization.objects.visible_to(scope, perm).filter(is_active=True).order_by("path")


def flash_errors(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))
