"""The checklist library: inheritance down the tree, owner-only edits, versions, extensions, the starter
library, and the 判定标准 catalogue."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from anbiao.core.models import AuditEvent
from anbiao.hazards.choices import ItemCategory, Outcome
from anbiao.hazards.models import ChecklistTemplate, HazardCriterion
from anbiao.hazards.seed_data import TEMPLATES
from anbiao.hazards.services import checklists as services
from anbiao.hazards.services import inspections
from anbiao.hazards.services.library import library_load
from anbiao.hazards.tests import factories
from anbiao.hazards.tests.helpers import DAY, scope


def _visible(user):
    return set(ChecklistTemplate.objects.visible_to(scope(user)).values_list("name", flat=True))


def _item(user, template, content="新增检查项", **kw):
    return services.item_save(
        actor=user,
        scope=scope(user),
        template=template,
        data={"category": ItemCategory.SITE, "content": content, **kw},
    )


def test_a_unit_template_is_visible_below_it_but_not_to_the_sibling(world):
    factories.template(world, organization=world.county, name="县清单")
    factories.template(world, organization=world.unit_a, name="甲清单")
    factories.template(world, organization=world.unit_a1, name="甲一清单")
    factories.template(world, enterprise=world.ent_a, name="甲一超市自编")
    assert _visible(world.admin_a) == {"县清单", "甲清单", "甲一清单", "甲一超市自编"}
    assert _visible(world.principal_a) == {"县清单", "甲清单", "甲一超市自编"}
    assert _visible(world.inspector) == {"县清单", "甲清单", "甲一清单"}
    assert _visible(world.admin_b) == {"县清单"}
    assert _visible(world.principal_b) == {"县清单"}


def test_the_checklist_list_page_shows_the_inherited_templates_and_not_the_siblings(world, login):
    factories.template(world, organization=world.county, name="县清单")
    factories.template(world, organization=world.unit_a, name="甲清单")
    response = login(world.principal_b).get("/checklists/")
    assert response.status_code == 200
    names = {t.name for t in response.context["object_list"]}
    assert names == {"县清单"}


def test_only_the_owner_side_may_edit(world):
    county = factories.template(world, organization=world.county, name="县清单")
    own = factories.template(world, organization=world.unit_a, name="甲清单")
    for user in (world.admin_a, world.principal_a, world.leader, world.inspector):
        with pytest.raises(PermissionDenied):
            _item(user, county)
        with pytest.raises(PermissionDenied):
            services.template_publish(actor=user, scope=scope(user), template=county)
        with pytest.raises(PermissionDenied):
            services.template_update(actor=user, scope=scope(user), template=county, data={"name": "改名"})
    with pytest.raises(PermissionDenied):
        _item(world.admin_b, own)
    assert _item(world.admin_a, own).version.is_draft
    assert _item(world.county_admin, own).version.is_draft


def test_enterprises_keep_their_own_checklists(world):
    t = services.template_create(
        actor=world.safety_a, scope=scope(world.safety_a), enterprise=world.ent_a, data={"name": "本店清单"}
    )
    _item(world.safety_a, t)
    assert (
        services.template_publish(actor=world.safety_a, scope=scope(world.safety_a), template=t).number == 1
    )
    with pytest.raises(PermissionDenied):
        services.template_create(
            actor=world.safety_a, scope=scope(world.safety_a), organization=world.unit_a, data={"name": "x"}
        )
    with pytest.raises(PermissionDenied):
        services.template_create(
            actor=world.principal_b,
            scope=scope(world.principal_b),
            enterprise=world.ent_a,
            data={"name": "x"},
        )
    with pytest.raises(ValidationError):
        services.template_create(actor=world.admin_a, scope=scope(world.admin_a), data={"name": "无主"})


def test_the_admin_of_a_unit_gets_403_on_a_county_templates_edit_pages(world, login):
    county = factories.template(world, organization=world.county, name="县清单")
    item = county.versions.get().items.first()
    client = login(world.admin_a)
    assert client.get(f"/checklists/{county.pk}/").status_code == 200
    assert (
        client.post(f"/checklists/{county.pk}/items/", {"category": "site", "content": "x"}).status_code
        == 403
    )
    assert client.post(f"/checklists/{county.pk}/publish/").status_code == 403
    assert client.get(f"/checklists/items/{item.pk}/").status_code == 403
    assert client.post(f"/checklists/items/{item.pk}/delete/").status_code == 403
    assert (
        login(world.admin_b)
        .get(f"/checklists/{factories.template(world, organization=world.unit_a, name='甲').pk}/")
        .status_code
        == 404
    )


def test_publishing_makes_the_next_version_and_an_inspection_keeps_the_one_it_used(world):
    t = factories.template(world, organization=world.unit_a, name="甲清单", items=2)
    v1 = services.current_version(t)
    assert v1.number == 1 and v1.published_at
    inspection = inspections.inspection_start(
        actor=world.admin_a,
        scope=scope(world.admin_a),
        enterprise=world.ent_a,
        kind="unit",
        inspected_on=DAY,
        inspectors="王",
        template=t,
    )
    _item(world.admin_a, t, content="第三项")
    draft = t.versions.get(number__isnull=True)
    assert draft.items.count() == 3 and services.current_version(t) == v1
    v2 = services.template_publish(
        actor=world.admin_a, scope=scope(world.admin_a), template=t, note="增加第三项"
    )
    assert (v2.number, v2.note, v2.published_by) == (2, "增加第三项", world.admin_a)
    assert services.current_version(t) == v2
    inspection.refresh_from_db()
    assert inspection.version == v1 and len(inspection.version.all_items()) == 2
    assert len(v2.all_items()) == 3
    with pytest.raises(ValidationError, match="没有待发布的修改"):
        services.template_publish(actor=world.admin_a, scope=scope(world.admin_a), template=t)


def test_published_items_cannot_be_changed_or_deleted(world):
    t = factories.template(world, organization=world.unit_a, name="甲清单")
    published = services.current_version(t).items.first()
    with pytest.raises(ValidationError, match="只能修改草稿"):
        services.item_save(
            actor=world.admin_a,
            scope=scope(world.admin_a),
            template=t,
            item=published,
            data={"content": "改"},
        )
    with pytest.raises(ValidationError, match="已发布版本的检查项不能删除"):
        services.item_delete(actor=world.admin_a, scope=scope(world.admin_a), item=published)
    published.refresh_from_db()
    assert published.content.startswith("甲清单检查项1")


def test_draft_items_are_edited_and_deleted_and_audited(world):
    t = factories.template(world, organization=world.unit_a, name="甲清单", publish=False)
    item = t.versions.get().items.first()
    services.item_save(
        actor=world.admin_a, scope=scope(world.admin_a), template=t, item=item, data={"content": "改后内容"}
    )
    item.refresh_from_db()
    assert item.content == "改后内容"
    services.item_delete(actor=world.admin_a, scope=scope(world.admin_a), item=item)
    assert t.versions.get().items.count() == 1
    with pytest.raises(ValidationError, match="不能设置字段"):
        _item(world.admin_a, t, version=None)
    actions = set(
        AuditEvent.objects.filter(object_type__startswith="hazards.checklist").values_list(
            "action", flat=True
        )
    )
    assert {
        "hazards.checklist_create",
        "hazards.checklist_item_save",
        "hazards.checklist_item_delete",
    } <= actions


def test_an_empty_template_cannot_be_published(world):
    t = factories.template(world, organization=world.unit_a, name="空清单", items=0, publish=False)
    with pytest.raises(ValidationError, match="没有检查项"):
        services.template_publish(actor=world.admin_a, scope=scope(world.admin_a), template=t)


def test_an_extension_uses_the_parents_published_items_plus_its_own(world):
    county = factories.template(world, organization=world.county, name="县清单", items=2)
    ext = services.template_create(
        actor=world.admin_a,
        scope=scope(world.admin_a),
        organization=world.unit_a,
        data={"name": "甲社增补", "extends": county},
    )
    _item(world.admin_a, ext, content="甲社自加项")
    v = services.template_publish(actor=world.admin_a, scope=scope(world.admin_a), template=ext)
    contents = [i.content for i in v.all_items()]
    assert contents == [*(i.content for i in services.current_version(county).all_items()), "甲社自加项"]
    inspection = inspections.inspection_start(
        actor=world.safety_a,
        scope=scope(world.safety_a),
        enterprise=world.ent_a,
        kind="self",
        inspected_on=DAY,
        inspectors="安全员",
        template=ext,
    )
    parent_item = services.current_version(county).items.first()
    inspections.inspection_record(
        actor=world.safety_a,
        scope=scope(world.safety_a),
        inspection=inspection,
        findings=[{"item": parent_item, "outcome": Outcome.PASS}],
    )
    assert inspection.results.get().item == parent_item


def test_an_extension_of_an_unpublished_or_invisible_template_is_refused(world):
    draft = factories.template(world, organization=world.county, name="县草稿", publish=False)
    with pytest.raises(ValidationError) as exc:
        services.template_create(
            actor=world.admin_a,
            scope=scope(world.admin_a),
            organization=world.unit_a,
            data={"name": "增补", "extends": draft},
        )
    assert "尚未发布" in exc.value.message_dict["extends"][0]
    sibling = factories.template(world, organization=world.unit_b, name="乙清单")
    with pytest.raises(ValidationError) as exc:
        services.template_create(
            actor=world.admin_a,
            scope=scope(world.admin_a),
            organization=world.unit_a,
            data={"name": "增补", "extends": sibling},
        )
    assert "不可用" in exc.value.message_dict["extends"][0]


def test_loading_the_starter_library_is_idempotent(world):
    created = library_load(actor=world.admin_a, scope=scope(world.admin_a), organization=world.unit_a)
    assert len(created) == len(TEMPLATES) > 0
    assert all(services.current_version(t).number == 1 for t in created)
    first = created[0]
    spec = next(s for s in TEMPLATES if s["name"] == first.name)
    assert services.current_version(first).items.count() == len(spec["items"])
    assert library_load(actor=world.admin_a, scope=scope(world.admin_a), organization=world.unit_a) == []
    assert ChecklistTemplate.objects.filter(organization=world.unit_a).count() == len(TEMPLATES)
    with pytest.raises(PermissionDenied):
        library_load(actor=world.admin_b, scope=scope(world.admin_b), organization=world.unit_a1)
    assert not ChecklistTemplate.objects.filter(organization=world.unit_a1).exists()


def test_the_starter_library_cites_a_source_for_every_item():
    assert all(item["basis"] for spec in TEMPLATES for item in spec["items"])


def test_the_criteria_catalogue_is_seeded_with_major_articles():
    assert HazardCriterion.objects.filter(is_major=True).exists()
    assert HazardCriterion.objects.filter(catalogue__contains="工贸").count() >= 17


def test_the_starter_library_links_its_items_to_gbt_33000_elements(world):
    from anbiao.hazards.services.library import library_load

    created = library_load(actor=None, scope=factories.root(world), organization=world.county)
    items = [i for t in created for i in services.current_version(t).all_items()]
    linked = [i for i in items if i.element_id]
    assert linked and all(
        i.element.standard.code == "GB/T 33000-2016" and i.element.level == 2 for i in linked
    )
    assert {"5.1.2", "5.4.1"} <= {i.element.code for i in linked}
