"""The quarterly tables on the demo data: every drill-down lists exactly the rows counted, and a browser
journey — unit_admin opens 2025Q4 on a phone, clicks a number, sees the rows."""

import io
import re

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
