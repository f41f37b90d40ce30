"""Inspections (start against a published checklist, record, complete: 不符合 → 隐患, 整改通知单)
and inspection plans."""

import datetime
import io

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from anbiao.core.models import AuditEvent, EvidenceFile
from anbiao.hazards.choices import InspectionKind, ItemCategory, Level, Outcome, Source, State
from anbiao.hazards.models import Hazard, Inspection, InspectionPlan
from anbiao.hazards.services import checklists
from anbiao.hazards.services import inspections as services
from anbiao.hazards.tests import factories
from anbiao.hazards.tests.helpers import DAY, criterion, item_of, photo, scope

TODAY = timezone.localdate()


@pytest.fixture
def county_list(world):
    return factories.template(world, organization=world.county, name="县社通用清单", items=3)


def _start(world, user, enterprise, kind, template, **kw):
    return services.inspection_start(
        actor=user,
        scope=scope(user),
        enterprise=enterprise,
        kind=kind,
        inspected_on=kw.pop("inspected_on", DAY),
        inspectors=kw.pop("inspectors", "王检查、李检查"),
        template=template,
        **kw,
    )


def _finding(item, outcome=Outcome.PASS, note="", **kw):
    return {"item": item, "outcome": outcome, "note": note, "location": kw.get("location", "仓库"), **kw}


# --- start ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "enterprise", "allowed"),
    [
        ("principal_a", "ent_a", {InspectionKind.SELF}),
        ("safety_a", "ent_a", {InspectionKind.SELF}),
        ("admin_a", "ent_a", {InspectionKind.UNIT, InspectionKind.ENFORCEMENT}),
        ("county_admin", "ent_b", {InspectionKind.COUNTY, InspectionKind.ENFORCEMENT}),
        ("inspector", "ent_a1", {InspectionKind.GRID}),
        ("expert", "ent_b", {InspectionKind.EXPERT}),
    ],
)
def test_each_role_starts_only_its_kinds_of_inspection(world, county_list, who, enterprise, allowed):
    user, ent = getattr(world, who), getattr(world, enterprise)
    for kind in InspectionKind.values:
        if kind in allowed:
            inspection = _start(world, user, ent, kind, county_list)
            assert inspection.kind == kind and inspection.created_by == user
            assert (inspection.organization is None) == (kind == InspectionKind.SELF)
        else:
            with pytest.raises(PermissionDenied):
                _start(world, user, ent, kind, county_list)


def test_the_inspecting_unit_is_the_actors_unit_or_the_enterprises_for_assigned_inspectors(
    world, county_list
):
    assert _start(world, world.admin_a, world.ent_a1, "unit", county_list).organization == world.unit_a
    assert _start(world, world.county_admin, world.ent_a1, "county", county_list).organization == world.county
    assert _start(world, world.inspector, world.ent_a1, "grid", county_list).organization == world.unit_a1


def test_the_leader_cannot_inspect_and_nobody_inspects_outside_the_scope(world, county_list):
    for user, ent, kind in (
        (world.leader, world.ent_a, "county"),
        (world.admin_b, world.ent_a, "unit"),
        (world.inspector, world.ent_a, "grid"),
        (world.principal_a, world.ent_a1, "self"),
    ):
        with pytest.raises(PermissionDenied):
            _start(world, user, ent, kind, county_list)
    assert not Inspection.objects.exists()


def test_an_unpublished_checklist_cannot_be_used(world):
    draft = factories.template(world, organization=world.unit_a, name="草稿清单", publish=False)
    with pytest.raises(ValidationError) as exc:
        _start(world, world.admin_a, world.ent_a, "unit", draft)
    assert "尚未发布" in exc.value.message_dict["template"][0]


def test_a_checklist_the_user_cannot_see_cannot_be_used(world):
    sibling = factories.template(world, organization=world.unit_b, name="乙清单")
    with pytest.raises(ValidationError) as exc:
        _start(world, world.admin_a, world.ent_a, "unit", sibling)
    assert "不可用" in exc.value.message_dict["template"][0]
    lower = factories.template(world, organization=world.unit_a1, name="服务中心清单")
    with pytest.raises(ValidationError):
        _start(world, world.principal_a, world.ent_a, "self", lower)


