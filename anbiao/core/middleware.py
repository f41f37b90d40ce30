import ipaddress
import re
import uuid

from django.conf import settings
from django.db import transaction
from django.utils.cache import patch_cache_control

from anbiao.core import context
from anbiao.core.scope import Scope


def _client_address(request) -> str | None:
    """REMOTE_ADDR, or the X-Real-IP that a trusted reverse proxy (nginx on loopback) set for it."""
    peer = request.META.get("REMOTE_ADDR")
    if peer and peer in settings.ANBIAO_TRUSTED_PROXIES:
        claimed = request.headers.get("X-Real-IP", "").strip()
        try:
            return str(ipaddress.ip_address(claimed))
        except ValueError:
            return peer
    return peer


REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class RequestContextMiddleware:
    """Gives every request an id, remembers its client address for the audit trail, and a lazy scope.

    Behind nginx every request comes from 127.0.0.1; nginx passes the client as X-Real-IP. Only when the
    peer is listed in ``ANBIAO_TRUSTED_PROXIES`` is REMOTE_ADDR replaced by it, for everything downstream
    (audit trail, lockout log, the public form's rate limit); anyone else's X-Real-IP is ignored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.ANBIAO_TRUSTED_PROXIES:
            request.META["REMOTE_ADDR"] = _client_address(request)
        request_id = request.headers.get("X-Request-ID", "")
        if not REQUEST_ID.fullmatch(request_id):
            # nginx's ids are hex; anything else could forge a log line or break the response header (C5)
            request_id = uuid.uuid4().hex
        token = context.set_context(
            context.RequestContext(ip=request.META.get("REMOTE_ADDR"), request_id=request_id, source="web")
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset_context(token)
        response["X-Request-ID"] = request_id
        return response


class NoStoreMiddleware:
    """Nothing a signed-in user was shown stays in a browser or proxy cache (等保 剩余信息保护, F3).

    Every response to an authenticated request gets ``Cache-Control: no-store`` (merged with what the view
    set, e.g. ``private`` on file downloads), so Back after logout or a shared computer shows nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


def download_name(disposition: str) -> str:
    """The file name in a ``Content-Disposition`` header (``filename*=UTF-8''…`` decoded, or plain)."""
    from urllib.parse import unquote

    for part in disposition.split(";"):
        key, _, value = part.strip().partition("=")
        if key == "filename*":
            return unquote(value.partition("''")[2] or value)
        if key == "filename":
            return value.strip('"')
    return ""


def _record_response_event(request, action: str, after: dict) -> None:
    """One audit event about a response, in its own transaction (the view's, if any, has ended): the
    user, the path with its query, the user's first unit or enterprise. An enterprise user's event is
    filed under the enterprise's unit, as the services file enterprise events, so the supervisors of that
    unit see it in their audit log."""
    from anbiao.core import audit
    from anbiao.orgs.models import Enterprise

    grants = get_scope(request).grants
    org_path = next((g.org_path for g in grants if g.org_path), "")
    enterprise_id = next((g.enterprise_id for g in grants if g.enterprise_id), None)
    if not org_path and enterprise_id:
        paths = Enterprise.objects.filter(pk=enterprise_id).values_list("unit__path", flat=True)
        org_path = paths.first() or ""
    with transaction.atomic():
        audit.record(
            actor=request.user,
            action=action,
            object_repr=request.get_full_path()[:255],
            org_path=org_path,
            enterprise_id=enterprise_id,
            after=after,
        )


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class DownloadAuditMiddleware:
    """Every file that leaves the system as a download — an export (xlsx, docx, a JSON file) or an evidence
    file saved with 下载 — is one audit event: who, which page with which filters, the file's name, when,
    from where (security.md C1: exports carry personal data). Photos shown inline on a page are not
    downloads and are not recorded, or every page view would write one event per thumbnail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        disposition = response.get("Content-Disposition", "") if response.status_code == 200 else ""
        if disposition.startswith("attachment") and _signed_in(request):
            _record_response_event(request, "core.download", {"file": download_name(disposition)[:200]})
        return response


class RefusedWriteAuditMiddleware:
    """A write the system refused to a signed-in user — no permission (403, a failed CSRF check included)
    or an object outside the user's scope (404) — is one audit event with its result (security.md C2:
    success and failure): who, which method on which path, the status, when, from where. A successful write
    has its event from the service, in the write's own transaction; a refused one rolled back with
    everything it did, so this event is written after it, in a transaction of its own. Form errors (400,
    or a form shown again) are a user correcting input, not a refusal, and are not recorded."""

    UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in self.UNSAFE and response.status_code in (403, 404) and _signed_in(request):
            after = {"method": request.method, "status": response.status_code}
            _record_response_event(request, "core.write_refused", after)
        return response


def get_scope(request) -> Scope:
    """The request's scope, built once from the authenticated user's memberships."""
    user = getattr(request, "user", None)
    cached = getattr(request, "_anbiao_scope", None)
    if cached is None or cached.user != (user if user and user.is_authenticated else None):
        cached = Scope.for_user(user)
        request._anbiao_scope = cached
    return cached
