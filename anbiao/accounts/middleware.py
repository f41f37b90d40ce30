from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/api/v1/auth/")


class PasswordChangeRequiredMiddleware:
    """An account created or reset by an administrator must set its own password before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "首次登录须先修改密码。"}, status=403)
            return redirect(f"{reverse('password_change')}?next={request.path}")
        return self.get_response(request)
