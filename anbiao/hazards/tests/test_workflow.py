"""The hazard closed loop: the pure transition table, who may make each move, acceptor ≠ rectifier, and
hazards found by a supervisor accepted only by the supervising side."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from anbiao.core.models import AuditEvent
from anbiao.hazards import workflow
from anbiao.hazards.choices import Source, State
from anbiao.hazards.hooks import ACTION_LABELS
from anbiao.hazards.models import Hazard
from anbiao.hazards.services import hazards as services
from anbiao.hazards.tests import factories
from anbiao.hazards.tests.helpers import DAY, build, counts, five, photo, scope, system_scope_for

ALLOWED = {
    ("assign", State.REGISTERED): State.PENDING,
    ("start", State.PENDING): State.RECTIFYING,
    ("submit", State.PENDING): State.AWAITING,
    ("submit", State.RECTIFYING): State.AWAITING,
    ("accept", State.AWAITING): State.CLOSED,
    ("reject", State.AWAITING): State.RECTIFYING,
    ("void", State.REGISTERED): State.VOIDED,
}
ALL_MOVES = [(verb, state) for verb in workflow.TRANSITIONS for state in State.values]


@pytest.mark.parametrize(("verb", "state"), list(ALLOWED), ids=lambda v: str(v))
def test_every_allowed_move_of_the_table_reaches_its_target(verb, state):
    assert workflow.transition(verb, state).target == ALLOWED[(verb, state)]


def test_every_other_move_is_refused_with_a_chinese_reason():
    refused = [m for m in ALL_MOVES if m not in ALLOWED]
    assert len(refused) == len(ALL_MOVES) - len(ALLOWED)
    for verb, state in refused:
        with pytest.raises(workflow.TransitionError) as exc:
            workflow.transition(verb, state)
        assert f"隐患当前为「{State(state).label}」" in exc.value.messages[0]
        assert workflow.TRANSITIONS[verb].label in exc.value.messages[0]


@pytest.mark.parametrize(("verb", "state"), [m for m in ALL_MOVES if m not in ALLOWED], ids=lambda v: str(v))
def test_every_other_move_is_refused_by_the_table(verb, state):
    with pytest.raises((workflow.TransitionError, TypeError)):
        workflow.transition(verb, state)
    assert state not in workflow.TRANSITIONS[verb].sources


def test_an_unknown_verb_is_refused():
    with pytest.raises(workflow.TransitionError, match="未知操作"):
        workflow.transition("delete", State.REGISTERED)


def test_closed_and_voided_hazards_have_no_move_left():
    assert workflow.available(State.CLOSED) == []
    assert workflow.available(State.VOIDED) == []
    assert {t.verb for t in workflow.available(State.REGISTERED)} == {"assign", "void"}


def test_reject_and_void_need_a_reason_in_the_table():
    assert {v for v, t in workflow.TRANSITIONS.items() if t.needs_reason} == {"reject", "void"}


def test_supervisor_found_hazards_need_the_supervised_acceptance_permission():
    assert workflow.acceptance_permission(True) == "hazard.accept_supervised"
    assert workflow.acceptance_permission(False) == "hazard.accept"


def test_the_acceptor_conflict_rule_checks_the_submitter_and_the_responsible_person():
    rule = workflow.acceptor_conflict
    assert rule(acceptor_id=3, acceptor_name="", rectified_by_id=3, responsible_person="") == (
        "验收人不能是提交整改的人。"
    )
    assert rule(acceptor_id=3, acceptor_name=" 张三 ", rectified_by_id=4, responsible_person="张三") == (
        "验收人不能是整改责任人。"
    )
    assert rule(acceptor_id=3, acceptor_name="李四", rectified_by_id=4, responsible_person="张三") is None


# --- every state × verb through the services: refused moves write nothing --------------------------------
def _do(verb, hazard, actor=None, scope_=None):
    sc = scope_ if scope_ is not None else system_scope_for(hazard, verb)
    kw = {"actor": actor, "scope": sc, "hazard": hazard}
    if verb == "assign":
        return services.hazard_assign(**kw, data=five())
    if verb == "start":
        return services.hazard_start(**kw)
    if verb == "submit":
        return services.hazard_submit(**kw, rectified_on=DAY, note="已整改", photos=[photo()])
    if verb == "accept":
        return services.hazard_accept(**kw, accepted_on=DAY + datetime.timedelta(days=1))
    return getattr(services, f"hazard_{verb}")(**kw, reason="原因")


@pytest.mark.parametrize("state", [State.REGISTERED, State.CLOSED])
def test_each_state_refuses_through_the_services_every_move_the_table_refuses(world, state):
    h = build(world, world.ent_a, state, found_on=DAY - datetime.timedelta(days=5))
    for verb in workflow.TRANSITIONS:
        if (verb, state) in ALLOWED:
            continue
        before = counts(h)
        with pytest.raises(workflow.TransitionError):
            _do(verb, h)
        h.refresh_from_db()
        assert h.state == state
        assert counts(h) == before


@pytest.mark.parametrize(("verb", "state"), list(ALLOWED), ids=lambda v: str(v))
def test_each_allowed_move_through_the_services_writes_one_timeline_row_and_its_audit_event(
    world, verb, state
):
    h = build(world, world.ent_a, state, found_on=DAY - datetime.timedelta(days=5))
    events_before = h.events.count()
    moved = _do(verb, h)
    assert moved.state == ALLOWED[(verb, state)]
    assert h.events.count() == events_before + 1
    last = h.events.order_by("-id").first()
    assert (last.verb, last.from_state, last.to_state) == (verb, state, moved.state)
    audit = AuditEvent.objects.filter(action=f"hazards.hazard_{verb}", object_id=str(h.pk))
    assert audit.count() == 1
    assert audit.get().action in ACTION_LABELS
    assert audit.get().enterprise_id == world.ent_a.pk


# --- by role ----------------------------------------------------------------------------------------------
def test_enterprise_users_register_assign_rectify_and_accept_their_own_hazards(world):
    h = services.hazard_register(
        actor=world.safety_a,
        scope=scope(world.safety_a),
        enterprise=world.ent_a,
        data={"source": Source.SELF, "kind": "thing", "location": "仓库", "description": "灭火器过期"},
    )
    h = services.hazard_assign(
        actor=world.principal_a,
        scope=scope(world.principal_a),
        hazard=h,
        data=five(deadline=timezone.localdate() + datetime.timedelta(days=5)),
    )
    h = services.hazard_start(actor=world.safety_a, scope=scope(world.safety_a), hazard=h)
    h = services.hazard_submit(
        actor=world.safety_a,
        scope=scope(world.safety_a),
        hazard=h,
        rectified_on=timezone.localdate(),
        note="已更换",
        photos=[photo()],
    )
    assert h.rectified_by == world.safety_a
    h = services.hazard_accept(
        actor=world.principal_a, scope=scope(world.principal_a), hazard=h, accepted_on=timezone.localdate()
    )
    assert (h.state, h.accepted_by) == (State.CLOSED, world.principal_a)
    assert [e.verb for e in h.events.all()] == ["register", "assign", "start", "submit", "accept"]
    assert all(e.occurred_on for e in h.events.all())


@pytest.mark.parametrize(
    ("state", "verb"),
    [
        (State.REGISTERED, "assign"),
        (State.REGISTERED, "void"),
        (State.PENDING, "start"),
        (State.RECTIFYING, "submit"),
        (State.AWAITING, "accept"),
        (State.AWAITING, "reject"),
    ],
)
def test_the_leader_can_make_no_move(world, state, verb):
    h = build(world, world.ent_a, state)
    before = counts(h)
    with pytest.raises(PermissionDenied):
        _do(verb, h, world.leader, scope(world.leader))
    h.refresh_from_db()
    assert h.state == state and counts(h) == before


@pytest.mark.parametrize(
    ("state", "verb"),
    [(State.REGISTERED, "assign"), (State.PENDING, "start"), (State.AWAITING, "accept")],
)
def test_the_sibling_units_admin_cannot_touch_unit_as_hazards(world, state, verb):
    h = build(world, world.ent_a, state)
    with pytest.raises(PermissionDenied):
        _do(verb, h, world.admin_b, scope(world.admin_b))
    h.refresh_from_db()
    assert h.state == state


@pytest.mark.parametrize("state_verb", [(State.PENDING, "start"), (State.RECTIFYING, "submit")])
def test_supervisors_do_not_rectify(world, state_verb):
    state, verb = state_verb
    for user in (world.admin_a, world.county_admin, world.inspector):
        h = build(world, world.ent_a1, state)
        with pytest.raises(PermissionDenied):
            _do(verb, h, user, scope(user))


def test_the_inspector_may_not_assign_or_void(world):
    h = build(world, world.ent_a1, State.REGISTERED, source=Source.GRID)
    for verb in ("assign", "void"):
        with pytest.raises(PermissionDenied):
            _do(verb, h, world.inspector, scope(world.inspector))


def test_the_inspector_accepts_a_supervisor_found_hazard_of_its_assigned_enterprise(world):
    h = build(world, world.ent_a1, State.AWAITING, source=Source.GRID)
    h = services.hazard_accept(
        actor=world.inspector, scope=scope(world.inspector), hazard=h, accepted_on=h.rectified_on
    )
    assert h.state == State.CLOSED and h.accepted_by == world.inspector


def test_the_inspector_cannot_accept_at_an_enterprise_it_is_not_assigned(world):
    h = build(world, world.ent_a, State.AWAITING, source=Source.GRID)
    with pytest.raises(PermissionDenied):
        services.hazard_accept(
            actor=world.inspector, scope=scope(world.inspector), hazard=h, accepted_on=h.rectified_on
        )


def test_the_inspector_cannot_accept_a_self_found_hazard_even_at_its_enterprise(world):
    h = build(world, world.ent_a1, State.AWAITING, source=Source.SELF)
    with pytest.raises(PermissionDenied):
        services.hazard_accept(
            actor=world.inspector, scope=scope(world.inspector), hazard=h, accepted_on=h.rectified_on
        )


def test_a_unit_admin_does_not_accept_an_enterprises_self_found_hazard(world):
    h = build(world, world.ent_a, State.AWAITING, source=Source.SELF)
    with pytest.raises(PermissionDenied):
        services.hazard_accept(
            actor=world.admin_a, scope=scope(world.admin_a), hazard=h, accepted_on=h.rectified_on
        )


# --- acceptor ≠ rectifier ---------------------------------------------------------------------------------
def test_the_user_who_submitted_the_rectification_cannot_accept_it(world):
    h = build(world, world.ent_a, State.AWAITING, rectifier=world.safety_a)
    before = counts(h)
    with pytest.raises(PermissionDenied, match="验收人不能是提交整改的人"):
        services.hazard_accept(
            actor=world.safety_a, scope=scope(world.safety_a), hazard=h, accepted_on=h.rectified_on
        )
    h.refresh_from_db()
    assert h.state == State.AWAITING and h.accepted_on is None
    assert counts(h) == before


def test_an_acceptor_whose_name_is_the_responsible_person_cannot_accept(world):
    h = factories.hazard(world, world.ent_a)
    root = factories.root(world)
    h = services.hazard_assign(
        actor=None, scope=root, hazard=h, data=five(responsible_person="principal_a"), on=DAY
    )
    h = services.hazard_submit(
        actor=world.safety_a,
        scope=scope(world.safety_a),
        hazard=h,
        rectified_on=DAY,
        note="已整改",
        photos=[photo()],
    )
    before = counts(h)
    with pytest.raises(PermissionDenied, match="验收人不能是整改责任人"):
        services.hazard_accept(
            actor=world.principal_a, scope=scope(world.principal_a), hazard=h, accepted_on=DAY
        )
    h.refresh_from_db()
    assert h.state == State.AWAITING and counts(h) == before


def test_assigning_the_responsible_person_as_acceptor_is_refused(world):
    h = factories.hazard(world, world.ent_a)
    before = counts(h)
    with pytest.raises(ValidationError) as exc:
        services.hazard_assign(
            actor=world.principal_a,
            scope=scope(world.principal_a),
            hazard=h,
            data=five(acceptor_name="张三", responsible_person="张三"),
        )
    assert "验收人不能是整改责任人" in exc.value.message_dict["acceptor_name"][0]
    h.refresh_from_db()
    assert h.state == State.REGISTERED and counts(h) == before


def test_another_enterprise_user_accepts_what_a_colleague_submitted(world):
    h = build(world, world.ent_a, State.AWAITING, rectifier=world.safety_a)
    h = services.hazard_accept(
        actor=world.principal_a, scope=scope(world.principal_a), hazard=h, accepted_on=h.rectified_on
    )
    assert h.state == State.CLOSED


# --- supervisor-issued hazards ----------------------------------------------------------------------------
@pytest.fixture
def supervised(world):
    """A hazard found by unit A's inspection of ent_a, rectified by the enterprise."""
    inspection = factories.inspection(world, world.ent_a)
    h = inspection.hazards.get()
    assert h.source == Source.SUPERVISOR
    h = services.hazard_assign(
        actor=world.safety_a,
        scope=scope(world.safety_a),
        hazard=h,
        data=five(),
        on=DAY + datetime.timedelta(days=1),
    )
    h = services.hazard_submit(
        actor=world.safety_a,
        scope=scope(world.safety_a),
        hazard=h,
        rectified_on=DAY + datetime.timedelta(days=3),
        note="已整改",
        photos=[photo()],
    )
    return h


