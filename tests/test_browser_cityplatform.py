"""Browser journey of the 泉州 platform export: unit_admin opens it at desktop and phone width and downloads
the xlsx of their 基层社's enterprises.

Screenshots: test-results/<test-name>-<step>.png.
"""

import openpyxl
import pytest
from playwright.sync_api import expect

from anbiao.cityplatform.catalogue import GROUPS
from anbiao.orgs.management.commands.anbiao_demo import DEMO_PASSWORD
from anbiao.orgs.models import Enterprise, Organization
from tests.browser import DESKTOP, PHONE, assert_no_horizontal_overflow, login, nav_to, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.browser
def test_unit_admin_previews_the_platform_data_on_desktop_and_phone_and_downloads_the_xlsx(
    demo, new_page, request, tmp_path
):
    unit = Organization.objects.get(code="HA-LC")
    enterprises = Enterprise.objects.filter(unit__path__startswith=unit.path).exclude(status="closed")

    page = new_page(DESKTOP)
    login(page, "unit_admin", DEMO_PASSWORD)
    nav_to(page, "泉州平台数据", "季度报表")
    expect(page.get_by_role("heading", level=1)).to_have_text("泉州平台数据 · 螺城供销社")
    expect(page.locator("[data-testid=enterprise-count]")).to_have_text(str(enterprises.count()))
    preview = page.locator("[data-testid=preview]")
    for group in GROUPS:
        expect(preview.locator(f"[data-group={group.key}]")).to_be_visible()
    screenshot(page, request, "1-preview-desktop")

    with page.expect_download() as download_info:
        page.locator("[data-testid=download-xlsx]").click()
    path = tmp_path / download_info.value.suggested_filename
    assert path.suffix == ".xlsx" and "螺城供销社" in path.name
    download_info.value.save_as(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["说明", *[g.label for g in GROUPS]]
    uscc = set(enterprises.values_list("uscc", flat=True))
    lines = list(wb["基本信息"].iter_rows(values_only=True))
    header = next(i for i, line in enumerate(lines) if line[:2] == ("企业名称", "统一社会信用代码"))
    assert {line[1] for line in lines[header + 1 :] if line[1]} == uscc

    phone = new_page(PHONE)
    login(phone, "unit_admin", DEMO_PASSWORD)
    nav_to(phone, "泉州平台数据", "季度报表")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("螺城供销社")
    expect(phone.locator("[data-testid=download-xlsx]")).to_be_visible()
    assert_no_horizontal_overflow(phone, PHONE[0])
    screenshot(phone, request, "2-preview-phone")
