"""The dashboards' figures on constructed data: equal to the modules' selectors and definitions, each
linking to a list page that shows exactly the rows counted; an enterprise user sees only its own; nothing
out of scope appears; the number of queries does not grow with the number of enterprises."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anbiao.campaigns import selectors as campaign_selectors
from anbiao.core.scope import Scope
from anbiao.dashboards import charts, selectors
from anbiao.dashboards.tests import builders
from anbiao.orgs.models import Enterprise
from anbiao.risks import selectors as risk_selectors
from anbiao.standards import selectors as std_selectors

pytestmark = pytest.mark.django_db

NOT_LISTS = {"campaign-phases"}  # links to the campaign board (unit × deliverable), not a paginated list


def board(user):
    return selectors.dashboard_for(user, Scope.for_user(user))


def chart(dashboard, chart_id):
    return next(c for c in dashboard["charts"] if c["id"] == chart_id)


def figures(c) -> dict[str, list[int]]:
    """{row label: [value of each column]} of a chart's table."""
    return {row["label"]: [cell["value"] for cell in row["cells"]] for row in c["table"]["rows"]}


def test_the_last_twelve_months_end_with_this_month_and_start_eleven_months_before():
    months = charts.last_months(datetime.date(2026, 1, 15))
    assert len(months) == 12
    assert months[0] == (datetime.date(2025, 2, 1), datetime.date(2025, 2, 28))
    assert months[-1] == (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))


def test_county_and_unit_roles_get_the_supervisor_dashboard_enterprise_users_their_own_others_none(world):
    assert board(world.county_admin)["kind"] == "supervisor"
    assert board(world.leader)["kind"] == "supervisor"
    assert board(world.admin_a)["kind"] == "supervisor"
    assert board(world.principal_a)["kind"] == "enterprise"
    assert board(world.safety_a)["kind"] == "enterprise"
    assert board(world.inspector) is None
    assert board(world.expert) is None


def test_hazards_are_counted_by_the_month_found_without_voided_ones_or_those_older_than_twelve_months(
    world, records
):
    this_month = f"{builders.months_ago(0):%Y-%m}"
    two_ago = f"{builders.months_ago(2):%Y-%m}"
    county = board(world.county_admin)
    months = figures(chart(county, "hazard-months"))
    assert len(months) == 12
    assert months[this_month] == [4, 2]  # a_closed, a_overdue, b_closed, b_awaiting; two closed
    assert months[two_ago] == [1, 0]  # a1_rectifying; a_voided is not counted
    assert sum(v[0] for v in months.values()) == 5  # a_too_old is outside the window
    assert county["hazards"] == {"found": 5, "rectified": 2, "rate": 40.0, "overdue": 1}
    unit_a = board(world.admin_a)
    assert figures(chart(unit_a, "hazard-months"))[this_month] == [2, 1]
    assert unit_a["hazards"] == {"found": 3, "rectified": 1, "rate": 33.3, "overdue": 1}
    assert board(world.admin_b)["hazards"] == {"found": 2, "rectified": 1, "rate": 50.0, "overdue": 0}


def test_colours_grades_stars_and_self_assessment_equal_the_modules_selectors(world, records):
    today = builders.today()
    county = board(world.county_admin)
    everyone = Enterprise.objects.all()
    by_colour = risk_selectors.count_enterprises_by_colour(everyone, today)
    assert (
        [row[0] for row in figures(chart(county, "colours")).values()]
        == [
            by_colour["major"],
            by_colour["significant"],
            by_colour["general"],
            by_colour["low"],
        ]
        == [1, 0, 1, 1]
    )
    grades = figures(chart(county, "grades"))
    cases = [
        (label, t, level)
        for label, t in (("国标", "national"), ("省标", "provincial"))
        for level in (1, 2, 3)
    ]
    for label, grade_type, level in cases:
        expected = std_selectors.enterprises_with_grade(everyone, today, grade_type, level).count()
        assert grades[label][level - 1] == expected, (grade_type, level)
    # 地标 不分级: the selector's 总数 is the 不分级 column
    assert grades["地标"][3] == std_selectors.enterprises_with_grade(everyone, today, "local").count()
    assert grades["国标"][:3] == [0, 1, 0] and grades["地标"][3] == 1
    star_figures = figures(chart(county, "stars"))
    for n in (5, 4, 3, 2, 1):
        assert star_figures[f"{n}星"] == [std_selectors.enterprises_with_stars(everyone, today, n).count()]
    assert star_figures["3星"] == [1] and star_figures["4星"] == [1] and star_figures["未评星"] == [1]
    assessed = figures(chart(county, "self-assessment"))
    assert assessed["已提交自评"][0] == 1 and assessed["未自评"][0] == 2  # a1's draft does not count
    assert chart(county, "self-assessment")["title"].endswith("33.3%")


