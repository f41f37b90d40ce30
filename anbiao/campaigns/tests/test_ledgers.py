import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from anbiao.campaigns import ledger_services, report_cells, services
from anbiao.campaigns.choices import EnforcementKind, Level, NormKind, PostType, ShowcaseCategory
from anbiao.campaigns.models import EnforcementAction, NormDocument, ShowcaseEntry, WorkTask
from anbiao.campaigns.tests.conftest import docx_upload, pdf_upload
from anbiao.core.models import AuditEvent
from anbiao.orgs.models import Enterprise, Organization, Township

D = datetime.date
MAY_1 = D(2025, 5, 1)


def _action(
    world,
    scope_of,
    enterprise=None,
    kind=EnforcementKind.FINE,
    amount=Decimal("12500.50"),
    on=MAY_1,
    **extra,
):
    return ledger_services.enforcement_create(
        actor=world.admin_a,
        scope=scope_of(world.admin_a),
        data={
            "enterprise": enterprise or world.ent_a,
            "kind": kind,
            "authority": "县应急局",
            "action_on": on,
            "amount": amount if kind == EnforcementKind.FINE else None,
            **extra,
        },
    )


def test_fines_are_stored_in_yuan_and_shown_and_counted_in_wan_yuan(world, scope_of, login):
    _action(world, scope_of)
    _action(world, scope_of, enterprise=world.ent_a1, amount=Decimal("5000"))
    _action(world, scope_of, amount=Decimal("99999"), on=D(2024, 12, 31))  # before the window
    action = EnforcementAction.objects.get(amount=Decimal("12500.50"))
    assert action.amount == Decimal("12500.50")
    enterprises = Enterprise.objects.filter(unit__path__startswith=world.unit_a.path)
    assert report_cells.fine_amount_wan(enterprises, D(2025, 12, 31)) == Decimal("1.7501")
    assert report_cells.enforcement_count(enterprises, EnforcementKind.FINE, D(2025, 12, 31)) == 2
    client = login(world.admin_a)
    page = client.get(reverse("campaigns:enforcement_list"), {"action_from": "2025-01-01"})
    html = page.content.decode()
    assert "1.2501" in html and "0.5000" in html and page.context["fine_total_wan"] == "1.7501"
    ws = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("campaigns:enforcement_export")).content)
    ).active
    headers = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[8] == 12500.5)
    assert row[headers.index("罚款金额(万元)")] == "1.2501"


def test_each_enforcement_kind_is_counted_and_persons_referred_are_summed(world, scope_of):
    for kind in (
        EnforcementKind.SUSPEND,
        EnforcementKind.INTERVIEW,
        EnforcementKind.INTERVIEW,
        EnforcementKind.INCENTIVE,
    ):
        _action(world, scope_of, kind=kind)
    _action(world, scope_of, kind=EnforcementKind.JUDICIAL, persons=2)
    _action(world, scope_of, kind=EnforcementKind.JUDICIAL, persons=1, enterprise=world.ent_a1)
    ents = Enterprise.objects.filter(unit__path__startswith=world.unit_a.path)
    assert report_cells.enforcement_count(ents, EnforcementKind.INTERVIEW, D(2025, 12, 31)) == 2
    assert report_cells.enforcement_count(ents, EnforcementKind.CONSTRAINT, D(2025, 12, 31)) == 0
    assert report_cells.judicial_persons(ents, D(2025, 12, 31)) == 3
    assert report_cells.judicial_persons(ents, D(2025, 4, 30)) == 0
    cells = report_cells.REPORT_CELLS
    assert cells["t3.interview"]["fn"](ents, D(2025, 12, 31)) == 2
    assert cells["t3.suspend"]["fn"](ents, D(2025, 12, 31)) == 1


