"""行业 and 乡镇 are data a county administrator keeps, not code."""

from django.urls import reverse

from anbiao.core.models import AuditEvent
from anbiao.orgs.models import Industry


def test_the_seeded_industries_of_the_notice_are_present(db):
    names = set(Industry.objects.values_list("name", flat=True))
    assert {
        "商贸零售",
        "仓储物流",
        "农资（化肥/农药）经营",
        "烟花爆竹经营",
        "成品油/加油站",
        "再生资源回收",
    } <= names


def test_a_county_admin_adds_and_renames_an_industry_and_it_is_audited(world, login):
    client = login(world.county_admin)
    url = reverse("orgs:catalogue", kwargs={"kind": "industries"})
    assert (
        client.post(
            url, {"code": "cold_chain", "name": "冷链仓储", "sort_order": 20, "is_active": "on"}
        ).status_code
        == 302
    )
    entry = Industry.objects.get(code="cold_chain")
    assert client.get(url, {"edit": entry.pk}).status_code == 200
    client.post(url, {"id": entry.pk, "code": "cold_chain", "name": "冷链物流", "sort_order": 20})
    entry.refresh_from_db()
    assert entry.name == "冷链物流" and not entry.is_active
    event = AuditEvent.objects.get(action="orgs.catalogue_update")
    assert event.before["name"] == "冷链仓储" and event.after["name"] == "冷链物流"


def test_a_deactivated_industry_is_no_longer_offered_on_the_enterprise_form(world, login):
    Industry.objects.filter(code="fireworks").update(is_active=False)
    form = login(world.admin_a).get(reverse("orgs:enterprise_create")).context["form"]
    assert not form.fields["industry"].queryset.filter(code="fireworks").exists()


def test_a_unit_admin_reads_the_catalogue_but_cannot_change_it(world, login):
    client = login(world.admin_a)
    url = reverse("orgs:catalogue", kwargs={"kind": "townships"})
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None
    assert client.post(url, {"code": "x", "name": "新镇", "sort_order": 1}).status_code == 403


def test_a_duplicate_name_is_refused_in_chinese(world, login):
    response = login(world.county_admin).post(
        reverse("orgs:catalogue", kwargs={"kind": "industries"}),
        {"code": "dup", "name": "商贸零售", "sort_order": 1},
    )
    assert response.status_code == 200
    assert "已存在" in response.content.decode()


def test_an_unknown_catalogue_is_404(world, login):
    assert login(world.county_admin).get("/reference/nothing/").status_code == 404


def test_enterprise_users_cannot_open_the_catalogue(world, login):
    assert (
        login(world.principal_a).get(reverse("orgs:catalogue", kwargs={"kind": "industries"})).status_code
        == 403
    )
