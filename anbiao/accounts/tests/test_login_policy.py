"""等保 2.0 二级 login policy: complexity, lockout, idle timeout, forced first change, session hygiene."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from anbiao.core.models import AuditEvent
from anbiao.core.testing import PASSWORD


def _post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.parametrize(
    "password",
    ["short1A", "alllowercase1", "ALLUPPER12", "onlyletters", "12345678901", "password123"],
)
def test_weak_passwords_are_refused(password, db):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["Anbiao@2025", "Xin#Mima2025", "Qiye-anquan7", "hui9AN2025"])
def test_passwords_with_three_classes_and_eight_characters_are_accepted(password, db):
    validate_password(password)


def test_a_password_like_the_username_is_refused(world):
    with pytest.raises(ValidationError):
        validate_password("Admin_a2025", world.admin_a)


def test_a_correct_login_lands_on_the_home_page_with_a_new_session_key(world, client):
    client.get(reverse("login"))
    before = client.session.session_key
    response = _post_login(client, "admin_a", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session.session_key != before


def test_five_failed_logins_lock_the_account_even_for_the_right_password(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _post_login(client, "admin_a", "wrong-password")
    assert response.status_code in {403, 429}
    locked = _post_login(client, "admin_a", PASSWORD)
    assert locked.status_code in {403, 429}
    assert "锁定".encode() in locked.content
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock_and_a_success_resets_the_count(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _post_login(client, "admin_a", "wrong-password")
    assert _post_login(client, "admin_a", PASSWORD).status_code == 302
    failed = AuditEvent.objects.filter(action="accounts.login_failed", object_repr="admin_a")
    assert failed.count() == settings.AXES_FAILURE_LIMIT - 1
    assert failed.first().org_path == world.unit_a.path
    assert AuditEvent.objects.filter(action="accounts.login", actor=world.admin_a).exists()
    assert not AccessAttempt.objects.filter(username="admin_a", failures_since_start__gt=0).exists()


def test_a_unit_admin_unlocks_a_locked_user_of_their_subtree(world, client, login):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "principal_a", "wrong-password")
    assert AccessAttempt.objects.filter(username="principal_a").exists()
    admin = login(world.admin_a)
    detail = admin.get(reverse("accounts:user_detail", args=[world.principal_a.pk]))
    assert "解锁账号".encode() in detail.content
    response = admin.post(reverse("accounts:user_unlock", args=[world.principal_a.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="principal_a").exists()
    assert AuditEvent.objects.filter(
        action="accounts.user_unlock", object_id=str(world.principal_a.pk)
    ).exists()
    admin.logout()
    assert _post_login(client, "principal_a", PASSWORD).status_code == 302


def test_a_sibling_admin_cannot_unlock_a_user_outside_their_subtree(world, login):
    response = login(world.admin_b).post(reverse("accounts:user_unlock", args=[world.principal_a.pk]))
    assert response.status_code == 404


def test_the_session_expires_after_thirty_idle_minutes_and_slides_with_activity():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_an_idle_session_past_its_age_is_sent_back_to_login(world, client, settings):
    settings.SESSION_COOKIE_AGE = 1
    _post_login(client, "admin_a", PASSWORD)
    import time

    time.sleep(1.2)
    response = client.get(reverse("orgs:enterprise_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_logout_flushes_the_session(world, client):
    _post_login(client, "admin_a", PASSWORD)
    key = client.session.session_key
    client.post(reverse("logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("orgs:enterprise_list")).status_code == 302


def test_an_account_created_by_an_admin_must_change_its_password_first(world, client, login):
    admin = login(world.admin_a)
    response = admin.post(
        reverse("accounts:user_create"),
        {
            "username": "new_safety",
            "full_name": "新安全员",
            "role": "ent_safety",
            "enterprise": world.ent_a.pk,
        },
    )
    assert response.status_code == 200
    password = response.context["password"]
    admin.logout()
    assert _post_login(client, "new_safety", password).status_code == 302
    blocked = client.get(reverse("orgs:enterprise_list"))
    assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("password_change"))
    assert client.get(reverse("api:enterprise-list")).status_code == 403
    refused = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": password, "new_password2": password},
    )
    assert "不能与当前密码相同" in refused.content.decode()
    changed = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Xin#Mima2025", "new_password2": "Xin#Mima2025"},
    )
    assert changed.status_code == 302
    assert client.get(reverse("orgs:enterprise_list")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.password_change", actor__username="new_safety").exists()


def test_a_mismatched_or_weak_new_password_is_refused_with_a_message(world, login):
    client = login(world.admin_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    assert response.status_code == 200
    assert "至少 3 类" in response.content.decode()
    wrong_old = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": "Xin#Mima2025", "new_password2": "Xin#Mima2025"},
    )
    assert "当前密码不正确" in wrong_old.content.decode()


def test_the_next_parameter_after_a_password_change_cannot_leave_the_site(world, login):
    client = login(world.admin_a)
    response = client.post(
        reverse("password_change") + "?next=https://evil.example/",
        {"old_password": PASSWORD, "new_password1": "Xin#Mima2025", "new_password2": "Xin#Mima2025"},
    )
    assert response["Location"] == "/"


def test_the_login_page_renders_in_chinese(db, client):
    response = client.get(reverse("login"))
    assert "登录".encode() in response.content
    assert response["Content-Security-Policy"]


def test_a_long_passphrase_is_accepted_whole_and_never_truncated(world, client):
    passphrase = "Gongxiao she anquan shengchan biaozhunhua 2025 nian quanmian tisheng!"
    assert len(passphrase) >= 64
    validate_password(passphrase, world.admin_a)
    world.admin_a.set_password(passphrase)
    world.admin_a.save()
    assert _post_login(client, "admin_a", passphrase[:-1] + "?").status_code == 200
    assert _post_login(client, "admin_a", passphrase).status_code == 302


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(world, client):
    unknown = _post_login(client, "no_such_user", "wrong-password")
    known = _post_login(client, "admin_a", "wrong-password")
    assert unknown.status_code == known.status_code == 200
    assert unknown.context["form"].non_field_errors() == known.context["form"].non_field_errors()


def test_a_deactivated_users_session_ends_at_the_next_request(world, client):
    _post_login(client, "principal_a", PASSWORD)
    assert client.get(reverse("orgs:enterprise_list")).status_code == 200
    world.principal_a.is_active = False
    world.principal_a.save()
    response = client.get(reverse("orgs:enterprise_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_changing_the_password_ends_the_users_other_sessions(world, client):
    from django.test import Client

    other = Client()
    other.post(reverse("login"), {"username": "admin_a", "password": PASSWORD})
    _post_login(client, "admin_a", PASSWORD)
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Xin#Mima2025", "new_password2": "Xin#Mima2025"},
    )
    assert client.get(reverse("orgs:enterprise_list")).status_code == 200  # this one stays signed in
    assert other.get(reverse("orgs:enterprise_list")).status_code == 302


def test_a_session_ends_after_twelve_hours_however_active(world, client, settings):
    from anbiao.accounts.middleware import LOGIN_AT_KEY

    assert settings.ANBIAO_SESSION_MAX_HOURS == 12
    _post_login(client, "admin_a", PASSWORD)
    session = client.session
    session[LOGIN_AT_KEY] -= 11.9 * 3600
    session.save()
    assert client.get(reverse("orgs:enterprise_list")).status_code == 200
    session = client.session
    session[LOGIN_AT_KEY] -= 0.2 * 3600
    session.save()
    response = client.get(reverse("orgs:enterprise_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_one_wrong_password_does_not_show_the_account_as_locked_but_five_do(world, client, login):
    stranger = Client()
    _post_login(stranger, "principal_a", "wrong-password")
    admin = login(world.admin_a)
    detail = admin.get(reverse("accounts:user_detail", args=[world.principal_a.pk])).content.decode()
    assert "已锁定" not in detail and "解锁账号" not in detail
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _post_login(stranger, "principal_a", "wrong-password")
    detail = admin.get(reverse("accounts:user_detail", args=[world.principal_a.pk])).content.decode()
    assert "已锁定" in detail and "解锁账号" in detail


def test_locked_accounts_are_a_todo_on_the_admins_home_and_a_filter_of_the_user_list(world, client, login):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "principal_a", "wrong-password")
    _post_login(client, "safety_a", "wrong-password")
    admin = login(world.admin_a)
    todos = dict(admin.get(reverse("home")).context["todos"])
    link = todos["1 个账号因连续输错密码被锁定：核实是本人后可解锁。"]
    listed = admin.get(link)
    assert [u.username for u in listed.context["object_list"]] == ["principal_a"]
    assert "已锁定" in listed.content.decode()
    sibling = login(world.admin_b).get(reverse("home")).context["todos"]
    assert not any("被锁定" in text for text, _ in sibling)


def test_the_user_list_filters_offer_all_yes_and_no_and_say_what_the_search_looks_in(world, login):
    page = login(world.admin_a).get(reverse("accounts:user_list")).content.decode()
    assert '<option value="unknown" selected>全部</option>' in page and "未知" not in page
    assert 'placeholder="用户名、姓名、手机号…"' in page