def test_an_inherited_checklist_is_usable_by_an_enterprise_below(world, county_list):
    unit = factories.template(world, organization=world.unit_a, name="甲社清单")
    assert _start(world, world.safety_a, world.ent_a, "self", unit).version.template == unit
    assert _start(world, world.safety_a, world.ent_a, "self", county_list).version.number == 1


def test_an_inspection_without_a_checklist_records_free_findings(world):
    inspection = _start(world, world.admin_a, world.ent_a, "unit", None)
    assert inspection.version is None
    services.inspection_record(
        actor=world.admin_a,
        scope=scope(world.admin_a),
        inspection=inspection,
        findings=[{"item": None, "outcome": Outcome.FAIL, "note": "配电箱未上锁", "location": "配电房"}],
    )
    services.inspection_complete(
        actor=world.admin_a, scope=scope(world.admin_a), inspection=inspection, summary="", deadline=DAY
    )
    h = inspection.hazards.get()
    assert (h.description, h.location, h.checklist_item) == ("配电箱未上锁", "配电房", None)


def test_an_inspection_cannot_be_dated_in_the_future(world, county_list):
    with pytest.raises(ValidationError, match="检查日期不能晚于今天"):
        _start(
            world, world.admin_a, world.ent_a, "unit", county_list, inspected_on=TODAY + datetime.timedelta(1)
        )


# --- record --------------------------------------------------------------------------------------------
def test_recording_refuses_items_of_another_checklist(world, county_list):
    other = factories.template(world, organization=world.county, name="其他清单")
    inspection = _start(world, world.admin_a, world.ent_a, "unit", county_list)
    with pytest.raises(ValidationError, match="不属于本次检查使用的清单"):
        services.inspection_record(
            actor=world.admin_a,
            scope=scope(world.admin_a),
            inspection=inspection,
            findings=[_finding(item_of(county_list)), _finding(item_of(other))],
        )
    assert not inspection.results.exists()


def test_a_failed_item_needs_a_note_and_an_outcome_is_required(world, county_list):
    inspection = _start(world, world.admin_a, world.ent_a, "unit", county_list)
    with pytest.raises(ValidationError) as exc:
        services.inspection_record(
            actor=world.admin_a,
            scope=scope(world.admin_a),
            inspection=inspection,
            findings=[
                _finding(item_of(county_list), Outcome.FAIL, note=" "),
                _finding(item_of(county_list, 1), ""),
            ],
        )
    assert any("不符合时请说明具体情况" in m for m in exc.value.messages)
    assert any("请选择检查结果" in m for m in exc.value.messages)
    assert not inspection.results.exists()


def test_recording_again_updates_the_items_result_and_keeps_photos(world, county_list):
    inspection = _start(world, world.admin_a, world.ent_a, "unit", county_list)
    item = item_of(county_list)
    sc = scope(world.admin_a)
    services.inspection_record(
        actor=world.admin_a, scope=sc, inspection=inspection, findings=[_finding(item)]
    )
    services.inspection_record(
        actor=world.admin_a,
        scope=sc,
        inspection=inspection,
        findings=[_finding(item, Outcome.FAIL, note="通道堵塞", photos=[photo()])],
    )
    result = inspection.results.get()
    assert (result.outcome, result.note) == (Outcome.FAIL, "通道堵塞")
    assert (
        EvidenceFile.objects.filter(owner_type="hazards.inspectionresult", owner_id=str(result.pk)).count()
        == 1
    )
    assert AuditEvent.objects.filter(action="hazards.inspection_record").count() == 2


def test_another_role_cannot_record_on_someone_elses_kind_of_inspection(world, county_list):
    inspection = _start(world, world.inspector, world.ent_a1, "grid", county_list)
    with pytest.raises(PermissionDenied):
        services.inspection_record(
            actor=world.admin_a,
            scope=scope(world.admin_a),
            inspection=inspection,
            findings=[_finding(item_of(county_list))],
        )


