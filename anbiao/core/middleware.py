import uuid

from anbiao.core import context
from anbiao.core.scope import Scope


class RequestContextMiddleware:
    """Gives every request an id, remembers its client address for the audit trail, and a lazy scope."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        token = context.set_context(
            context.RequestContext(ip=request.META.get("REMOTE_ADDR"), request_id=request_id, source="web")
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset_context(token)
        response["X-Request-ID"] = request_id
        return response


def get_scope(request) -> Scope:
    """The request's scope, built once from the authenticated user's memberships."""
    user = getattr(request, "user", None)
    cached = getattr(request, "_anbiao_scope", None)
    if cached is None or cached.user != (user if user and user.is_authenticated else None):
        cached = Scope.for_user(user)
        request._anbiao_scope = cached
    return cached
