"""manage.py anbiao_bootstrap: the first login of a production system (docs/deployment.md)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from anbiao.accounts.models import Membership, User
from anbiao.core.models import AuditEvent
from anbiao.orgs.models import Organization

ARGS = [
    "--unit-name",
    "惠安县供销合作社联合社",
    "--unit-code",
    "HA",
    "--username",
    "wangfan",
    "--full-name",
    "王帆",
]


@pytest.mark.django_db
def test_an_empty_system_gets_its_county_and_first_administrator_who_must_change_the_password(client):
    out = io.StringIO()
    call_command("anbiao_bootstrap", *ARGS, stdout=out)
    password = out.getvalue().split("初始密码：")[1].split()[0]
    root = Organization.objects.get(parent__isnull=True)
    assert (root.code, root.kind) == ("HA", "county")
    user = User.objects.get(username="wangfan")
    assert user.must_change_password
    assert Membership.objects.get(user=user).role == "county_admin"
    assert AuditEvent.objects.filter(
        action="accounts.user_create", source="command:anbiao_bootstrap"
    ).exists()
    response = client.post(reverse("login"), {"username": "wangfan", "password": password})
    assert response.status_code == 302
    assert client.get(reverse("orgs:enterprise_list"))["Location"].startswith(reverse("password_change"))


@pytest.mark.django_db
def test_it_refuses_another_top_unit_and_a_duplicate_administrator():
    call_command("anbiao_bootstrap", *ARGS, stdout=io.StringIO())
    with pytest.raises(CommandError, match="顶级单位"):
        call_command("anbiao_bootstrap", *[a if a != "HA" else "XX" for a in ARGS], stdout=io.StringIO())
    with pytest.raises(CommandError, match="已被使用"):
        call_command("anbiao_bootstrap", *ARGS, stdout=io.StringIO())
    # a second administrator for the same county is fine
    call_command(
        "anbiao_bootstrap", *ARGS[:4], "--username", "second", "--full-name", "李四", stdout=io.StringIO()
    )
    assert Organization.objects.count() == 1 and User.objects.count() == 2
