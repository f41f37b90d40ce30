"""No secrets or personal data in the logs, and no forged log lines (ASVS 16.2.5, 16.4.1; security.md C5).

Everything is captured: the root logger and Django's and axes' loggers at DEBUG (far more than production's
WARNING; ``django.template`` and ``django.db.backends`` are held at INFO by the settings, because their debug
records carry whole template contexts and SQL parameters), the audit rows and django-axes' login-failure
tables written meanwhile. The inputs are what real people and attackers send: a
password, an 18-digit 身份证号 typed into the username field, CR/LF followed by a made-up log line.
"""

import json
import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.urls import reverse

from anbiao.accounts.models import User
from anbiao.core.models import AuditEvent
from anbiao.core.testing import PASSWORD

SECRET = "Zz#Geheim-7731"
NEW_SECRET = "Neu#Geheim-8842"
ID_NUMBER = "350521199001011234"
FORGED = "ERROR django.security forged-line"
CRLF = "x\r\n" + FORGED


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.request", "django.security", "axes"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _rows(queryset) -> str:
    return json.dumps(list(queryset.values()), ensure_ascii=False, default=str)


def _assert_clean(logs, audit_rows, secrets):
    messages = [r.getMessage() for r in logs.records]
    assert messages, "nothing was logged: the capture is not working"
    for text in [*messages, logs.text, audit_rows]:
        for secret in secrets:
            assert secret not in text
    for message in messages:
        assert "\r" not in message
        assert not any(line.lstrip().startswith(FORGED) for line in message.splitlines())
    assert not any(line.lstrip().startswith(FORGED) for line in logs.text.splitlines())


def test_failed_logins_log_no_password_no_id_number_and_no_forged_line(world, client, logs):
    first = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    _login(client, "admin_a", SECRET)  # wrong password
    _login(client, ID_NUMBER, SECRET)  # ID number as the login name
    _login(client, SECRET, ID_NUMBER)  # the password typed into the username field
    forged = _login(client, CRLF, SECRET, HTTP_X_REQUEST_ID="r1\r\n" + FORGED)
    assert forged.status_code == 200 and "\n" not in forged["X-Request-ID"]
    csrf = _login(Client(enforce_csrf_checks=True), ID_NUMBER, SECRET)  # refused before any view runs
    assert csrf.status_code == 403
    client.get("/no-such-page%0D%0A" + FORGED.replace(" ", "%20") + "/")  # 404, the path is logged

    events = AuditEvent.objects.filter(pk__gt=first)
    failed = events.filter(action="accounts.login_failed")
    assert failed.count() == 4
    assert failed.filter(object_repr="admin_a", object_id=str(world.admin_a.pk)).count() == 1
    unknown = set(failed.exclude(object_repr="admin_a").values_list("object_repr", flat=True))
    assert len(unknown) == 3 and all(name.startswith("未知用户名#") for name in unknown)
    for event in events:
        assert "\r" not in event.object_repr + event.actor_name + event.request_id
        assert "\n" not in event.object_repr + event.actor_name + event.request_id
    assert any(r.name == "django.security.csrf" for r in logs.records)
    assert any(r.name == "django.request" and "Not Found" in r.getMessage() for r in logs.records)

    axes_rows = _rows(AccessAttempt.objects.all()) + _rows(AccessFailureLog.objects.all())
    assert AccessAttempt.objects.filter(username="admin_a").exists()  # the lockout still counts by account
    _assert_clean(logs, _rows(events) + axes_rows, [SECRET, ID_NUMBER])


def test_form_posts_log_no_password_no_id_number_and_no_forged_line(world, login, logs):
    client = login(world.admin_a)
    first = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    wrong_old = client.post(
        reverse("password_change"),
        {"old_password": SECRET, "new_password1": ID_NUMBER, "new_password2": ID_NUMBER},
    )
    assert wrong_old.status_code == 200
    changed = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_SECRET, "new_password2": NEW_SECRET},
    )
    assert changed.status_code == 302
    refused = client.post(
        reverse("accounts:user_create"),
        {
            "username": "idcard",
            "full_name": CRLF,
            "phone": ID_NUMBER + "X",
            "role": "ent_safety",
            "enterprise": world.ent_a.pk,
        },
    )
    assert refused.status_code == 200 and not User.objects.filter(username="idcard").exists()
    created = client.post(
        reverse("accounts:user_create"),
        {"username": "crlf", "full_name": CRLF, "role": "ent_safety", "enterprise": world.ent_a.pk},
    )
    assert created.status_code == 200

    events = AuditEvent.objects.filter(pk__gt=first)
    assert list(events.order_by("pk").values_list("action", flat=True)) == [
        "accounts.password_change",
        "accounts.user_create",
    ]
    created_event = events.get(action="accounts.user_create")
    assert created_event.object_repr == "x\\r\\n" + FORGED  # shown escaped, on one line
    _assert_clean(logs, _rows(events), [SECRET, NEW_SECRET, ID_NUMBER])