# --- complete -------------------------------------------------------------------------------------------
def _failing(world, user, enterprise, kind, template, fails=2):
    inspection = _start(world, user, enterprise, kind, template)
    items = inspection.version.all_items()
    services.inspection_record(
        actor=user,
        scope=scope(user),
        inspection=inspection,
        findings=[
            _finding(
                item, Outcome.FAIL if n < fails else Outcome.PASS, note=f"问题{n + 1}" if n < fails else ""
            )
            for n, item in enumerate(items)
        ],
    )
    return inspection


@pytest.mark.parametrize(
    ("who", "enterprise", "kind", "source"),
    [
        ("admin_a", "ent_a", "unit", Source.SUPERVISOR),
        ("admin_a", "ent_a", "enforcement", Source.ENFORCEMENT),
        ("county_admin", "ent_b", "county", Source.SUPERVISOR),
        ("inspector", "ent_a1", "grid", Source.GRID),
        ("expert", "ent_b", "expert", Source.SUPERVISOR),
        ("safety_a", "ent_a", "self", Source.SELF),
    ],
)
def test_completing_turns_each_failure_into_a_hazard_with_the_kinds_source(
    world, county_list, who, enterprise, kind, source
):
    user = getattr(world, who)
    inspection = _failing(world, user, getattr(world, enterprise), kind, county_list)
    deadline = DAY + datetime.timedelta(days=20)
    done = services.inspection_complete(
        actor=user, scope=scope(user), inspection=inspection, summary=" 总体良好 ", deadline=deadline
    )
    assert done.is_done and done.summary == "总体良好" and done.completed_at
    hazards = list(Hazard.objects.filter(inspection=inspection).order_by("code"))
    assert len(hazards) == 2
    items = inspection.version.all_items()
    for n, h in enumerate(hazards):
        assert h.source == source and h.state == State.REGISTERED
        assert h.checklist_item == items[n] and h.found_on == DAY and h.found_by_name == "王检查、李检查"
        assert h.description == f"{items[n].content}——问题{n + 1}"
        assert h.deadline == deadline
    results = {r.item_id: r for r in inspection.results.all()}
    assert {results[i.pk].hazard_id for i in items[:2]} == {h.pk for h in hazards}
    assert results[items[2].pk].hazard is None
    if kind == "self":
        assert done.notice_no == ""
    else:
        assert done.notice_no.startswith(f"ZG2025-{done.organization.code}-")


def test_a_failed_item_citing_a_major_criterion_becomes_a_major_hazard(world):
    t = factories.template(world, organization=world.county, name="带条款清单", items=0, publish=False)
    major = criterion(major=True)
    checklists.item_save(
        actor=None,
        scope=factories.root(world),
        template=t,
        data={"category": ItemCategory.MANAGEMENT, "content": "安全出口", "criterion": major},
    )
    checklists.template_publish(actor=None, scope=factories.root(world), template=t)
    inspection = _failing(world, world.admin_a, world.ent_a, "unit", t, fails=1)
    services.inspection_complete(
        actor=world.admin_a, scope=scope(world.admin_a), inspection=inspection, summary="", deadline=DAY
    )
    h = inspection.hazards.get()
    assert (h.criterion, h.level, h.kind) == (major, Level.MAJOR, "management")


def test_a_supervisor_inspection_with_failures_needs_a_deadline(world, county_list):
    inspection = _failing(world, world.admin_a, world.ent_a, "unit", county_list)
    with pytest.raises(ValidationError) as exc:
        services.inspection_complete(
            actor=world.admin_a, scope=scope(world.admin_a), inspection=inspection, summary="", deadline=None
        )
    assert "deadline" in exc.value.message_dict
    with pytest.raises(ValidationError, match="整改期限不能早于检查日期"):
        services.inspection_complete(
            actor=world.admin_a,
            scope=scope(world.admin_a),
            inspection=inspection,
            summary="",
            deadline=DAY - datetime.timedelta(days=1),
        )
    inspection.refresh_from_db()
    assert not inspection.is_done and not inspection.hazards.exists()


def test_a_self_inspection_completes_without_a_deadline(world, county_list):
    inspection = _failing(world, world.safety_a, world.ent_a, "self", county_list)
    services.inspection_complete(
        actor=world.safety_a, scope=scope(world.safety_a), inspection=inspection, summary="", deadline=None
    )
    assert inspection.hazards.count() == 2 and inspection.hazards.first().deadline is None


