"""Browser journeys of the standards app: the enterprise principal self-assesses on a phone, step by step,
submits and downloads the report; the unit administrator sees the result in the subtree view.

The demo is loaded with the standards app's demo hook only, so this journey does not depend on other apps'
demo data (their hooks are exercised by tests/test_browser_journeys.py).
"""

import io
import re

import pytest
from django.core.management import call_command
from docx import Document
from playwright.sync_api import expect

from anbiao.accounts.models import User
from anbiao.core import registry
from anbiao.orgs.management.commands.anbiao_demo import DEMO_PASSWORD
from anbiao.standards.models import SelfAssessment
from tests.browser import DESKTOP, PHONE, assert_no_horizontal_overflow, login, nav_to, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def standards_demo(transactional_db, monkeypatch):
    from anbiao.standards import hooks as standards_hooks

    original = registry.hooks

    def hooks(attribute):
        return [standards_hooks.demo] if attribute == "demo" else original(attribute)

    monkeypatch.setattr(registry, "hooks", hooks)
    call_command("anbiao_demo", stdout=io.StringIO())
    monkeypatch.setattr(registry, "hooks", original)


@pytest.mark.browser
def test_principal_self_assesses_on_a_phone_and_the_unit_admin_sees_it(
    standards_demo, new_page, request, tmp_path
):
    enterprise = User.objects.get(username="ent_principal").memberships.first().enterprise
    width = PHONE[0]
    page = new_page(PHONE)
    page.on("dialog", lambda dialog: dialog.accept())  # 提交并锁定 asks for confirmation
    login(page, "ent_principal", DEMO_PASSWORD)

    nav_to(page, "标准化自评", "标准化")
    expect(page.get_by_role("heading", name="标准化自评")).to_be_visible()
    assert_no_horizontal_overflow(page, width)
    page.get_by_role("link", name="开始自评").click()
    expect(page.locator("#id_leader_name")).to_have_value(enterprise.principal_name)
    page.get_by_role("button", name="开始自评").click()

    step_title = page.locator("[data-testid=step-title]")
    expect(step_title).to_contain_text("第 1/")
    total = int(re.search(r"第 1/(\d+) 步", step_title.inner_text()).group(1))
    assert_no_horizontal_overflow(page, width)
    screenshot(page, request, "step-1")

    first_card = page.locator(".entry-card").first
    first_card.locator("input[type=number]").fill("2")
    first_card.get_by_label("扣分说明").fill("安全生产责任制未公示")
    last_card = page.locator(".entry-card").last
    last_card.get_by_label("不涉及").check()
    expect(last_card.locator("input[type=number]")).to_be_hidden()
    page.get_by_role("button", name="保存并下一步").click()
    for n in range(2, total + 1):
        expect(step_title).to_contain_text(f"第 {n}/{total} 步")
        if n < total:
            page.get_by_role("button", name="保存并下一步").click()
    screenshot(page, request, "last-step")
    assert_no_horizontal_overflow(page, width)
    page.get_by_role("button", name="保存并完成").click()

    expect(page.locator("[data-testid=assessment-title]")).to_contain_text(enterprise.name)
    a = SelfAssessment.objects.get(enterprise=enterprise, status="draft")
    expect(page.locator("[data-testid=percent]")).to_have_text(str(a.percent))
    assert a.percent < 100 and not a.entries.filter(checked=False).exists()
    page.locator("#id_conclusion").fill("本单位标准化体系运行基本有效，扣分项限期整改。")
    page.get_by_role("button", name="提交并锁定").click()
    expect(page.get_by_role("alert")).to_contain_text("已提交并锁定")
    expect(page.locator("[data-testid=status]").first).to_have_text("已提交")
    assert_no_horizontal_overflow(page, width)
    screenshot(page, request, "submitted")
    a.refresh_from_db()
    assert a.status == "submitted"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载自评报告（Word）").click()
    path = tmp_path / "report.docx"
    download_info.value.save_as(path)
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert enterprise.name in text and "扣分项" in text
    tables = Document(str(path)).tables
    assert any("安全生产责任制未公示" in cell.text for t in tables for row in t.rows for cell in row.cells)
    assert f"{a.year}年度安全生产标准化自评报告" in text and "本单位标准化体系运行基本有效" in text

    admin = new_page(DESKTOP)
    login(admin, "unit_admin", DEMO_PASSWORD)
    nav_to(admin, "标准化总览", "标准化")
    expect(admin.get_by_role("heading", name="标准化总览")).to_be_visible()
    admin.get_by_label("搜索").fill(enterprise.name)
    admin.get_by_role("button", name="查询").click()
    row = admin.locator("[data-testid=overview-table] tbody tr", has_text=enterprise.name)
    expect(row).to_contain_text(str(a.percent))
    screenshot(admin, request, "overview")
    row.get_by_role("link", name=str(a.percent)).click()
    expect(admin.locator("[data-testid=assessment-title]")).to_contain_text(enterprise.name)
    expect(admin.locator("summary", has_text="退回修改")).to_be_visible()
    screenshot(admin, request, "admin-detail")
