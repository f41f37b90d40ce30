"""The home-page dashboards on the demo data: every figure lists exactly its rows, the query count stays put
as enterprises are added, and browser journeys — county_admin at desktop and phone width clicks a bar and a
table figure and lands on the filtered list; ent_safety sees its own enterprise's dashboard on a phone."""

import re
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from playwright.sync_api import expect

from anbiao.accounts.models import User
from anbiao.core.models import Notification
from anbiao.core.scope import Scope
from anbiao.dashboards.selectors import dashboard_for
from anbiao.dashboards.tests import builders
from anbiao.orgs.management.commands.anbiao_demo import DEMO_PASSWORD
from anbiao.orgs.models import Organization
from anbiao.risks.models import RiskPoint
from tests.browser import DESKTOP, PHONE, assert_no_horizontal_overflow, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

NOT_LISTS = {"campaign-phases"}  # these link to the campaign board of the phase


def _csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def _charts_drawn(page) -> int:
    """Wait until every chart box holds a drawn canvas; return how many there are."""
    boxes = page.locator(".dash-chart")
    expect(boxes.first).to_be_visible()
    count = boxes.count()
    expect(page.locator(".dash-chart[data-rendered='1'] canvas")).to_have_count(count)
    return count


def test_on_the_demo_every_figure_lists_its_rows_and_more_enterprises_add_no_queries(demo, client):
    admin = User.objects.get(username="county_admin")
    client.force_login(admin)
    dashboard = dashboard_for(admin, Scope.for_user(admin))
    checked = 0
    for chart in dashboard["charts"]:
        if chart["id"] in NOT_LISTS or not chart["table"]:
            continue
        for row in chart["table"]["rows"]:
            for cell in row["cells"]:
                if cell["url"] and cell["value"] is not None and row["label"] != "尚未送达":
                    response = client.get(cell["url"])
                    assert response.context["paginator"].count == cell["value"], (chart["id"], row["label"])
                    checked += 1
    assert checked > 40
    assert dashboard["hazards"]["found"] > 0 and len(dashboard["ranking"]["rows"]) == 8

    def home_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries.captured_queries)

    def dashboard_queries() -> int:
        scope = Scope.for_user(admin)
        scope.roles  # noqa: B018  (the grants are read once per request)
        with CaptureQueriesContext(connection) as queries:
            dashboard_for(admin, scope)
        return len(queries.captured_queries)

    before_home, before_dashboard = home_queries(), dashboard_queries()
    assert before_dashboard <= 25
    units = {u.code: u for u in Organization.objects.filter(code__in=["HA-LC", "HA-HT", "HA-DL"])}
    place = SimpleNamespace(
        county=Organization.objects.get(parent__isnull=True),
        unit_a=units["HA-LC"],
        unit_a1=units["HA-HT"],
        unit_b=units["HA-DL"],
    )
    builders.more_enterprises(place, 30)
    assert dashboard_queries() == before_dashboard
    assert home_queries() <= before_home


@pytest.mark.browser
def test_county_admin_sees_the_charts_at_desktop_and_phone_width_and_a_figure_opens_its_rows(
    demo, new_page, request
):
    page = new_page(DESKTOP)
    errors = _csp_errors(page)
    login(page, "county_admin", DEMO_PASSWORD)
    expect(page.get_by_test_id("dashboard")).to_be_visible()
    assert _charts_drawn(page) == 8
    expect(page.get_by_test_id("ranking")).to_contain_text("螺城供销社")
    screenshot(page, request, "county-desktop")

    # Click the tallest bar of the monthly hazard chart: the 整改清单 of that month opens.
    spec = page.evaluate("JSON.parse(document.getElementById('hazard-months-data').textContent)")
    found = [d["value"] for d in spec["series"][0]["data"]]
    index = found.index(max(found))
    point = page.evaluate(
        """(index) => {
            const el = document.querySelector("[data-chart='hazard-months-data']");
            el.scrollIntoView({block: "center", behavior: "instant"});
            const chart = echarts.getInstanceByDom(el);
            const bar = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(index);
            const box = el.getBoundingClientRect();
            return [box.left + bar.x + bar.width / 2, box.top + bar.y + bar.height / 2];
        }""",
        index,
    )
    page.mouse.click(point[0], point[1])
    expect(page).to_have_url(re.compile(r"/hazards/rectification/\?found_after=\d{4}-\d{2}-01&found_before="))
    expect(page.get_by_text(f"共 {max(found)} 条").first).to_be_visible()
    assert page.locator("#id_found_after").input_value() == spec["categories"][index] + "-01"

    # The same figures are links in the table under each chart: 红色 opens the red enterprises' grades.
    page.go_back()
    red = page.get_by_test_id("table-colours").get_by_role("row").filter(has_text="红色").get_by_role("link")
    red_count = int(red.inner_text())
    red.click()
    expect(page).to_have_url(re.compile(r"/risks/grades/\?level=major"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("企业四色等级")
    expect(page.get_by_text(f"共 {red_count} 条").first).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors

    phone = new_page(PHONE)
    phone_errors = _csp_errors(phone)
    login(phone, "county_admin", DEMO_PASSWORD)
    expect(phone.get_by_test_id("dashboard")).to_be_visible()
    assert _charts_drawn(phone) == 8
    assert_no_horizontal_overflow(phone, PHONE[0])
    screenshot(phone, request, "county-phone")
    unrated = (
        phone.get_by_test_id("table-stars").get_by_role("row").filter(has_text="未评星").get_by_role("link")
    )
    unrated.scroll_into_view_if_needed()
    unrated_count = int(unrated.inner_text())
    unrated.click()
    expect(phone).to_have_url(re.compile(r"/standards/\?stars=0"))
    expect(phone.get_by_text(f"共 {unrated_count} 条").first).to_be_visible()
    assert not [e for e in phone_errors if "Content Security Policy" in e or "Refused" in e], phone_errors


@pytest.mark.browser
def test_ent_safety_sees_its_own_enterprises_dashboard_on_a_phone(demo, new_page, request):
    call_command("anbiao_remind", verbosity=0)  # the daily reminders the dashboard lists as next duties
    user = User.objects.get(username="ent_safety")
    enterprise = user.memberships.get().enterprise
    page = new_page(PHONE)
    login(page, "ent_safety", DEMO_PASSWORD)
    dashboard = page.get_by_test_id("dashboard")
    expect(dashboard).to_have_attribute("data-kind", "enterprise")
    first_duty = (
        Notification.objects.filter(user=user, read_at__isnull=True)
        .order_by(F("due").asc(nulls_last=True), "-id")
        .first()
    )
    expect(page.get_by_test_id("duties").get_by_role("listitem").first).to_contain_text(first_duty.title)
    expect(page.get_by_test_id("chart-risk-points").locator("canvas")).to_have_count(1)
    expect(page.get_by_test_id("deadlines")).to_be_visible()
    assert_no_horizontal_overflow(page, PHONE[0])
    screenshot(page, request, "enterprise-phone")

    blue = (
        page.get_by_test_id("table-risk-points")
        .get_by_role("row")
        .filter(has_text="蓝色")
        .get_by_role("link")
    )
    blue_count = int(blue.inner_text())
    blue.click()
    expect(page).to_have_url(re.compile(r"/risks/\?level=low&status=active"))
    expect(page.get_by_text(f"共 {blue_count} 条").first).to_be_visible()
    own = RiskPoint.objects.filter(enterprise=enterprise, level="low", status="active").count()
    assert blue_count == own > 0  # its own enterprise's points only
