"""责任清单/考核清单: template inheritance down the unit tree with local changes, adopting, adapting,
publishing versions, and counting enterprises with complete lists as of a date."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from anbiao.core.models import AuditEvent
from anbiao.core.scope import Scope
from anbiao.core.testing import system_scope
from anbiao.duty import selectors, services
from anbiao.duty.choices import ListStatus, PostLevel
from anbiao.duty.models import DutyList, DutyTemplate
from anbiao.duty.services.lists import _items_of
from anbiao.duty.tests.conftest import publish
from anbiao.orgs.models import Enterprise

pytestmark = pytest.mark.django_db


def system_template(level=PostLevel.PRINCIPAL):
    return DutyTemplate.objects.get(organization__isnull=True, level=level)


def test_the_principals_seven_statutory_duties_are_seeded_with_their_basis():
    tpl = system_template()
    texts = [i.text for i in tpl.duty_items.all()]
    assert len(texts) == 7
    assert texts[0].startswith("建立健全并落实本单位全员安全生产责任制")
    assert texts[6] == "及时、如实报告生产安全事故"
    assert [i.basis for i in tpl.duty_items.all()][4] == "《安全生产法》第二十一条第（五）项"
    assert sum(i.full_marks for i in tpl.assess_items.all()) == 100
    assert set(DutyTemplate.objects.filter(organization__isnull=True).values_list("level", flat=True)) == set(
        PostLevel.values
    )


def test_a_unit_template_with_local_changes_is_inherited_by_the_enterprises_below_it_only(world):
    admin_a = Scope.for_user(world.admin_a)
    derived = services.template_derive(
        actor=world.admin_a, scope=admin_a, source=system_template(), organization=world.unit_a
    )
    duties, assess = _items_of(derived)
    duties[0]["text"] = "甲社本地：每季度组织一次全员责任制落实检查"
    services.template_save(
        actor=world.admin_a,
        scope=admin_a,
        template=derived,
        title="甲社主要负责人清单",
        is_active=True,
        duty_items=duties[:6],
        assess_items=assess,
    )
    assert AuditEvent.objects.filter(action="duty.template_save", object_id=str(derived.pk)).exists()
    # ent_a1 sits under unit_a1 under unit_a: the nearest template is unit_a's
    assert selectors.nearest_templates(world.ent_a1.unit.path)[PostLevel.PRINCIPAL] == derived
    # ent_b (sibling unit) still gets the system template
    assert selectors.nearest_templates(world.ent_b.unit.path)[PostLevel.PRINCIPAL] == system_template()
    # a deeper unit's own copy wins over its parent's
    deeper = services.template_derive(
        actor=world.admin_a, scope=admin_a, source=derived, organization=world.unit_a1
    )
    assert selectors.nearest_templates(world.ent_a1.unit.path)[PostLevel.PRINCIPAL] == deeper
    assert selectors.nearest_templates(world.ent_a.unit.path)[PostLevel.PRINCIPAL] == derived
    # adopting takes the local text
    root = system_scope(world.county)
    post = services.post_create(
        actor=None,
        scope=root,
        enterprise=world.ent_a,
        data={"name": "经理", "level": PostLevel.PRINCIPAL, "established_on": datetime.date(2025, 1, 1)},
    )
    dl = services.duty_list_adopt(actor=None, scope=root, post=post)
    assert dl.template == derived
    assert dl.duty_items.first().text.startswith("甲社本地")
    assert dl.duty_items.count() == 6


def test_a_sibling_unit_cannot_inherit_or_edit_another_units_template(world):
    admin_a = Scope.for_user(world.admin_a)
    derived = services.template_derive(
        actor=world.admin_a, scope=admin_a, source=system_template(), organization=world.unit_a
    )
    before = DutyTemplate.objects.count()
    admin_b = Scope.for_user(world.admin_b)
    with pytest.raises(ValidationError):
        services.template_derive(
            actor=world.admin_b, scope=admin_b, source=derived, organization=world.unit_b
        )
    with pytest.raises(PermissionDenied):
        services.template_save(
            actor=world.admin_b,
            scope=admin_b,
            template=derived,
            title="x",
            is_active=True,
            duty_items=[{"text": "x"}],
            assess_items=[{"content": "x", "full_marks": 10}],
        )
    with pytest.raises(PermissionDenied):  # enterprise users do not keep templates
        services.template_derive(
            actor=world.principal_a,
            scope=Scope.for_user(world.principal_a),
            source=system_template(),
            organization=world.unit_a,
        )
    assert DutyTemplate.objects.count() == before


def test_an_enterprise_adapts_a_draft_then_publishes_it_and_a_revision_supersedes_it(world, shop):
    post = shop["principal_post"]
    dl = services.duty_list_adopt(actor=shop["actor"], scope=shop["scope"], post=post)
    assert dl.status == ListStatus.DRAFT and dl.version == 1 and dl.template == system_template()
    duties, assess = _items_of(dl)
    duties.append({"text": "组织每月安全例会", "basis": "企业制度"})
    assess[0]["full_marks"] = 20
    services.duty_list_save(
        actor=shop["actor"], scope=shop["scope"], duty_list=dl, duty_items=duties, assess_items=assess
    )
    assert dl.duty_items.count() == 8 and dl.full_marks() == 105
    with pytest.raises(ValidationError) as err:
        services.duty_list_save(
            actor=shop["actor"],
            scope=shop["scope"],
            duty_list=dl,
            duty_items=duties,
            assess_items=[{"content": "x", "full_marks": "abc"}],
        )
    assert "考核条目第1条：满分须为数字" in str(err.value)
    with pytest.raises(ValidationError):  # 公示 place is required
        services.duty_list_publish(
            actor=shop["actor"],
            scope=shop["scope"],
            duty_list=dl,
            effective_from=datetime.date(2025, 3, 1),
            published_on=datetime.date(2025, 3, 1),
            published_place=" ",
        )
    services.duty_list_publish(
        actor=shop["actor"],
        scope=shop["scope"],
        duty_list=dl,
        effective_from=datetime.date(2025, 3, 1),
        published_on=datetime.date(2025, 2, 25),
        published_place="门店公示栏",
    )
    dl.refresh_from_db()
    assert dl.status == ListStatus.EFFECTIVE and dl.backdated
    with pytest.raises(ValidationError):
        services.duty_list_save(
            actor=shop["actor"], scope=shop["scope"], duty_list=dl, duty_items=duties, assess_items=assess
        )
    v2 = services.duty_list_adopt(actor=shop["actor"], scope=shop["scope"], post=post)
    assert v2.version == 2 and v2.duty_items.count() == 8  # a revision starts from the version in force
    with pytest.raises(ValidationError):  # must start after the version in force
        services.duty_list_publish(
            actor=shop["actor"],
            scope=shop["scope"],
            duty_list=v2,
            effective_from=datetime.date(2025, 3, 1),
            published_on=datetime.date(2025, 3, 1),
            published_place="门店公示栏",
        )
    services.duty_list_publish(
        actor=shop["actor"],
        scope=shop["scope"],
        duty_list=v2,
        effective_from=datetime.date(2026, 1, 1),
        published_on=datetime.date(2026, 1, 1),
        published_place="门店公示栏",
    )
    dl.refresh_from_db()
    assert dl.status == ListStatus.SUPERSEDED and dl.superseded_on == datetime.date(2026, 1, 1)
    assert selectors.effective_list(post, datetime.date(2025, 6, 1)) == dl
    assert selectors.effective_list(post, datetime.date(2026, 2, 1)).pk == v2.pk
    assert selectors.effective_list(post, datetime.date(2025, 2, 1)) is None
    actions = list(
        AuditEvent.objects.filter(enterprise_id=world.ent_a.pk, action__startswith="duty.list_").values_list(
            "action", flat=True
        )
    )
    assert actions.count("duty.list_publish") == 2 and "duty.list_save" in actions


def test_a_draft_can_be_discarded_but_a_second_draft_is_refused(shop):
    post = shop["clerk_post"]
    dl = services.duty_list_adopt(actor=shop["actor"], scope=shop["scope"], post=post)
    with pytest.raises(ValidationError):
        services.duty_list_adopt(actor=shop["actor"], scope=shop["scope"], post=post)
    services.duty_list_discard(actor=shop["actor"], scope=shop["scope"], duty_list=dl)
    assert not DutyList.objects.filter(post=post).exists()


def test_lists_count_as_complete_only_when_every_post_has_one_in_force_on_the_day(world, shop):
    ents = Enterprise.objects.all()
    publish(shop, shop["principal_post"], datetime.date(2025, 3, 1))
    assert not selectors.enterprises_with_duty_lists(ents, datetime.date(2025, 6, 30)).exists()
    publish(shop, shop["clerk_post"], datetime.date(2025, 5, 1))
    assert set(selectors.enterprises_with_duty_lists(ents, datetime.date(2025, 6, 30))) == {world.ent_a}
    assert not selectors.enterprises_with_duty_lists(ents, datetime.date(2025, 3, 31)).exists()
    # a new post without a list makes the enterprise incomplete from the post's date on
    services.post_create(
        actor=shop["actor"],
        scope=shop["scope"],
        enterprise=world.ent_a,
        data={"name": "仓管员", "level": PostLevel.EMPLOYEE, "established_on": datetime.date(2025, 9, 1)},
    )
    assert selectors.enterprises_with_duty_lists(ents, datetime.date(2025, 6, 30)).exists()
    assert not selectors.enterprises_with_duty_lists(ents, datetime.date(2025, 9, 30)).exists()


def test_an_enterprise_without_a_principal_post_has_no_complete_lists(world, shop):
    publish(shop, shop["clerk_post"])
    publish(shop, shop["principal_post"])
    services.post_abolish(
        actor=shop["actor"], scope=shop["scope"], post=shop["principal_post"], on=datetime.date(2025, 10, 1)
    )
    ents = Enterprise.objects.all()
    assert selectors.enterprises_with_duty_lists(ents, datetime.date(2025, 9, 30)).exists()
    assert not selectors.enterprises_with_duty_lists(ents, datetime.date(2025, 10, 1)).exists()
    shop["boss_holding"].refresh_from_db()
    assert shop["boss_holding"].valid_to == datetime.date(2025, 10, 1)
