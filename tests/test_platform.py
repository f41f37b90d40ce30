"""Health check, security headers, demo data."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from anbiao.accounts.models import Membership, User
from anbiao.orgs.models import Enterprise, Organization
from anbiao.orgs.uscc import is_valid


def test_healthz_reports_the_database(db, client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["database"]["status"] == "ok"


def test_pages_carry_a_content_security_policy_and_no_framing(world, login):
    response = login(world.admin_a).get(reverse("orgs:enterprise_list"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_unknown_pages_are_a_chinese_404(world, login):
    response = login(world.admin_a).get("/no-such-page/")
    assert response.status_code == 404
    assert "未找到" in response.content.decode()


@pytest.mark.django_db
def test_the_demo_data_builds_a_realistic_system_and_is_idempotent():
    call_command("anbiao_demo", "--if-empty")
    counts = (Organization.objects.count(), Enterprise.objects.count(), User.objects.count())
    assert counts[0] == 9 and counts[1] == 120
    assert all(is_valid(code) for code in Enterprise.objects.values_list("uscc", flat=True))
    assert set(Enterprise.objects.values_list("size_class", flat=True)) == {"above_scale", "medium", "small"}
    assert Enterprise.objects.filter(is_rental_outlet=True).exists()
    assert Enterprise.objects.exclude(nine_small_kind="").exists()
    assert Enterprise.objects.filter(status="closed").exists()
    roles = set(Membership.objects.values_list("user__username", "role"))
    for pair in [
        ("county_admin", "county_admin"),
        ("unit_admin", "unit_admin"),
        ("ent_principal", "ent_principal"),
        ("ent_safety", "ent_safety"),
        ("inspector", "inspector"),
        ("expert", "expert"),
        ("leader", "leader"),
    ]:
        assert pair in roles
    call_command("anbiao_demo")
    assert (Organization.objects.count(), Enterprise.objects.count(), User.objects.count()) == counts
    call_command("anbiao_demo", "--if-empty")
    assert Enterprise.objects.count() == 120


@pytest.mark.django_db
def test_demo_logins_work_with_the_documented_password(client):
    call_command("anbiao_demo", "--enterprises", "10")
    response = client.post(reverse("login"), {"username": "unit_admin", "password": "Anbiao@2025"})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_the_demo_command_refuses_to_run_with_production_settings(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("anbiao_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_demo_logins_are_printed(capsys):
    call_command("anbiao_demo", "--print-logins")
    out = capsys.readouterr().out
    assert "county_admin" in out and "Anbiao@2025" in out