@pytest.mark.parametrize("who", ["principal_a", "safety_a"])
def test_a_supervisor_found_hazard_is_not_accepted_by_the_enterprise(world, supervised, who):
    user = getattr(world, who)
    before = counts(supervised)
    for service, kw in (
        (services.hazard_accept, {"accepted_on": DAY + datetime.timedelta(days=4)}),
        (services.hazard_reject, {"reason": "不合格"}),
    ):
        with pytest.raises(PermissionDenied, match="须由监管方验收"):
            service(actor=user, scope=scope(user), hazard=supervised, **kw)
    supervised.refresh_from_db()
    assert supervised.state == State.AWAITING and counts(supervised) == before


def test_a_supervisor_found_hazard_is_accepted_by_the_unit_admin(world, supervised):
    h = services.hazard_accept(
        actor=world.admin_a,
        scope=scope(world.admin_a),
        hazard=supervised,
        accepted_on=DAY + datetime.timedelta(days=4),
        note="复查合格",
    )
    assert (h.state, h.accepted_by, h.acceptance_note) == (State.CLOSED, world.admin_a, "复查合格")


def test_the_unit_admin_may_reject_a_supervisor_found_hazard_with_a_reason(world, supervised):
    with pytest.raises(ValidationError):
        services.hazard_reject(actor=world.admin_a, scope=scope(world.admin_a), hazard=supervised, reason=" ")
    supervised.refresh_from_db()
    assert supervised.state == State.AWAITING
    h = services.hazard_reject(
        actor=world.admin_a, scope=scope(world.admin_a), hazard=supervised, reason="照片不清"
    )
    assert h.state == State.RECTIFYING
    assert h.events.order_by("-id").first().note == "照片不清"


