"""等保 2.0 定期更换 (security.md A3): a maximum password age and no reuse of the last five passwords.

Time is set by moving ``password_changed_at`` into the past (the project has no time-freezing library).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from anbiao.accounts import services
from anbiao.accounts.models import PasswordHistory, User
from anbiao.core.models import AuditEvent
from anbiao.core.scope import Scope
from anbiao.core.testing import PASSWORD

NEW_PASSWORDS = ["Xin#Mima2025", "Anbiao@2026a", "Qiye-anquan7", "hui9AN2025!", "Gong#Xiao-88"]


def _age(user, days: float) -> None:
    user.password_changed_at = timezone.now() - datetime.timedelta(days=days)
    user.save(update_fields=["password_changed_at"])


def _change(client, old, new):
    return client.post(
        reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
    )


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_defaults_are_ninety_days_and_five_passwords(settings):
    assert settings.ANBIAO_PASSWORD_MAX_AGE_DAYS == 90
    assert settings.ANBIAO_PASSWORD_HISTORY == 5
    names = [v["NAME"] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert "anbiao.accounts.passwords.PasswordHistoryValidator" in names


def test_a_password_older_than_ninety_days_sends_the_user_to_the_change_page_after_login(world, client):
    _age(world.admin_a, 91)
    response = _login(client, "admin_a", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == reverse("password_change") + "?next=/"
    blocked = client.get(reverse("orgs:enterprise_list"))
    assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("password_change"))
    page = client.get(home["Location"]).content.decode()
    assert "您的密码已超过 90 天未修改" in page
    api = client.get(reverse("api:enterprise-list"))
    assert api.status_code == 403 and "超过 90 天" in api.json()["detail"]

    changed = _change(client, PASSWORD, "Xin#Mima2025")
    assert changed.status_code == 302
    assert client.get(reverse("orgs:enterprise_list")).status_code == 200
    world.admin_a.refresh_from_db()
    assert timezone.now() - world.admin_a.password_changed_at < datetime.timedelta(minutes=1)
    assert AuditEvent.objects.filter(action="accounts.password_change", actor=world.admin_a).count() == 1


def test_a_password_changed_eighty_nine_days_ago_is_still_accepted(world, client):
    _age(world.admin_a, 89)
    _login(client, "admin_a", PASSWORD)
    assert client.get(reverse("orgs:enterprise_list")).status_code == 200


def test_an_account_that_never_changed_its_password_counts_from_its_creation(world, client):
    world.admin_a.date_joined = timezone.now() - datetime.timedelta(days=91)
    world.admin_a.password_changed_at = None
    world.admin_a.save(update_fields=["date_joined", "password_changed_at"])
    _login(client, "admin_a", PASSWORD)
    assert client.get(reverse("orgs:enterprise_list"))["Location"].startswith(reverse("password_change"))


def test_a_maximum_age_of_zero_never_expires_a_password(world, client, settings):
    settings.ANBIAO_PASSWORD_MAX_AGE_DAYS = 0  # the OWASP ASVS 6.2.10 choice
    _age(world.admin_a, 3650)
    _login(client, "admin_a", PASSWORD)
    assert client.get(reverse("orgs:enterprise_list")).status_code == 200


def test_an_expired_password_gets_no_api_token_and_its_old_token_stops_working(world, client):
    token = Token.objects.create(user=world.admin_a)
    _age(world.admin_a, 91)
    refused = client.post(reverse("api_token"), {"username": "admin_a", "password": PASSWORD})
    assert refused.status_code == 403 and "超过 90 天" in refused.json()["detail"]
    old = client.get(reverse("api:enterprise-list"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert old.status_code in {401, 403} and "超过 90 天" in old.json()["detail"]


def test_the_last_five_passwords_cannot_be_reused_but_the_sixth_oldest_can(world, login):
    client = login(world.admin_a)
    current = PASSWORD
    for new in NEW_PASSWORDS:  # PASSWORD, then five more: the last five are NEW_PASSWORDS
        assert _change(client, current, new).status_code == 302
        current = new
    assert PasswordHistory.objects.filter(user=world.admin_a).count() == 5
    for old in NEW_PASSWORDS[:-1]:
        refused = _change(client, current, old)
        assert refused.status_code == 200
        errors = refused.context["form"].errors["new_password1"]
        assert "新密码不能与最近 5 次使用过的密码相同，请换一个新密码。" in errors
    world.admin_a.refresh_from_db()
    assert world.admin_a.check_password(current)
    assert _change(client, current, PASSWORD).status_code == 302  # the sixth-oldest is allowed again
    world.admin_a.refresh_from_db()
    assert world.admin_a.check_password(PASSWORD)


def test_an_administrator_cannot_reset_a_password_to_one_of_the_last_five(world):
    user = world.principal_a
    scope = Scope.for_user(world.admin_a)
    with pytest.raises(ValidationError) as refused:
        services.user_reset_password(actor=world.admin_a, scope=scope, user=user, password=PASSWORD)
    assert "新密码不能与最近 5 次使用过的密码相同，请换一个新密码。" in refused.value.message_dict["password"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not user.must_change_password
    assert not AuditEvent.objects.filter(action="accounts.user_reset_password").exists()

    services.user_reset_password(actor=world.admin_a, scope=scope, user=user, password="Chongzhi#2025")
    user.refresh_from_db()
    assert user.check_password("Chongzhi#2025") and user.must_change_password
    assert PasswordHistory.objects.get(user=user).password == user.password


def test_a_generated_reset_password_goes_into_the_history_and_cannot_be_chosen_again(world, login):
    response = login(world.admin_a).post(reverse("accounts:user_reset_password", args=[world.principal_a.pk]))
    password = response.context["password"]
    user = User.objects.get(pk=world.principal_a.pk)
    assert PasswordHistory.objects.filter(user=user, password=user.password).exists()
    with pytest.raises(ValidationError):
        services.password_change(user=user, new_password=password)
