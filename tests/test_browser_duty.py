"""Browser journey for 全员责任制: the enterprise principal adopts the seeded lists for three posts, assesses
a person and records a reward; the unit admin then sees the enterprise counted in the supervisor view."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anbiao.accounts.models import Membership
from anbiao.duty.models import AssessmentScore, DutyList
from anbiao.orgs.management.commands.anbiao_demo import DEMO_PASSWORD
from tests.browser import DESKTOP, PHONE, assert_no_horizontal_overflow, login, nav_to, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.browser
def test_principal_adopts_lists_assesses_and_rewards_then_the_unit_admin_sees_it(demo, new_page, request):
    enterprise = Membership.objects.get(user__username="ent_principal").enterprise
    posts = list(enterprise.posts.order_by("id"))
    assert len(posts) == 3 and not DutyList.objects.filter(post__enterprise=enterprise).exists()

    page = new_page(DESKTOP)
    login(page, "ent_principal", DEMO_PASSWORD)
    nav_to(page, "责任制落实情况", "全员责任制")
    page.locator("[data-testid=overview-table]").get_by_role("link", name=enterprise.name).click()
    expect(page.locator("[data-testid=lists-status]")).to_have_text("不齐全")
    expect(page.locator("[data-testid=art24-reason]")).to_be_visible()
    screenshot(page, request, "hub-before")

    for post in posts:
        page.locator("[data-testid=post-table]").get_by_role("link", name=post.name, exact=True).click()
        page.locator("[data-testid=adopt]").click()
        expect(page.locator("[data-testid=list-status]")).to_have_text("草稿")
        expect(page.locator("[data-testid=duty-items] li").first).to_be_visible()
        page.locator("[data-testid=publish]").click()
        expect(page.locator("[data-testid=list-status]")).to_have_text("生效")
        page.get_by_role("link", name=enterprise.name).first.click()
    expect(page.locator("[data-testid=lists-status]")).to_have_text("已齐全")
    screenshot(page, request, "hub-lists-complete")

    page.get_by_role("button", name="开始年度考核").click()
    expect(page.locator("[data-testid=assessment-status]")).to_have_text("进行中")
    boss = posts[0].holdings.get().person
    page.locator(f"[data-testid='score-{boss.name}']").click()
    page.locator("input[name^=points_]").first.fill("3")
    page.locator("input[name^=reason_]").first.fill("全员责任制公示滞后一周")
    page.locator("[data-testid=save-score]").click()
    expect(page.locator("[data-testid=score-value]")).to_have_text("97.0")
    expect(page.locator("[data-testid=score-band]")).to_have_text("优秀")
    page.locator("#id_outcome").select_option("reward")
    page.locator("#id_amount").fill("2000")
    # the server's date: after 16:00 UTC the browser's UTC date is a day behind Beijing
    today = timezone.localdate().isoformat()
    page.locator("#id_decided_on").fill(today)
    page.locator("#id_paid_on").fill(today)
    page.locator("[data-testid=save-outcome]").click()
    expect(page.locator("[data-testid=outcome]")).to_contain_text("奖励 · 2000.00 元")
    screenshot(page, request, "score")
    page.get_by_role("link", name=re.compile("年度考核$")).click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-testid=complete]").click()
    expect(page.locator("[data-testid=assessment-status]")).to_contain_text("完成")
    score = AssessmentScore.objects.get(person=boss)
    assert score.outcome == "reward" and score.amount == 2000 and score.paid_on is not None

    phone = new_page(PHONE)
    login(phone, "ent_principal", DEMO_PASSWORD)
    for path in (
        f"/duty/enterprises/{enterprise.pk}/",
        f"/duty/scores/{score.pk}/",
        f"/duty/posts/{posts[0].pk}/",
    ):
        phone.goto(path)
        assert_no_horizontal_overflow(phone, PHONE[0])
    screenshot(phone, request, "phone-post")

    admin = new_page(DESKTOP)
    login(admin, "unit_admin", DEMO_PASSWORD)
    nav_to(admin, "责任制落实情况", "全员责任制")
    admin.get_by_label("搜索").fill(enterprise.name)
    admin.get_by_role("button", name="查询").click()
    row = admin.locator("[data-testid=overview-table] tbody tr", has_text=enterprise.name)
    expect(row).to_contain_text("是")
    expect(row).to_contain_text("已完成")
    screenshot(admin, request, "unit-admin-overview")
    admin.get_by_label("责任清单齐全").select_option("yes")
    admin.get_by_label("已完成年度考核").select_option("yes")
    admin.get_by_role("button", name="查询").click()
    expect(admin.locator("[data-testid=overview-table]")).to_contain_text(enterprise.name)
    nav_to(admin, "两个关键少数", "全员责任制")
    expect(admin.locator("[data-testid=key-people-table]")).to_contain_text(boss.name)
    screenshot(admin, request, "key-people")