@pytest.mark.parametrize(
    ("kind", "amount", "persons", "field"),
    [
        (EnforcementKind.FINE, None, None, "amount"),
        (EnforcementKind.INTERVIEW, Decimal("10"), None, "amount"),
        (EnforcementKind.JUDICIAL, None, None, "persons"),
    ],
)
def test_enforcement_entries_missing_their_figures_are_refused_naming_the_field(
    world, scope_of, kind, amount, persons, field
):
    with pytest.raises(ValidationError) as exc:
        ledger_services.enforcement_create(
            actor=world.admin_a,
            scope=scope_of(world.admin_a),
            data={
                "enterprise": world.ent_a,
                "kind": kind,
                "authority": "县应急局",
                "action_on": D(2025, 5, 1),
                "amount": amount,
                "persons": persons,
            },
        )
    assert field in exc.value.message_dict and not EnforcementAction.objects.exists()


def test_enforcement_against_a_sibling_units_enterprise_is_refused(world, scope_of):
    audits = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        _action(world, scope_of, enterprise=world.ent_b)
    assert not EnforcementAction.objects.exists() and AuditEvent.objects.count() == audits


def test_enforcement_is_recorded_and_edited_through_the_pages(world, login, django_assert_max_num_queries):
    client = login(world.admin_a)
    assert client.get(reverse("campaigns:enforcement_create")).status_code == 200
    bad = client.post(
        reverse("campaigns:enforcement_create"),
        {"enterprise": world.ent_a.pk, "kind": "fine", "authority": "县应急局", "action_on": "2025-05-01"},
    )
    assert bad.status_code == 400 and "罚款须填写金额" in bad.content.decode()
    client.post(
        reverse("campaigns:enforcement_create"),
        {
            "enterprise": world.ent_a.pk,
            "kind": "fine",
            "authority": "县应急局",
            "action_on": "2025-05-01",
            "amount": "8000",
            "document": pdf_upload(),
        },
    )
    action = EnforcementAction.objects.get()
    edit_url = reverse("campaigns:enforcement_update", args=[action.pk])
    assert "scan.pdf" in client.get(edit_url).content.decode()
    client.post(
        edit_url,
        {
            "enterprise": world.ent_a.pk,
            "kind": "fine",
            "authority": "县应急局",
            "action_on": "2025-05-02",
            "amount": "9000",
        },
    )
    action.refresh_from_db()
    assert action.amount == Decimal("9000") and action.action_on == D(2025, 5, 2)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("campaigns:enforcement_list")).status_code == 200


def _showcase(world, scope_of, **data):
    base = {"level": Level.COUNTY, "recognised_on": D(2025, 6, 1), "title": "示范"}
    return ledger_services.showcase_create(
        actor=world.admin_a, scope=scope_of(world.admin_a), unit=world.unit_a, data={**base, **data}
    )


def test_showcase_entries_are_counted_by_level_class_and_post_type(world, scope_of):
    town = Township.objects.first()
    _showcase(world, scope_of, category=ShowcaseCategory.TOWN_CASE, township=town)
    _showcase(world, scope_of, category=ShowcaseCategory.TOWN_CASE, township=town, level=Level.CITY)
    _showcase(world, scope_of, category=ShowcaseCategory.ENTERPRISE_CASE, enterprise=world.ent_a)
    _showcase(world, scope_of, category=ShowcaseCategory.THOUSAND, enterprise=world.ent_a)
    _showcase(world, scope_of, category=ShowcaseCategory.THOUSAND, enterprise=world.ent_a, level=Level.CITY)
    _showcase(world, scope_of, category=ShowcaseCategory.POST, post_type=PostType.YOUTH, level=Level.TOWNSHIP)
    units = Organization.objects.filter(path__startswith=world.unit_a.path)
    as_of = D(2025, 12, 31)
    assert report_cells.town_cases(units, as_of, level=Level.COUNTY) == 1
    assert report_cells.town_cases(units, as_of) == 2
    size = world.ent_a.size_class
    assert report_cells.enterprise_cases(units, as_of, level=Level.COUNTY, size_class=size) == 1
    assert report_cells.thousand_enterprises(units, as_of, size_class=size) == 1  # distinct enterprises
    assert report_cells.posts(units, as_of, level=Level.TOWNSHIP, post_type=PostType.YOUTH) == 1
    assert report_cells.posts(units, D(2025, 5, 31)) == 0
    assert ShowcaseEntry.objects.filter(category=ShowcaseCategory.ENTERPRISE_CASE).get().size_class == size


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"category": ShowcaseCategory.ENTERPRISE_CASE}, "enterprise"),
        ({"category": ShowcaseCategory.POST}, "post_type"),
        ({"category": ShowcaseCategory.TOWN_CASE}, "township"),
    ],
)
def test_showcase_entries_without_what_their_category_needs_are_refused(world, scope_of, data, field):
    with pytest.raises(ValidationError) as exc:
        _showcase(world, scope_of, **data)
    assert field in exc.value.message_dict and not ShowcaseEntry.objects.exists()