def test_a_supervisor_inspection_without_failures_gets_no_notice(world, county_list):
    inspection = _failing(world, world.admin_a, world.ent_a, "unit", county_list, fails=0)
    done = services.inspection_complete(
        actor=world.admin_a, scope=scope(world.admin_a), inspection=inspection, summary="", deadline=None
    )
    assert done.is_done and done.notice_no == "" and not done.hazards.exists()


def test_nothing_recorded_cannot_be_completed(world, county_list):
    inspection = _start(world, world.admin_a, world.ent_a, "unit", county_list)
    with pytest.raises(ValidationError, match="还没有记录任何检查结果"):
        services.inspection_complete(
            actor=world.admin_a, scope=scope(world.admin_a), inspection=inspection, summary="", deadline=DAY
        )


def test_notice_numbers_count_up_per_unit_and_year(world, county_list):
    numbers = []
    for _ in range(2):
        inspection = _failing(world, world.admin_a, world.ent_a, "unit", county_list, fails=1)
        numbers.append(
            services.inspection_complete(
                actor=world.admin_a,
                scope=scope(world.admin_a),
                inspection=inspection,
                summary="",
                deadline=DAY,
            ).notice_no
        )
    assert numbers == ["ZG2025-TA-001", "ZG2025-TA-002"]


def test_results_cannot_change_after_completion(world, county_list):
    inspection = _failing(world, world.admin_a, world.ent_a, "unit", county_list)
    sc = scope(world.admin_a)
    services.inspection_complete(
        actor=world.admin_a, scope=sc, inspection=inspection, summary="", deadline=DAY
    )
    with pytest.raises(ValidationError, match="检查已完成"):
        services.inspection_record(
            actor=world.admin_a, scope=sc, inspection=inspection, findings=[_finding(item_of(county_list))]
        )
    with pytest.raises(ValidationError, match="检查已完成"):
        services.inspection_complete(
            actor=world.admin_a, scope=sc, inspection=inspection, summary="", deadline=DAY
        )
    assert inspection.results.filter(outcome=Outcome.FAIL).count() == 2
    assert inspection.hazards.count() == 2