@pytest.mark.parametrize("source", [Source.SUPERVISOR, Source.ENFORCEMENT, Source.GRID])
def test_every_supervisor_source_is_accepted_by_the_supervising_side(world, source):
    assert Hazard(source=source).accepted_by_supervisor
    h = build(world, world.ent_a, State.AWAITING, source=source, rectifier=world.safety_a)
    with pytest.raises(PermissionDenied):
        services.hazard_accept(
            actor=world.principal_a, scope=scope(world.principal_a), hazard=h, accepted_on=h.rectified_on
        )


@pytest.mark.parametrize("source", [Source.SELF, Source.INTERNAL, Source.TIP_OFF])
def test_enterprise_sources_are_accepted_by_the_enterprise(source):
    assert not Hazard(source=source).accepted_by_supervisor


# --- reasons, dates, backdating ---------------------------------------------------------------------------
def test_void_needs_a_reason_and_records_it(world):
    h = factories.hazard(world, world.ent_a)
    before = counts(h)
    with pytest.raises(ValidationError):
        services.hazard_void(actor=world.safety_a, scope=scope(world.safety_a), hazard=h, reason="  ")
    assert counts(h) == before
    h = services.hazard_void(actor=world.safety_a, scope=scope(world.safety_a), hazard=h, reason="重复登记")
    assert (h.state, h.void_reason, h.voided_on) == (State.VOIDED, "重复登记", timezone.localdate())


