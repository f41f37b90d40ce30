"""Pages, downloads and the API: who may export what (outside the scope is 404), and what they get."""

import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from anbiao.accounts.models import Membership
from anbiao.core.roles import Role


def api_client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_unit_admin_lands_on_their_unit_and_sees_the_records_per_group(populated, login):
    w = populated
    client = login(w.admin_a)
    response = client.get(reverse("cityplatform:index"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "cityplatform:unit", args=[w.unit_a.pk]
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "泉州平台数据 · 甲供销社" in html
    for label in ("基本信息", "全员责任制", "安全风险管控", "持续改进", "职业健康"):
        assert label in html
    preview = page.context["preview"]
    assert preview["enterprise_count"] == 2
    assert all(g["count"] > 0 for g in preview["groups"])
    assert [u.pk for u, _ in page.context["units"]] == [w.unit_a.pk, w.unit_a1.pk]
    assert reverse("cityplatform:unit_xlsx", args=[w.unit_a.pk]) in html
    assert reverse("cityplatform:unit_json", args=[w.unit_a.pk]) in html


def test_choosing_a_unit_inside_the_subtree_opens_it_and_outside_is_404(populated, login):
    w = populated
    client = login(w.admin_a)
    chosen = client.get(reverse("cityplatform:index"), {"unit": w.unit_a1.pk})
    assert chosen["Location"] == reverse("cityplatform:unit", args=[w.unit_a1.pk])
    assert client.get(reverse("cityplatform:index"), {"unit": w.unit_b.pk}).status_code == 404
    assert client.get(reverse("cityplatform:index"), {"unit": "x"}).status_code == 404
    assert client.get(reverse("cityplatform:index"), {"enterprise": w.ent_b.pk}).status_code == 404
    own = client.get(reverse("cityplatform:index"), {"enterprise": w.ent_a1.pk})
    assert own["Location"] == reverse("cityplatform:enterprise", args=[w.ent_a1.pk])


@pytest.mark.parametrize(
    "name", ["unit", "unit_xlsx", "unit_json", "enterprise", "enterprise_xlsx", "enterprise_json"]
)
def test_a_sibling_units_unit_or_enterprise_is_404_on_the_page_and_the_downloads(populated, login, name):
    w = populated
    target = w.unit_b if name.startswith("unit") else w.ent_b
    response = login(w.admin_a).get(reverse(f"cityplatform:{name}", args=[target.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["unit", "enterprise"])
def test_the_api_answers_404_for_a_sibling_units_unit_or_enterprise(populated, kind):
    w = populated
    target = w.unit_b if kind == "unit" else w.ent_b
    response = api_client(w.admin_a).get(reverse(f"api:cityplatform-{kind}-detail", args=[target.pk]))
    assert response.status_code == 404


def test_an_enterprise_user_exports_only_their_own_enterprise(populated, login):
    w = populated
    client = login(w.principal_a)
    landing = client.get(reverse("cityplatform:index"))
    assert landing["Location"] == reverse("cityplatform:enterprise", args=[w.ent_a.pk])
    assert client.get(landing["Location"]).status_code == 200
    for name, target in (
        ("enterprise", w.ent_a1),  # the same unit's other enterprise
        ("enterprise_xlsx", w.ent_a1),
        ("enterprise_json", w.ent_b),
        ("unit", w.unit_a),
        ("unit_xlsx", w.unit_a),
        ("unit_json", w.unit_a),
    ):
        assert client.get(reverse(f"cityplatform:{name}", args=[target.pk])).status_code == 404, name
    download = client.get(reverse("cityplatform:enterprise_json", args=[w.ent_a.pk]))
    doc = json.loads(download.content)
    names = {
        r["enterprise_name"]
        for g in doc["groups"].values()
        for d in g["datasets"].values()
        for r in d["records"]
    }
    assert names == {w.ent_a.name}
    api = api_client(w.principal_a)
    assert api.get(reverse("api:cityplatform-enterprise-detail", args=[w.ent_a.pk])).status_code == 200
    assert api.get(reverse("api:cityplatform-enterprise-detail", args=[w.ent_a1.pk])).status_code == 404
    assert api.get(reverse("api:cityplatform-unit-detail", args=[w.unit_a.pk])).status_code == 404


def test_an_enterprise_user_of_several_enterprises_chooses_one(populated, login):
    w = populated
    Membership.objects.create(
        user=w.principal_a, role=Role.ENT_PRINCIPAL, enterprise=w.ent_a1, valid_from=w.ent_a.registered_on
    )
    page = login(w.principal_a).get(reverse("cityplatform:index"))
    assert page.status_code == 200
    assert {e.pk for e in page.context["enterprises"]} == {w.ent_a.pk, w.ent_a1.pk}
    assert reverse("cityplatform:enterprise", args=[w.ent_a1.pk]) in page.content.decode()


@pytest.mark.parametrize("username", ["inspector", "expert"])
def test_inspectors_and_experts_may_not_export(populated, login, username):
    w = populated
    client = login(getattr(w, username))
    assert client.get(reverse("cityplatform:index")).status_code == 403
    assigned = w.ent_a1 if username == "inspector" else w.ent_b
    assert client.get(reverse("cityplatform:enterprise_xlsx", args=[assigned.pk])).status_code == 403
    response = api_client(getattr(w, username)).get(
        reverse("api:cityplatform-enterprise-detail", args=[assigned.pk])
    )
    assert response.status_code == 403


def test_the_downloads_are_named_attachments_and_the_xlsx_reads_back(populated, login):
    w = populated
    client = login(w.admin_a)
    xlsx = client.get(reverse("cityplatform:unit_xlsx", args=[w.unit_a.pk]))
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in xlsx["Content-Disposition"] and "xlsx" in xlsx["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames[0] == "说明" and len(wb.sheetnames) == 12
    js = client.get(reverse("cityplatform:enterprise_json", args=[w.ent_a.pk]))
    assert js["Content-Type"].startswith("application/json")
    assert "attachment" in js["Content-Disposition"] and js["X-Content-Type-Options"] == "nosniff"
    doc = json.loads(js.content)
    assert doc["subject"] == {
        "kind": "enterprise",
        "id": w.ent_a.pk,
        "name": w.ent_a.name,
        "uscc": w.ent_a.uscc,
    }


def test_the_api_returns_the_same_json_as_the_download(populated, login):
    w = populated
    download = json.loads(login(w.admin_a).get(reverse("cityplatform:unit_json", args=[w.unit_a.pk])).content)
    api = api_client(w.admin_a).get(reverse("api:cityplatform-unit-detail", args=[w.unit_a.pk])).json()
    download.pop("generated_at")
    api.pop("generated_at")
    assert api == download
    assert api["groups"]["accident_management"]["datasets"]["accidents"]["count"] == 1


def test_the_enterprise_page_links_to_the_export_only_for_those_who_may_use_it(populated, login):
    w = populated
    url = reverse("cityplatform:enterprise", args=[w.ent_a1.pk])
    page = login(w.admin_a).get(reverse("orgs:enterprise_detail", args=[w.ent_a1.pk])).content.decode()
    assert "导出泉州平台数据" in page and url in page
    inspector = login(w.inspector).get(reverse("orgs:enterprise_detail", args=[w.ent_a1.pk]))
    assert inspector.status_code == 200 and "导出泉州平台数据" not in inspector.content.decode()


def test_the_menu_offers_the_export_in_the_quarterly_reports_group(populated, login):
    w = populated
    for user in (w.admin_a, w.principal_a, w.county_admin, w.leader):
        menu = login(user).get(reverse("home")).context["menu"]
        group = next((m for m in menu if m.get("label") == "季度报表"), None)
        assert group and any(c["label"] == "泉州平台数据" for c in group["children"]), user.username
    menu = login(w.inspector).get(reverse("home")).context["menu"]
    assert not any(c.get("label") == "泉州平台数据" for m in menu for c in m.get("children", []))


def test_the_preview_page_runs_a_fixed_number_of_queries(populated, login):
    w = populated
    client = login(w.county_admin)
    url = reverse("cityplatform:unit", args=[w.county.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries.captured_queries) <= 50
