"""Login, logout and failed logins go to the audit trail (等保 2.0 安全审计: 登录事件)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from anbiao.core import audit


def _place(user):
    from anbiao.accounts.models import Membership

    m = Membership.objects.filter(user=user).select_related("organization", "enterprise__unit").first()
    if m is None:
        return "", None
    return (m.organization.path if m.organization else m.enterprise.unit.path), m.enterprise_id


def _record(action: str, user, actor=None, object_repr=None) -> None:
    path, enterprise_id = _place(user) if user is not None else ("", None)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=action,
            obj=user,
            org_path=path,
            enterprise_id=enterprise_id,
            object_repr=object_repr,
        )


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        import time

        from anbiao.accounts.middleware import LOGIN_AT_KEY

        session[LOGIN_AT_KEY] = time.time()  # the absolute session lifetime starts here
    _record("accounts.login", user, actor=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        _record("accounts.logout", user, actor=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    """The typed name is kept only if it names an account: otherwise it may be the user's password or ID
    number typed into the wrong field, so only a keyed digest of it is recorded (security.md C5)."""
    from anbiao.accounts.auth import login_name_for_records
    from anbiao.accounts.models import User

    name = login_name_for_records(request, credentials)
    _record("accounts.login_failed", User.objects.filter(username=name).first(), object_repr=name)
