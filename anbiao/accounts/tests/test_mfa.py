"""A7 (等保 三级 switch): TOTP for county and unit administrators with ANBIAO_MFA_REQUIRED."""

import time

import pyotp
import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from anbiao.accounts import mfa
from anbiao.accounts.models import OTPDevice
from anbiao.core.models import AuditEvent
from anbiao.core.testing import PASSWORD

SECRET = pyotp.random_base32(32)


@pytest.fixture
def mfa_on(settings):
    settings.ANBIAO_MFA_REQUIRED = True
    return settings


def _device(user, secret=SECRET, last_step=None):
    return OTPDevice.objects.create(
        user=user, secret=secret, confirmed_at="2025-01-01T00:00:00Z", last_used_step=last_step
    )


def _code(secret=SECRET, step=None):
    return mfa.code_at(secret, mfa.current_step() if step is None else step)


def _wrong(secret=SECRET):
    """A well-formed code that matches no step within the drift window."""
    step = mfa.current_step()
    valid = {mfa.code_at(secret, s) for s in range(step - 2, step + 3)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444", "555555") if c not in valid)


def _password(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def _authenticated(client) -> bool:
    return "_auth_user_id" in client.session


def test_off_by_default_administrators_log_in_with_the_password_alone(world, client, settings):
    assert settings.ANBIAO_MFA_REQUIRED is False
    response = _password(client, "admin_a")
    assert response.status_code == 302 and response["Location"] == "/"
    assert _authenticated(client)


def test_an_administrator_gets_no_session_from_the_password_alone(world, client, mfa_on):
    _device(world.admin_a)
    response = _password(client, "admin_a")
    assert response.status_code == 302 and response["Location"] == reverse("otp_verify")
    assert not _authenticated(client)
    # nothing behind the login is reachable half-way through
    page = client.get(reverse("orgs:enterprise_list"))
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert client.get(reverse("api:enterprise-list")).status_code == 403
    assert not AuditEvent.objects.filter(action="accounts.login", actor=world.admin_a).exists()


def test_a_correct_code_logs_in_with_a_new_session_key_and_audits_the_login(world, client, mfa_on):
    _device(world.admin_a)
    _password(client, "admin_a")
    pending_key = client.session.session_key
    assert client.get(reverse("otp_verify")).status_code == 200
    response = client.post(reverse("otp_verify"), {"code": _code()})
    assert response.status_code == 302 and response["Location"] == "/"
    assert _authenticated(client) and client.session.session_key != pending_key
    assert client.get(reverse("orgs:enterprise_list")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.login", actor=world.admin_a).exists()


def test_a_code_is_single_use_and_earlier_codes_are_refused_too(world, client, mfa_on):
    device = _device(world.admin_a)
    step = mfa.current_step()
    assert mfa.verify(device, _code(step=step))
    assert not mfa.verify(device, _code(step=step)), "replay of the same code"
    assert not mfa.verify(device, _code(step=step - 1)), "an earlier step after a later one"
    device.refresh_from_db()
    assert device.last_used_step == step
    # through the pages: the code used once cannot log in a second browser
    _password(client, "admin_a")
    replay = client.post(reverse("otp_verify"), {"code": _code(step=step)})
    assert replay.status_code == 200 and "已使用过" in replay.content.decode()
    assert not _authenticated(client)


def test_codes_follow_rfc_6238_with_a_30_second_step_and_one_step_of_drift(world):
    device = _device(world.admin_a)
    now = time.time()
    assert mfa.STEP_SECONDS == 30
    assert mfa.code_at(SECRET, mfa.current_step(now)) == pyotp.TOTP(SECRET, interval=30).at(now)
    assert mfa.matching_step(SECRET, _code(step=mfa.current_step(now) + 1), now) is not None
    assert mfa.matching_step(SECRET, _code(step=mfa.current_step(now) - 2), now) is None
    assert mfa.matching_step(SECRET, "12ab56", now) is None
    assert mfa.verify(device, pyotp.TOTP(SECRET).now())


def test_five_wrong_codes_lock_the_device_even_for_the_right_code(world, client, mfa_on):
    device = _device(world.admin_a)
    _password(client, "admin_a")
    for _ in range(mfa.MAX_FAILURES):
        client.post(reverse("otp_verify"), {"code": _wrong()})
    device.refresh_from_db()
    assert mfa.is_locked(device)
    response = client.post(reverse("otp_verify"), {"code": _code()})
    assert "已锁定" in response.content.decode() and not _authenticated(client)
    assert AuditEvent.objects.filter(action="accounts.otp_failed", actor=world.admin_a).count() >= 5


def test_first_login_enrols_with_a_qr_code_and_one_code(world, client, mfa_on):
    response = _password(client, "admin_a")
    assert response["Location"] == reverse("otp_setup")
    page = client.get(reverse("otp_setup"))
    assert page.status_code == 200 and 'src="data:image/svg+xml' in page.content.decode()
    secret = client.session[mfa.SECRET_KEY]
    assert secret in page.content.decode()
    refused = client.post(reverse("otp_setup"), {"code": _wrong(secret)})
    assert refused.status_code == 200 and "动态口令不正确" in refused.content.decode()
    assert not _authenticated(client) and not OTPDevice.objects.filter(user=world.admin_a).exists()
    response = client.post(reverse("otp_setup"), {"code": mfa.code_at(secret, mfa.current_step())})
    assert response.status_code == 302 and _authenticated(client)
    device = OTPDevice.objects.get(user=world.admin_a)
    assert device.secret == secret and device.confirmed_at is not None
    assert AuditEvent.objects.filter(action="accounts.otp_enrol", actor=world.admin_a).exists()
    # with a confirmed device the setup page cannot be used to replace it
    client.logout()
    _password(client, "admin_a")
    assert client.get(reverse("otp_setup"))["Location"] == reverse("otp_verify")


def test_a_half_finished_login_expires_and_the_code_page_needs_the_password_first(world, client, mfa_on):
    _device(world.admin_a)
    assert client.get(reverse("otp_verify"))["Location"] == reverse("login")
    _password(client, "admin_a")
    session = client.session
    session[mfa.PENDING_KEY] = {**session[mfa.PENDING_KEY], "at": time.time() - mfa.PENDING_SECONDS - 1}
    session.save()
    assert client.post(reverse("otp_verify"), {"code": _code()})["Location"] == reverse("login")
    assert not _authenticated(client)


def test_county_admins_need_it_and_enterprise_users_do_not(world, client, mfa_on):
    assert mfa.required_for(world.county_admin) and mfa.required_for(world.admin_b)
    assert not mfa.required_for(world.principal_a) and not mfa.required_for(world.leader)
    response = _password(client, "principal_a")
    assert response["Location"] == "/" and _authenticated(client)


def test_a_session_from_before_the_switch_is_ended(world, client, login, settings):
    login(world.admin_a)
    assert client.get(reverse("orgs:enterprise_list")).status_code == 200
    settings.ANBIAO_MFA_REQUIRED = True
    response = client.get(reverse("orgs:enterprise_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not _authenticated(client)


def test_api_tokens_of_administrators_need_a_code_and_old_tokens_stop_working(world, client, mfa_on):
    old = Token.objects.create(user=world.admin_a)
    listing = reverse("api:enterprise-list")
    assert client.get(listing, HTTP_AUTHORIZATION=f"Token {old.key}").status_code in {401, 403}
    url = reverse("api_token")
    no_device = client.post(url, {"username": "admin_a", "password": PASSWORD})
    assert no_device.status_code == 403
    _device(world.admin_a)
    assert client.post(url, {"username": "admin_a", "password": PASSWORD}).status_code == 401
    issued = client.post(url, {"username": "admin_a", "password": PASSWORD, "otp": _code()})
    assert issued.status_code == 200
    key = issued.json()["token"]
    assert key != old.key and not Token.objects.filter(key=old.key).exists()
    assert client.get(listing, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    # an enterprise user's token needs no code
    plain = client.post(url, {"username": "principal_a", "password": PASSWORD})
    assert plain.status_code == 200


def test_an_administrator_resets_a_lost_device_and_the_user_enrols_again(world, client, login, mfa_on):
    _device(world.principal_a)
    admin = login(world.admin_a)
    session = admin.session
    session[mfa.VERIFIED_KEY] = world.admin_a.pk
    session.save()
    detail = admin.get(reverse("accounts:user_detail", args=[world.principal_a.pk]))
    assert "重置动态口令" in detail.content.decode()
    response = admin.post(reverse("accounts:user_otp_reset", args=[world.principal_a.pk]))
    assert response.status_code == 302
    assert not OTPDevice.objects.filter(user=world.principal_a).exists()
    assert AuditEvent.objects.filter(
        action="accounts.otp_reset", object_id=str(world.principal_a.pk)
    ).exists()


def test_a_sibling_administrator_cannot_reset_a_device(world, login):
    _device(world.principal_a)
    response = login(world.admin_b).post(reverse("accounts:user_otp_reset", args=[world.principal_a.pk]))
    assert response.status_code == 404
    assert OTPDevice.objects.filter(user=world.principal_a).exists()


def test_any_user_may_enrol_before_it_is_required(world, login):
    client = login(world.principal_a)
    page = client.get(reverse("otp_setup"))
    assert page.status_code == 200
    secret = client.session[mfa.SECRET_KEY]
    response = client.post(reverse("otp_setup"), {"code": mfa.code_at(secret, mfa.current_step())})
    assert response.status_code == 302
    assert OTPDevice.objects.filter(user=world.principal_a, confirmed_at__isnull=False).exists()
