"""TOTP second factor for administrators (等保 三级 8.1.4.1d; ASVS 6.3.2), behind ``ANBIAO_MFA_REQUIRED``.

The flow: the password form checks the password but does not log in an administrator; it leaves a
*pending* marker in the (anonymous) session and sends them to the code page, or to the enrolment page when
they have no confirmed device yet. Only a correct, unused code logs them in (``auth.login``: new session
key, ``user_logged_in``, audit). So without a code there is no authenticated session at all; sessions that
existed before the switch was turned on are ended by ``MFARequiredMiddleware``.

Codes: RFC 6238, SHA-1, 6 digits, 30 s step, one step of clock drift either side. A code is accepted only
for a time step later than the device's ``last_used_step`` (one conditional UPDATE, so it holds across
worker processes): a code, or any earlier code, can never be used twice. Five wrong codes lock the device
for ``AXES_COOLOFF_TIME``; an administrator of the user's subtree can reset the device (the user enrols
again at the next login).
"""

from __future__ import annotations

import hashlib
import hmac
import time

import pyotp
import segno
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from anbiao.accounts.models import OTPDevice, User
from anbiao.core import audit
from anbiao.core.roles import PRIVILEGED_ROLES
from anbiao.core.scope import Scope

MFA_ROLES = PRIVILEGED_ROLES
STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
MAX_FAILURES = 5
PENDING_KEY = "anbiao_mfa_pending"
SECRET_KEY = "anbiao_mfa_secret"
VERIFIED_KEY = "anbiao_mfa_verified"
PENDING_SECONDS = 300


def enabled() -> bool:
    return bool(getattr(settings, "ANBIAO_MFA_REQUIRED", False))


def required_for(user, scope: Scope | None = None) -> bool:
    """Administrators of the county or of a unit (and superusers) need a second factor when it is on."""
    if not enabled() or user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    scope = scope if scope is not None and scope.user == user else Scope.for_user(user)
    return bool(scope.roles & MFA_ROLES)


def confirmed_device(user) -> OTPDevice | None:
    return OTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


# --- codes ----------------------------------------------------------------------------------------------
def new_secret() -> str:
    return pyotp.random_base32(32)


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def code_at(secret: str, step: int) -> str:
    return _totp(secret).generate_otp(step)


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step (within the allowed drift) whose code is ``code``, or None."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    step = current_step(now)
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if hmac.compare_digest(code_at(secret, candidate), code):
            return candidate
    return None


def provisioning_uri(user: User, secret: str) -> str:
    return _totp(secret).provisioning_uri(name=user.get_username(), issuer_name=settings.ANBIAO_MFA_ISSUER)


def qr_data_uri(uri: str) -> str:
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def is_locked(device: OTPDevice) -> bool:
    return device.locked_until is not None and device.locked_until > timezone.now()


def verify(device: OTPDevice, code: str, now: float | None = None) -> bool:
    """Accept ``code`` once: its step must be later than the last accepted one. Counts failures."""
    if is_locked(device):
        return False
    step = matching_step(device.secret, code, now)
    if step is not None:
        accepted = (
            OTPDevice.objects.filter(pk=device.pk)
            .filter(Q(last_used_step__isnull=True) | Q(last_used_step__lt=step))
            .update(last_used_step=step, last_used_at=timezone.now(), failures=0, locked_until=None)
        )
        if accepted:
            device.refresh_from_db()
            return True
    _failed(device)
    return False


def _failed(device: OTPDevice) -> None:
    with transaction.atomic():
        OTPDevice.objects.filter(pk=device.pk).update(failures=F("failures") + 1)
        device.refresh_from_db()
        if device.failures >= MAX_FAILURES:
            device.locked_until = timezone.now() + settings.AXES_COOLOFF_TIME
            device.failures = 0
            device.save(update_fields=["locked_until", "failures"])
        audit.record(
            actor=device.user,
            action="accounts.otp_failed",
            obj=device.user,
            org_path=_path(device.user)[0],
            enterprise_id=_path(device.user)[1],
        )


def _path(user) -> tuple[str, int | None]:
    from anbiao.accounts.services import _audit_path

    return _audit_path(user)


@transaction.atomic
def enrol(user: User, secret: str, code: str, now: float | None = None) -> OTPDevice | None:
    """Confirm a new device when ``code`` matches ``secret``; replaces an unconfirmed or reset device."""
    step = matching_step(secret, code, now)
    if step is None:
        return None
    OTPDevice.objects.filter(user=user).delete()
    device = OTPDevice.objects.create(
        user=user,
        secret=secret,
        confirmed_at=timezone.now(),
        last_used_step=step,
        last_used_at=timezone.now(),
    )
    path, ent = _path(user)
    audit.record(actor=user, action="accounts.otp_enrol", obj=user, org_path=path, enterprise_id=ent)
    return device


# --- the pending login ----------------------------------------------------------------------------------
def begin(request, user: User, next_url: str) -> None:
    """The password was right: remember who is half-way through logging in (no authenticated session)."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "uid": user.pk,
        "backend": getattr(user, "backend", None),
        "at": time.time(),
        "next": next_url,
        "hash": user.get_session_auth_hash(),
    }
    request.session.pop(SECRET_KEY, None)


def pending(request) -> tuple[User | None, dict]:
    data = request.session.get(PENDING_KEY) or {}
    if not data or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None, {}
    user = User.objects.filter(pk=data.get("uid"), is_active=True).first()
    if user is None or not hmac.compare_digest(user.get_session_auth_hash(), data.get("hash", "")):
        return None, {}
    return user, data


def complete(request, user: User, data: dict) -> None:
    """Log the user in for real (new session key, login signal, audit) and mark the session verified."""
    request.session.pop(PENDING_KEY, None)
    request.session.pop(SECRET_KEY, None)
    auth_login(request, user, backend=data.get("backend") or settings.AUTHENTICATION_BACKENDS[-1])
    request.session[VERIFIED_KEY] = user.pk


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def reset(*, actor, user: User) -> None:
    """An administrator removes a user's device (lost phone); the user enrols again at the next login."""
    OTPDevice.objects.filter(user=user).delete()
    path, ent = _path(user)
    audit.record(actor=actor, action="accounts.otp_reset", obj=user, org_path=path, enterprise_id=ent)