def test_the_rectification_notice_reads_back_with_the_enterprise_and_each_hazard(world, county_list, login):
    inspection = _failing(world, world.admin_a, world.ent_a, "unit", county_list)
    services.inspection_complete(
        actor=world.admin_a,
        scope=scope(world.admin_a),
        inspection=inspection,
        summary="",
        deadline=DAY + datetime.timedelta(days=15),
    )
    inspection.refresh_from_db()
    response = login(world.principal_a).get(f"/inspections/{inspection.pk}/notice/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "attachment" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "安全生产事故隐患整改通知单" in text
    assert f"编号：{inspection.notice_no}" in text
    assert f"{world.ent_a.name}：" in text and "甲供销社" in text
    assert "2025年03月25日" in text
    for h in inspection.hazards.all():
        assert h.description in cells
    assert "2025-03-25" in cells


def test_an_inspection_without_hazards_has_no_notice_and_the_sibling_gets_404(world, county_list, login):
    clean = _failing(world, world.admin_a, world.ent_a, "unit", county_list, fails=0)
    services.inspection_complete(
        actor=world.admin_a, scope=scope(world.admin_a), inspection=clean, summary="", deadline=None
    )
    assert login(world.admin_a).get(f"/inspections/{clean.pk}/notice/").status_code == 404
    found = factories.inspection(world, world.ent_a)
    assert login(world.admin_b).get(f"/inspections/{found.pk}/notice/").status_code == 404
    assert login(world.admin_a).get(f"/inspections/{found.pk}/notice/").status_code == 200


# --- plans ----------------------------------------------------------------------------------------------
def _plan(world, user, enterprise, organization, planned_on=DAY, **data):
    return services.plan_create(
        actor=user,
        scope=scope(user),
        data={
            "organization": organization,
            "enterprise": enterprise,
            "kind": "unit",
            "planned_on": planned_on,
            **data,
        },
    )


def test_a_plan_is_only_for_enterprises_under_the_chosen_unit(world):
    plan = _plan(world, world.admin_a, world.ent_a1, world.unit_a1)
    assert plan.organization == world.unit_a1
    with pytest.raises(ValidationError) as exc:
        _plan(world, world.admin_a, world.ent_a, world.unit_a1)
    assert "enterprise" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _plan(world, world.county_admin, world.ent_a, world.unit_b)
    assert "enterprise" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _plan(world, world.admin_a, world.ent_a, world.county)
    assert "organization" in exc.value.message_dict


def test_only_unit_admins_plan(world):
    for user, ent, unit in (
        (world.admin_b, world.ent_a, world.unit_a),
        (world.principal_a, world.ent_a, world.unit_a),
        (world.inspector, world.ent_a1, world.unit_a1),
        (world.leader, world.ent_a, world.county),
    ):
        with pytest.raises(PermissionDenied):
            _plan(world, user, ent, unit)
    assert not InspectionPlan.objects.exists()


def test_plan_status_todo_overdue_done_and_cancelled_through_the_plan_filter(world, login, county_list):
    todo = _plan(
        world, world.admin_a, world.ent_a, world.unit_a, planned_on=TODAY + datetime.timedelta(days=3)
    )
    overdue = _plan(
        world, world.admin_a, world.ent_a, world.unit_a, planned_on=TODAY - datetime.timedelta(days=3)
    )
    done = _plan(
        world, world.admin_a, world.ent_a1, world.unit_a, planned_on=TODAY - datetime.timedelta(days=5)
    )
    started = _start(world, world.admin_a, world.ent_a1, "unit", county_list, plan=done)
    services.inspection_record(
        actor=world.admin_a,
        scope=scope(world.admin_a),
        inspection=started,
        findings=[_finding(item_of(county_list))],
    )
    services.inspection_complete(
        actor=world.admin_a, scope=scope(world.admin_a), inspection=started, summary="", deadline=None
    )
    cancelled = _plan(world, world.admin_a, world.ent_a, world.unit_a, planned_on=TODAY)
    services.plan_cancel(actor=world.admin_a, scope=scope(world.admin_a), plan=cancelled)
    client = login(world.admin_a)

    def listed(status):
        response = client.get("/inspections/plans/", {"status": status})
        assert response.status_code == 200
        return {p.pk for p in response.context["object_list"]}

    assert listed("todo") == {todo.pk}
    assert listed("overdue") == {overdue.pk}
    assert listed("done") == {done.pk}
    assert listed("cancelled") == {cancelled.pk}
    assert overdue.status_on(TODAY) == "已逾期" and todo.status_on(TODAY) == "待检查"
    done.refresh_from_db()
    assert done.status_on(TODAY) == "已完成" and cancelled.status_on(TODAY) == "已取消"


def test_a_started_plan_cannot_be_cancelled_or_reused(world, county_list):
    plan = _plan(world, world.admin_a, world.ent_a, world.unit_a)
    _start(world, world.admin_a, world.ent_a, "unit", county_list, plan=plan)
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="计划已执行"):
        services.plan_cancel(actor=world.admin_a, scope=scope(world.admin_a), plan=plan)
    with pytest.raises(ValidationError) as exc:
        _start(world, world.admin_a, world.ent_a, "unit", county_list, plan=plan)
    assert "plan" in exc.value.message_dict
    other = _plan(world, world.admin_a, world.ent_a1, world.unit_a)
    with pytest.raises(ValidationError):
        _start(world, world.admin_a, world.ent_a, "unit", county_list, plan=other)


def test_cancelling_is_for_the_planning_side_only_and_is_audited(world):
    plan = _plan(world, world.admin_a, world.ent_a, world.unit_a)
    for user in (world.admin_b, world.principal_a, world.leader):
        with pytest.raises(PermissionDenied):
            services.plan_cancel(actor=user, scope=scope(user), plan=plan)
    services.plan_cancel(actor=world.admin_a, scope=scope(world.admin_a), plan=plan)
    plan.refresh_from_db()
    assert plan.cancelled
    assert [
        a.action for a in AuditEvent.objects.filter(object_type="hazards.inspectionplan").order_by("id")
    ] == [
        "hazards.plan_create",
        "hazards.plan_cancel",
    ]