def test_campaign_phases_and_letters_equal_the_campaign_selectors(world, records):
    today = builders.today()
    scope = Scope.for_user(world.county_admin)
    campaign = records["campaign"]
    county = board(world.county_admin)
    rows = campaign_selectors.unit_obligations(scope=scope, campaign=campaign, as_of=today)
    summary = campaign_selectors.obligation_summary(rows)
    phases = chart(county, "campaign-phases")
    columns = phases["table"]["head"][1:]
    assert columns == ["按时报送", "逾期报送", "被退回待重报", "逾期未报", "未到期"]
    totals = [sum(row[i] for row in figures(phases).values()) for i in range(5)]
    keys = ["on_time", "late", "returned", "missing", "pending"]
    assert totals == [sum(s[k] for s in summary) for k in keys]
    assert totals[0] == 1  # unit A filed the first deliverable on its due date
    progress = campaign_selectors.letter_progress(scope=scope, campaign=campaign, as_of=today)
    letters = figures(chart(county, "letters"))
    assert letters["已签订承诺书"][0] == progress["signed"] == 1
    assert letters["已送达未签订"][0] == progress["delivered"] - progress["signed"] == 1
    assert letters["尚未送达"][0] == progress["total"] - progress["delivered"] == 1
    assert next(k for k in county["kpis"] if k["testid"] == "kpi-letters")["value"] == "1/3"


def test_the_ranking_rolls_each_child_units_subtree_up_and_ranks_by_rectification_rate(world, records):
    ranking = board(world.county_admin)["ranking"]
    rows = {row["unit"].code: row for row in ranking["rows"]}
    assert [row["unit"].code for row in ranking["rows"]] == ["TB", "TA"]  # 50% before 33.3%
    assert (rows["TA"]["hazards"]["found"], rows["TA"]["hazards"]["rectified"]) == (3, 1)  # A1 rolls up
    assert rows["TA"]["hazards"]["overdue"] == 1 and rows["TB"]["hazards"]["overdue"] == 0
    assert (rows["TA"]["standards"]["operating"], rows["TA"]["standards"]["assessed"]) == (2, 1)
    assert rows["TA"]["standards"]["coverage"] == 50.0 and rows["TB"]["standards"]["coverage"] == 0.0
    assert (rows["TA"]["letters"]["signed"], rows["TA"]["letters"]["total"]) == (1, 2)
    assert rows["TA"]["rank"] == 2
    assert board(world.admin_a)["ranking"] is None  # one child unit (A1): nothing to rank


