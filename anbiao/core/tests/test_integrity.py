"""F2 (等保 三级 switch): HMAC seals on audit rows and submitted report versions with ANBIAO_INTEGRITY_KEY."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from anbiao.core import audit, integrity
from anbiao.core.models import AuditEvent, IntegritySeal
from anbiao.core.testing import system_scope
from anbiao.reports import services as report_services
from anbiao.reports.context import Quarter
from anbiao.reports.models import SubmissionVersion

KEY = "k3y-for-tests-only-0123456789abcdef0123456789"


@pytest.fixture
def sealing(settings):
    settings.ANBIAO_INTEGRITY_KEY = KEY
    return settings


def _submit(world):
    return report_services.submit(
        actor=world.admin_a,
        scope=system_scope(world.county),
        unit=world.unit_a,
        quarter=Quarter(2025, 3),
        filler_name="张三",
        filler_phone="0595-87000000",
    )


def _verify() -> tuple[bool, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("anbiao_verify_integrity", stdout=out, stderr=err)
    except CommandError:
        return False, out.getvalue() + err.getvalue()
    return True, out.getvalue() + err.getvalue()


def _raw(sql, params):
    """Tamper as someone holding the tables' owner rights would: on PostgreSQL that first means switching off
    the append-only triggers (test_audit.py shows they stop plain SQL); undone with the test's rollback."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks: ALTER TABLE needs that
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
            cursor.execute("ALTER TABLE core_integrityseal DISABLE TRIGGER core_integrityseal_append_only")
        cursor.execute(sql, params)


def test_off_by_default_nothing_is_sealed(world, settings):
    assert settings.ANBIAO_INTEGRITY_KEY == ""
    _submit(world)
    assert not IntegritySeal.objects.exists()
    with pytest.raises(CommandError, match="ANBIAO_INTEGRITY_KEY"):
        call_command("anbiao_verify_integrity")


def test_every_new_audit_row_and_report_version_is_sealed_and_verifies(world, sealing):
    version = _submit(world)
    event = AuditEvent.objects.get(action="reports.submit")
    for obj in (version, event):
        seal = IntegritySeal.objects.get(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        assert len(seal.mac) == 64 and seal.key_id == integrity.key_id()
    # freshly read from the database, the canonical form (and so the MAC) is the same as when written
    assert integrity.status(SubmissionVersion.objects.get(pk=version.pk)) == integrity.OK
    assert integrity.status(AuditEvent.objects.get(pk=event.pk)) == integrity.OK
    ok, output = _verify()
    assert ok, output
    # the world's rows were written before the key was set: reported, not failed
    assert "启用前写入" in output


def test_the_canonical_form_survives_the_database_round_trip(world, sealing):
    with transaction.atomic():
        event = audit.record(
            actor=world.admin_a,
            action="test.round_trip",
            before={"金额": Decimal("1.50"), 2: 1.0, "when": datetime.datetime(2025, 1, 2, 3, 4, 5, 678901)},
            after={"金额": Decimal("2.50"), 2: 3.25, "when": datetime.date(2025, 1, 2), "list": (1, "二")},
        )
    assert integrity.mac(event) == integrity.mac(AuditEvent.objects.get(pk=event.pk))
    assert integrity.canonical(event).startswith(b'{"fields":{')


def test_a_submitted_version_edited_in_the_database_is_flagged_on_its_page_and_by_the_command(
    world, sealing, login
):
    version = _submit(world)
    page = reverse("reports:version", args=[version.pk])
    client = login(world.county_admin)
    assert 'data-testid="integrity-failed"' not in client.get(page).content.decode()
    tampered = dict(version.values)
    key = next(iter(tampered))
    tampered[key] = (tampered[key] or 0) + 7
    SubmissionVersion.objects.filter(pk=version.pk).update(values=tampered)
    assert integrity.status(SubmissionVersion.objects.get(pk=version.pk)) == integrity.TAMPERED
    assert 'data-testid="integrity-failed"' in client.get(page).content.decode()
    ok, output = _verify()
    assert not ok and f"reports.submissionversion 编号 {version.pk}" in output


def test_the_review_fields_may_change_without_breaking_the_seal(world, sealing):
    version = _submit(world)
    report_services.review(
        actor=world.county_admin,
        scope=system_scope(world.county),
        submission=version.submission,
        verb="return",
        reason="数据有误",
    )
    version.refresh_from_db()
    assert version.decision and integrity.status(version) == integrity.OK


def test_an_audit_row_changed_with_raw_sql_is_detected(world, sealing):
    version = _submit(world)
    event = AuditEvent.objects.get(action="reports.submit", object_id=str(version.submission_id))
    _raw("UPDATE core_auditevent SET actor_name = %s WHERE id = %s", ["someone_else", event.pk])
    assert integrity.status(AuditEvent.objects.get(pk=event.pk)) == integrity.TAMPERED
    ok, output = _verify()
    assert not ok and f"篡改：core.auditevent 编号 {event.pk}" in output


def test_a_deleted_seal_or_a_deleted_row_is_reported(world, sealing):
    _submit(world)
    sealed = IntegritySeal.objects.filter(object_type="core.auditevent").values_list("object_id", flat=True)
    events = list(AuditEvent.objects.filter(pk__in=[int(i) for i in sealed]).order_by("pk"))
    assert len(events) >= 1
    with transaction.atomic():  # a second sealed event after the first
        later = audit.record(actor=world.admin_a, action="test.later")
    _raw(
        "DELETE FROM core_integrityseal WHERE object_type = %s AND object_id = %s",
        ["core.auditevent", str(later.pk)],
    )
    ok, output = _verify()
    assert not ok and f"缺少校验值：core.auditevent 编号 {later.pk}" in output
    _raw("DELETE FROM core_auditevent WHERE id = %s", [later.pk])
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[0].pk])
    ok, output = _verify()
    assert not ok and f"记录已删除：core.auditevent 编号 {events[0].pk}" in output


def test_rows_sealed_with_another_key_are_not_silently_accepted(world, sealing, settings):
    version = _submit(world)
    settings.ANBIAO_INTEGRITY_KEY = "another-key-0123456789abcdef0123456789abcdef"
    assert integrity.status(version) == integrity.OTHER_KEY
    assert not _verify()[0]


def test_seals_are_append_only_and_roll_back_with_the_write(world, sealing):
    with pytest.raises(RuntimeError), transaction.atomic():
        event = audit.record(actor=world.admin_a, action="test.rolled_back")
        assert IntegritySeal.objects.filter(object_id=str(event.pk), object_type="core.auditevent").exists()
        raise RuntimeError("the write fails after the audit row")
    assert not IntegritySeal.objects.filter(object_id=str(event.pk), object_type="core.auditevent").exists()
    with transaction.atomic():
        kept = audit.record(actor=world.admin_a, action="test.kept")
    seal = IntegritySeal.objects.get(object_id=str(kept.pk), object_type="core.auditevent")
    with pytest.raises(PermissionDenied):
        seal.save()
    with pytest.raises(PermissionDenied):
        IntegritySeal.objects.all().update(mac="0" * 64)
    with pytest.raises(PermissionDenied):
        IntegritySeal.objects.all().delete()