def test_submit_needs_a_note_a_date_and_an_after_photo(world):
    h = build(world, world.ent_a, State.RECTIFYING)
    before = counts(h)
    with pytest.raises(ValidationError) as exc:
        services.hazard_submit(
            actor=world.safety_a, scope=scope(world.safety_a), hazard=h, rectified_on=None, note="", photos=[]
        )
    assert set(exc.value.message_dict) == {"note", "rectified_on", "photos"}
    with pytest.raises(ValidationError) as exc:
        services.hazard_submit(
            actor=world.safety_a,
            scope=scope(world.safety_a),
            hazard=h,
            rectified_on=timezone.localdate() + datetime.timedelta(days=1),
            note="已整改",
            photos=[photo()],
        )
    assert "不能晚于今天" in exc.value.message_dict["rectified_on"][0]
    h.refresh_from_db()
    assert h.state == State.RECTIFYING and counts(h) == before


def test_submit_refuses_a_completion_date_before_the_hazard_was_found(world):
    h = build(world, world.ent_a, State.RECTIFYING)
    with pytest.raises(ValidationError, match="整改完成日期不能早于"):
        services.hazard_submit(
            actor=world.safety_a,
            scope=scope(world.safety_a),
            hazard=h,
            rectified_on=DAY - datetime.timedelta(days=1),
            note="已整改",
            photos=[photo()],
        )


