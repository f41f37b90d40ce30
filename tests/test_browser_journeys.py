"""Browser journeys: real Chromium against the live server, demo data, real login form.

Each journey saves screenshots of its key screens to test-results/<test-name>-<step>.png.
"""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from anbiao.accounts.models import Membership, User
from anbiao.orgs.management.commands.anbiao_demo import DEMO_PASSWORD
from anbiao.orgs.models import Enterprise, Organization
from anbiao.orgs.uscc import CHARSET, check_char
from anbiao.orgs.xlsx_io import HEADERS, SHEET, unit_label
from tests.browser import DESKTOP, PHONE, assert_no_horizontal_overflow, login, nav_to, screenshot

# Transactional: the live server runs in another thread.
pytestmark = pytest.mark.django_db(transaction=True)


def _uscc(serial: str) -> str:
    body = f"91350521{serial}A"
    return body + check_char(body)


def _corrupt(code: str) -> str:
    wrong = CHARSET[(CHARSET.index(code[-1]) + 1) % len(CHARSET)]
    return code[:-1] + wrong


def _fill_rows(path, rows: list[dict]) -> None:
    wb = openpyxl.load_workbook(path)
    sheet = wb[SHEET]
    for rownum, data in enumerate(rows, start=2):
        for header, value in data.items():
            sheet.cell(row=rownum, column=HEADERS.index(header) + 1, value=value)
    wb.save(path)


