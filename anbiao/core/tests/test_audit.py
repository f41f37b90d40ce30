"""The audit trail: every write leaves one append-only event, readable by administrators of the subtree."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from anbiao.accounts.models import User
from anbiao.core import audit
from anbiao.core.models import AuditEvent
from anbiao.core.scope import Scope
from anbiao.orgs import services


def test_audit_events_cannot_be_changed_or_deleted(world):
    event = AuditEvent.objects.first()
    event.action = "tampered"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().update(action="x")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the append-only triggers are PostgreSQL's (migration core 0004)",
)


@postgresql_only
@pytest.mark.parametrize("table", ["core_auditevent", "core_integrityseal"])
def test_on_postgresql_plain_sql_cannot_change_or_delete_audit_rows_or_seals(world, settings, table):
    settings.ANBIAO_INTEGRITY_KEY = "k3y-for-tests-only-0123456789abcdef0123456789"
    with transaction.atomic():
        audit.record(actor=world.admin_a, action="test.sealed")
    for sql in (f"UPDATE {table} SET object_id = 'x'", f"DELETE FROM {table}"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(sql)
    assert AuditEvent.objects.filter(action="test.sealed").exists()


@postgresql_only
def test_on_postgresql_deleting_a_user_empties_the_actor_and_keeps_the_row_and_the_name(world):
    user = User.objects.create_user(username="leaver", password="x", full_name="离职者")
    with transaction.atomic():
        event = audit.record(actor=user, action="test.by_leaver")
    user.delete()
    kept = AuditEvent.objects.get(pk=event.pk)
    assert (kept.actor_id, kept.actor_name, kept.action) == (None, "leaver", "test.by_leaver")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute("UPDATE core_auditevent SET actor_id = NULL, action = 'x' WHERE id = %s", [kept.pk])


def test_recording_outside_a_transaction_is_a_programming_error(transactional_db):
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="x.y")


def test_a_web_write_records_actor_ip_request_id_and_only_the_changed_fields(world, login):
    client = login(world.admin_a)
    client.post(
        reverse("orgs:organization_update", args=[world.unit_a1.pk]),
        {"kind": "centre", "name": "甲中心", "code": "TA1", "sort_order": 0},
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_REQUEST_ID="req-123",
    )
    event = AuditEvent.objects.get(action="orgs.organization_update")
    assert (event.actor, event.ip, event.request_id, event.source) == (
        world.admin_a,
        "10.1.2.3",
        "req-123",
        "web",
    )
    assert event.before == {"name": "甲供销社服务中心"} and event.after == {"name": "甲中心"}
    assert event.org_path == world.unit_a1.path


def test_a_failed_write_leaves_no_audit_event(world):
    from django.core.exceptions import ValidationError

    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.organization_update(
            actor=world.admin_a, scope=Scope.for_user(world.admin_a), org=world.unit_a1, code="has space"
        )
    assert AuditEvent.objects.count() == before


def test_the_audit_page_is_scoped_to_the_administrators_subtree(world, login):
    response = login(world.admin_a).get(reverse("core:audit_list"))
    events = list(response.context["object_list"])
    assert events
    assert all(e.org_path.startswith(world.unit_a.path) for e in events)
    assert not any(e.enterprise_id == world.ent_b.pk for e in events)


def test_the_audit_page_filters_by_actor_action_object_and_date(world, login, django_assert_max_num_queries):
    client = login(world.county_admin)
    services.organization_update(
        actor=world.county_admin,
        scope=Scope.for_user(world.county_admin),
        org=world.unit_b,
        name="乙社（改）",
    )
    with django_assert_max_num_queries(10):
        response = client.get(
            reverse("core:audit_list"),
            {"actor": "county", "action": "organization_update", "object": "乙社", "start": "2000-01-01"},
        )
    assert [e.object_repr for e in response.context["object_list"]] == ["乙社（改）"]
    assert "乙社（改）" in response.content.decode()


def test_enterprise_users_cannot_read_the_audit_log(world, login):
    assert login(world.principal_a).get(reverse("core:audit_list")).status_code == 403


def test_an_export_is_recorded_with_who_which_filters_and_the_file_name(world, login):
    client = login(world.admin_a)
    response = client.get(reverse("orgs:enterprise_export") + "?q=甲", REMOTE_ADDR="10.1.2.9")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    event = AuditEvent.objects.get(action="core.download")
    assert (event.actor, event.ip, event.org_path) == (world.admin_a, "10.1.2.9", world.unit_a.path)
    assert event.object_repr.startswith(reverse("orgs:enterprise_export") + "?q=")
    assert event.after["file"].endswith(".xlsx")


def test_pages_api_lists_and_failed_downloads_are_not_recorded_as_downloads(world, login):
    client = login(world.admin_a)
    client.get(reverse("orgs:enterprise_list"))
    client.get("/api/v1/enterprises/")
    client.get(reverse("orgs:enterprise_export").replace("enterprises", "no-such"))
    assert not AuditEvent.objects.filter(action="core.download").exists()


def test_the_file_name_is_read_from_either_form_of_the_header():
    from anbiao.core.middleware import download_name

    assert download_name("attachment; filename*=UTF-8''%E4%BC%81%E4%B8%9A.xlsx") == "企业.xlsx"
    assert download_name('attachment; filename="a.docx"') == "a.docx"
    assert download_name("attachment") == ""


def _refused():
    return AuditEvent.objects.filter(action="core.write_refused").order_by("pk")


def test_a_write_refused_for_lack_of_permission_is_recorded_with_its_result(world, login):
    client = login(world.principal_a)  # an enterprise user may not register enterprises
    response = client.post(reverse("orgs:enterprise_create"), {"name": "越权登记"})
    assert response.status_code == 403
    (event,) = _refused()
    assert event.actor == world.principal_a and event.after == {"method": "POST", "status": 403}
    assert event.object_repr == reverse("orgs:enterprise_create") and event.ip and event.request_id
    assert event.enterprise_id == world.ent_a.pk and event.org_path == world.ent_a.unit.path
    # filed under the enterprise's unit: its administrator reads it in the audit log, a sibling does not
    shown = login(world.admin_a).get(reverse("core:audit_list"), {"action": "core.write_refused"})
    assert list(shown.context["object_list"]) == [event]
    sibling = login(world.admin_b).get(reverse("core:audit_list"), {"action": "core.write_refused"})
    assert list(sibling.context["object_list"]) == []


def test_a_write_to_an_object_outside_the_scope_is_recorded_on_the_pages_and_the_api(world, login):
    client = login(world.admin_a)
    page = client.post(reverse("orgs:enterprise_close", args=[world.ent_b.pk]), {"reason": "x"})
    api = client.patch(
        reverse("api:enterprise-detail", args=[world.ent_b.pk]),
        {"name": "改名"},
        content_type="application/json",
    )
    assert (page.status_code, api.status_code) == (404, 404)
    assert [(e.after["method"], e.after["status"], e.actor) for e in _refused()] == [
        ("POST", 404, world.admin_a),
        ("PATCH", 404, world.admin_a),
    ]
    assert _refused().first().org_path == world.unit_a.path


def test_reading_a_missing_page_and_a_successful_write_are_not_refusals(world, login):
    client = login(world.admin_a)
    assert client.get(reverse("orgs:enterprise_detail", args=[world.ent_b.pk])).status_code == 404
    ok = client.post(
        reverse("orgs:organization_update", args=[world.unit_a1.pk]),
        {"name": world.unit_a1.name, "code": world.unit_a1.code, "kind": world.unit_a1.kind},
    )
    assert ok.status_code in (200, 302) and not _refused().exists()