def _listed(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["paginator"].count


def test_every_figure_links_to_a_list_page_showing_exactly_the_rows_counted(world, records, client):
    checked = 0
    for user in (world.county_admin, world.admin_a, world.leader, world.principal_a):
        client.force_login(user)
        dashboard = board(user)
        for c in dashboard["charts"]:
            if c["id"] in NOT_LISTS or not c["table"]:
                continue
            for row in c["table"]["rows"]:
                for cell in row["cells"]:
                    if not cell["url"] or cell["value"] is None or row["label"] == "尚未送达":
                        continue
                    assert _listed(client, cell["url"]) == cell["value"], (user, c["id"], row["label"])
                    checked += 1
        for kpi in dashboard["kpis"]:
            if kpi["testid"] in {"kpi-overdue", "kpi-letters", "kpi-review"}:
                assert _listed(client, kpi["url"]) == int(kpi["value"].split("/")[0]), kpi
        if dashboard.get("hazards"):
            rate = next(k for k in dashboard["kpis"] if k["testid"] == "kpi-rate")
            assert _listed(client, rate["url"]) == dashboard["hazards"]["found"]
        for row in (dashboard.get("ranking") or {}).get("rows", []):
            for key, fields in (
                ("hazards", ("found", "rectified", "overdue")),
                ("standards", ("operating", "assessed")),
            ):
                for field in fields:
                    assert _listed(client, row[key][f"{field}_url"]) == row[key][field], (row["unit"], field)
            assert _listed(client, row["letters"]["url"]) == row["letters"]["signed"]
            checked += 1
    assert checked > 80


def test_phase_figures_link_to_the_campaign_board_of_that_phase(world, records, client):
    client.force_login(world.county_admin)
    phases = chart(board(world.county_admin), "campaign-phases")
    url = phases["table"]["rows"][0]["cells"][0]["url"]
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["phase"].name == phases["table"]["rows"][0]["label"]


def test_an_enterprise_user_sees_only_its_own_hazards_risk_points_and_reminders(world, records):
    mine = board(world.principal_a)
    assert [c["id"] for c in mine["charts"]] == ["open-hazards", "risk-points"]
    assert figures(chart(mine, "open-hazards")) == {"登记": [1], "待整改": [1], "整改中": [0], "待验收": [0]}
    assert [row["hazard"].enterprise_id for row in mine["deadlines"]] == [world.ent_a.pk, world.ent_a.pk]
    assert mine["deadlines"][0]["hazard"] == records["hazards"]["a_overdue"]
    assert mine["deadlines"][0]["overdue"] is True
    assert [row[0] for row in figures(chart(mine, "risk-points")).values()] == [1, 0, 0, 1]  # retired: no
    assert next(k for k in mine["kpis"] if k["testid"] == "kpi-review")["value"] == "1"
    assert next(k for k in mine["kpis"] if k["testid"] == "kpi-overdue")["value"] == "1"
    assert [n.title for n in mine["duties"]] == ["甲一超市：年度自评尚未提交"]
    theirs = board(world.principal_b)
    assert figures(chart(theirs, "open-hazards"))["待验收"] == [1]
    assert [row[0] for row in figures(chart(theirs, "risk-points")).values()] == [0, 1, 0, 0]
    assert [n.title for n in theirs["duties"]] == ["乙一加油站：特种设备检验逾期"]


def test_out_of_scope_records_never_appear_on_a_units_home_page(world, records, client):
    client.force_login(world.admin_b)
    html = client.get("/").content.decode()
    assert 'data-testid="dashboard"' in html
    for name in ("甲一超市", "甲二仓储", "甲供销社"):
        assert name not in html
    b = board(world.admin_b)
    assert figures(chart(b, "colours"))["黄色（一般风险）"][0] == 1
    assert sum(row[0] for row in figures(chart(b, "colours")).values()) == 1
    assert figures(chart(b, "self-assessment"))["已提交自评"][0] == 0
    client.force_login(world.principal_a)
    html = client.get("/").content.decode()
    assert "乙一加油站" not in html and "特种设备检验逾期" not in html
    assert "甲一超市：年度自评尚未提交" in html


def test_the_home_page_passes_chart_data_as_json_and_loads_the_vendored_echarts(world, records, client):
    client.force_login(world.county_admin)
    response = client.get("/")
    html = response.content.decode()
    assert '<script id="hazard-months-data" type="application/json">' in html
    assert "/static/vendor/echarts-5.6.0/echarts.min.js" in html
    assert "/static/dashboards/dashboards.js" in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    for tag in html.split("<script")[1:]:  # no inline code: only sources and JSON data
        head = tag.split(">", 1)[0]
        assert "src=" in head or 'type="application/json"' in head, head
    assert 'data-testid="table-hazard-months"' in html and 'data-testid="ranking"' in html


def test_the_query_count_does_not_grow_with_the_number_of_enterprises(world, records, client):
    def count(user):
        scope = Scope.for_user(user)
        scope.roles  # noqa: B018  (the grants are read once per request, outside the dashboard)
        with CaptureQueriesContext(connection) as queries:
            selectors.dashboard_for(user, scope)
        return len(queries.captured_queries)

    users = (world.county_admin, world.admin_a, world.principal_a)
    before = [count(u) for u in users]
    builders.more_enterprises(world, 9)
    assert [count(u) for u in users] == before
    assert before[0] <= 25 and before[2] <= 8
    client.force_login(world.county_admin)
    home = CaptureQueriesContext(connection)
    with home:
        assert client.get("/").status_code == 200
    builders.more_enterprises(world, 9)
    with CaptureQueriesContext(connection) as again:
        assert client.get("/").status_code == 200
    assert len(again.captured_queries) <= len(home.captured_queries)