def test_showcase_pages_list_create_edit_and_export(world, login):
    client = login(world.admin_a)
    assert client.get(reverse("campaigns:showcase_create")).status_code == 200
    client.post(
        reverse("campaigns:showcase_create"),
        {
            "unit": world.unit_a.pk,
            "category": "enterprise_case",
            "level": "city",
            "recognised_on": "2025-06-01",
            "title": "甲一超市百优案例",
            "enterprise": world.ent_a.pk,
        },
    )
    entry = ShowcaseEntry.objects.get()
    client.post(
        reverse("campaigns:showcase_update", args=[entry.pk]),
        {
            "category": "enterprise_case",
            "level": "county",
            "recognised_on": "2025-06-01",
            "title": "甲一超市百优案例",
            "enterprise": world.ent_a.pk,
        },
    )
    entry.refresh_from_db()
    assert entry.level == "county"
    assert len(client.get(reverse("campaigns:showcase_list")).context["object_list"]) == 1
    ws = openpyxl.load_workbook(io.BytesIO(client.get(reverse("campaigns:showcase_export")).content)).active
    assert next(iter(ws.iter_rows(min_row=2, values_only=True)))[3] == "甲一超市百优案例"


def test_norm_documents_need_a_file_and_are_counted_by_kind(world, scope_of, login):
    scope = scope_of(world.admin_a)
    with pytest.raises(ValidationError):
        ledger_services.norm_create(
            actor=world.admin_a,
            scope=scope,
            unit=world.unit_a,
            data={"kind": NormKind.CHECKLIST, "title": "清单", "version": "V1", "issued_on": D(2025, 3, 1)},
        )
    assert not NormDocument.objects.exists()
    for kind, on in (
        (NormKind.CHECKLIST, D(2025, 3, 1)),
        (NormKind.CHECKLIST, D(2025, 9, 1)),
        (NormKind.GRID_GUIDE, D(2025, 3, 1)),
    ):
        ledger_services.norm_create(
            actor=world.admin_a,
            scope=scope,
            unit=world.unit_a,
            data={"kind": kind, "title": "文件", "version": "V1", "issued_on": on},
            upload=docx_upload(),
        )
    units = Organization.objects.filter(path__startswith=world.unit_a.path)
    assert report_cells.norm_documents(units, D(2025, 6, 30), kind=NormKind.CHECKLIST) == 1
    assert report_cells.norm_documents(units, D(2025, 12, 31), kind=NormKind.CHECKLIST) == 2
    client = login(world.admin_a)
    page = client.get(reverse("campaigns:norm_list"))
    assert dict(page.context["kind_counts"])["安全检查清单"] == 2
    with pytest.raises(PermissionDenied):
        ledger_services.norm_create(
            actor=world.admin_a,
            scope=scope,
            unit=world.unit_b,
            data={"kind": NormKind.CHECKLIST, "title": "x", "version": "V1", "issued_on": D(2025, 3, 1)},
            upload=docx_upload(),
        )


def test_norm_pages_create_edit_and_export(world, login):
    client = login(world.admin_a)
    assert client.get(reverse("campaigns:norm_create")).status_code == 200
    client.post(
        reverse("campaigns:norm_create"),
        {
            "unit": world.unit_a.pk,
            "kind": "rules",
            "title": "小微企业达标细则",
            "version": "2025版",
            "issued_on": "2025-04-01",
            "upload": docx_upload(),
        },
    )
    norm = NormDocument.objects.get()
    client.post(
        reverse("campaigns:norm_update", args=[norm.pk]),
        {
            "kind": "rules",
            "title": "小微企业达标细则",
            "version": "2025修订版",
            "issued_on": "2025-08-01",
            "is_revision": "on",
        },
    )
    norm.refresh_from_db()
    assert norm.version == "2025修订版" and norm.is_revision
    ws = openpyxl.load_workbook(io.BytesIO(client.get(reverse("campaigns:norm_export")).content)).active
    assert next(iter(ws.iter_rows(min_row=2, values_only=True)))[:3] == (
        "达标细则",
        "小微企业达标细则",
        "2025修订版",
    )