@pytest.mark.browser
def test_unit_admin_imports_enterprises_from_excel(demo, new_page, request, tmp_path):
    page = new_page(DESKTOP)
    login(page, "unit_admin", DEMO_PASSWORD)

    page.locator("#mainnav").get_by_role("link", name="企业名录").click()
    expect(page.get_by_role("heading", name="企业名录")).to_be_visible()
    page.get_by_role("link", name="Excel 导入").click()
    expect(page.get_by_role("heading", name="导入企业名录")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载导入模板").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    template = tmp_path / "template.xlsx"
    download.save_as(template)

    wb = openpyxl.load_workbook(template)
    assert [c.value for c in wb[SHEET][1]] == HEADERS
    lists = {col[0].value: [c.value for c in col[1:] if c.value] for col in wb["代码表"].iter_cols()}
    unit = unit_label(Organization.objects.get(code="HA-LC"))
    assert unit == "HA-LC 螺城供销社"
    assert unit in lists["监管单位"]
    industry = lists["行业"][0]

    good_code, fixed_code = _uscc("20250001"), _uscc("20250002")
    bad_code = _corrupt(fixed_code)
    names = ["浏览器测试甲日杂商行", "浏览器测试乙农资经营部"]
    assert not Enterprise.objects.filter(uscc__in=[good_code, fixed_code]).exists()

    def rows(second_code):
        common = {"监管单位": unit, "企业规模": "小微企业", "行业": industry, "主要负责人": "陈测试"}
        return [
            {"统一社会信用代码": good_code, "企业名称": names[0], **common},
            {"统一社会信用代码": second_code, "企业名称": names[1], **common},
        ]

    upload = tmp_path / "企业名录.xlsx"
    template.rename(upload)
    _fill_rows(upload, rows(bad_code))
    page.locator("#id_file").set_input_files(upload)
    page.get_by_role("button", name="上传并导入").click()

    errors = page.locator("[data-testid=import-errors]")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("第3行")
    expect(errors).to_contain_text("统一社会信用代码")
    expect(errors).not_to_contain_text("第2行")
    screenshot(page, request, "import-errors")
    assert not Enterprise.objects.filter(name__in=names).exists()

    _fill_rows(upload, rows(fixed_code))
    page.locator("#id_file").set_input_files(upload)
    page.get_by_role("button", name="上传并导入").click()

    expect(page).to_have_url(re.compile(r"/enterprises/$"))
    expect(page.get_by_role("alert")).to_contain_text("导入成功：新增 2 家")
    screenshot(page, request, "import-success")
    assert set(Enterprise.objects.filter(name__in=names).values_list("uscc", flat=True)) == {
        good_code,
        fixed_code,
    }

    page.get_by_label("搜索").fill(names[1])
    page.get_by_role("button", name="查询").click()
    table = page.locator("[data-testid=enterprise-table]")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text(names[1])
    expect(table).to_contain_text(fixed_code)
    screenshot(page, request, "search")

    table.get_by_role("link", name=names[1]).click()
    expect(page.locator("[data-testid=enterprise-name]")).to_have_text(names[1])
    expect(page.get_by_text(fixed_code)).to_be_visible()
    expect(page.locator("dd", has_text="螺城供销社").first).to_be_visible()
    screenshot(page, request, "detail")


@pytest.mark.browser
def test_enterprise_user_on_a_phone_sees_only_their_enterprise(demo, new_page, request):
    own = Membership.objects.select_related("enterprise").get(user__username="ent_safety").enterprise
    other = Enterprise.objects.exclude(unit=own.unit_id).order_by("pk").first()
    width = PHONE[0]
    page = new_page(PHONE)
    login(page, "ent_safety", DEMO_PASSWORD)

    toggler = page.locator(".navbar-toggler")
    menu_link = page.locator("#mainnav").get_by_role("link", name="企业名录")
    expect(toggler).to_be_visible()
    expect(menu_link).to_be_hidden()
    assert_no_horizontal_overflow(page, width)
    screenshot(page, request, "home")

    toggler.click()
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))  # the collapse has finished
    expect(menu_link).to_be_visible()
    screenshot(page, request, "menu")
    menu_link.click()

    expect(page.get_by_role("heading", name="企业名录")).to_be_visible()
    rows = page.locator("[data-testid=enterprise-table] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(own.name)
    assert_no_horizontal_overflow(page, width)
    screenshot(page, request, "list")

    response = page.goto(f"/enterprises/{other.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="未找到")).to_be_visible()
    expect(page.get_by_text(other.name)).to_have_count(0)
    screenshot(page, request, "other-enterprise-404")


@pytest.mark.browser
def test_new_user_must_change_the_initial_password(demo, new_page, request, live_server):
    target = Enterprise.objects.filter(unit__code="HA-HT", status="operating").order_by("name").first()
    new_password = "Xin#Mima2025"
    page = new_page(DESKTOP)
    login(page, "county_admin", DEMO_PASSWORD)

    nav_to(page, "用户", "系统管理")
    page.get_by_role("link", name="新增用户").click()
    expect(page.get_by_role("heading", name="新增用户")).to_be_visible()
    page.locator("#id_username").fill("bt_anquan")
    page.locator("#id_full_name").fill("许安全")
    page.locator("#id_phone").fill("13900000000")
    page.locator("#id_role").select_option(label="企业安全管理员")
    page.locator("#id_enterprise").select_option(value=str(target.pk))
    page.get_by_role("button", name="创建").click()

    expect(page.get_by_role("heading", name="用户已创建")).to_be_visible()
    initial = page.locator("[data-testid=initial-password]").inner_text().strip()
    assert initial
    screenshot(page, request, "user-created")

    page.locator("nav").get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    login(page, "bt_anquan", initial)
    expect(page).to_have_url(re.compile(r"/accounts/password/\?next=/$"))
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("初始密码")
    screenshot(page, request, "forced-password-change")

    page.locator("#id_old_password").fill(initial)
    page.locator("#id_new_password1").fill(new_password)
    page.locator("#id_new_password2").fill(new_password)
    page.get_by_role("button", name="保存新密码").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("alert")).to_contain_text("密码已修改")
    expect(page.get_by_role("heading", name=re.compile("^你好"))).to_be_visible()
    screenshot(page, request, "home")
    user = User.objects.get(username="bt_anquan")
    assert not user.must_change_password
    assert user.check_password(new_password)


@pytest.mark.browser
def test_unit_admin_pages_fit_a_phone(demo, new_page, request):
    width = PHONE[0]
    enterprise = max(Enterprise.objects.filter(unit__code="HA-LC"), key=lambda e: len(e.name))
    page = new_page(PHONE)
    login(page, "unit_admin", DEMO_PASSWORD)

    page.locator(".navbar-toggler").click()
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))
    assert_no_horizontal_overflow(page, width)
    nav_to(page, "单位", "系统管理")
    expect(page.get_by_role("heading", name="单位", exact=True)).to_be_visible()
    expect(page.locator("[data-testid=org-tree]")).to_contain_text("螺城供销社")
    assert_no_horizontal_overflow(page, width)
    screenshot(page, request, "units")

    page.goto(f"/enterprises/{enterprise.pk}/")
    expect(page.locator("[data-testid=enterprise-name]")).to_contain_text(enterprise.name)
    assert_no_horizontal_overflow(page, width)
    screenshot(page, request, "enterprise-detail")
