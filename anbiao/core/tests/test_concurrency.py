"""Optimistic concurrency (security.md G5): of two people editing one record, the first save wins and the
second is told; nothing is silently lost. One submission per unit and quarter even under parallel submits."""

import datetime
import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from anbiao.core.concurrency import claim
from anbiao.orgs.models import Enterprise

pytestmark = pytest.mark.django_db


def test_claim_counts_an_edit_and_refuses_a_stale_revision():
    class Row:
        revision = 3

    row = Row()
    data = {"revision": 3, "name": "x"}
    claim(row, data)
    assert row.revision == 4 and data == {"name": "x"}
    with pytest.raises(ValidationError, match="第 3 版，当前为第 4 版"):
        claim(row, {"revision": "3"})
    claim(row, {})  # a caller that sends no revision overwrites (imports, old API clients)
    assert row.revision == 5


def enterprise_form(client, enterprise):
    response = client.get(reverse("orgs:enterprise_update", args=[enterprise.pk]))
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = list(value) if isinstance(value, list) else value
    return data


def test_the_second_of_two_people_editing_an_enterprise_is_told_and_the_first_edit_stays(world, login):
    first = login(world.admin_a)
    a = enterprise_form(first, world.ent_a)
    from django.test import Client

    second = Client()
    second.force_login(world.county_admin)
    b = enterprise_form(second, world.ent_a)
    assert a["revision"] == b["revision"] == 0
    a["address"] = "螺城镇第一次修改"
    ok = first.post(reverse("orgs:enterprise_update", args=[world.ent_a.pk]), a)
    assert ok.status_code == 302
    b["address"] = "第二人基于旧版本的修改"
    stale = second.post(reverse("orgs:enterprise_update", args=[world.ent_a.pk]), b)
    assert stale.status_code == 200
    assert "已被他人修改" in stale.content.decode()
    fresh = Enterprise.objects.get(pk=world.ent_a.pk)
    assert fresh.address == "螺城镇第一次修改" and fresh.revision == 1


def test_the_api_refuses_a_stale_revision_and_accepts_the_current_one(world, login):
    client = login(world.admin_a)
    url = reverse("api:enterprise-detail", args=[world.ent_a.pk])
    revision = client.get(url).json()["revision"]
    first = client.patch(url, {"address": "一", "revision": revision}, content_type="application/json")
    assert first.status_code == 200 and first.json()["revision"] == revision + 1
    stale = client.patch(url, {"address": "二", "revision": revision}, content_type="application/json")
    assert stale.status_code == 400 and "已被他人修改" in str(stale.json())
    assert Enterprise.objects.get(pk=world.ent_a.pk).address == "一"


def test_a_hazard_step_taken_meanwhile_makes_an_open_assign_form_stale(world):
    from anbiao.hazards.services import hazards as hz
    from anbiao.hazards.tests import factories as hf

    hazard = hf.hazard(world, world.ent_a1, found_on=datetime.date(2025, 3, 1))
    seen = hazard.revision
    hz.hazard_void(actor=None, scope=hf.root(world), hazard=hazard, reason="重复登记")
    with pytest.raises(ValidationError, match="已被他人修改"):
        hz.hazard_assign(
            actor=None,
            scope=hf.root(world),
            hazard=hazard,
            data={"revision": seen, "responsible_person": "张三"},
        )


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="threads need a server database (the SQLite test database is in memory, one writer)",
)
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_submissions_of_one_quarter_leave_exactly_one_report(world):
    from anbiao.core.testing import system_scope
    from anbiao.reports import services
    from anbiao.reports.context import Quarter
    from anbiao.reports.models import Submission, SubmissionVersion

    outcomes = []
    barrier = threading.Barrier(10)

    def submit():
        try:
            barrier.wait()
            services.submit(
                actor=None,
                scope=system_scope(world.county),
                unit=world.unit_a,
                quarter=Quarter(2025, 3),
                filler_name="张三",
                filler_phone="1",
            )
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1, outcomes
    assert all("已" in o for o in outcomes if o != "ok")
    assert Submission.objects.filter(unit=world.unit_a, quarter="2025Q3").count() == 1
    assert SubmissionVersion.objects.filter(submission__unit=world.unit_a).count() == 1


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="threads need a server database (the SQLite test database is in memory, one writer)",
)
@pytest.mark.django_db(transaction=True)
def test_eight_hazards_registered_at_once_in_one_enterprise_all_get_their_own_number(world):
    """Found by the load mix (anbiao_loadtest): two registrations at once took the same 隐患编号 and one
    ended in a server error."""
    from anbiao.hazards.models import Hazard
    from anbiao.hazards.tests import factories as hf

    outcomes = []
    barrier = threading.Barrier(8)

    def register(i):
        try:
            barrier.wait()
            hf.hazard(world, world.ent_a, description=f"并发登记 {i}")
            outcomes.append("ok")
        except Exception as exc:
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == ["ok"] * 8
    codes = list(Hazard.objects.filter(enterprise=world.ent_a).values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 8
