"""Browser journeys of the campaign ledgers: letters by a unit admin, the county's lateness board.

Screenshots go to test-results/<test-name>-<step>.png.
"""

import re

import openpyxl
import pytest
from docx import Document
from playwright.sync_api import expect

from anbiao.campaigns.models import EnterpriseLetter, TrainingSession
from anbiao.core.testing import png_bytes
from anbiao.orgs.management.commands.anbiao_demo import DEMO_PASSWORD
from tests.browser import DESKTOP, PHONE, assert_no_horizontal_overflow, login, nav_to, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.browser
def test_unit_admin_generates_letters_marks_one_signed_with_a_scan_and_sees_the_counts(
    demo, new_page, request, tmp_path
):
    page = new_page(DESKTOP)
    login(page, "unit_admin", DEMO_PASSWORD)
    nav_to(page, "告知书与承诺书", "专项行动")
    expect(page.get_by_role("heading", name="告知书与承诺书")).to_be_visible()
    progress = page.locator("[data-testid=letter-progress]")
    signed_before = int(progress.locator("[data-testid=count-signed]").inner_text())
    generated_before = int(progress.locator("[data-testid=count-generated]").inner_text())
    total = int(progress.locator("[data-testid=count-total]").inner_text())
    assert generated_before < total  # the demo leaves some of 螺城's enterprises for this journey

    page.get_by_role("link", name="生成告知书 / 承诺书").click()
    expect(page.get_by_role("heading", name="生成告知书 / 承诺书")).to_be_visible()
    picker = page.locator("[data-testid=enterprise-picker]")
    ticked = picker.locator("input:checked")
    count = ticked.count()
    assert count == total - generated_before
    first_label = picker.locator(f"label[for={ticked.first.get_attribute('id')}]").inner_text().strip()
    page.locator("#id_deadline").fill("2025-04-15")
    screenshot(page, request, "generate")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="生成并下载 Word").click()
    path = tmp_path / "letters.docx"
    download_info.value.save_as(path)
    texts = [p.text for p in Document(path).paragraphs]
    assert texts.count(f"{first_label}：") == 3
    assert any("2025年4月15日前完成一次安全生产标准化提升年度自评工作" in t for t in texts)
    assert EnterpriseLetter.objects.filter(enterprise__unit__code="HA-LC").count() == total

    scan = tmp_path / "承诺书盖章.png"
    scan.write_bytes(png_bytes((40, 60)))
    page.goto("/campaigns/letters/?state=not_delivered")
    page.locator("[data-testid=letter-table]").get_by_role("link", name=first_label).click()
    expect(page.locator("[data-testid=letter-enterprise]")).to_have_text(first_label)
    sign = page.locator("#sign")
    sign.locator("#id_signed_on").fill("2025-02-20")
    sign.locator("#id_signer").fill("陈测试")
    sign.locator("#id_scan").set_input_files(scan)
    sign.get_by_role("button", name="登记签订").click()
    expect(page.get_by_role("alert")).to_contain_text("已登记承诺书签订")
    expect(page.locator("[data-testid=letter-signed]")).to_contain_text("陈测试")
    expect(page.locator("[data-testid=letter-signed]").get_by_role("link", name="盖章扫描件")).to_be_visible()
    screenshot(page, request, "signed")

    nav_to(page, "告知书与承诺书", "专项行动")
    progress = page.locator("[data-testid=letter-progress]")
    expect(progress.locator("[data-testid=count-signed]")).to_have_text(str(signed_before + 1))
    expect(progress.locator("[data-testid=count-generated]")).to_have_text(str(total))
    progress.get_by_text(re.compile("尚未签订承诺书")).click()
    expect(progress.locator("[data-testid=missing-signed]")).not_to_contain_text(first_label)
    screenshot(page, request, "counts")

    phone = new_page(PHONE)
    login(phone, "unit_admin", DEMO_PASSWORD)
    phone.goto("/campaigns/letters/")
    expect(phone.locator("[data-testid=letter-progress]")).to_be_visible()
    assert_no_horizontal_overflow(phone, PHONE[0])
    screenshot(phone, request, "phone-list")


@pytest.mark.browser
def test_county_admin_sees_which_units_are_late_for_a_phase(demo, new_page, request):
    page = new_page(DESKTOP)
    login(page, "county_admin", DEMO_PASSWORD)
    nav_to(page, "阶段与报送", "专项行动")
    expect(page.get_by_role("heading", name="阶段与报送")).to_be_visible()
    page.locator("[data-testid=phases]").get_by_role("link", name="查看本阶段").nth(1).click()  # 自评自纠
    expect(page.locator("#pick-phase")).to_have_value(re.compile(r"\d+"))
    late = page.locator("[data-testid=late-units]")
    expect(late).to_contain_text("逾期或未报的单位")
    expect(late).to_contain_text("“回头看”评估报告")
    table = page.locator("[data-testid=board-table]")
    expect(table.locator("tbody tr")).to_have_count(8)
    expect(table.locator("td[data-timeliness=late]").first).to_be_visible()
    screenshot(page, request, "board")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出 Excel").click()
    with open(download_info.value.path(), "rb") as fh:
        ws = openpyxl.load_workbook(fh).active
    assert ws.max_row == 9 and ws.cell(row=1, column=1).value == "单位"

    phone = new_page(PHONE)
    login(phone, "county_admin", DEMO_PASSWORD)
    phone.goto(page.url.replace(page.url.split("/campaigns/")[0], ""))
    expect(phone.locator("[data-testid=late-units]")).to_be_visible()
    assert_no_horizontal_overflow(phone, PHONE[0])
    screenshot(phone, request, "phone-board")
    session = TrainingSession.objects.order_by("pk").first()
    for step, url in [
        ("tasks", "/campaigns/tasks/"),
        ("sessions", "/campaigns/sessions/"),
        ("session", f"/campaigns/sessions/{session.pk}/"),
        ("enforcement", "/campaigns/enforcement/"),
        ("showcase", "/campaigns/showcase/"),
        ("norms", "/campaigns/norms/"),
        ("stats", "/campaigns/stats/"),
        ("setup", "/campaigns/setup/"),
    ]:
        assert phone.goto(url).status == 200, url
        assert_no_horizontal_overflow(phone, PHONE[0])
        screenshot(phone, request, f"phone-{step}")
