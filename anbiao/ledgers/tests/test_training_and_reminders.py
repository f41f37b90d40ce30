"""Training attendees (people of the duty app), reminders at their due dates, home-page to-dos."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from anbiao.core.models import AuditEvent, Notification
from anbiao.core.notifications import notifications_create
from anbiao.ledgers.models import EmergencyPlan, Equipment, RuleDocument, TrainingAttendance, TrainingSession
from anbiao.ledgers.reminders import collect
from anbiao.ledgers.testing import make, make_attendance, make_person

TODAY = datetime.date(2026, 6, 1)


def test_attendees_are_people_of_the_enterprise_with_hours_and_exam_results(world, login):
    session = make(TrainingSession, world.ent_a)
    person = make_person(world.ent_a, "李四")
    outsider = make_person(world.ent_b, "王五")
    client = login(world.safety_a)
    page = client.get(reverse("ledgers:training_detail", args=[session.pk])).content.decode()
    assert "李四" in page and "王五" not in page
    data = {"person": person.pk, "hours": "8", "exam_score": "86", "passed": "true"}
    assert client.post(reverse("ledgers:attendance_add", args=[session.pk]), data).status_code == 302
    row = TrainingAttendance.objects.get()
    assert (row.person, row.hours, row.exam_score, row.passed) == (person, Decimal("8"), Decimal("86"), True)
    assert AuditEvent.objects.filter(action="ledgers.attendance_create", object_id=str(row.pk)).exists()
    again = client.post(reverse("ledgers:attendance_add", args=[session.pk]), data, follow=True)
    assert "不是可用的选项" in again.content.decode() or "已在参训名单中" in again.content.decode()
    bad = client.post(
        reverse("ledgers:attendance_add", args=[session.pk]), {**data, "person": outsider.pk}, follow=True
    )
    assert "参训人员未添加" in bad.content.decode()
    bad_score = client.post(
        reverse("ledgers:attendance_add", args=[session.pk]),
        {**data, "person": make_person(world.ent_a, "赵六").pk, "exam_score": "120"},
        follow=True,
    )
    assert "100" in bad_score.content.decode()
    assert TrainingAttendance.objects.count() == 1


def test_removing_an_attendee_is_audited_and_refused_across_units(world, login):
    session = make(TrainingSession, world.ent_a)
    row = make_attendance(session, make_person(world.ent_a))
    assert login(world.admin_b).post(reverse("ledgers:attendance_remove", args=[row.pk])).status_code == 404
    assert TrainingAttendance.objects.filter(pk=row.pk).exists()
    assert login(world.leader).post(reverse("ledgers:attendance_remove", args=[row.pk])).status_code == 403
    response = login(world.safety_a).post(reverse("ledgers:attendance_remove", args=[row.pk]))
    assert response.status_code == 302 and not TrainingAttendance.objects.filter(pk=row.pk).exists()
    assert AuditEvent.objects.filter(action="ledgers.attendance_delete", object_id=str(row.pk)).exists()


def test_a_session_with_attendees_cannot_be_deleted(world, login):
    session = make(TrainingSession, world.ent_a)
    make_attendance(session, make_person(world.ent_a))
    response = login(world.safety_a).post(reverse("ledgers:training_delete", args=[session.pk]), follow=True)
    assert "请先移除参训人员" in response.content.decode()
    assert TrainingSession.objects.filter(pk=session.pk).exists()


# --- Reminders ------------------------------------------------------------------------------------------
def _certificate(person, expires_on, kind="safety_manager_assessment"):
    Certificate = apps.get_model("duty", "Certificate")
    return Certificate.objects.create(
        person=person,
        kind=kind,
        number="C001",
        issuer="泉州市应急管理局",
        issued_on=datetime.date(2023, 1, 1),
        expires_on=expires_on,
    )


@pytest.mark.parametrize(
    ("days_before", "level"),
    [(31, None), (30, "warning"), (1, "warning"), (0, "warning"), (-1, "danger")],
)
def test_reminders_come_at_their_due_dates(world, days_before, level):
    due = TODAY + datetime.timedelta(days=days_before)
    make(RuleDocument, world.ent_a, approved_on=datetime.date(2020, 1, 1), next_review_on=due)
    make(EmergencyPlan, world.ent_a, issued_on=datetime.date(2020, 1, 1), review_due=due)
    make(Equipment, world.ent_a, first_due=due)
    found = [r for r in collect(TODAY) if r.enterprise_id == world.ent_a.pk]
    if level is None:
        assert found == []
        return
    assert {r.level for r in found} == {level}
    assert {r.user_id for r in found} == {world.principal_a.pk, world.safety_a.pk}
    titles = " ".join(r.title for r in found)
    assert "评审修订" in titles and "评估修订" in titles and "检验" in titles
    assert all(r.due == due for r in found)


@pytest.mark.parametrize(("days_before", "level"), [(61, None), (60, "warning"), (-1, "danger")])
def test_certificates_of_the_duty_app_remind_sixty_days_ahead(world, days_before, level):
    _certificate(make_person(world.ent_a, "陈安全"), TODAY + datetime.timedelta(days=days_before))
    found = [r for r in collect(TODAY) if "陈安全" in r.title]
    assert [r.level for r in found] == ([level, level] if level else [])


def test_scrapped_equipment_abolished_documents_and_left_people_do_not_remind(world):
    due = TODAY - datetime.timedelta(days=5)
    make(Equipment, world.ent_a, first_due=due, status="scrapped", retired_on=datetime.date(2026, 1, 1))
    make(
        RuleDocument,
        world.ent_a,
        approved_on=datetime.date(2020, 1, 1),
        next_review_on=due,
        status="abolished",
    )
    _certificate(make_person(world.ent_a, "已离职", is_active=False), due)
    assert collect(TODAY) == []


def test_the_daily_run_notifies_once_per_level_and_again_when_overdue(world):
    make(Equipment, world.ent_a, first_due=TODAY + datetime.timedelta(days=3))
    notifications_create(today=TODAY)
    notifications_create(today=TODAY + datetime.timedelta(days=1))
    assert Notification.objects.filter(user=world.safety_a, key__startswith="ledgers:").count() == 1
    notifications_create(today=TODAY + datetime.timedelta(days=4))
    levels = sorted(
        Notification.objects.filter(user=world.safety_a, key__startswith="ledgers:").values_list(
            "level", flat=True
        )
    )
    assert levels == ["danger", "warning"]


def test_the_home_page_lists_overdue_ledger_items_for_the_enterprise_and_its_supervisor(world, login):
    import datetime as dt

    from django.utils import timezone

    make(Equipment, world.ent_a, first_due=timezone.localdate() - dt.timedelta(days=2))
    for user in (world.safety_a, world.admin_a):
        page = login(user).get(reverse("home")).content.decode()
        assert "1 台特种设备定期检验已逾期" in page
    assert "特种设备定期检验已逾期" not in login(world.admin_b).get(reverse("home")).content.decode()
