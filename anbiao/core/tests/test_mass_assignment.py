"""No mass assignment (security.md B6): fields a role may not set — another unit, a workflow state, an owner,
a reviewer's decision — cannot be set through a form or the API; the object is unchanged and stays put."""

import datetime

import pytest
from django.urls import reverse

from anbiao.hazards.models import Hazard
from anbiao.orgs.models import Enterprise
from anbiao.reports.models import Adjustment, Submission

pytestmark = pytest.mark.django_db


def test_an_enterprise_cannot_be_moved_to_a_sibling_unit_through_the_api(world, login):
    client = login(world.admin_a)
    url = reverse("api:enterprise-detail", args=[world.ent_a.pk])
    response = client.patch(url, {"unit": world.unit_b.pk}, content_type="application/json")
    assert response.status_code == 400 and "unit" in response.json()
    assert Enterprise.objects.get(pk=world.ent_a.pk).unit_id == world.unit_a.pk


def test_an_enterprise_user_cannot_set_unit_status_or_size_through_the_profile_form(world, login):
    client = login(world.principal_a)
    url = reverse("orgs:enterprise_update", args=[world.ent_a.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"unit": world.unit_b.pk, "status": "closed", "size_class": "above_scale", "revision": 0})
    client.post(url, data)
    ent = Enterprise.objects.get(pk=world.ent_a.pk)
    assert (ent.unit_id, ent.status) == (world.unit_a.pk, "operating")
    assert ent.size_class == world.ent_a.size_class


def test_a_hazards_state_code_and_enterprise_are_not_writable_through_the_api(world, login):
    from anbiao.hazards.tests import factories as hf

    hazard = hf.hazard(world, world.ent_a1, found_on=datetime.date(2025, 3, 1))
    client = login(world.admin_a)
    url = reverse("api:hazard-assign", args=[hazard.pk])
    client.post(
        url,
        {"state": "closed", "enterprise": world.ent_b.pk, "code": "X-1", "responsible_person": "张三"},
        content_type="application/json",
    )
    hazard.refresh_from_db()
    assert hazard.state == "registered" and hazard.enterprise_id == world.ent_a1.pk and hazard.code != "X-1"


def test_a_risk_point_cannot_be_handed_to_another_enterprise_through_the_api(world, login):
    from anbiao.risks.testing import make_point

    point = make_point(world, world.ent_a1)
    client = login(world.admin_a)
    url = reverse("api:riskpoint-detail", args=[point.pk])
    client.patch(url, {"enterprise": world.ent_b.pk}, content_type="application/json")
    point.refresh_from_db()
    assert point.enterprise_id != world.ent_b.pk


def test_a_unit_cannot_adjust_or_submit_a_sibling_units_report_by_naming_it_in_the_form(world, login):
    client = login(world.admin_a)
    client.post(
        reverse("reports:adjust", args=[world.unit_a.pk]) + "?quarter=2025Q3",
        {
            "quarter": "2025Q3",
            "cell_key": "t2.letters",
            "delta": "1",
            "reason": "外单位组织的活动",
            "unit": world.unit_b.pk,
        },
    )
    assert not Adjustment.objects.filter(unit=world.unit_b).exists()
    client.post(
        reverse("reports:submit", args=[world.unit_a.pk]),
        {
            "quarter": "2025Q3",
            "filler_name": "张三",
            "filler_phone": "1",
            "unit": world.unit_b.pk,
            "status": "accepted",
        },
    )
    assert not Submission.objects.filter(unit=world.unit_b).exists()
    mine = Submission.objects.get(unit=world.unit_a)
    assert mine.status == "submitted"


def test_a_submission_status_cannot_be_set_through_the_api(world, login):
    client = login(world.admin_a)
    client.post(
        reverse("api:report-unit-submit", args=[world.unit_a.pk]),
        {
            "quarter": "2025Q3",
            "filler_name": "张三",
            "filler_phone": "1",
            "status": "accepted",
            "version_count": 9,
        },
        content_type="application/json",
    )
    submission = Submission.objects.get(unit=world.unit_a)
    assert (submission.status, submission.version_count) == ("submitted", 1)
    assert Hazard.objects.count() == 0
