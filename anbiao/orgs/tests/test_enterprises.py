"""The enterprise registry: list, search, filters, detail, create, edit, close — with dated history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from anbiao.core.models import AuditEvent
from anbiao.core.scope import Scope
from anbiao.core.testing import system_scope
from anbiao.orgs import selectors, services
from anbiao.orgs.models import Enterprise, EnterpriseState, Industry, Township
from anbiao.orgs.tests.factories import enterprise_data, valid_uscc


def _form(world, **overrides):
    data = {
        "unit": world.unit_a.pk,
        "name": "新登记超市",
        "uscc": valid_uscc(),
        "size_class": "small",
        "industry": Industry.objects.get(code="retail").pk,
        "township": Township.objects.get(code="luocheng").pk,
        "employee_count": 5,
        "status": "operating",
        "registered_on": "2025-03-01",
        "principal_phone": "13800000001",
    }
    data.update(overrides)
    return data


def test_the_list_finds_an_enterprise_by_name_uscc_township_or_principal(world, login):
    client = login(world.county_admin)
    for term in ["甲一", world.ent_a.uscc.lower(), "张三"]:
        rows = client.get(reverse("orgs:enterprise_list"), {"q": term}).context["object_list"]
        assert world.ent_a in rows, term


def test_the_list_filters_by_unit_subtree_class_tag_and_status(world, login):
    client = login(world.county_admin)
    rows = client.get(reverse("orgs:enterprise_list"), {"unit": world.unit_a.pk}).context["object_list"]
    assert set(rows) == {world.ent_a, world.ent_a1}
    Enterprise.objects.filter(pk=world.ent_b.pk).update(size_class="above_scale", nine_small_kind="shop")
    assert list(
        client.get(reverse("orgs:enterprise_list"), {"size_class": "above_scale"}).context["object_list"]
    ) == [world.ent_b]
    assert list(
        client.get(reverse("orgs:enterprise_list"), {"tag": "nine_small"}).context["object_list"]
    ) == [world.ent_b]
    assert (
        list(client.get(reverse("orgs:enterprise_list"), {"status": "closed"}).context["object_list"]) == []
    )


def test_the_enterprise_list_page_runs_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.county_admin)
    for i in range(40):
        services.enterprise_create(
            actor=None,
            scope=system_scope(world.county),
            data=enterprise_data(unit=world.unit_b, name=f"批量{i}"),
        )
    client.get(reverse("orgs:enterprise_list"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("orgs:enterprise_list"), {"ordering": "name"})
    assert len(response.context["object_list"]) == 25


def test_a_unit_admin_registers_an_enterprise_and_its_first_state_starts_on_registration(world, login):
    client = login(world.admin_a)
    assert client.get(reverse("orgs:enterprise_create")).status_code == 200
    response = client.post(reverse("orgs:enterprise_create"), _form(world))
    assert response.status_code == 302, response.context and response.context["form"].errors
    e = Enterprise.objects.get(name="新登记超市")
    state = e.states.get()
    assert state.valid_from == datetime.date(2025, 3, 1) and state.valid_to is None and state.backdated
    assert AuditEvent.objects.filter(
        action="orgs.enterprise_create", object_id=str(e.pk), actor=world.admin_a
    ).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("uscc", "91350521000000019X", "统一社会信用代码"),
        ("employee_count", "很多", "整数"),
        ("name", "", "该字段是必填项"),
        ("longitude", "118.9", "经度和纬度须同时填写"),
    ],
)
def test_bad_input_on_the_enterprise_form_is_named_and_nothing_is_written(
    world, login, field, value, message
):
    client = login(world.admin_a)
    before = (Enterprise.objects.count(), EnterpriseState.objects.count(), AuditEvent.objects.count())
    response = client.post(reverse("orgs:enterprise_create"), _form(world, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Enterprise.objects.count(), EnterpriseState.objects.count(), AuditEvent.objects.count()) == before


def test_a_rental_outlet_needs_its_landlord_unit(world, login):
    response = login(world.admin_a).post(
        reverse("orgs:enterprise_create"), _form(world, is_rental_outlet="on")
    )
    assert "出租经营网点须填写出租单位" in response.content.decode()


def test_a_duplicate_uscc_is_refused(world, login):
    response = login(world.admin_a).post(
        reverse("orgs:enterprise_create"), _form(world, uscc=world.ent_b.uscc)
    )
    assert "已存在" in response.content.decode()


def test_changing_the_size_class_opens_a_new_dated_state_and_counts_as_of_a_date_follow_it(world, login):
    client = login(world.admin_a)
    data = _form(
        world, unit=world.unit_a.pk, name=world.ent_a.name, uscc=world.ent_a.uscc, size_class="medium"
    )
    data["registered_on"] = "2024-01-01"
    data["effective"] = "2025-04-01"
    response = client.post(reverse("orgs:enterprise_update", args=[world.ent_a.pk]), data)
    assert response.status_code == 302
    states = list(world.ent_a.states.order_by("valid_from"))
    assert [(s.size_class, s.valid_from, s.valid_to) for s in states] == [
        ("small", datetime.date(2024, 1, 1), datetime.date(2025, 4, 1)),
        ("medium", datetime.date(2025, 4, 1), None),
    ]
    scope = Scope.for_user(world.admin_a)
    on_q1 = selectors.enterprise_states_on(scope=scope, on=datetime.date(2025, 3, 31)).get(
        enterprise=world.ent_a
    )
    on_q2 = selectors.enterprise_states_on(scope=scope, on=datetime.date(2025, 6, 30)).get(
        enterprise=world.ent_a
    )
    assert (on_q1.size_class, on_q2.size_class) == ("small", "medium")


def test_an_effective_date_before_the_last_change_is_refused(world):
    scope = Scope.for_user(world.county_admin)
    services.enterprise_update(
        actor=world.county_admin,
        scope=scope,
        enterprise=world.ent_a,
        data={"size_class": "medium"},
        effective=datetime.date(2025, 4, 1),
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.enterprise_update(
            actor=world.county_admin,
            scope=scope,
            enterprise=world.ent_a,
            data={"size_class": "small"},
            effective=datetime.date(2025, 1, 1),
        )


def test_editing_only_contact_fields_does_not_open_a_new_state(world):
    scope = Scope.for_user(world.admin_a)
    services.enterprise_update(
        actor=world.admin_a, scope=scope, enterprise=world.ent_a, data={"address": "新地址"}
    )
    assert world.ent_a.states.count() == 1


def test_an_enterprise_user_edits_only_the_profile_fields(world, login):
    client = login(world.safety_a)
    page = client.get(reverse("orgs:enterprise_update", args=[world.ent_a.pk]))
    assert page.context["profile_only"] and "unit" not in page.context["form"].fields
    response = client.post(
        reverse("orgs:enterprise_update", args=[world.ent_a.pk]),
        {
            "safety_officer_name": "李安全",
            "safety_officer_phone": "13912345678",
            "employee_count": 9,
            "unit": world.unit_b.pk,
            "size_class": "above_scale",
        },
    )
    assert response.status_code == 302
    world.ent_a.refresh_from_db()
    assert world.ent_a.safety_officer_phone == "13912345678"
    assert world.ent_a.unit == world.unit_a and world.ent_a.size_class == "small"


def test_an_inspector_cannot_edit_an_enterprise_they_can_see(world, login):
    assert (
        login(world.inspector).get(reverse("orgs:enterprise_update", args=[world.ent_a1.pk])).status_code
        == 403
    )


def test_closing_an_enterprise_keeps_its_history_and_it_still_counts_before_the_date(world, login):
    client = login(world.admin_a)
    assert client.get(reverse("orgs:enterprise_close", args=[world.ent_a.pk])).status_code == 200
    response = client.post(reverse("orgs:enterprise_close", args=[world.ent_a.pk]), {"on": "2025-06-30"})
    assert response.status_code == 302
    world.ent_a.refresh_from_db()
    assert world.ent_a.status == "closed" and world.ent_a.status_since == datetime.date(2025, 6, 30)
    scope = Scope.for_user(world.admin_a)
    before = selectors.enterprise_states_on(scope=scope, on=datetime.date(2025, 6, 29)).get(
        enterprise=world.ent_a
    )
    after = selectors.enterprise_states_on(scope=scope, on=datetime.date(2025, 6, 30)).get(
        enterprise=world.ent_a
    )
    assert (before.status, after.status) == ("operating", "closed")


def test_a_close_date_in_the_future_is_refused(world, login):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(world.admin_a).post(
        reverse("orgs:enterprise_close", args=[world.ent_a.pk]), {"on": tomorrow}
    )
    assert "不能晚于今天" in response.content.decode()


def test_the_detail_page_shows_history_files_people_and_assignments(
    world, login, django_assert_max_num_queries
):
    client = login(world.admin_a)
    # A fixed number: the registry data plus a few per module for the 安全档案 card (never per row).
    with django_assert_max_num_queries(45):
        response = client.get(reverse("orgs:enterprise_detail", args=[world.ent_a1.pk]))
    html = response.content.decode()
    assert "甲二仓储" in html and "inspector" in html
    assert list(response.context["states"])


def test_uploading_a_business_licence_stores_it_as_evidence_and_audits_it(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anbiao.core.testing import png_bytes

    client = login(world.principal_a)
    upload = SimpleUploadedFile("营业执照.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("orgs:enterprise_file_upload", args=[world.ent_a.pk]),
        {"kind": "business_licence", "title": "营业执照", "file": upload},
    )
    assert response.status_code == 302
    f = world.ent_a.files.get(kind="business_licence")
    assert f.uploaded_by == world.principal_a and f.content_type == "image/png"
    assert AuditEvent.objects.filter(action="core.file_upload", object_id=str(f.pk)).exists()


def test_an_uploaded_script_is_refused_with_a_message(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.principal_a)
    upload = SimpleUploadedFile(
        "licence.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
    before = world.ent_a.files.count()
    response = client.post(
        reverse("orgs:enterprise_file_upload", args=[world.ent_a.pk]),
        {"kind": "business_licence", "title": "", "file": upload},
        follow=True,
    )
    assert "不支持的文件类型" in response.content.decode()
    assert world.ent_a.files.count() == before
