"""Registering and grading hazards (重大隐患 by criterion, 治理方案), 挂牌督办, and the audit trail
of writes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from anbiao.core.models import AuditEvent, EvidenceFile
from anbiao.hazards.choices import Level, Source, State
from anbiao.hazards.hooks import ACTION_LABELS
from anbiao.hazards.models import HazardListing
from anbiao.hazards.services import hazards as services
from anbiao.hazards.tests import factories
from anbiao.hazards.tests.helpers import DAY, PLAN, counts, criterion, five, photo, scope, text_file

REGISTER = {"source": Source.SELF, "kind": "thing", "location": "配电房", "description": "电缆破损"}


def _register(world, user=None, enterprise=None, **data):
    user = user or world.safety_a
    return services.hazard_register(
        actor=user, scope=scope(user), enterprise=enterprise or world.ent_a, data={**REGISTER, **data}
    )


# --- register ---------------------------------------------------------------------------------------------
def test_registering_numbers_the_hazard_per_enterprise_and_year(world):
    first = _register(world, found_on=DAY)
    second = _register(world, found_on=DAY)
    other_year = _register(world, found_on=datetime.date(2024, 5, 1))
    assert (first.code, second.code, other_year.code) == ("YH2025-0001", "YH2025-0002", "YH2024-0001")
    assert first.created_by == world.safety_a and first.state == State.REGISTERED


def test_before_photos_are_attached_in_the_same_step(world):
    h = services.hazard_register(
        actor=world.safety_a,
        scope=scope(world.safety_a),
        enterprise=world.ent_a,
        data=dict(REGISTER),
        photos=[photo("a.png"), photo("b.png")],
    )
    files = EvidenceFile.objects.filter(owner_type="hazards.hazard", owner_id=str(h.pk))
    assert files.count() == 2 and set(files.values_list("title", flat=True)) == {services.BEFORE}


def test_a_non_image_before_photo_refuses_the_whole_registration(world):
    before = counts()
    with pytest.raises(ValidationError, match="只能上传照片"):
        services.hazard_register(
            actor=world.safety_a,
            scope=scope(world.safety_a),
            enterprise=world.ent_a,
            data=dict(REGISTER),
            photos=[text_file()],
        )
    assert counts() == before


def test_register_refuses_unknown_fields_and_future_dates(world):
    with pytest.raises(ValidationError, match="不能设置字段"):
        _register(world, state="closed")
    with pytest.raises(ValidationError, match="发现日期不能晚于今天"):
        _register(world, found_on=timezone.localdate() + datetime.timedelta(days=1))


def test_the_leader_and_the_sibling_cannot_register(world):
    for user in (world.leader, world.admin_b, world.principal_b):
        with pytest.raises(PermissionDenied):
            _register(world, user=user)


def test_the_inspector_registers_only_at_its_assigned_enterprise(world):
    h = _register(world, user=world.inspector, enterprise=world.ent_a1, source=Source.GRID)
    assert h.source == Source.GRID
    with pytest.raises(PermissionDenied):
        _register(world, user=world.inspector, enterprise=world.ent_a, source=Source.GRID)


# --- 重大隐患 -----------------------------------------------------------------------------------------------
def test_citing_a_major_criterion_makes_the_hazard_major_by_default(world):
    h = _register(world, criterion=criterion(major=True))
    assert h.level == Level.MAJOR and h.is_major


def test_citing_a_general_criterion_keeps_the_hazard_general(world):
    assert _register(world, criterion=criterion(major=False)).level == Level.GENERAL


def test_choosing_general_against_a_major_criterion_needs_a_reason(world):
    major = criterion(major=True)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        _register(world, criterion=major, level=Level.GENERAL)
    assert "须填写定级说明" in exc.value.message_dict["level_reason"][0]
    assert counts() == before
    h = _register(world, criterion=major, level=Level.GENERAL, level_reason="已现场整改完毕，风险可控")
    assert h.level == Level.GENERAL


def test_regrading_at_assignment_follows_the_same_rule(world):
    h = factories.hazard(world, world.ent_a)
    with pytest.raises(ValidationError) as exc:
        services.hazard_assign(
            actor=None,
            scope=factories.root(world),
            hazard=h,
            data=five(criterion=criterion(major=True), level=Level.GENERAL),
        )
    assert "level_reason" in exc.value.message_dict


def test_assigning_a_major_hazard_requires_the_six_plan_fields_and_the_report_date(world):
    h = factories.hazard(world, world.ent_a, level=Level.MAJOR)
    before = counts(h)
    with pytest.raises(ValidationError) as exc:
        services.hazard_assign(actor=world.principal_a, scope=scope(world.principal_a), hazard=h, data=five())
    assert set(exc.value.message_dict) == {*PLAN, "reported_on"}
    assert "重大隐患须填写治理方案" in exc.value.message_dict["plan_goal"][0]
    h.refresh_from_db()
    assert h.state == State.REGISTERED and counts(h) == before
    missing_one = {**PLAN, "plan_safety": " "}
    with pytest.raises(ValidationError) as exc:
        services.hazard_assign(
            actor=world.principal_a,
            scope=scope(world.principal_a),
            hazard=h,
            data=five(**missing_one, reported_on=DAY),
        )
    assert set(exc.value.message_dict) == {"plan_safety"}
    h = services.hazard_assign(
        actor=world.principal_a,
        scope=scope(world.principal_a),
        hazard=h,
        data=five(**PLAN, reported_on=DAY, stop_scope="partial"),
    )
    assert h.state == State.PENDING and h.plan_goal == "消除隐患" and h.reported_on == DAY


def test_a_general_hazard_is_assigned_without_a_plan(world):
    h = services.hazard_assign(
        actor=None, scope=factories.root(world), hazard=factories.hazard(world, world.ent_a), data=five()
    )
    assert h.state == State.PENDING and h.plan_goal == ""


def test_assigning_needs_the_five_fixes(world):
    h = factories.hazard(world, world.ent_a)
    with pytest.raises(ValidationError) as exc:
        services.hazard_assign(
            actor=None,
            scope=factories.root(world),
            hazard=h,
            data=five(responsible_person="", measures=" ", acceptor_name="", deadline=None),
        )
    assert set(exc.value.message_dict) == {"responsible_person", "measures", "acceptor_name", "deadline"}


def test_assign_refuses_fields_outside_the_five_fixes(world):
    h = factories.hazard(world, world.ent_a)
    with pytest.raises(ValidationError, match="不能设置字段"):
        services.hazard_assign(actor=None, scope=factories.root(world), hazard=h, data=five(state="closed"))


# --- 挂牌督办 -----------------------------------------------------------------------------------------
LISTING = {"listed_on": DAY, "deadline": DAY + datetime.timedelta(days=30), "requirements": "30日内整改"}


def _major(world, enterprise=None, state=State.REGISTERED):
    enterprise = enterprise or world.ent_a
    h = factories.hazard(world, enterprise, level=Level.MAJOR)
    if state == State.REGISTERED:
        return h
    root = factories.root(world)
    h = services.hazard_assign(
        actor=None,
        scope=root,
        hazard=h,
        data=five(**PLAN, reported_on=DAY),
        on=DAY + datetime.timedelta(days=1),
    )
    firm = factories.enterprise_scope(enterprise, role="ent_safety")
    if state == State.PENDING:
        return h
    h = services.hazard_submit(
        actor=None,
        scope=firm,
        hazard=h,
        rectified_on=DAY + datetime.timedelta(2),
        note="ok",
        photos=[photo()],
    )
    if state == State.AWAITING:
        return h
    return services.hazard_accept(actor=None, scope=firm, hazard=h, accepted_on=DAY + datetime.timedelta(3))


def test_a_unit_above_the_enterprise_lists_a_major_hazard(world):
    h = _major(world, world.ent_a1)
    listing = services.listing_create(
        actor=world.admin_a, scope=scope(world.admin_a), hazard=h, organization=world.unit_a, data=LISTING
    )
    assert listing.is_active and listing.organization == world.unit_a
    assert AuditEvent.objects.filter(action="hazards.listing_create", object_id=str(listing.pk)).exists()


def test_only_a_major_hazard_can_be_listed(world):
    h = factories.hazard(world, world.ent_a)
    with pytest.raises(ValidationError, match="只有重大隐患"):
        services.listing_create(
            actor=world.admin_a, scope=scope(world.admin_a), hazard=h, organization=world.unit_a, data=LISTING
        )


def test_a_hazard_is_listed_once(world):
    h = _major(world)
    services.listing_create(
        actor=world.admin_a, scope=scope(world.admin_a), hazard=h, organization=world.unit_a, data=LISTING
    )
    with pytest.raises(ValidationError, match="已挂牌督办"):
        services.listing_create(
            actor=world.county_admin,
            scope=scope(world.county_admin),
            hazard=h,
            organization=world.county,
            data=LISTING,
        )
    assert HazardListing.objects.filter(hazard=h).count() == 1


def test_the_listing_unit_must_be_above_the_enterprise(world):
    h = _major(world, world.ent_a)
    with pytest.raises(ValidationError) as exc:
        services.listing_create(
            actor=world.admin_a,
            scope=scope(world.admin_a),
            hazard=h,
            organization=world.unit_a1,
            data=LISTING,
        )
    assert "organization" in exc.value.message_dict


def test_enterprise_users_and_the_sibling_cannot_list(world):
    h = _major(world)
    for user, unit in (
        (world.principal_a, world.unit_a),
        (world.admin_b, world.unit_b),
        (world.leader, world.county),
    ):
        with pytest.raises(PermissionDenied):
            services.listing_create(actor=user, scope=scope(user), hazard=h, organization=unit, data=LISTING)
    assert not HazardListing.objects.exists()


def test_a_closed_hazard_cannot_be_listed_and_the_deadline_follows_the_listing_date(world):
    closed = _major(world, state=State.CLOSED)
    with pytest.raises(ValidationError, match="已销号或作废"):
        services.listing_create(
            actor=world.admin_a,
            scope=scope(world.admin_a),
            hazard=closed,
            organization=world.unit_a,
            data=LISTING,
        )
    h = _major(world)
    with pytest.raises(ValidationError) as exc:
        services.listing_create(
            actor=world.admin_a,
            scope=scope(world.admin_a),
            hazard=h,
            organization=world.unit_a,
            data={**LISTING, "deadline": DAY - datetime.timedelta(days=1)},
        )
    assert "deadline" in exc.value.message_dict


def test_delisting_waits_for_the_acceptance(world):
    h = _major(world, state=State.PENDING)
    listing = services.listing_create(
        actor=world.admin_a, scope=scope(world.admin_a), hazard=h, organization=world.unit_a, data=LISTING
    )
    with pytest.raises(ValidationError, match="尚未验收销号"):
        services.listing_delist(
            actor=world.admin_a, scope=scope(world.admin_a), listing=listing, on=DAY, note="x"
        )
    firm = factories.enterprise_scope(world.ent_a, role="ent_safety")
    h = services.hazard_submit(
        actor=None,
        scope=firm,
        hazard=h,
        rectified_on=DAY + datetime.timedelta(2),
        note="ok",
        photos=[photo()],
    )
    services.hazard_accept(actor=None, scope=firm, hazard=h, accepted_on=DAY + datetime.timedelta(3))
    listing.refresh_from_db()
    with pytest.raises(ValidationError):
        services.listing_delist(
            actor=world.admin_a,
            scope=scope(world.admin_a),
            listing=listing,
            on=DAY - datetime.timedelta(days=1),
            note="x",
        )
    with pytest.raises(PermissionDenied):
        services.listing_delist(
            actor=world.principal_a, scope=scope(world.principal_a), listing=listing, on=DAY, note="x"
        )
    listing = services.listing_delist(
        actor=world.admin_a,
        scope=scope(world.admin_a),
        listing=listing,
        on=DAY + datetime.timedelta(5),
        note="复查合格",
    )
    assert not listing.is_active and listing.delist_note == "复查合格"
    with pytest.raises(ValidationError, match="已摘牌"):
        services.listing_delist(
            actor=world.admin_a, scope=scope(world.admin_a), listing=listing, on=DAY, note="x"
        )
    assert AuditEvent.objects.filter(action="hazards.listing_delist").count() == 1


def test_the_enterprise_sees_the_listing_banner_on_its_hazard_page(world, login):
    h = _major(world)
    services.listing_create(
        actor=world.admin_a,
        scope=scope(world.admin_a),
        hazard=h,
        organization=world.unit_a,
        data={**LISTING, "document_no": "甲安督〔2025〕1号"},
    )
    response = login(world.principal_a).get(f"/hazards/{h.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="listing-banner"' in page
    assert "重大隐患挂牌督办" in page and "甲供销社" in page and "甲安督〔2025〕1号" in page
    assert "delisted" not in page and "摘牌</button>" not in page


# --- audit trail --------------------------------------------------------------------------------------------
def test_every_hazard_write_records_audit_rows_with_known_action_names(world):
    start = AuditEvent.objects.count()
    h = _major(world, state=State.CLOSED)
    listing = HazardListing.objects.create(
        hazard=h,
        organization=world.unit_a,
        listed_on=DAY,
        deadline=DAY + datetime.timedelta(30),
        requirements="x",
    )
    services.listing_delist(
        actor=world.admin_a, scope=scope(world.admin_a), listing=listing, on=DAY, note="ok"
    )
    new = AuditEvent.objects.order_by("id")[start:]
    actions = [a.action for a in new if a.action.startswith("hazards.")]
    assert actions == [
        "hazards.hazard_register",
        "hazards.hazard_assign",
        "hazards.hazard_submit",
        "hazards.hazard_accept",
        "hazards.listing_delist",
    ]
    assert all(a in ACTION_LABELS for a in actions)
    assert all(e.org_path == world.unit_a.path for e in new if e.action.startswith("hazards."))
