import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from anbiao.reports.cells import CELLS

pytestmark = pytest.mark.django_db

Q = "2025Q3"


def report_url(unit, quarter=Q):
    return f"{reverse('reports:unit_report', args=[unit.pk])}?quarter={quarter}"


def test_the_unit_admin_sees_the_three_tables_with_every_cell_filled(world, login):
    client = login(world.admin_a)
    response = client.get(report_url(world.unit_a))
    assert response.status_code == 200
    html = response.content.decode()
    for key in CELLS:
        assert f'data-cell="{key}"' in html, key
    assert "季报表(一)" in html and "季报表(二)" in html and "季报表(三)" in html
    assert 'class="table-responsive"' in html


def test_the_index_sends_a_unit_admin_to_their_own_units_last_finished_quarter(world, login):
    client = login(world.admin_a)
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302
    assert response["Location"] == report_url(world.unit_a, "2026Q3")
    chosen = client.get(reverse("reports:index"), {"unit": world.unit_a1.pk, "quarter": "2025Q1"})
    assert chosen["Location"] == report_url(world.unit_a1, "2025Q1")


def test_choosing_a_sibling_unit_or_an_unfinished_quarter_is_not_found(world, login):
    client = login(world.admin_a)
    assert client.get(reverse("reports:index"), {"unit": world.unit_b.pk}).status_code == 404
    assert client.get(reverse("reports:index"), {"unit": "x"}).status_code == 404
    assert client.get(report_url(world.unit_b)).status_code == 404
    assert client.get(report_url(world.unit_a, "2026Q4")).status_code == 404
    assert client.get(report_url(world.unit_a, "2021Q2")).status_code == 404
    assert client.get(report_url(world.unit_a, "bad")).status_code == 404


def test_enterprise_users_inspectors_and_experts_may_not_open_the_reports(world, login):
    for user in (world.principal_a, world.safety_a, world.inspector, world.expert):
        client = login(user)
        assert client.get(reverse("reports:index")).status_code == 403
        assert client.get(report_url(world.unit_a)).status_code in {403, 404}


def test_the_county_admin_and_the_leader_see_any_unit(world, login):
    for user in (world.county_admin, world.leader):
        client = login(user)
        assert client.get(report_url(world.unit_b)).status_code == 200
        assert client.get(report_url(world.county)).status_code == 200


def test_the_report_page_runs_a_bounded_number_of_queries(world, login, django_assert_max_num_queries):
    from anbiao.hazards.tests import factories as hf

    for n in range(5):
        hf.hazard(world, world.ent_a1, found_on=datetime.date(2025, 2, 1 + n))
    client = login(world.admin_a)
    with django_assert_max_num_queries(130):
        assert client.get(report_url(world.unit_a)).status_code == 200


