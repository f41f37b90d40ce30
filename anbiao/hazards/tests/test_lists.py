"""Query ceilings on every list page and API list, and no N+1: the count with 5 rows equals the count
with 20."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anbiao.hazards.choices import Level, State
from anbiao.hazards.models import ChecklistTemplate, HazardListing
from anbiao.hazards.services import inspections
from anbiao.hazards.tests import factories
from anbiao.hazards.tests.helpers import DAY, build, scope


def _shared_template(world):
    existing = ChecklistTemplate.objects.filter(name="通用清单").first()
    return existing or factories.template(world, organization=world.county, name="通用清单")


def _hazards(world, n, start):
    for i in range(start, start + n):
        enterprise = world.ent_a if i % 2 else world.ent_a1
        if i % 5 == 0:
            build(world, world.ent_a, State.CLOSED, rectifier=world.safety_a, acceptor=world.principal_a)
        elif i % 5 == 1:
            h = factories.hazard(world, enterprise, level=Level.MAJOR)
            HazardListing.objects.create(
                hazard=h, organization=world.unit_a, listed_on=DAY, deadline=DAY, requirements="限期"
            )
        else:
            build(world, enterprise, State.PENDING)


def _inspections(world, n, start):
    t = _shared_template(world)
    for i in range(start, start + n):
        factories.inspection(world, world.ent_a if i % 2 else world.ent_a1, t=t, fail=i % 2)


def _plans(world, n, start):
    t = _shared_template(world)
    for i in range(start, start + n):
        plan = inspections.plan_create(
            actor=world.admin_a,
            scope=scope(world.admin_a),
            data={
                "organization": world.unit_a,
                "enterprise": world.ent_a if i % 2 else world.ent_a1,
                "kind": "unit",
                "planned_on": DAY + datetime.timedelta(days=i),
                "assignee": world.inspector,
                "template": t,
            },
        )
        if i % 3 == 0:
            done = factories.inspection(world, plan.enterprise, t=t, fail=0)
            done.plan = plan
            done.save()


def _templates(world, n, start):
    _shared_template(world)
    for i in range(start, start + n):
        owner = {"organization": world.unit_a} if i % 2 else {"enterprise": world.ent_a}
        factories.template(world, name=f"清单{i:02d}", **owner)


def _listings(world, n, start):
    for _ in range(n):
        h = factories.hazard(world, world.ent_a1, level=Level.MAJOR)
        HazardListing.objects.create(
            hazard=h, organization=world.unit_a, listed_on=DAY, deadline=DAY, requirements="x"
        )


def _reports(world, n, start):
    for i in range(start, start + n):
        report = factories.internal_report(world, world.ent_a)
        if i % 3 == 0:
            from anbiao.hazards.services.reports import report_verify

            report_verify(
                actor=None,
                scope=factories.enterprise_scope(world.ent_a),
                report=report,
                data={"kind": "thing"},
            )


LISTS = [
    ("/hazards/", _hazards, 15),
    ("/hazards/rectification/", _hazards, 15),
    ("/inspections/", _inspections, 15),
    ("/inspections/plans/", _plans, 15),
    ("/checklists/", _templates, 15),
    ("/hazards/listings/", _listings, 15),
    ("/hazards/reports/", _reports, 15),
    ("/api/v1/hazards/", _hazards, 12),
    ("/api/v1/inspections/", _inspections, 12),
    ("/api/v1/hazard-listings/", _listings, 12),
    ("/api/v1/internal-reports/", _reports, 12),
]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(("url", "rows", "ceiling"), LISTS, ids=[u for u, _, _ in LISTS])
def test_list_queries_have_a_ceiling_and_do_not_grow_with_rows(
    world, login, url, rows, ceiling, django_assert_max_num_queries
):
    client = login(world.admin_a)
    rows(world, 5, 0)
    five, _ = _count(client, url)
    rows(world, 15, 5)
    with django_assert_max_num_queries(ceiling):
        twenty, response = _count(client, url)
    shown = response.json()["count"] if url.startswith("/api/") else len(response.context["object_list"])
    assert shown >= 20
    assert twenty == five


def test_the_checklist_api_list_does_not_grow_with_rows(world, login):
    client = login(world.admin_a)
    _templates(world, 5, 0)
    five, _ = _count(client, "/api/v1/checklists/")
    _templates(world, 15, 5)
    twenty, response = _count(client, "/api/v1/checklists/")
    assert response.json()["count"] >= 20
    assert twenty == five


def test_the_checklist_api_list_stays_under_a_ceiling_with_ten_rows(
    world, login, django_assert_max_num_queries
):
    client = login(world.admin_a)
    _templates(world, 10, 0)
    with django_assert_max_num_queries(60):
        response = client.get("/api/v1/checklists/")
    assert response.json()["count"] == 11