def test_the_annual_task_list_shows_overdue_tasks_and_the_county_sees_all_units(
    world, login, scope_of, django_assert_max_num_queries
):
    scope = scope_of(world.admin_a)
    services.task_create(
        actor=world.admin_a,
        scope=scope,
        unit=world.unit_a,
        data={"year": 2025, "title": "方案备案", "owner": "张三", "due": D(2025, 2, 10)},
    )
    services.task_create(
        actor=world.admin_b,
        scope=scope_of(world.admin_b),
        unit=world.unit_b,
        data={"year": 2025, "title": "乙方案", "owner": "李四", "due": D(2099, 2, 10)},
    )
    with pytest.raises(ValidationError):
        services.task_create(
            actor=world.admin_a,
            scope=scope,
            unit=world.unit_a,
            data={"year": 2025, "title": "x", "owner": "x", "due": D(2025, 2, 10), "status": "done"},
        )
    client = login(world.admin_a)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("campaigns:task_list"), {"overdue": "true"})
    assert [t.title for t in page.context["object_list"]] == ["方案备案"]
    assert page.context["object_list"][0].overdue
    county = login(world.county_admin).get(reverse("campaigns:task_list"))
    assert {t.title for t in county.context["object_list"]} == {"方案备案", "乙方案"}


def test_task_pages_create_edit_with_evidence_and_export(world, login):
    client = login(world.admin_a)
    assert client.get(reverse("campaigns:task_create")).status_code == 200
    client.post(
        reverse("campaigns:task_create"),
        {
            "unit": world.unit_a.pk,
            "year": 2025,
            "title": "督导帮扶",
            "owner": "王五",
            "due": "2025-09-30",
            "status": "todo",
        },
    )
    task = WorkTask.objects.get()
    client.post(
        reverse("campaigns:task_update", args=[task.pk]),
        {
            "year": 2025,
            "title": "督导帮扶",
            "owner": "王五",
            "due": "2025-09-30",
            "status": "done",
            "done_on": "2025-10-02",
            "evidence": pdf_upload(),
        },
    )
    task.refresh_from_db()
    assert task.status == "done" and task.done_on == D(2025, 10, 2)
    assert "scan.pdf" in client.get(reverse("campaigns:task_update", args=[task.pk])).content.decode()
    ws = openpyxl.load_workbook(io.BytesIO(client.get(reverse("campaigns:task_export")).content)).active
    row = next(iter(ws.iter_rows(min_row=2, values_only=True)))
    assert row[2] == "督导帮扶" and row[7] == "是"  # done after its due date
    assert login(world.admin_b).get(reverse("campaigns:task_update", args=[task.pk])).status_code == 404
    assert login(world.leader).get(reverse("campaigns:task_update", args=[task.pk])).status_code == 403


@pytest.mark.parametrize(
    ("name", "builder"),
    [
        ("campaigns:showcase_list", "showcase"),
        ("campaigns:norm_list", "norms"),
        ("campaigns:enforcement_list", "enforcement"),
        ("api:campaign-showcase-list", "showcase"),
        ("api:campaign-norm-list", "norms"),
        ("api:campaign-letter-list", "letters"),
        ("api:campaign-session-list", "sessions"),
        ("api:campaign-attendance-list", "attendances"),
        ("api:campaign-filing-list", "filings"),
        ("api:campaign-task-list", "tasks"),
    ],
)
def test_list_pages_and_api_lists_run_a_fixed_number_of_queries(
    world, login, name, builder, django_assert_max_num_queries
):
    from anbiao.campaigns import testing

    getattr(testing, builder)(world)
    client = login(world.county_admin)
    with django_assert_max_num_queries(16):
        assert client.get(reverse(name)).status_code == 200