def test_the_report_query_count_does_not_grow_with_the_number_of_enterprises(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anbiao.core.testing import system_scope
    from anbiao.hazards.tests import factories as hf
    from anbiao.orgs import services
    from anbiao.orgs.tests.factories import enterprise_data

    client = login(world.admin_a)
    client.get(report_url(world.unit_a))
    with CaptureQueriesContext(connection) as before:
        client.get(report_url(world.unit_a))
    for n in range(6):
        ent = services.enterprise_create(
            actor=None,
            scope=system_scope(world.county),
            data=enterprise_data(unit=world.unit_a1, registered_on=datetime.date(2024, 6, 1)),
        )
        hf.hazard(world, ent, found_on=datetime.date(2025, 4, 1 + n))
    with CaptureQueriesContext(connection) as after:
        response = client.get(report_url(world.unit_a))
    assert 'data-cell="t1.base.total"' in response.content.decode()
    assert len(after.captured_queries) == len(before.captured_queries)


def test_a_cell_lists_the_rows_behind_it_with_links(world, login, django_assert_max_num_queries):
    from anbiao.hazards.tests import factories as hf

    hazards = [hf.hazard(world, world.ent_a1, found_on=datetime.date(2025, 2, 1 + n)) for n in range(3)]
    hf.hazard(world, world.ent_b, found_on=datetime.date(2025, 2, 1))
    client = login(world.admin_a)
    url = reverse("reports:cell_rows", args=[world.unit_a.pk])
    with django_assert_max_num_queries(25):
        response = client.get(url, {"quarter": Q, "cell": "t1.lists.self_found"})
    assert response.status_code == 200
    assert response.context["value"] == 3
    assert [i["id"] for i in response.context["items"]] == [h.pk for h in hazards]
    html = response.content.decode()
    assert reverse("hazards:hazard_detail", args=[hazards[0].pk]) in html
    assert reverse("orgs:enterprise_detail", args=[world.ent_a1.pk]) in html
    base = client.get(url, {"quarter": Q, "cell": "t1.base.total"})
    assert base.context["value"] == 2 and len(base.context["items"]) == 2
    assert client.get(url, {"quarter": Q, "cell": "nope"}).status_code == 404
    sibling = reverse("reports:cell_rows", args=[world.unit_b.pk])
    assert client.get(sibling, {"quarter": Q, "cell": "t1.base.total"}).status_code == 404


def test_the_export_has_the_three_tables_in_the_official_layout_and_a_detail_sheet(world, login):
    from anbiao.hazards.tests import factories as hf

    hf.hazard(world, world.ent_a1, found_on=datetime.date(2025, 2, 1))
    client = login(world.admin_a)
    response = client.get(reverse("reports:export", args=[world.unit_a.pk]), {"quarter": Q})
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["季报表(一)", "季报表(二)", "季报表(三)", "明细", "调整说明"]
    t1 = wb["季报表(一)"]
    assert t1["A1"].value.endswith("季报表(一)")
    assert "填报单位(盖章)：" + world.unit_a.name in t1["A2"].value and "联系电话" in t1["A2"].value
    assert t1["A4"].value == "填报单位类型" and t1["B4"].value == "企业底数(家)"
    assert "A4:A6" in {str(r) for r in t1.merged_cells.ranges}
    assert t1["B5"].value == "总数" and t1["B7"].value == 2  # 企业底数 总数 of unit A
    labels = [t1.cell(row=r, column=1).value for r in range(7, 10)]
    assert labels[0] == world.unit_a.get_kind_display()
    grade_col = next(c for c in range(1, 40) if t1.cell(row=5, column=c).value == "达标类型")
    assert [t1.cell(row=r, column=grade_col).value for r in range(7, 10)] == ["国标", "省标", "地标"]
    assert t1.cell(row=11, column=1).value.startswith("注：1.各填报单位")
    assert t1.page_setup.orientation == "landscape"
    self_found_col = next(c for c in range(1, 40) if t1.cell(row=6, column=c).value == "自查隐患数量(条)")
    assert t1.cell(row=7, column=self_found_col).value == 1
    t3 = wb["季报表(三)"]
    assert t3["A2"].value.endswith("2025年")
    detail = wb["明细"]
    rows = list(detail.iter_rows(min_row=2, values_only=True))
    assert ("季报表(一)", "t1.lists.self_found") in {(r[0], r[1]) for r in rows}
    assert len([r for r in rows if r[1] == "t1.base.total"]) == 2
    assert sibling_export_is_404(client, world)


def sibling_export_is_404(client, world):
    return client.get(reverse("reports:export", args=[world.unit_b.pk]), {"quarter": Q}).status_code == 404


def test_a_broken_identity_is_shown_as_a_warning_on_the_page(world, login):
    from anbiao.hazards.tests import factories as hf

    client = login(world.admin_a)
    html = client.get(report_url(world.unit_a)).content.decode()
    assert "交叉核对" in html and "核对未通过" not in html
    hf.hazard(world, world.ent_a1, found_on=datetime.date(2025, 2, 1))
    assert "核对未通过" not in client.get(report_url(world.unit_a)).content.decode()
    from anbiao.campaigns.testing import letters

    letter, _ = letters(world)  # delivered before the window, signed inside it
    letter.delivered_on = datetime.date(2024, 12, 30)
    letter.signed_on = datetime.date(2025, 1, 6)
    letter.save()
    html = client.get(report_url(world.unit_a)).content.decode()
    assert "核对未通过：签订承诺书企业数 ≤ 函告企业数（1 与 0）" in html
