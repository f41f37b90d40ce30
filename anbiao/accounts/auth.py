"""API token authentication (ANBIAO_MFA_REQUIRED, the password age) and login names for the records."""

import datetime
import hmac

from django.utils import timezone
from django.utils.crypto import salted_hmac
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


def login_name_for_records(request=None, credentials=None) -> str:
    """What the audit trail and the lockout tables keep of a typed login name (security.md C5).

    An existing account's username is kept as is (lockout, unlock and the audit trail need it). Anything else
    is what people type by mistake — their password, their ID number — or a forged log line, so it is kept
    only as a keyed digest: repeated attempts with the same text still share one value (and one lockout
    count), but the text cannot be read back. Also django-axes' ``AXES_USERNAME_CALLABLE``.
    """
    if credentials is not None:
        raw = credentials.get("username")
    else:
        raw = getattr(request, "data", None) or getattr(request, "POST", {})
        raw = raw.get("username") if hasattr(raw, "get") else None
    raw = "" if raw is None else str(raw)
    from anbiao.accounts.models import User

    if raw and User.objects.filter(username=raw).exists():
        return raw
    digest = salted_hmac("anbiao.accounts.login-name", raw, algorithm="sha256").hexdigest()[:12]
    return f"未知用户名#{digest}"


class MFATokenAuthentication(TokenAuthentication):
    """While MFA is required, an administrator's token works only if it was issued after a code check.

    ``TokenView`` stores the digest of the token it issues after the code on the user's device; tokens
    issued before the switch (or without a code) no longer authenticate.
    """

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        from anbiao.accounts import mfa, passwords

        if passwords.password_expired(user):
            raise AuthenticationFailed(passwords.expired_message())
        _touch_last_login(user)

        if mfa.required_for(user):
            device = mfa.confirmed_device(user)
            if device is None or not hmac.compare_digest(
                device.api_token_digest, mfa.token_digest(token.key)
            ):
                raise AuthenticationFailed("管理员须使用通过动态口令验证后获取的令牌。")
        return user, token


def _touch_last_login(user) -> None:
    """API use counts as activity for the dormant-account rule (A1): ``last_login`` at most once a day."""
    now = timezone.now()
    if user.last_login is None or now - user.last_login > datetime.timedelta(days=1):
        type(user).objects.filter(pk=user.pk).update(last_login=now)
        user.last_login = now
