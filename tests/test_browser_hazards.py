"""Browser journeys of the hazard loop (三张清单): a grid inspector's phone inspection, and a hazard from a
unit's inspection through the enterprise's rectification (phone) to the unit's acceptance and the 整改清单."""

import datetime
import re

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anbiao.accounts.models import Assignment, Membership, User
from anbiao.core.testing import png_bytes
from anbiao.hazards.models import Hazard, Inspection
from anbiao.orgs.management.commands.anbiao_demo import DEMO_PASSWORD
from tests.browser import DESKTOP, PHONE, assert_no_horizontal_overflow, login, nav_to, screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _accept_dialogs(page):
    page.on("dialog", lambda dialog: dialog.accept())


def _fail_first_item(page, note: str) -> None:
    card = page.locator("[data-testid=item-1]")
    card.get_by_text("不符合", exact=True).click()
    card.locator("input[name^=location_]").fill("卸货区")
    card.locator("input[name^=note_]").fill(note)


@pytest.mark.browser
def test_a_grid_inspector_inspects_on_a_phone_and_a_failed_item_becomes_a_hazard(demo, new_page, request):
    inspector = User.objects.get(username="inspector")
    enterprise = (
        Assignment.objects.active().filter(user=inspector).select_related("enterprise").first().enterprise
    )
    page = new_page(PHONE)
    _accept_dialogs(page)
    login(page, "inspector", DEMO_PASSWORD)

    nav_to(page, "检查记录", "隐患排查")
    page.get_by_role("link", name="＋ 开始检查").click()
    page.locator("#id_enterprise").select_option(str(enterprise.pk))
    expect(page.locator("#id_kind")).to_have_value("grid")
    page.locator("#id_template").select_option(label="网格员安全巡查检查导则")
    assert_no_horizontal_overflow(page, PHONE[0])
    screenshot(page, request, "start")
    page.get_by_role("button", name="开始").click()

    expect(page.locator("[data-testid=inspection-status]")).to_contain_text("检查中")
    _fail_first_item(page, "消防通道被货物堵塞")
    page.locator("[data-testid=item-2]").get_by_text("符合", exact=True).click()
    assert_no_horizontal_overflow(page, PHONE[0])
    page.get_by_role("button", name="保存检查结果").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存 2 项检查结果")
    expect(page.locator("[data-testid=inspection-status]")).to_contain_text("不符合 1 项")

    page.locator("#id_deadline").fill((timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="完成检查，不符合项登记为隐患").click()
    expect(page.get_by_role("alert")).to_contain_text("1 项不符合已登记为隐患")
    hazards = page.locator("[data-testid=inspection-hazards]")
    expect(hazards).to_contain_text("消防通道被货物堵塞")
    screenshot(page, request, "done")

    inspection = Inspection.objects.filter(enterprise=enterprise, kind="grid").latest("id")
    hazard = inspection.hazards.get()
    assert (hazard.source, hazard.state, hazard.location) == ("grid", "registered", "卸货区")
    assert inspection.notice_no
    hazards.get_by_role("link").first.click()
    expect(page.locator("[data-testid=hazard-code]")).to_contain_text(hazard.code)
    expect(page.locator("[data-testid=hazard-state]")).to_contain_text("登记")
    assert_no_horizontal_overflow(page, PHONE[0])
    screenshot(page, request, "hazard")


@pytest.mark.browser
def test_a_units_finding_is_rectified_on_a_phone_accepted_by_the_unit_and_shows_closed_in_the_list(
    demo, new_page, request, tmp_path
):
    enterprise = Membership.objects.get(user__username="ent_safety").enterprise
    desk = new_page(DESKTOP)
    _accept_dialogs(desk)
    login(desk, "unit_admin", DEMO_PASSWORD)
    desk.goto(f"/inspections/new/?enterprise={enterprise.pk}")
    desk.locator("#id_kind").select_option("unit")
    desk.locator("#id_template").select_option(label="商贸及仓储企业通用安全检查清单")
    desk.get_by_role("button", name="开始").click()
    _fail_first_item(desk, "配电箱前堆放纸箱")
    desk.get_by_role("button", name="保存检查结果").click()
    desk.locator("#id_deadline").fill((timezone.localdate() + datetime.timedelta(days=10)).isoformat())
    desk.get_by_role("button", name="完成检查，不符合项登记为隐患").click()
    expect(desk.locator("[data-testid=notice-link]")).to_be_visible()
    hazard = Hazard.objects.filter(enterprise=enterprise, description__contains="配电箱前堆放纸箱").get()

    phone = new_page(PHONE)
    login(phone, "ent_safety", DEMO_PASSWORD)
    phone.get_by_role("link", name=re.compile("隐患待定级并落实五定")).click()
    phone.locator("[data-testid=hazard-cards]").get_by_role("link", name=re.compile(hazard.code)).click()
    phone.get_by_role("link", name="定级并落实五定").click()
    phone.locator("#id_responsible_person").fill("仓库主管陈师傅")
    phone.locator("#id_measures").fill("清走纸箱，配电箱前一米划线禁放")
    phone.locator("#id_funds").fill("0")
    phone.locator("#id_acceptor_name").fill("螺城供销社检查组")
    assert_no_horizontal_overflow(phone, PHONE[0])
    phone.get_by_role("button", name="确定").click()
    expect(phone.get_by_role("alert")).to_contain_text("待整改")

    photo = tmp_path / "after.png"
    photo.write_bytes(png_bytes((64, 48), (30, 160, 60)))
    phone.get_by_role("link", name="整改完成，上传照片提交验收").click()
    phone.locator("#id_note").fill("纸箱已清走，已划禁放线")
    phone.locator("#id_photos").set_input_files(photo)
    screenshot(phone, request, "submit")
    phone.get_by_role("button", name="提交验收").click()
    expect(phone.locator("[data-testid=hazard-state]")).to_contain_text("待验收")
    expect(phone.locator("[data-testid=after-photos] img")).to_have_count(1)
    expect(phone.locator("[data-testid=accept-form]")).to_have_count(0)  # the enterprise cannot accept it
    assert_no_horizontal_overflow(phone, PHONE[0])
    screenshot(phone, request, "awaiting")

    desk.goto(f"/hazards/{hazard.pk}/")
    desk.locator("[data-testid=accept-form]").get_by_role("button", name="验收通过，销号").click()
    expect(desk.locator("[data-testid=hazard-state]")).to_contain_text("已销号")
    expect(desk.locator("[data-testid=timeline]")).to_contain_text("已销号")

    nav_to(desk, "整改清单", "隐患排查")
    desk.get_by_label("搜索").fill(hazard.code)
    desk.get_by_role("button", name="查询").click()
    expect(desk.locator("[data-testid=rectification-table]")).to_contain_text("已销号")
    screenshot(desk, request, "rectification-list")
    with desk.expect_download() as download_info:
        desk.locator("[data-testid=export]").click()
    path = tmp_path / "rectification.xlsx"
    download_info.value.save_as(path)
    sheet = openpyxl.load_workbook(path)["整改清单"]
    assert sheet["A1"].value == "整改清单"
    rows = [
        [c.value for c in row]
        for row in sheet.iter_rows(min_row=4)
        if (row[1].value, row[2].value) == (hazard.code, enterprise.name)
    ]
    assert len(rows) == 1
    assert rows[0][5] == "仓库主管陈师傅" and rows[0][11] == "已销号"
