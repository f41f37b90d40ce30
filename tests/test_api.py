"""The REST API: token auth, scoped lists and details, writes through the same services and messages."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from anbiao.core.models import AuditEvent
from anbiao.core.testing import PASSWORD
from anbiao.orgs.models import Enterprise, EnterpriseState, Industry
from anbiao.orgs.tests.factories import valid_uscc


@pytest.fixture
def api(world):
    def _client(user):
        c = APIClient()
        token = c.post(reverse("api_token"), {"username": user.username, "password": PASSWORD}, format="json")
        assert token.status_code == 200, token.content
        c.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
        return c

    return _client


def test_a_token_is_issued_for_a_correct_password_and_refused_for_a_wrong_one(world):
    c = APIClient()
    ok = c.post(reverse("api_token"), {"username": "admin_a", "password": PASSWORD}, format="json")
    assert ok.status_code == 200 and len(ok.json()["token"]) == 40
    bad = c.post(reverse("api_token"), {"username": "admin_a", "password": "wrong"}, format="json")
    assert bad.status_code == 401
    assert "不正确" in bad.json()["detail"]


def test_an_account_that_must_change_its_password_gets_no_token(world):
    world.admin_a.must_change_password = True
    world.admin_a.save()
    response = APIClient().post(
        reverse("api_token"), {"username": "admin_a", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 403
    assert "修改密码" in response.json()["detail"]


def test_the_api_root_and_me_describe_the_caller(world, api):
    client = api(world.principal_a)
    assert client.get(reverse("api:api-root")).status_code == 200
    me = client.get(reverse("api_me")).json()
    assert me["username"] == "principal_a"
    assert me["memberships"][0]["role"] == "ent_principal"
    assert "enterprise.view" in me["permissions"] and "enterprise.manage" not in me["permissions"]


def test_an_enterprise_user_lists_only_their_enterprise(world, api):
    rows = api(world.principal_a).get(reverse("api:enterprise-list")).json()["results"]
    assert [r["id"] for r in rows] == [world.ent_a.pk]


def test_enterprise_list_filters_by_unit_subtree_and_search(world, api):
    client = api(world.county_admin)
    in_a = client.get(reverse("api:enterprise-list"), {"unit": world.unit_a.pk}).json()["results"]
    assert {r["id"] for r in in_a} == {world.ent_a.pk, world.ent_a1.pk}
    found = client.get(reverse("api:enterprise-list"), {"q": "加油"}).json()["results"]
    assert [r["id"] for r in found] == [world.ent_b.pk]


def test_a_filter_on_a_unit_outside_the_scope_is_refused_not_ignored(world, api):
    response = api(world.admin_a).get(reverse("api:enterprise-list"), {"unit": world.unit_b.pk})
    assert response.status_code == 400


def test_the_enterprise_list_api_runs_a_fixed_number_of_queries(world, api, django_assert_max_num_queries):
    from anbiao.core.testing import system_scope
    from anbiao.orgs import services
    from anbiao.orgs.tests.factories import enterprise_data

    client = api(world.county_admin)
    client.get(reverse("api:enterprise-list"))  # warm caches
    for i in range(30):
        services.enterprise_create(
            actor=None,
            scope=system_scope(world.county),
            data=enterprise_data(unit=world.unit_a, name=f"批量{i}"),
        )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("api:enterprise-list"))
    assert response.json()["count"] == 33


def test_creating_an_enterprise_through_the_api_uses_the_service_and_is_audited(world, api):
    payload = {
        "unit": world.unit_a1.pk,
        "name": "接口新增企业",
        "uscc": valid_uscc().lower(),
        "size_class": "medium",
        "industry": Industry.objects.get(code="logistics").pk,
        "employee_count": 30,
    }
    response = api(world.admin_a).post(reverse("api:enterprise-list"), payload, format="json")
    assert response.status_code == 201, response.content
    e = Enterprise.objects.get(name="接口新增企业")
    assert e.uscc == payload["uscc"].upper()
    assert EnterpriseState.objects.filter(enterprise=e, valid_to__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="orgs.enterprise_create", object_id=str(e.pk)).exists()


def test_the_api_refuses_a_bad_uscc_with_the_same_chinese_message_and_writes_nothing(world, api):
    before = Enterprise.objects.count()
    payload = {
        "unit": world.unit_a.pk,
        "name": "坏代码企业",
        "uscc": "91350521000000010X",
        "size_class": "small",
        "industry": Industry.objects.first().pk,
    }
    response = api(world.admin_a).post(reverse("api:enterprise-list"), payload, format="json")
    assert response.status_code == 400
    assert "统一社会信用代码" in str(response.json()["uscc"])
    assert Enterprise.objects.count() == before


def test_the_api_cannot_create_an_enterprise_under_a_sibling_unit(world, api):
    before = Enterprise.objects.count()
    payload = {
        "unit": world.unit_b.pk,
        "name": "越权企业",
        "uscc": valid_uscc(),
        "size_class": "small",
        "industry": Industry.objects.first().pk,
    }
    response = api(world.admin_a).post(reverse("api:enterprise-list"), payload, format="json")
    assert response.status_code == 400
    assert "unit" in response.json()
    assert Enterprise.objects.count() == before


def test_moving_an_enterprise_to_another_unit_through_the_api_keeps_dated_history(world, api):
    url = reverse("api:enterprise-detail", args=[world.ent_a.pk])
    response = api(world.county_admin).patch(url, {"unit": world.unit_b.pk}, format="json")
    assert response.status_code == 200, response.content
    states = list(EnterpriseState.objects.filter(enterprise=world.ent_a).order_by("valid_from"))
    assert [s.unit_id for s in states] == [world.unit_a.pk, world.unit_b.pk]
    assert states[0].valid_to == states[1].valid_from


def test_mass_assignment_of_read_only_fields_changes_nothing(world, api):
    url = reverse("api:enterprise-detail", args=[world.ent_a.pk])
    api(world.admin_a).patch(url, {"status_since": "2000-01-01", "id": 999}, format="json")
    world.ent_a.refresh_from_db()
    assert str(world.ent_a.status_since) != "2000-01-01"
    assert Enterprise.objects.filter(pk=999).count() == 0


def test_a_read_only_leader_cannot_write_through_the_api(world, api):
    url = reverse("api:enterprise-detail", args=[world.ent_a.pk])
    assert api(world.leader).patch(url, {"name": "改名"}, format="json").status_code == 403


def test_an_enterprise_principal_cannot_edit_through_the_api_admin_fields(world, api):
    url = reverse("api:enterprise-detail", args=[world.ent_a.pk])
    assert api(world.principal_a).patch(url, {"name": "改名"}, format="json").status_code == 403


def test_organizations_api_lists_the_subtree_and_creates_under_it(world, api):
    client = api(world.admin_a)
    ids = {r["id"] for r in client.get(reverse("api:organization-list")).json()["results"]}
    assert ids == {world.unit_a.pk, world.unit_a1.pk}
    created = client.post(
        reverse("api:organization-list"),
        {"parent": world.unit_a.pk, "kind": "centre", "name": "甲新中心", "code": "TA2"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["path"].startswith(world.unit_a.path)
    detail = client.patch(
        reverse("api:organization-detail", args=[created.json()["id"]]),
        {"contact_person": "赵六"},
        format="json",
    )
    assert detail.json()["contact_person"] == "赵六"


def test_users_api_lists_users_of_the_subtree_only(world, api, django_assert_max_num_queries):
    client = api(world.admin_a)
    with django_assert_max_num_queries(10):
        rows = client.get(reverse("api:user-list")).json()["results"]
    names = {r["username"] for r in rows}
    assert {"admin_a", "principal_a", "safety_a", "inspector"} <= names
    assert not names & {"admin_b", "principal_b", "county_admin"}
    one = client.get(reverse("api:user-detail", args=[world.principal_a.pk])).json()
    assert one["memberships"][0]["role"] == "ent_principal"


def test_the_openapi_schema_and_docs_page_are_served(world, login):
    client = login(world.admin_a)
    schema = client.get(reverse("api_schema"))
    assert schema.status_code == 200
    assert b"/api/v1/enterprises/" in schema.content
    docs = client.get(reverse("api_docs"))
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_anonymous_api_requests_are_refused(db):
    assert APIClient().get(reverse("api:enterprise-list")).status_code in {401, 403}
