"""Browser journeys of the ledgers: an enterprise records an accident on a phone; its unit sees it.

Screenshots: test-results/<test-name>-<step>.png.
"""

import datetime

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anbiao.accounts.models import User
from anbiao.core.registry import enterprise_facts
from anbiao.ledgers.models import Accident
from anbiao.orgs.management.commands.anbiao_demo import DEMO_PASSWORD
from tests.browser import DESKTOP, PHONE, assert_no_horizontal_overflow, login, nav_to, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
PLACE = "浏览器测试冷库门口"


def _record_accident_on_a_phone(page, request):
    login(page, "ent_safety", DEMO_PASSWORD)
    nav_to(page, "事故台账", "安全台账")
    expect(page.get_by_role("heading", name="事故台账")).to_be_visible()
    assert_no_horizontal_overflow(page, PHONE[0])
    page.get_by_role("link", name="登记事故或未遂事件").click()
    expect(page.get_by_role("heading", name="登记事故或未遂事件")).to_be_visible()
    occurred = timezone.localtime() - datetime.timedelta(hours=2)
    page.get_by_label("发生时间").fill(occurred.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("发生地点").fill(PLACE)
    page.get_by_label("事故类别（GB 6441）").select_option(label="机械伤害")
    page.get_by_label("经过简述").fill("搬运工手指被输送机夹伤，送医包扎。")
    page.get_by_label("轻伤人数").fill("1")
    page.get_by_label("向监管部门报告时间").fill(
        (occurred + datetime.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("报告部门").fill("惠安县应急管理局")
    assert_no_horizontal_overflow(page, PHONE[0])
    screenshot(page, request, "1-form-phone")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("[data-testid=accident-grade]")).to_have_text("一般事故")
    expect(page.locator("[data-testid=accident-casualties]")).to_contain_text("0 / 0 / 1")
    expect(page.get_by_text("按时报告")).to_be_visible()
    assert_no_horizontal_overflow(page, PHONE[0])
    screenshot(page, request, "2-detail-phone")


@pytest.mark.browser
def test_ent_safety_records_an_accident_on_a_phone_and_the_file_and_facts_react(demo, new_page, request):
    user = User.objects.get(username="ent_safety")
    enterprise = user.memberships.get().enterprise
    before = enterprise_facts([enterprise.pk], timezone.localdate())[enterprise.pk]

    page = new_page(PHONE)
    _record_accident_on_a_phone(page, request)

    accident = Accident.objects.get(place=PLACE)
    assert accident.enterprise == enterprise and accident.created_by == user
    after = enterprise_facts([enterprise.pk], timezone.localdate())[enterprise.pk]
    assert after["accidents_12m"] == before["accidents_12m"] + 1
    assert after["accident_minor_injuries_12m"] == before["accident_minor_injuries_12m"] + 1

    page.get_by_role("link", name=enterprise.name).click()
    expect(page.get_by_role("heading", name=f"{enterprise.name} · 安全档案")).to_be_visible()
    group = page.locator("[data-testid=profile-group-accidents]")
    expect(group).to_contain_text(f"近12个月事故 {after['accidents_12m']} 起")
    expect(group).to_contain_text("正在调查或整改")
    facts = page.locator("[data-testid=profile-facts]")
    facts.locator("summary").click()
    row = facts.locator("tr", has_text="近12个月事故起数")
    expect(row.locator("td").last).to_have_text(str(after["accidents_12m"]))
    assert_no_horizontal_overflow(page, PHONE[0])
    screenshot(page, request, "3-profile-phone")


@pytest.mark.browser
def test_unit_admin_sees_the_new_accident_in_the_subtree_view(demo, new_page, request, tmp_path):
    page = new_page(PHONE)
    _record_accident_on_a_phone(page, request)

    page = new_page(DESKTOP)
    login(page, "unit_admin", DEMO_PASSWORD)
    nav_to(page, "台账监管", "安全台账")
    expect(page.get_by_role("heading", name="台账监管")).to_be_visible()
    card = page.locator("[data-testid=sup-accidents]")
    year_count = Accident.objects.filter(
        enterprise__unit__code="HA-LC", is_near_miss=False, occurred_at__year=timezone.localdate().year
    ).count()
    expect(card.locator(".stat")).to_have_text(str(year_count))
    screenshot(page, request, "4-supervision-desktop")
    card.click()
    expect(page.get_by_role("heading", name="事故台账")).to_be_visible()
    row = page.locator("[data-testid=ledger-table] tbody tr", has_text=PLACE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("一般事故")
    screenshot(page, request, "5-accident-list-desktop")
    with page.expect_download() as info:
        page.get_by_role("link", name="导出 Excel").click()
    target = tmp_path / info.value.suggested_filename
    assert target.suffix == ".xlsx"
    info.value.save_as(target)
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert any(r[3] == PLACE for r in rows[1:])

    phone = new_page(PHONE)
    login(phone, "unit_admin", DEMO_PASSWORD)
    phone.goto("/ledgers/supervision/")
    assert_no_horizontal_overflow(phone, PHONE[0])
    screenshot(phone, request, "6-supervision-phone")


@pytest.mark.browser
def test_every_ledger_page_fits_a_phone_for_the_enterprise_user(demo, new_page, request):
    from anbiao.ledgers.kinds import KINDS
    from anbiao.ledgers.models import Equipment

    page = new_page(PHONE)
    login(page, "ent_safety", DEMO_PASSWORD)
    enterprise = User.objects.get(username="ent_safety").memberships.get().enterprise
    for key, kind in KINDS.items():
        page.goto(f"/ledgers/{key}/")
        expect(page.get_by_role("heading", name=kind.label)).to_be_visible()
        assert_no_horizontal_overflow(page, PHONE[0])
        page.goto(f"/ledgers/{key}/new/")
        assert_no_horizontal_overflow(page, PHONE[0])
    screenshot(page, request, "1-drill-form-phone")
    equipment = Equipment.objects.filter(enterprise=enterprise, category="special").first()
    page.goto(f"/ledgers/equipment/{equipment.pk}/")
    expect(page.get_by_role("heading", name="检验检查记录")).to_be_visible()
    assert_no_horizontal_overflow(page, PHONE[0])
    form = page.locator("form", has=page.get_by_role("button", name="保存检验记录"))
    form.locator("#id_kind").select_option(label="定期检验")
    form.locator("#id_inspected_on").fill(timezone.localdate().isoformat())
    form.locator("#id_agency").fill("泉州市特种设备检验研究院")
    form.locator("#id_result").select_option(label="合格")
    next_due = timezone.localdate() + datetime.timedelta(days=365)
    form.locator("#id_next_due").fill(next_due.isoformat())
    page.get_by_role("button", name="保存检验记录").click()
    expect(page.get_by_text("下次检验日期已更新")).to_be_visible()
    equipment.refresh_from_db()
    assert equipment.next_inspection_due == next_due
    assert equipment.inspections.order_by("-id").first().result == "pass"
    screenshot(page, request, "2-equipment-phone")
    page.goto("/ledgers/accident-rules/")
    assert_no_horizontal_overflow(page, PHONE[0])
