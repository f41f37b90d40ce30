"""Daily reminders: due in 3 days (warning), overdue (danger), escalated to the unit admin after 7 days,
overdue plans to the assignee, overdue listings; ``anbiao_remind`` twice creates each notification once."""

import datetime

from django.core.management import call_command

from anbiao.core.models import Notification
from anbiao.hazards.choices import Level, State
from anbiao.hazards.models import Hazard, HazardListing
from anbiao.hazards.reminders import reminders
from anbiao.hazards.services import inspections
from anbiao.hazards.tests import factories
from anbiao.hazards.tests.helpers import build, scope

TODAY = datetime.date(2025, 6, 1)


def _pending(world, enterprise, deadline, state=State.PENDING):
    h = build(world, enterprise, state)
    Hazard.objects.filter(pk=h.pk).update(deadline=deadline)
    h.refresh_from_db()
    return h


def _by_key(prefix):
    return {(r.user_id, r.level) for r in reminders(TODAY) if r.key.startswith(prefix)}


def test_a_deadline_within_three_days_warns_the_enterprise_users(world):
    h = _pending(world, world.ent_a, TODAY + datetime.timedelta(days=3))
    _pending(world, world.ent_a, TODAY + datetime.timedelta(days=4))
    found = [r for r in reminders(TODAY) if r.key.startswith("hazard-due:")]
    assert {(r.user_id, r.level) for r in found} == {
        (world.principal_a.pk, "warning"),
        (world.safety_a.pk, "warning"),
    }
    assert found[0].key == f"hazard-due:{h.pk}:{h.deadline}"
    assert "还有 3 天" in found[0].title and found[0].url == f"/hazards/{h.pk}/"
    assert found[0].enterprise_id == world.ent_a.pk


def test_an_overdue_hazard_is_danger_for_the_enterprise_and_not_yet_escalated(world):
    _pending(world, world.ent_a, TODAY - datetime.timedelta(days=7), state=State.RECTIFYING)
    assert _by_key("hazard-overdue:") == {(world.principal_a.pk, "danger"), (world.safety_a.pk, "danger")}
    assert _by_key("hazard-escalated:") == set()


def test_more_than_seven_days_overdue_is_escalated_to_the_nearest_unit_admin(world):
    _pending(world, world.ent_a1, TODAY - datetime.timedelta(days=8))  # unit_a1 has no admin: unit_a's
    _pending(world, world.ent_b, TODAY - datetime.timedelta(days=30))
    escalated = [r for r in reminders(TODAY) if r.key.startswith("hazard-escalated:")]
    assert {(r.user_id, r.level) for r in escalated} == {
        (world.admin_a.pk, "danger"),
        (world.admin_b.pk, "danger"),
    }
    assert all(r.title.startswith("【督促】") for r in escalated)


def test_hazards_waiting_for_acceptance_or_closed_are_not_reminded(world):
    for state in (State.AWAITING, State.CLOSED):
        _pending(world, world.ent_a, TODAY - datetime.timedelta(days=20), state=state)
    assert [r for r in reminders(TODAY) if r.key.startswith("hazard-")] == []


def test_an_overdue_plan_reminds_its_assignee_or_else_the_planning_unit(world):
    assigned = inspections.plan_create(
        actor=world.admin_a,
        scope=scope(world.admin_a),
        data={
            "organization": world.unit_a,
            "enterprise": world.ent_a1,
            "kind": "grid",
            "planned_on": TODAY - datetime.timedelta(days=1),
            "assignee": world.inspector,
        },
    )
    unassigned = inspections.plan_create(
        actor=world.admin_a,
        scope=scope(world.admin_a),
        data={
            "organization": world.unit_a,
            "enterprise": world.ent_a,
            "kind": "unit",
            "planned_on": TODAY - datetime.timedelta(days=2),
        },
    )
    inspections.plan_create(
        actor=world.admin_a,
        scope=scope(world.admin_a),
        data={"organization": world.unit_a, "enterprise": world.ent_a, "kind": "unit", "planned_on": TODAY},
    )
    found = {r.key: r for r in reminders(TODAY) if r.key.startswith("plan-overdue:")}
    assert set(found) == {f"plan-overdue:{assigned.pk}", f"plan-overdue:{unassigned.pk}"}
    assert found[f"plan-overdue:{assigned.pk}"].user_id == world.inspector.pk
    assert found[f"plan-overdue:{unassigned.pk}"].user_id == world.admin_a.pk
    assert found[f"plan-overdue:{assigned.pk}"].url == "/inspections/plans/?status=overdue"


