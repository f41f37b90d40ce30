"""The quarterly tables on the demo data: every drill-down lists exactly the rows counted, and a browser
journey — unit_admin opens 2025Q4 on a phone, clicks a number, sees the rows."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from anbiao.accounts.models import User
from anbiao.core.scope import Scope
from anbiao.orgs.management.commands.anbiao_demo import DEMO_PASSWORD
from anbiao.orgs.models import Organization
from anbiao.reports.cells import CELLS
from anbiao.reports.context import Quarter, ReportContext
from anbiao.reports.tables import compute
from tests.browser import DESKTOP, PHONE, assert_no_horizontal_overflow, login, nav_to, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_on_the_demo_every_drill_down_lists_exactly_the_rows_counted(demo, client):
    admin = User.objects.get(username="unit_admin")
    county_admin = User.objects.get(username="county_admin")
    unit = Organization.objects.get(code="HA-LC")
    checked = 0
    for user, org in ((admin, unit), (county_admin, unit.parent)):
        scope = Scope.for_user(user)
        for quarter in (Quarter(2025, 2), Quarter(2025, 4)):
            ctx = ReportContext(scope=scope, unit=org, as_of=quarter.end)
            values = compute(ctx)
            for key, cell in CELLS.items():
                if cell.measure == "rows":
                    assert cell.rows(ctx).count() == values[key], (org.code, quarter.code, key)
                    checked += 1
                elif values[key]:
                    assert cell.rows(ctx).exists(), (org.code, quarter.code, key)
            assert values["t1.base.total"] > 0
            assert values["t1.base.total"] == sum(
                values[f"t1.base.{s}"] for s in ("above_scale", "medium", "small")
            )
            assert values["t1.lists.self_rectified"] <= values["t1.lists.self_found"]
            assert values["t3.rectified"] <= values["t3.found"]
    assert checked > 100
    client.force_login(county_admin)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("reports:cell_rows", args=[unit.parent.pk])
    for key in CELLS:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"quarter": "2025Q4", "cell": key}).status_code == 200
        assert len(queries.captured_queries) <= 30, (key, len(queries.captured_queries))
    export = client.get(reverse("reports:export", args=[unit.parent.pk]), {"quarter": "2025Q4"})
    workbook = openpyxl.load_workbook(io.BytesIO(export.content))
    detail = list(workbook["明细"].iter_rows(min_row=2, values_only=True))
    county_total = compute(
        ReportContext(scope=Scope.for_user(county_admin), unit=unit.parent, as_of=Quarter(2025, 4).end)
    )
    assert len([r for r in detail if r[1] == "t1.base.total"]) == county_total["t1.base.total"]
    client.force_login(admin)
    response = client.get(
        reverse("reports:cell_rows", args=[unit.pk]), {"quarter": "2025Q4", "cell": "t1.base.total"}
    )
    assert response.context["page_obj"].paginator.count == response.context["value"]


@pytest.mark.browser
def test_unit_admin_opens_the_2025q4_tables_on_a_phone_and_drills_into_a_number(demo, new_page, request):
    page = new_page(PHONE)
    login(page, "unit_admin", DEMO_PASSWORD)
    nav_to(page, "季报表(一)(二)(三)", "季度报表")
    expect(page.get_by_role("heading", level=1)).to_contain_text("螺城")
    page.locator("#id_quarter").select_option("2025Q4")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025年第四季度")
    assert_no_horizontal_overflow(page, PHONE[0])
    screenshot(page, request, "tables-phone")
    total = page.locator('a[data-cell="t1.base.total"]')
    expect(total).to_have_attribute("title", re.compile("企业底数"))
    value = int(total.inner_text())
    assert value > 0
    total.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("企业底数(家) / 总数")
    expect(page.locator(".cell-value")).to_have_text(str(value))
    rows = page.locator("table.cell-rows tbody tr")
    expect(rows).to_have_count(min(value, 50))
    assert_no_horizontal_overflow(page, PHONE[0])
    screenshot(page, request, "rows-phone")
    rows.first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/enterprises/\d+/"))

    desk = new_page(DESKTOP)
    login(desk, "unit_admin", DEMO_PASSWORD)
    desk.goto(reverse("reports:index") + "?quarter=2025Q4")
    expect(desk.locator("#definitions")).to_contain_text("t1.lists.self_found")
    screenshot(desk, request, "tables-desktop")


@pytest.mark.browser
def test_unit_admin_submits_2025q3_and_the_county_returns_it_then_accepts_the_resubmission(
    demo, new_page, request
):
    """The journey of issue 9: open, drill down, export, submit; returned; resubmitted; accepted."""
    from anbiao.reports.models import Submission, SubmissionVersion

    unit = Organization.objects.get(code="HA-LC")
    old = Submission.objects.filter(unit=unit, quarter="2025Q3")  # the demo filed it: start afresh
    SubmissionVersion.objects.filter(submission__in=old).delete()
    old.delete()

    page = new_page(DESKTOP)
    login(page, "unit_admin", DEMO_PASSWORD)
    page.goto(reverse("reports:unit_report", args=[unit.pk]) + "?quarter=2025Q3")
    expect(page.get_by_test_id("submission-status")).to_have_text("未报送")
    found = page.locator('a[data-cell="t1.lists.self_found"]')
    value = int(found.inner_text())
    found.click()
    expect(page.locator(".cell-value")).to_have_text(str(value))
    expect(page.locator("table.cell-rows tbody tr")).to_have_count(max(1, min(value, 50)))
    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出 xlsx").click()
    assert download_info.value.suggested_filename == "季报表_螺城供销社_2025Q3.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert workbook.sheetnames[:4] == ["季报表(一)", "季报表(二)", "季报表(三)", "明细"]
    page.get_by_label("填表人").fill("林晓")
    page.get_by_label("联系电话").fill("0595-87360001")
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("submission-status")).to_have_text("已报送")
    expect(page.get_by_test_id("submit-report")).to_have_count(0)
    screenshot(page, request, "submitted")

    county = new_page(PHONE)
    login(county, "county_admin", DEMO_PASSWORD)
    county.goto(reverse("reports:rollup_index") + "?quarter=2025Q3")
    expect(county.get_by_role("heading", level=1)).to_contain_text("下级报送与汇总")
    assert_no_horizontal_overflow(county, PHONE[0])
    screenshot(county, request, "rollup-phone")
    row = county.get_by_test_id("states").locator("tr", has_text="螺城供销社")
    expect(row).to_contain_text("已报送")
    row.get_by_role("link", name="退回…").click()
    county.get_by_label("退回原因").fill("自查隐患数与台账不一致，请核实")
    county.get_by_test_id("return-report").click()
    expect(county.get_by_test_id("submission-status")).to_have_text("已退回")

    page.reload()
    expect(page.get_by_text("上级单位已退回：自查隐患数与台账不一致，请核实")).to_be_visible()
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("submission-status")).to_have_text("已报送")

    county.goto(reverse("reports:rollup_index") + "?quarter=2025Q3")
    row = county.get_by_test_id("states").locator("tr", has_text="螺城供销社")
    row.get_by_role("button", name="签收").click()
    row = county.get_by_test_id("states").locator("tr", has_text="螺城供销社")
    expect(row).to_contain_text("已签收")
    versions = SubmissionVersion.objects.filter(submission__unit=unit, submission__quarter="2025Q3")
    assert sorted(versions.values_list("number", "decision")) == [(1, "returned"), (2, "accepted")]
