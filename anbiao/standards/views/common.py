from django.core.exceptions import PermissionDenied, ValidationError

from anbiao.orgs.models import Enterprise, Organization


def apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def messages_of(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def enterprises_for(scope, perm: str):
    return (
        Enterprise.objects.visible_to(scope, perm)
        .filter(status="operating")
        .select_related("unit")
        .order_by("name")
    )


def units_for(scope, perm: str):
    return Organization.objects.visible_to(scope, perm).filter(is_active=True).order_by("path")


def forbid_unless(scope, perm: str, obj) -> None:
    if not scope.can(perm, obj):
        raise PermissionDenied("您的角色不能对此对象执行该操作。")
