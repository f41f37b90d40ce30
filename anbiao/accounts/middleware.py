import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/api/v1/auth/")
MFA_EXEMPT_PREFIXES = ("/static/", "/healthz")


LOGIN_AT_KEY = "anbiao_login_at"


class SessionLifetimeMiddleware:
    """An absolute cap on a signed-in session (ASVS 7.3.2), on top of the 30-minute idle timeout.

    The login time is kept in the session (set at login, or on first sight for older sessions); after
    ``ANBIAO_SESSION_MAX_HOURS`` (12 by default) the user is logged out, whatever their activity.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(LOGIN_AT_KEY, now)
            if now - started > settings.ANBIAO_SESSION_MAX_HOURS * 3600:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "登录已超过最长时限，请重新登录。"}, status=403)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class MFARequiredMiddleware:
    """With ANBIAO_MFA_REQUIRED, an administrator's session is usable only once it passed the code step.

    The login view never creates such a session without a code; this ends the others (sessions from before
    the switch was turned on, or a user who became an administrator while signed in).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from anbiao.accounts import mfa

        user = getattr(request, "user", None)
        if (
            settings.ANBIAO_MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and request.session.get(mfa.VERIFIED_KEY) != user.pk
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
        ):
            from anbiao.core.middleware import get_scope

            if mfa.required_for(user, get_scope(request)):
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "管理员须通过动态口令验证后才能使用。"}, status=403)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """The user must set a new password before anything else when an administrator created or reset the
    account (``must_change_password``), or when the password is older than ``ANBIAO_PASSWORD_MAX_AGE_DAYS``
    (security.md A3; the change page says which)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from anbiao.accounts import passwords

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and (user.must_change_password or passwords.password_expired(user))
        ):
            if request.path.startswith("/api/"):
                first = user.must_change_password
                detail = "首次登录须先修改密码。" if first else passwords.expired_message()
                return JsonResponse({"detail": detail}, status=403)
            return redirect(f"{reverse('password_change')}?next={request.path}")
        return self.get_response(request)
