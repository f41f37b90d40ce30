"""List pages count their rows exactly up to a limit and say "more than" beyond it."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anbiao.api.pagination import ListPagination
from anbiao.core.views import LimitedCountPaginator
from anbiao.orgs.models import Enterprise


def _page(client, **params):
    return client.get(reverse("orgs:enterprise_list"), params)


def test_below_the_limit_the_list_gives_the_exact_count_and_every_page(world, login, settings):
    visible = Enterprise.objects.filter(unit__path__startswith=world.county.path).count()
    settings.ANBIAO_LIST_COUNT_LIMIT = visible
    response = _page(login(world.county_admin))
    paginator = response.context["paginator"]
    assert paginator.count == visible and not paginator.more_than_limit
    assert f"共 {visible} 条" in response.content.decode()


def test_above_the_limit_the_list_says_more_than_and_still_pages_through_the_rows(world, login, settings):
    settings.ANBIAO_LIST_COUNT_LIMIT = 2
    client = login(world.county_admin)
    response = _page(client)
    html = response.content.decode()
    assert response.context["paginator"].more_than_limit
    assert "超过 2 条（可用筛选条件缩小范围）" in html and "共 " not in html
    assert len(response.context["object_list"]) == min(25, Enterprise.objects.count())
    narrowed = _page(client, unit=world.unit_b.pk)  # a filter brings the exact count back
    exact = narrowed.context["paginator"]
    assert exact.count == len(narrowed.context["object_list"]) <= 2 and not exact.more_than_limit


def test_the_count_reads_no_more_than_the_limit_plus_one_rows(world, login, settings):
    settings.ANBIAO_LIST_COUNT_LIMIT = 7
    client = login(world.county_admin)
    with CaptureQueriesContext(connection) as queries:
        _page(client)
    counts = [
        q["sql"] for q in queries.captured_queries if "orgs_enterprise" in q["sql"] and "COUNT(" in q["sql"]
    ]
    assert counts and all("LIMIT 8" in sql for sql in counts), counts


def test_above_the_limit_next_leads_to_every_row_and_stops_after_the_last():
    paginator = LimitedCountPaginator(list(range(11)), 2, limit=3)
    seen, page = [], paginator.get_page(1)
    while True:
        seen += list(page.object_list)
        if not page.has_next():
            break
        page = paginator.get_page(page.next_page_number())
    assert seen == list(range(11)) and page.number == 6
    assert paginator.more_than_limit and paginator.count_text.startswith("超过 3 条")
    assert list(paginator.get_page(99).object_list) == [2, 3]  # past the end: the last counted page
    assert list(paginator.get_page("x").object_list) == [0, 1]


def test_at_the_limit_the_paginator_is_djangos_with_an_exact_count():
    paginator = LimitedCountPaginator(list(range(3)), 2, limit=3)
    assert paginator.count == 3 and paginator.num_pages == 2 and not paginator.more_than_limit
    assert list(paginator.get_page(2).object_list) == [2] and not paginator.get_page(2).has_next()


def test_the_api_says_whether_its_count_is_exact_and_next_reads_every_row(
    world, login, settings, monkeypatch
):
    client = login(world.county_admin)
    url = reverse("api:enterprise-list")
    everything = client.get(url).json()
    assert everything["count_exact"] and everything["count"] == len(everything["results"])
    settings.ANBIAO_LIST_COUNT_LIMIT = 1
    monkeypatch.setattr(ListPagination, "page_size", 2)
    page = client.get(url).json()
    assert page["count"] == 2 and page["count_exact"] is False
    ids = []
    while True:
        ids += [row["id"] for row in page["results"]]
        if not page["next"]:
            break
        page = client.get(page["next"]).json()
    assert sorted(ids) == sorted(row["id"] for row in everything["results"]) and len(ids) > 2