def test_accept_refuses_a_date_before_the_rectification(world):
    h = build(world, world.ent_a, State.AWAITING, rectifier=world.safety_a)
    with pytest.raises(ValidationError, match="验收日期不能早于"):
        services.hazard_accept(
            actor=world.principal_a,
            scope=scope(world.principal_a),
            hazard=h,
            accepted_on=h.rectified_on - datetime.timedelta(days=1),
        )
    h.refresh_from_db()
    assert h.state == State.AWAITING


def test_the_deadline_cannot_precede_the_found_date(world):
    h = factories.hazard(world, world.ent_a)
    with pytest.raises(ValidationError) as exc:
        services.hazard_assign(
            actor=None, scope=factories.root(world), hazard=h, data=five(deadline=DAY - datetime.timedelta(1))
        )
    assert "deadline" in exc.value.message_dict


def test_back_dated_steps_are_marked_backdated_and_todays_are_not(world):
    h = build(world, world.ent_a, State.CLOSED)
    by_verb = {e.verb: e for e in h.events.all()}
    assert by_verb["register"].occurred_on == DAY and by_verb["register"].backdated
    assert by_verb["submit"].occurred_on == DAY + datetime.timedelta(days=5) and by_verb["submit"].backdated
    assert by_verb["accept"].backdated and by_verb["assign"].backdated
    today = factories.hazard(world, world.ent_a, found_on=timezone.localdate())
    assert not today.events.get().backdated


def test_a_step_dated_before_the_previous_step_is_refused_and_writes_nothing(world):
    h = build(world, world.ent_a, State.RECTIFYING)  # started on DAY + 2
    before = counts(h)
    with pytest.raises(ValidationError):
        services.hazard_submit(
            actor=None,
            scope=system_scope_for(h, "submit"),
            hazard=h,
            rectified_on=DAY + datetime.timedelta(days=1),
            note="已整改",
            photos=[photo()],
        )
    h.refresh_from_db()
    assert h.state == State.RECTIFYING and counts(h) == before


def test_the_assign_step_may_be_dated_in_the_past_but_not_before_the_find(world):
    h = factories.hazard(world, world.ent_a)
    with pytest.raises(ValidationError):
        services.hazard_assign(
            actor=None, scope=factories.root(world), hazard=h, data=five(), on=DAY - datetime.timedelta(1)
        )
    h.refresh_from_db()
    assert h.state == State.REGISTERED
    h = services.hazard_assign(
        actor=None, scope=factories.root(world), hazard=h, data=five(), on=DAY + datetime.timedelta(1)
    )
    event = h.events.get(verb="assign")
    assert event.occurred_on == DAY + datetime.timedelta(1) and event.backdated


def test_timeline_rows_are_append_only(world):
    h = factories.hazard(world, world.ent_a)
    event = h.events.get()
    with pytest.raises(ValueError):
        event.save()


def test_every_step_audit_action_has_a_label(world):
    build(world, world.ent_a, State.CLOSED)
    build(world, world.ent_a, State.VOIDED)
    actions = set(AuditEvent.objects.filter(action__startswith="hazards.").values_list("action", flat=True))
    assert actions >= {
        "hazards.hazard_register",
        "hazards.hazard_assign",
        "hazards.hazard_start",
        "hazards.hazard_submit",
        "hazards.hazard_accept",
        "hazards.hazard_void",
    }
    assert actions <= set(ACTION_LABELS)


def test_a_hazard_is_overdue_only_while_pending_or_rectifying_past_its_deadline(world):
    h = build(world, world.ent_a, State.PENDING)
    late = h.deadline + datetime.timedelta(days=3)
    assert h.is_overdue(late) and h.days_overdue(late) == 3
    assert not h.is_overdue(h.deadline)
    h.state = State.AWAITING
    assert not h.is_overdue(late) and h.days_overdue(late) == 0