def test_cancelled_and_done_plans_are_not_reminded(world):
    plan = inspections.plan_create(
        actor=world.admin_a,
        scope=scope(world.admin_a),
        data={
            "organization": world.unit_a,
            "enterprise": world.ent_a,
            "kind": "unit",
            "planned_on": TODAY - datetime.timedelta(days=2),
        },
    )
    inspections.plan_cancel(actor=world.admin_a, scope=scope(world.admin_a), plan=plan)
    done = factories.inspection(world, world.ent_a)
    plan2 = inspections.plan_create(
        actor=world.admin_a,
        scope=scope(world.admin_a),
        data={
            "organization": world.unit_a,
            "enterprise": world.ent_a,
            "kind": "unit",
            "planned_on": TODAY - datetime.timedelta(days=2),
        },
    )
    done.plan = plan2
    done.save()
    assert [r for r in reminders(TODAY) if r.key.startswith("plan-")] == []


def test_an_overdue_listing_reminds_the_listing_unit_and_the_enterprise(world):
    h = factories.hazard(world, world.ent_a, level=Level.MAJOR)
    listing = HazardListing.objects.create(
        hazard=h,
        organization=world.unit_a,
        listed_on=TODAY - datetime.timedelta(days=40),
        deadline=TODAY - datetime.timedelta(days=1),
        requirements="限期整改",
    )
    users = {r.user_id for r in reminders(TODAY) if r.key == f"listing-overdue:{listing.pk}"}
    assert world.admin_a.pk in users


def test_an_overdue_listing_reminds_the_enterprise_even_if_its_hazard_is_not_overdue(world):
    h = factories.hazard(world, world.ent_a, level=Level.MAJOR)
    listing = HazardListing.objects.create(
        hazard=h,
        organization=world.unit_a,
        listed_on=TODAY - datetime.timedelta(days=40),
        deadline=TODAY - datetime.timedelta(days=1),
        requirements="限期整改",
    )
    users = {r.user_id for r in reminders(TODAY) if r.key == f"listing-overdue:{listing.pk}"}
    assert {world.principal_a.pk, world.safety_a.pk} <= users


def test_running_the_command_twice_creates_each_notification_once(world):
    _pending(world, world.ent_a, TODAY + datetime.timedelta(days=2))
    _pending(world, world.ent_a1, TODAY - datetime.timedelta(days=10))
    call_command("anbiao_remind", "--date", TODAY.isoformat())
    first = set(Notification.objects.values_list("user_id", "key"))
    assert len(first) == Notification.objects.count() >= 3
    call_command("anbiao_remind", "--date", TODAY.isoformat())
    assert set(Notification.objects.values_list("user_id", "key")) == first
    assert Notification.objects.count() == len(first)
    assert Notification.objects.filter(user=world.admin_a, key__startswith="hazard-escalated:").count() == 1
    assert Notification.objects.filter(user=world.safety_a, level="warning").count() == 1


def test_a_notice_hazard_left_unassigned_past_its_deadline_is_reminded_as_overdue(world):
    inspection = factories.inspection(world, world.ent_a)
    h = inspection.hazards.get()
    assert h.state == State.REGISTERED and h.deadline is not None
    late = h.deadline + datetime.timedelta(days=10)
    from anbiao.hazards.selectors import enterprise_facts

    assert enterprise_facts([world.ent_a.pk], late)[world.ent_a.pk]["hazards_overdue"] == 1
    keys = {r.key.split(":")[0] for r in reminders(late) if r.key.endswith(f":{h.pk}:{h.deadline}")}
    assert {"hazard-overdue", "hazard-escalated"} <= keys


def test_a_hazard_from_a_rectification_notice_left_unassigned_past_its_deadline_is_overdue(world):
    h = _pending(world, world.ent_a, TODAY - datetime.timedelta(days=2), state=State.REGISTERED)
    assert h.is_overdue(TODAY)
    assert (world.safety_a.pk, "danger") in _by_key("hazard-overdue:")
