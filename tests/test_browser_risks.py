"""Browser journeys for 安全风险分级管控: assess a point by LEC, place it on an uploaded plan, download the
four-colour map; a unit administrator filters enterprises by colour (desktop and phone)."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from anbiao.accounts.models import User
from anbiao.orgs.management.commands.anbiao_demo import DEMO_PASSWORD
from anbiao.risks.models import MapShape, RiskPoint
from tests.browser import DESKTOP, PHONE, assert_no_horizontal_overflow, login, nav_to, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _plan_png(tmp_path):
    path = tmp_path / "二楼平面图.png"
    img = Image.new("RGB", (800, 500), (245, 245, 240))
    img.save(path)
    return path


@pytest.mark.browser
def test_ent_safety_assesses_a_point_by_lec_places_it_on_the_plan_and_downloads_the_map(
    demo, new_page, request, tmp_path
):
    page = new_page(DESKTOP)
    login(page, "ent_safety", DEMO_PASSWORD)
    enterprise = User.objects.get(username="ent_safety").memberships.get().enterprise

    nav_to(page, "风险点", "风险管控")
    page.get_by_role("link", name=f"本企业风险管控（{enterprise.name}）").click()
    expect(page.get_by_role("heading", name=f"{enterprise.name} · 安全风险分级管控")).to_be_visible()
    page.get_by_role("link", name="新增风险点").click()
    page.get_by_label("风险点名称").fill("叉车充电区")
    page.get_by_label("类别").select_option(label="场所区域")
    page.get_by_label("位置").fill("二楼东侧")
    page.get_by_label("火灾", exact=True).check()
    page.get_by_label("管理措施").fill("充电区禁止烟火，专人看管")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("heading", name="风险评估：叉车充电区")).to_be_visible()
    page.get_by_label("评价方法与分级标准").select_option(
        label="LEC 作业条件危险性分析法 · LEC 经典分级（第1版）"
    )
    expect(page.get_by_label("L 事故发生的可能性").first).to_be_visible()
    expect(page.locator("[data-method-group=ls]")).to_be_hidden()
    page.locator("#id_lec_L").select_option(label="1 — 可能性小，完全意外")
    page.locator("#id_lec_E").select_option(label="10 — 连续暴露")
    page.locator("#id_lec_C").select_option(label="7 — 严重，重伤")
    screenshot(page, request, "assess")
    page.get_by_role("button", name="计算并保存").click()
    expect(page.get_by_text("评估完成：分值 70，黄色（一般风险）。")).to_be_visible()
    point = RiskPoint.objects.get(enterprise=enterprise, name="叉车充电区")
    assert (point.score, point.level) == (70, "general")

    page.get_by_role("link", name=enterprise.name).first.click()
    page.get_by_role("link", name="上传平面图").click()
    page.get_by_label("图名").fill("二楼平面图")
    page.get_by_label("平面图（JPG/PNG 图片）").set_input_files(_plan_png(tmp_path))
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_text("平面图已上传")).to_be_visible()

    page.locator("#shape-point").select_option(label="叉车充电区（黄）")
    page.get_by_role("button", name="画区域").click()
    svg = page.locator("#risk-map")
    box = svg.bounding_box()
    for fx, fy in [(0.2, 0.2), (0.6, 0.2), (0.6, 0.7), (0.2, 0.7)]:
        svg.click(position={"x": box["width"] * fx, "y": box["height"] * fy})
    page.get_by_role("button", name="完成区域").click()
    expect(page.locator("#shape-count")).to_have_text("1")
    page.get_by_role("button", name="保存分布图").click()
    expect(page.get_by_text("四色分布图已保存")).to_be_visible()
    shape = MapShape.objects.get(risk_point=point)
    assert shape.kind == "polygon" and len(shape.points) == 4
    assert 0.15 < shape.points[0][0] < 0.25 and 0.15 < shape.points[0][1] < 0.25
    expect(page.locator("#shape-layer polygon[fill='#ffc107']")).to_have_count(1)
    screenshot(page, request, "map")

    with page.expect_download() as info:
        page.get_by_test_id("download-map").click()
    target = tmp_path / "map.png"
    info.value.save_as(target)
    img = Image.open(io.BytesIO(target.read_bytes())).convert("RGB")
    assert img.width == 800 and img.height > 500

    phone = new_page(PHONE)
    login(phone, "ent_safety", DEMO_PASSWORD)
    phone.goto(page.url)
    expect(phone.locator("#risk-map")).to_be_visible()
    assert_no_horizontal_overflow(phone, PHONE[0])
    screenshot(phone, request, "map-phone")
    phone.goto(f"/risks/points/{point.pk}/card/")
    expect(phone.get_by_test_id("risk-card")).to_contain_text("充电区禁止烟火，专人看管")
    assert_no_horizontal_overflow(phone, PHONE[0])
    phone.goto(f"/risks/enterprises/{enterprise.pk}/")
    expect(phone.get_by_test_id("enterprise-points")).to_contain_text("叉车充电区")
    assert_no_horizontal_overflow(phone, PHONE[0])


@pytest.mark.browser
def test_unit_admin_filters_enterprises_by_colour(demo, new_page, request):
    page = new_page(DESKTOP)
    login(page, "unit_admin", DEMO_PASSWORD)
    nav_to(page, "企业四色等级", "风险管控")
    expect(page.get_by_role("heading", name="企业四色等级（分级动态监管）")).to_be_visible()
    yellow_count = int(page.get_by_test_id("colour-general").locator(".stat").inner_text())
    assert yellow_count > 0
    page.get_by_test_id("colour-general").click()
    rows = page.get_by_test_id("grade-table").locator("tbody tr")
    expect(rows.first.locator("[data-level]")).to_have_attribute("data-level", "general")
    levels = rows.locator("[data-level]").evaluate_all("els => els.map(e => e.dataset.level)")
    assert levels and set(levels) == {"general"}
    assert f"共 {yellow_count} 条" in page.content()
    screenshot(page, request, "yellow")
    page.get_by_role("link", name="地图").click()
    expect(page.get_by_test_id("enterprise-map")).to_be_visible()
    dots = page.locator("[data-testid=enterprise-map] circle.dot").evaluate_all(
        "els => els.map(e => e.dataset.level)"
    )
    assert dots and set(dots) == {"general"}

    phone = new_page(PHONE)
    login(phone, "unit_admin", DEMO_PASSWORD)
    nav_to(phone, "企业四色等级", "风险管控")
    phone.get_by_test_id("colour-significant").click()
    assert_no_horizontal_overflow(phone, PHONE[0])
    screenshot(phone, request, "phone")
