"""Every hazard page: GET renders for the roles that should see it, the sibling's objects are 404, and each
form posts through to its service (register with photos, the workflow steps, listings, inspections, plans,
checklists, the criteria catalogue, internal reports)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from anbiao.core.api import ScopedViewSetMixin
from anbiao.core.models import AuditEvent, EvidenceFile
from anbiao.core.views import ScopedViewMixin
from anbiao.hazards.choices import Level, Outcome, Source, State
from anbiao.hazards.models import (
    ChecklistTemplate,
    Hazard,
    HazardCriterion,
    HazardListing,
    Inspection,
    InspectionPlan,
    InternalReport,
)
from anbiao.hazards.services import checklists
from anbiao.hazards.tests import factories
from anbiao.hazards.tests.helpers import DAY, PLAN, build, criterion, flashes, photo, scope
from tests.urlwalk import project_routes

TODAY = timezone.localdate()


def hazard_routes():
    return [
        r
        for r in project_routes()
        if r.name.startswith("hazards:")
        or (r.name.startswith("api:") and r.view_class and r.view_class.__module__ == "anbiao.hazards.api")
    ]


def _model(route):
    cls = route.view_class
    return cls.model if issubclass(cls, ScopedViewMixin) else cls.queryset.model


def _method(route):
    cls = route.view_class
    if issubclass(cls, ScopedViewSetMixin):
        return "get" if "get" in route.actions else next(iter(route.actions))
    return next(m for m in ("get", "post") if hasattr(cls, m) and m in cls.http_method_names)


OBJECT_ROUTES = [r for r in hazard_routes() if "<int:pk>" in r.route or "<pk>" in r.route]


def test_the_hazard_app_has_its_pages_and_api():
    names = {r.name for r in hazard_routes()}
    assert {"hazards:hazard_list", "hazards:public_report", "api:hazard-list", "api:hazard-submit"} <= names
    assert len(OBJECT_ROUTES) >= 30


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
def test_a_sibling_units_object_is_404_on_every_hazard_url(route, world, login):
    """Unit A's admin gets 404 on unit B's object; enterprise A's principal gets 404 too, or 403 only where
    the role may not open the page at all (so nothing about the object leaks)."""
    _, outside = world.in_a_and_b(_model(route))
    url = reverse(route.name, kwargs={"pk": outside.pk})
    assert getattr(login(world.admin_a), _method(route))(url).status_code == 404
    response = getattr(login(world.principal_a), _method(route))(url)
    cls = route.view_class
    page_perm = cls.permission if issubclass(cls, ScopedViewMixin) else None
    if response.status_code == 403:
        assert page_perm and not scope(world.principal_a).has_perm(page_perm)
    else:
        assert response.status_code == 404


PAGES = [
    "/hazards/",
    "/hazards/rectification/",
    "/hazards/listings/",
    "/inspections/",
    "/checklists/",
    "/hazards/criteria/",
]


@pytest.mark.parametrize(
    "who", ["county_admin", "leader", "admin_a", "principal_a", "safety_a", "inspector", "expert"]
)
def test_the_list_pages_render_for_every_role(world, login, who):
    client = login(getattr(world, who))
    for url in PAGES:
        assert client.get(url).status_code == 200, url


def test_pages_by_permission(world, login):
    for who in ("county_admin", "leader", "admin_a", "inspector"):
        assert login(getattr(world, who)).get("/inspections/plans/").status_code == 200
    assert login(world.principal_a).get("/inspections/plans/").status_code == 403
    assert login(world.principal_a).get("/hazards/reports/").status_code == 200
    assert login(world.inspector).get("/hazards/reports/").status_code == 403
    for url in ("/hazards/new/", "/inspections/new/"):
        assert login(world.leader).get(url).status_code == 403
        assert login(world.safety_a).get(url).status_code == 200
        assert login(world.inspector).get(url).status_code == 200
    assert login(world.principal_a).get("/inspections/plans/new/").status_code == 403
    assert login(world.admin_a).get("/inspections/plans/new/").status_code == 200
    assert login(world.leader).get("/checklists/new/").status_code == 403
    assert login(world.principal_a).get("/checklists/new/").status_code == 200


def test_anonymous_users_are_sent_to_login(client, world):
    for url in [*PAGES, "/hazards/new/", f"/hazards/channels/{world.ent_a.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


# --- hazards ------------------------------------------------------------------------------------------
def test_registering_through_the_page_with_photos(world, login):
    client = login(world.safety_a)
    page = client.get("/hazards/new/")
    assert page.status_code == 200 and 'data-testid="hazard-form"' in page.content.decode()
    response = client.post(
        "/hazards/new/",
        {
            "enterprise": world.ent_a.pk,
            "source": "self",
            "kind": "thing",
            "location": "冷库",
            "description": "冷库门禁失灵",
            "found_on": DAY.isoformat(),
            "level": "",
            "photos": [photo("a.png"), photo("b.png")],
        },
    )
    h = Hazard.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hazards/{h.pk}/"
    assert (h.source, h.created_by, h.level) == (Source.SELF, world.safety_a, Level.GENERAL)
    assert EvidenceFile.objects.filter(owner_type="hazards.hazard", owner_id=str(h.pk)).count() == 2
    detail = client.get(response["Location"]).content.decode()
    assert "冷库门禁失灵" in detail and 'data-testid="hazard-actions"' in detail


def test_the_register_page_offers_enterprises_only_the_enterprise_sources(world, login):
    response = login(world.safety_a).post(
        "/hazards/new/",
        {
            "enterprise": world.ent_a.pk,
            "source": "supervisor",
            "kind": "thing",
            "location": "x",
            "description": "x",
            "found_on": DAY.isoformat(),
        },
    )
    assert response.status_code == 200 and not Hazard.objects.exists()
    assert "source" in response.context["form"].errors


def test_registering_a_major_criterion_as_general_without_reason_shows_the_error(world, login):
    response = login(world.safety_a).post(
        "/hazards/new/",
        {
            "enterprise": world.ent_a.pk,
            "source": "self",
            "kind": "thing",
            "location": "x",
            "description": "x",
            "found_on": DAY.isoformat(),
            "level": "general",
            "criterion": criterion(major=True).pk,
        },
    )
    assert response.status_code == 200 and not Hazard.objects.exists()
    assert "须填写定级说明" in str(response.context["form"].errors["level_reason"])


def test_the_workflow_through_the_pages(world, login):
    h = factories.hazard(world, world.ent_a)
    safety = login(world.safety_a)
    assert safety.get(f"/hazards/{h.pk}/assign/").status_code == 200
    response = safety.post(
        f"/hazards/{h.pk}/assign/",
        {
            "level": "general",
            "responsible_person": "张三",
            "measures": "清理",
            "deadline": TODAY.isoformat(),
            "funds": "100",
            "acceptor_name": "李四",
            "assigned_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    assert safety.post(f"/hazards/{h.pk}/start/").status_code == 302
    assert safety.get(f"/hazards/{h.pk}/submit/").status_code == 200
    response = safety.post(
        f"/hazards/{h.pk}/submit/", {"rectified_on": TODAY.isoformat(), "note": "已清理", "photos": [photo()]}
    )
    assert response.status_code == 302
    h.refresh_from_db()
    assert h.state == State.AWAITING and h.rectified_by == world.safety_a
    response = safety.post(f"/hazards/{h.pk}/accept/", {"accepted_on": TODAY.isoformat()})
    assert response.status_code == 302 and "验收人不能是提交整改的人" in flashes(response)
    principal = login(world.principal_a)
    response = principal.post(f"/hazards/{h.pk}/reject/", {"reason": "未彻底"})
    assert response.status_code == 302
    h.refresh_from_db()
    assert h.state == State.RECTIFYING
    principal.post(
        f"/hazards/{h.pk}/submit/", {"rectified_on": TODAY.isoformat(), "note": "再次", "photos": [photo()]}
    )
    safety = login(world.safety_a)
    response = safety.post(f"/hazards/{h.pk}/accept/", {"accepted_on": TODAY.isoformat(), "note": "合格"})
    h.refresh_from_db()
    assert h.state == State.CLOSED and h.accepted_by == world.safety_a
    detail = safety.get(f"/hazards/{h.pk}/").content.decode()
    assert "已销号" in detail and 'data-testid="after-photos"' in detail
    assert [e.verb for e in h.events.all()] == [
        "register",
        "assign",
        "start",
        "submit",
        "reject",
        "submit",
        "accept",
    ]


def test_assign_and_submit_pages_show_the_services_errors(world, login):
    h = factories.hazard(world, world.ent_a, level=Level.MAJOR)
    client = login(world.safety_a)
    response = client.post(
        f"/hazards/{h.pk}/assign/",
        {
            "level": "major",
            "responsible_person": "张三",
            "measures": "x",
            "deadline": TODAY.isoformat(),
            "acceptor_name": "李四",
            "assigned_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"plan_goal", "reported_on"}
    response = client.post(
        f"/hazards/{h.pk}/assign/",
        {
            "level": "major",
            "responsible_person": "张三",
            "measures": "x",
            "deadline": TODAY.isoformat(),
            "acceptor_name": "李四",
            "reported_on": DAY.isoformat(),
            "assigned_on": TODAY.isoformat(),
            **PLAN,
        },
    )
    assert response.status_code == 302
    response = client.post(f"/hazards/{h.pk}/submit/", {"rectified_on": TODAY.isoformat(), "note": "x"})
    assert response.status_code == 200 and "photos" in response.context["form"].errors
    response = login(world.leader).post(f"/hazards/{h.pk}/start/")
    assert response.status_code == 302 and "不能「开始整改」" in flashes(response)


def test_void_through_the_page_needs_a_reason(world, login):
    h = factories.hazard(world, world.ent_a)
    client = login(world.principal_a)
    response = client.post(f"/hazards/{h.pk}/void/", {"reason": ""})
    assert "请填写原因" in flashes(response)
    client.post(f"/hazards/{h.pk}/void/", {"reason": "误报"})
    h.refresh_from_db()
    assert h.state == State.VOIDED


def test_a_step_the_state_does_not_allow_is_refused_with_a_message(world, login):
    h = build(world, world.ent_a, State.CLOSED)
    client = login(world.principal_a)
    client.raise_request_exception = False
    response = client.post(f"/hazards/{h.pk}/start/")
    assert response.status_code == 302 and "不能「开始整改」" in flashes(response)


def test_listing_and_delisting_through_the_pages(world, login):
    h = factories.hazard(world, world.ent_a, level=Level.MAJOR)
    admin = login(world.admin_a)
    detail = admin.get(f"/hazards/{h.pk}/").content.decode()
    assert 'data-testid="listing-form"' in detail
    assert login(world.principal_a).post(f"/hazards/{h.pk}/list/", {}).status_code == 403
    admin = login(world.admin_a)
    response = admin.post(
        f"/hazards/{h.pk}/list/",
        {
            "organization": world.unit_a.pk,
            "document_no": "甲安督1号",
            "listed_on": DAY.isoformat(),
            "deadline": "2025-04-30",
            "requirements": "限期整改",
        },
    )
    assert response.status_code == 302 and "已挂牌督办" in flashes(response)
    listing = HazardListing.objects.get()
    assert listing.document_no == "甲安督1号"
    response = admin.post(f"/hazards/{h.pk}/list/", {"organization": world.unit_a.pk})
    assert "督办期限" in flashes(response) or "挂牌日期" in flashes(response)
    listed = admin.get("/hazards/listings/")
    assert [x.pk for x in listed.context["object_list"]] == [listing.pk]
    response = admin.post(
        f"/hazards/listings/{listing.pk}/delist/", {"delisted_on": DAY.isoformat(), "note": "x"}
    )
    assert "尚未验收销号" in flashes(response)
    Hazard.objects.filter(pk=h.pk).update(state=State.CLOSED, accepted_on=DAY)
    response = admin.post(
        f"/hazards/listings/{listing.pk}/delist/", {"delisted_on": "2025-04-01", "note": "复查合格"}
    )
    assert response.status_code == 302 and response["Location"] == f"/hazards/{h.pk}/"
    listing.refresh_from_db()
    assert listing.delisted_on == datetime.date(2025, 4, 1)
    assert admin.post(f"/hazards/listings/{listing.pk}/delist/", {}).status_code == 302
    assert login(world.principal_a).post(f"/hazards/listings/{listing.pk}/delist/", {}).status_code == 403
    assert (
        list(login(world.admin_a).get("/hazards/listings/", {"active": "true"}).context["object_list"]) == []
    )


# --- inspections -------------------------------------------------------------------------------------------
def test_an_inspector_inspects_and_a_failed_item_becomes_a_hazard_through_the_pages(world, login):
    t = factories.template(world, organization=world.county, name="网格员导则", items=2)
    client = login(world.inspector)
    page = client.get("/inspections/new/")
    assert page.status_code == 200
    assert [k for k, _ in page.context["form"].fields["kind"].choices] == ["grid"]
    response = client.post(
        "/inspections/new/",
        {
            "enterprise": world.ent_a1.pk,
            "kind": "grid",
            "template": t.pk,
            "inspected_on": DAY.isoformat(),
            "inspectors": "网格员小王",
        },
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inspections/{inspection.pk}/"
    assert client.get(response["Location"]).status_code == 200
    first, second = inspection.version.all_items()
    response = client.post(
        f"/inspections/{inspection.pk}/record/",
        {f"outcome_{first.pk}": "fail", f"note_{first.pk}": "", f"outcome_{second.pk}": "pass"},
    )
    assert "不符合时请说明具体情况" in flashes(response) and not inspection.results.exists()
    response = client.post(
        f"/inspections/{inspection.pk}/record/",
        {
            f"outcome_{first.pk}": "fail",
            f"note_{first.pk}": "灭火器压力不足",
            f"location_{first.pk}": "前厅",
            f"photos_{first.pk}": [photo()],
            f"outcome_{second.pk}": "pass",
            "note": "电线私拉乱接",
            "location": "后院",
        },
    )
    assert "已保存 3 项检查结果" in flashes(response)
    response = client.post(f"/inspections/{inspection.pk}/complete/", {"summary": "", "deadline": ""})
    assert "整改期限" in flashes(response)
    response = client.post(
        f"/inspections/{inspection.pk}/complete/", {"summary": "两处问题", "deadline": "2025-03-31"}
    )
    assert "2 项不符合已登记为隐患" in flashes(response)
    inspection.refresh_from_db()
    assert inspection.is_done and inspection.notice_no == "ZG2025-TA1-001"
    hazards = list(inspection.hazards.order_by("code"))
    assert {h.source for h in hazards} == {Source.GRID}
    assert {h.description for h in hazards} == {f"{first.content}——灭火器压力不足", "电线私拉乱接"}
    detail = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert hazards[0].code in detail
    response = client.post(
        f"/inspections/{inspection.pk}/record/", {f"outcome_{second.pk}": "fail", f"note_{second.pk}": "x"}
    )
    assert "检查已完成" in flashes(response)
    assert inspection.results.get(item=second).outcome == Outcome.PASS
    assert login(world.admin_a).get(f"/inspections/{inspection.pk}/notice/").status_code == 200
    hazard_page = login(world.inspector).get(f"/hazards/{hazards[0].pk}/").content.decode()
    assert "（监管方验收）" in hazard_page or "尚未落实五定" in hazard_page


def test_the_start_page_refuses_a_kind_the_role_does_not_have(world, login):
    t = factories.template(world, organization=world.county, name="通用")
    response = login(world.safety_a).post(
        "/inspections/new/",
        {
            "enterprise": world.ent_a.pk,
            "kind": "unit",
            "template": t.pk,
            "inspected_on": DAY.isoformat(),
            "inspectors": "x",
        },
    )
    assert response.status_code == 200 and not Inspection.objects.exists()
    assert "kind" in response.context["form"].errors


def test_plans_are_created_started_and_cancelled_through_the_pages(world, login):
    t = factories.template(world, organization=world.county, name="通用")
    admin = login(world.admin_a)
    assert admin.get("/inspections/plans/new/").status_code == 200
    response = admin.post(
        "/inspections/plans/new/",
        {
            "organization": world.unit_a1.pk,
            "enterprise": world.ent_a.pk,
            "kind": "unit",
            "planned_on": DAY.isoformat(),
        },
    )
    assert response.status_code == 200 and "enterprise" in response.context["form"].errors
    response = admin.post(
        "/inspections/plans/new/",
        {
            "organization": world.unit_a.pk,
            "enterprise": world.ent_a.pk,
            "kind": "unit",
            "planned_on": DAY.isoformat(),
            "assignee": world.admin_a.pk,
            "template": t.pk,
            "note": "季度检查",
        },
    )
    assert response.status_code == 302
    plan = InspectionPlan.objects.get()
    page = admin.get(f"/inspections/new/?plan={plan.pk}")
    assert page.context["plan"] == plan and page.context["form"].initial["enterprise"] == world.ent_a.pk
    other = InspectionPlan.objects.create(
        organization=world.unit_a, enterprise=world.ent_a1, kind="unit", planned_on=DAY
    )
    assert login(world.admin_b).post(f"/inspections/plans/{other.pk}/cancel/").status_code == 404
    response = login(world.admin_a).post(f"/inspections/plans/{other.pk}/cancel/")
    assert response.status_code == 302 and "已取消检查计划" in flashes(response)
    other.refresh_from_db()
    assert other.cancelled
    response = login(world.admin_a).post(
        "/inspections/new/",
        {
            "plan": plan.pk,
            "enterprise": world.ent_a.pk,
            "kind": "unit",
            "template": t.pk,
            "inspected_on": DAY.isoformat(),
            "inspectors": "王",
        },
    )
    assert response.status_code == 302
    assert Inspection.objects.get().plan == plan
    response = login(world.admin_a).post(f"/inspections/plans/{plan.pk}/cancel/")
    assert "计划已执行" in flashes(response)


# --- checklists --------------------------------------------------------------------------------------------
def test_checklists_are_created_edited_and_published_through_the_pages(world, login):
    parent = factories.template(world, organization=world.county, name="县清单")
    client = login(world.admin_a)
    page = client.get(f"/checklists/new/?extends={parent.pk}")
    assert page.status_code == 200
    response = client.post(
        "/checklists/new/",
        {
            "owner": f"org:{world.unit_a.pk}",
            "kind": "checklist",
            "name": "甲社增补清单",
            "description": "",
            "extends": parent.pk,
        },
    )
    t = ChecklistTemplate.objects.get(name="甲社增补清单")
    assert response.status_code == 302 and t.extends == parent and t.organization == world.unit_a
    response = client.post(
        f"/checklists/{t.pk}/items/", {"category": "site", "content": "叉车持证", "method": "查证"}
    )
    assert "已添加检查项" in flashes(response)
    assert "检查内容" in flashes(
        client.post(f"/checklists/{t.pk}/items/", {"category": "site", "content": ""})
    )
    client.post(f"/checklists/{t.pk}/items/", {"category": "behaviour", "content": "要删除的项"})
    draft = t.versions.get()
    item, doomed = draft.items.order_by("order")
    assert client.get(f"/checklists/items/{item.pk}/").status_code == 200
    response = client.post(
        f"/checklists/items/{item.pk}/", {"order": "1", "category": "site", "content": "叉车司机持证上岗"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.content == "叉车司机持证上岗"
    assert client.post(f"/checklists/items/{doomed.pk}/delete/").status_code == 302
    assert draft.items.count() == 1
    response = client.post(f"/checklists/{t.pk}/publish/", {"note": "首次发布"})
    assert "已发布第1版" in flashes(response)
    detail = client.get(f"/checklists/{t.pk}/")
    assert detail.status_code == 200 and len(detail.context["base_items"]) == 2
    assert "没有待发布的修改" in flashes(client.post(f"/checklists/{t.pk}/publish/", {}))
    published = checklists.current_version(t).items.get()
    response = client.post(f"/checklists/items/{published.pk}/delete/")
    assert "已发布版本的检查项不能删除" in flashes(response)
    response = client.post(
        f"/checklists/items/{published.pk}/", {"order": "1", "category": "site", "content": "改"}
    )
    assert response.status_code == 200 and "只能修改草稿" in str(response.context["form"].errors)
    actions = set(AuditEvent.objects.filter(actor=world.admin_a).values_list("action", flat=True))
    assert {
        "hazards.checklist_create",
        "hazards.checklist_item_save",
        "hazards.checklist_item_delete",
        "hazards.checklist_publish",
    } <= actions


def test_an_enterprise_creates_its_own_checklist_page(world, login):
    client = login(world.safety_a)
    owners = dict(client.get("/checklists/new/").context["form"].fields["owner"].choices)
    assert owners == {f"ent:{world.ent_a.pk}": "甲一超市"}
    response = client.post(
        "/checklists/new/", {"owner": f"ent:{world.ent_a.pk}", "kind": "checklist", "name": "本店清单"}
    )
    assert response.status_code == 302
    assert ChecklistTemplate.objects.get(name="本店清单").enterprise == world.ent_a


def test_the_library_is_loaded_from_the_checklist_page(world, login):
    client = login(world.admin_a)
    page = client.get("/checklists/")
    assert [u.pk for u in page.context["library_units"]] == [world.unit_a.pk]
    response = client.post(f"/checklists/library/{world.unit_a.pk}/")
    assert response.status_code == 302 and "入门检查清单" in flashes(response)
    count = ChecklistTemplate.objects.filter(organization=world.unit_a).count()
    assert count > 0
    assert "载入 0 份" in flashes(client.post(f"/checklists/library/{world.unit_a.pk}/"))
    assert ChecklistTemplate.objects.filter(organization=world.unit_a).count() == count
    assert login(world.admin_a).post(f"/checklists/library/{world.county.pk}/").status_code == 404
    assert login(world.admin_b).post(f"/checklists/library/{world.unit_a.pk}/").status_code == 404


def test_the_county_admin_edits_a_criterion_and_others_get_403(world, login):
    entry = HazardCriterion.objects.filter(is_major=True).first()
    county = login(world.county_admin)
    page = county.get(f"/hazards/criteria/?edit={entry.pk}")
    assert page.status_code == 200 and page.context["editing"] == entry
    data = {
        "catalogue": entry.catalogue,
        "code": entry.code,
        "article": entry.article,
        "sector": entry.sector,
        "text": "改后的条款内容",
        "is_major": "on",
        "source": entry.source,
        "is_active": "on",
        "sort_order": entry.sort_order,
        "id": entry.pk,
    }
    response = county.post("/hazards/criteria/", data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.text == "改后的条款内容"
    assert AuditEvent.objects.filter(action="hazards.criterion_save", actor=world.county_admin).count() == 1
    assert county.post("/hazards/criteria/", {**data, "id": "", "code": ""}).status_code == 200
    for who in ("admin_a", "principal_a", "leader"):
        client = login(getattr(world, who))
        assert client.get("/hazards/criteria/").status_code == 200
        assert client.get(f"/hazards/criteria/?edit={entry.pk}").context["form"] is None
        assert client.post("/hazards/criteria/", data).status_code == 403


def _criterion_post(entry, **over):
    return {
        "catalogue": entry.catalogue,
        "code": entry.code,
        "article": entry.article,
        "sector": entry.sector,
        "text": entry.text,
        "is_major": "on" if entry.is_major else "",
        "source": entry.source,
        "is_active": "on",
        "sort_order": entry.sort_order,
        "id": entry.pk,
        **over,
    }


def test_editing_a_criterion_records_the_change_in_the_audit_log(world, login):
    entry = HazardCriterion.objects.filter(is_major=True).first()
    old = entry.text
    login(world.county_admin).post("/hazards/criteria/", _criterion_post(entry, text="改后的条款内容"))
    event = AuditEvent.objects.get(action="hazards.criterion_save")
    assert (event.before, event.after) == ({"text": old}, {"text": "改后的条款内容"})


def test_the_county_admin_adds_a_criterion(world, login):
    entry = HazardCriterion.objects.first()
    response = login(world.county_admin).post(
        "/hazards/criteria/", _criterion_post(entry, id="", code="NEW-1", article="新增条款")
    )
    assert response.status_code == 302
    assert HazardCriterion.objects.get(code="NEW-1").article == "新增条款"


# --- internal reports ---------------------------------------------------------------------------------
def test_reports_are_verified_rewarded_and_rejected_through_the_pages(world, login):
    report = factories.internal_report(world, world.ent_a)
    other = factories.internal_report(world, world.ent_a)
    client = login(world.principal_a)
    listed = client.get("/hazards/reports/", {"status": "new"})
    assert {r.pk for r in listed.context["object_list"]} == {report.pk, other.pk}
    assert list(listed.context["own_enterprises"]) == [world.ent_a]
    assert client.get(f"/hazards/reports/{report.pk}/").context["verify_form"] is not None
    response = client.post(
        f"/hazards/reports/{report.pk}/reward/",
        {"amount": "100", "paid_on": TODAY.isoformat(), "paid_by": "会计"},
    )
    assert "只有核实属实" in flashes(response)
    response = client.post(f"/hazards/reports/{report.pk}/verify/", {"kind": "thing", "level": "general"})
    assert "登记为隐患" in flashes(response)
    report.refresh_from_db()
    assert report.hazard.source == Source.INTERNAL
    response = client.post(
        f"/hazards/reports/{report.pk}/reward/",
        {"amount": "100", "paid_on": TODAY.isoformat(), "paid_by": "会计"},
    )
    assert "已记录奖励兑现" in flashes(response)
    report.refresh_from_db()
    assert report.reward_amount == 100
    assert "原因" in flashes(client.post(f"/hazards/reports/{other.pk}/reject/", {"reason": ""}))
    response = client.post(f"/hazards/reports/{other.pk}/reject/", {"reason": "无此情况"})
    assert "不属实" in flashes(response)
    other.refresh_from_db()
    assert other.status == "rejected"
    assert login(world.admin_a).get(f"/hazards/reports/{other.pk}/").status_code == 200
    assert (
        login(world.admin_a).post(f"/hazards/reports/{other.pk}/reject/", {"reason": "x"}).status_code == 403
    )
    assert login(world.admin_b).get(f"/hazards/reports/{other.pk}/").status_code == 404
    assert InternalReport.objects.visible_to(scope(world.principal_b)).count() == 0
