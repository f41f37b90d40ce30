"""Dormant accounts are disabled (等保 7.1.4.2c, security.md A1): ``manage.py anbiao_disable_dormant``.

Time is set by moving ``last_login`` / ``date_joined`` into the past.
"""

import datetime
import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from anbiao.accounts.models import User
from anbiao.core.models import AuditEvent
from anbiao.core.testing import PASSWORD


def _idle(user, *, last_login_days=None, joined_days=400):
    now = timezone.now()
    user.date_joined = now - datetime.timedelta(days=joined_days)
    user.last_login = None if last_login_days is None else now - datetime.timedelta(days=last_login_days)
    user.save(update_fields=["date_joined", "last_login"])


def _run(*args) -> str:
    out = io.StringIO()
    call_command("anbiao_disable_dormant", *args, stdout=out)
    return out.getvalue()


def _active(*users) -> list[bool]:
    return [User.objects.get(pk=u.pk).is_active for u in users]


def test_the_default_is_one_hundred_and_eighty_days(settings):
    assert settings.ANBIAO_DORMANT_DAYS == 180


def test_accounts_idle_longer_than_the_limit_are_disabled_with_one_audit_event_each(world, client):
    _idle(world.principal_a, last_login_days=181)
    _idle(world.inspector, last_login_days=None, joined_days=200)  # created, never used
    _idle(world.admin_b, last_login_days=179)  # recent enough
    _idle(world.expert, last_login_days=None, joined_days=10)  # new account, not used yet
    others = set(User.objects.filter(is_active=True).values_list("pk", flat=True))

    out = _run()

    assert _active(world.principal_a, world.inspector, world.admin_b, world.expert) == [
        False,
        False,
        True,
        True,
    ]
    assert set(User.objects.filter(is_active=False).values_list("pk", flat=True)) == {
        world.principal_a.pk,
        world.inspector.pk,
    }
    assert others - {world.principal_a.pk, world.inspector.pk} == set(
        User.objects.filter(is_active=True).values_list("pk", flat=True)
    )
    events = AuditEvent.objects.filter(action="accounts.user_disable_dormant")
    assert sorted(events.values_list("object_id", flat=True)) == sorted(
        [str(world.principal_a.pk), str(world.inspector.pk)]
    )
    event = events.get(object_id=str(world.principal_a.pk))
    assert event.actor is None and event.actor_name == "系统"
    assert event.source == "command:anbiao_disable_dormant"
    assert event.before["is_active"] is True and event.after["is_active"] is False
    assert event.after["dormant_days"] == 180 and event.after["last_login"]
    assert event.org_path == world.ent_a.unit.path and event.enterprise_id == world.ent_a.pk
    assert "已停用：principal_a，最近登录" in out
    assert "已停用：inspector，从未登录（创建于" in out
    assert "超过 180 天未登录的账号：已停用 2 个。" in out

    refused = client.post(reverse("login"), {"username": "principal_a", "password": PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session


def test_a_second_run_finds_nothing_more_to_do(world):
    _idle(world.principal_a, last_login_days=365)
    _run()
    out = _run()
    assert "已停用 0 个" in out
    assert AuditEvent.objects.filter(action="accounts.user_disable_dormant").count() == 1


def test_a_dry_run_lists_the_accounts_and_changes_nothing(world):
    _idle(world.principal_a, last_login_days=181)
    out = _run("--dry-run")
    assert "将停用：principal_a" in out and "试运行，未作修改" in out
    assert _active(world.principal_a) == [True]
    assert not AuditEvent.objects.filter(action="accounts.user_disable_dormant").exists()


def test_a_signed_in_dormant_users_session_ends_at_the_next_request(world, client):
    client.post(reverse("login"), {"username": "principal_a", "password": PASSWORD})
    _idle(world.principal_a, last_login_days=181)
    _run()
    response = client.get(reverse("orgs:enterprise_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_limit_follows_the_setting_and_zero_turns_the_rule_off(world, settings):
    _idle(world.principal_a, last_login_days=40)
    settings.ANBIAO_DORMANT_DAYS = 0
    out = _run()
    assert "ANBIAO_DORMANT_DAYS=0" in out and _active(world.principal_a) == [True]
    settings.ANBIAO_DORMANT_DAYS = 30
    assert "已停用：principal_a" in _run()
    assert _active(world.principal_a) == [False]


def test_using_the_api_with_a_token_counts_as_activity(world, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=world.principal_a)
    _idle(world.principal_a, last_login_days=181)
    world.principal_a.password_changed_at = timezone.now()  # (an expired password gets no API access)
    world.principal_a.save(update_fields=["password_changed_at"])
    response = client.get(reverse("api:enterprise-list"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert "已停用 0 个" in _run()
    assert _active(world.principal_a) == [True]


def test_the_last_active_county_administrator_is_kept_even_when_dormant(world):
    _idle(world.county_admin, last_login_days=300)
    _idle(world.principal_a, last_login_days=300)

    out = _run()

    assert _active(world.county_admin, world.principal_a) == [True, False]
    assert "保留：county_admin" in out and "最后一个在用的县社管理员" in out
    assert not AuditEvent.objects.filter(
        action="accounts.user_disable_dormant", object_id=str(world.county_admin.pk)
    ).exists()


def test_a_dormant_county_administrator_is_disabled_while_another_one_is_in_use(world):
    from anbiao.accounts.models import Membership
    from anbiao.core.roles import Role

    Membership.objects.create(user=world.admin_b, role=Role.COUNTY_ADMIN, organization=world.county)
    _idle(world.county_admin, last_login_days=300)
    _idle(world.admin_b, last_login_days=3)

    assert "保留" not in _run()
    assert _active(world.county_admin, world.admin_b) == [False, True]


def test_with_the_separation_of_duties_the_last_security_administrator_is_kept_too(world, settings):
    from anbiao.accounts.models import Membership
    from anbiao.core.roles import Role

    settings.ANBIAO_SEPARATION_OF_DUTIES = True
    security = User.objects.create_user(username="anquan", password=PASSWORD, full_name="安全")
    Membership.objects.create(user=security, role=Role.SECURITY_ADMIN, organization=world.county)
    auditor = User.objects.create_user(username="shenji", password=PASSWORD, full_name="审计")
    Membership.objects.create(user=auditor, role=Role.AUDIT_ADMIN, organization=world.county)
    for user in (world.county_admin, security, auditor):
        _idle(user, last_login_days=300)

    out = _run()

    assert _active(world.county_admin, security, auditor) == [True, True, False]
    assert "最后一个在用的县社管理员" in out and "保留：anquan" in out and "最后一个在用的安全管理员" in out
