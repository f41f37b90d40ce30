import datetime

import pytest
from django.urls import reverse

from anbiao.reports.cells import CELLS
from anbiao.reports.models import Submission

pytestmark = pytest.mark.django_db

Q = "2025Q3"


@pytest.fixture
def api(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


def tables_url(unit):
    return reverse("api:report-unit-tables", args=[unit.pk]) + f"?quarter={Q}"


def test_the_tables_endpoint_gives_every_cell_with_its_key_definition_value_and_drill_down_links(world, api):
    from anbiao.hazards.tests import factories as hf

    h = hf.hazard(world, world.ent_a1, found_on=datetime.date(2025, 2, 1))
    client = api(world.admin_a)
    data = client.get(tables_url(world.unit_a)).json()
    cells = {c["key"]: c for c in data["cells"]}
    assert set(cells) == set(CELLS)
    found = cells["t1.lists.self_found"]
    assert found["value"] == 1 and found["computed"] == 1 and found["adjustment"] is None
    assert found["window"] == "2025-01-01 至季末累计" and found["definition"]
    rows = client.get(found["rows_api"]).json()
    assert rows["value"] == 1 and [r["id"] for r in rows["results"]] == [h.pk]
    assert "/reports/units/" in found["rows_page"]
    assert {c["text"] for c in data["checks"]} and data["status"] == ""


def test_a_sibling_unit_is_not_found_and_bad_parameters_name_the_field(world, api):
    client = api(world.admin_a)
    assert client.get(tables_url(world.unit_b)).status_code == 404
    bad = client.get(reverse("api:report-unit-tables", args=[world.unit_a.pk]) + "?quarter=2099Q1")
    assert bad.status_code == 400 and "quarter" in bad.json()
    bad = client.get(reverse("api:report-unit-cell-rows", args=[world.unit_a.pk]) + f"?quarter={Q}&cell=x")
    assert bad.status_code == 400 and "cell" in bad.json()


def test_submit_return_and_accept_through_the_api(world, api):
    client = api(world.admin_a)
    url = reverse("api:report-unit-submit", args=[world.unit_a.pk])
    missing = client.post(url, {"quarter": Q}, content_type="application/json")
    assert missing.status_code == 400 and "filler_name" in missing.json()
    created = client.post(
        url, {"quarter": Q, "filler_name": "张三", "filler_phone": "0595-1"}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["number"] == 1
    again = client.post(
        url, {"quarter": Q, "filler_name": "张三", "filler_phone": "0595-1"}, content_type="application/json"
    )
    assert again.status_code == 400
    submission = Submission.objects.get(unit=world.unit_a, quarter=Q)
    accept = reverse("api:report-submission-accept", args=[submission.pk])
    assert client.post(accept).status_code == 403
    county = api(world.county_admin)
    returned = county.post(
        reverse("api:report-submission-return", args=[submission.pk]), {}, content_type="application/json"
    )
    assert returned.status_code == 400 and "reason" in returned.json()
    returned = county.post(
        reverse("api:report-submission-return", args=[submission.pk]),
        {"reason": "请核实"},
        content_type="application/json",
    )
    assert returned.json()["status"] == "returned"
    client = api(world.admin_a)
    client.post(
        url, {"quarter": Q, "filler_name": "张三", "filler_phone": "0595-1"}, content_type="application/json"
    )
    county = api(world.county_admin)
    accepted = county.post(accept).json()
    assert accepted["status"] == "accepted" and [v["number"] for v in accepted["versions"]] == [2, 1]
    listed = county.get(reverse("api:report-submission-list") + f"?quarter={Q}&status=accepted").json()
    assert [s["id"] for s in listed["results"]] == [submission.pk]


def test_the_rollup_endpoint_gives_states_parts_and_blocks(world, api):
    client = api(world.county_admin)
    data = client.get(reverse("api:report-unit-rollup", args=[world.county.pk]) + f"?quarter={Q}").json()
    assert {s["name"] for s in data["states"]} == {world.unit_a.name, world.unit_b.name}
    assert data["blocks"][-1]["label"] == "合计"
    assert {p["source"] for p in data["parts"]} == {"live", "own"}


def test_the_submission_list_is_scoped_and_bounded_in_queries(world, api, django_assert_max_num_queries):
    from anbiao.reports.testing import submissions, versions

    versions(world)
    submissions(world)
    client = api(world.admin_a)
    with django_assert_max_num_queries(12):
        data = client.get(reverse("api:report-submission-list")).json()
    units = {s["unit"] for s in data["results"]}
    assert world.unit_a1.pk in units and world.unit_b.pk not in units
