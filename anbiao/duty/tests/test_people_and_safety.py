"""People, posts, holdings, certificates, officers, bodies and rescue teams: dated history, audit rows,
refused writes that leave nothing behind, and the 季报表(一) cells as of a date."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from anbiao.core.models import AuditEvent
from anbiao.core.scope import Scope
from anbiao.core.testing import system_scope
from anbiao.duty import selectors, services
from anbiao.duty.choices import Employment, MemberRole, PostLevel
from anbiao.duty.models import Person, PostHolding, RescueTeamMember, SafetyOfficer
from anbiao.orgs import services as org_services
from anbiao.orgs.models import Enterprise

pytestmark = pytest.mark.django_db
D = datetime.date


def test_creating_a_person_and_a_post_is_audited_and_scoped_to_the_enterprise(world, shop):
    events = AuditEvent.objects.filter(enterprise_id=world.ent_a.pk)
    assert events.filter(action="duty.person_create", object_repr="陈老板").exists()
    assert events.filter(action="duty.post_create", object_repr="总经理").exists()
    assert events.filter(action="duty.holding_add").count() == 2
    assert Person.objects.visible_to(Scope.for_user(world.principal_b)).count() == 0


def test_an_enterprise_user_cannot_write_into_another_enterprise(world, shop):
    before = (Person.objects.count(), AuditEvent.objects.count())
    scope_b = Scope.for_user(world.principal_b)
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=world.principal_b, scope=scope_b, enterprise=world.ent_a, data={"name": "x"}
        )
    with pytest.raises(PermissionDenied):
        services.holding_end(
            actor=world.principal_b, scope=scope_b, holding=shop["boss_holding"], valid_to=D(2025, 6, 1)
        )
    with pytest.raises(PermissionDenied):  # inspectors and leaders read only
        services.person_create(
            actor=world.leader, scope=Scope.for_user(world.leader), enterprise=world.ent_a, data={"name": "x"}
        )
    assert (Person.objects.count(), AuditEvent.objects.count()) == before


def test_holdings_are_dated_history_and_back_dated_entries_are_marked(world, shop):
    h = shop["boss_holding"]
    assert h.backdated and h.valid_to is None
    with pytest.raises(ValidationError):  # already holds the post
        services.holding_add(
            actor=shop["actor"],
            scope=shop["scope"],
            post=shop["principal_post"],
            person=shop["boss"],
            valid_from=D(2025, 2, 1),
        )
    with pytest.raises(ValidationError):  # end before the start
        services.holding_end(actor=shop["actor"], scope=shop["scope"], holding=h, valid_to=D(2024, 12, 31))
    services.holding_end(actor=shop["actor"], scope=shop["scope"], holding=h, valid_to=D(2025, 7, 1))
    successor = services.person_create(
        actor=shop["actor"], scope=shop["scope"], enterprise=world.ent_a, data={"name": "黄新任"}
    )
    services.holding_add(
        actor=shop["actor"],
        scope=shop["scope"],
        post=shop["principal_post"],
        person=successor,
        valid_from=D(2025, 7, 1),
    )
    posts = [shop["principal_post"]]
    assert [x.person.name for x in selectors.holders_on(posts, D(2025, 6, 30))[posts[0].pk]] == ["陈老板"]
    assert [x.person.name for x in selectors.holders_on(posts, D(2025, 7, 1))[posts[0].pk]] == ["黄新任"]
    assert PostHolding.objects.filter(post=posts[0]).count() == 2
    assert AuditEvent.objects.filter(action="duty.holding_end", object_id=str(h.pk)).exists()


def test_a_person_of_another_enterprise_cannot_hold_a_post_here(world, shop):
    other = services.person_create(
        actor=world.principal_b,
        scope=Scope.for_user(world.principal_b),
        enterprise=world.ent_b,
        data={"name": "乙"},
    )
    with pytest.raises(ValidationError):
        services.holding_add(
            actor=None,
            scope=Scope.for_user(world.county_admin),
            post=shop["clerk_post"],
            person=other,
            valid_from=D(2025, 2, 1),
        )


def test_officers_and_bodies_are_counted_as_of_a_date_under_the_article_24_rule(world, shop):
    ents = Enterprise.objects.all()
    # headcount is dated history: it changes through the registry service, effective from a date
    org_services.enterprise_update(
        actor=None,
        scope=system_scope(world.county),
        enterprise=world.ent_a,
        data={"employee_count": 150, "handles_dangerous_goods": False},
        effective=D(2025, 1, 1),
    )
    officer = services.officer_appoint(
        actor=shop["actor"],
        scope=shop["scope"],
        enterprise=world.ent_a,
        person=shop["clerk"],
        employment=Employment.PART_TIME,
        valid_from=D(2025, 2, 1),
    )
    # 150 employees: a part-time officer does not meet Art. 24, so the enterprise is not counted
    assert not selectors.enterprises_with_safety_officers(ents, D(2025, 3, 31)).exists()
    assert selectors.count_safety_officers(ents, D(2025, 3, 31)) == 0
    services.officer_end(actor=shop["actor"], scope=shop["scope"], officer=officer, valid_to=D(2025, 4, 1))
    services.officer_appoint(
        actor=shop["actor"],
        scope=shop["scope"],
        enterprise=world.ent_a,
        person=shop["clerk"],
        employment=Employment.FULL_TIME,
        valid_from=D(2025, 4, 1),
    )
    assert set(selectors.enterprises_with_safety_officers(ents, D(2025, 6, 30))) == {world.ent_a}
    assert selectors.count_safety_officers(ents, D(2025, 6, 30)) == 1
    assert not selectors.enterprises_with_safety_officers(ents, D(2025, 3, 31)).exists()
    assert SafetyOfficer.objects.filter(enterprise=world.ent_a).count() == 2
    body = services.body_create(
        actor=shop["actor"],
        scope=shop["scope"],
        enterprise=world.ent_a,
        name="安全生产管理部",
        document="甲〔2025〕1号",
        valid_from=D(2025, 5, 1),
    )
    with pytest.raises(ValidationError):  # one body at a time
        services.body_create(
            actor=shop["actor"],
            scope=shop["scope"],
            enterprise=world.ent_a,
            name="x",
            document="",
            valid_from=D(2025, 6, 1),
        )
    assert set(selectors.enterprises_with_safety_body(ents, D(2025, 5, 1))) == {world.ent_a}
    assert not selectors.enterprises_with_safety_body(ents, D(2025, 4, 30)).exists()
    services.body_end(actor=shop["actor"], scope=shop["scope"], body=body, valid_to=D(2025, 8, 1))
    assert not selectors.enterprises_with_safety_body(ents, D(2025, 8, 1)).exists()
    facts = selectors.with_duty_status(Enterprise.objects.filter(pk=world.ent_a.pk), D(2025, 6, 30)).get()
    assert facts.art24_ok and facts.has_body and facts.full_time_n == 1


def test_rescue_teams_and_members_are_counted_as_of_a_date(world, shop):
    ents = Enterprise.objects.all()
    team = services.team_create(
        actor=shop["actor"],
        scope=shop["scope"],
        enterprise=world.ent_a,
        data={"name": "义务消防队", "employment": Employment.PART_TIME, "equipment": "灭火器10具"},
        valid_from=D(2025, 3, 1),
    )
    assert not selectors.enterprises_with_rescue_teams(ents, D(2025, 3, 31)).exists()  # no member yet
    services.member_add(
        actor=shop["actor"],
        scope=shop["scope"],
        team=team,
        person=shop["boss"],
        role=MemberRole.LEADER,
        valid_from=D(2025, 3, 1),
    )
    m2 = services.member_add(
        actor=shop["actor"],
        scope=shop["scope"],
        team=team,
        person=shop["clerk"],
        role=MemberRole.MEMBER,
        valid_from=D(2025, 3, 1),
    )
    with pytest.raises(ValidationError):
        services.member_add(
            actor=shop["actor"],
            scope=shop["scope"],
            team=team,
            person=shop["clerk"],
            role=MemberRole.MEMBER,
            valid_from=D(2025, 3, 1),
        )
    assert selectors.count_rescue_team_members(ents, D(2025, 3, 31)) == 2
    services.member_end(actor=shop["actor"], scope=shop["scope"], member=m2, valid_to=D(2025, 6, 1))
    assert selectors.count_rescue_team_members(ents, D(2025, 6, 30)) == 1
    services.team_disband(actor=shop["actor"], scope=shop["scope"], team=team, valid_to=D(2025, 9, 1))
    assert not selectors.enterprises_with_rescue_teams(ents, D(2025, 9, 30)).exists()
    assert selectors.enterprises_with_rescue_teams(ents, D(2025, 8, 31)).exists()
    assert not RescueTeamMember.objects.filter(team=team, valid_to__isnull=True).exists()
    assert AuditEvent.objects.filter(action="duty.team_disband").exists()


def test_a_certificate_with_a_scan_is_stored_as_evidence_of_the_enterprise(world, shop):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anbiao.core.testing import png_bytes

    cert = services.certificate_add(
        actor=shop["actor"],
        scope=shop["scope"],
        person=shop["boss"],
        data={
            "kind": "principal_assessment",
            "number": "FJ001",
            "issuer": "泉州市应急管理局",
            "issued_on": D(2024, 1, 1),
            "expires_on": D(2027, 1, 1),
        },
        upload=SimpleUploadedFile("cert.png", png_bytes()),
    )
    assert cert.file.enterprise == world.ent_a and cert.file.owner_type == "duty.certificate"
    with pytest.raises(ValidationError):
        services.certificate_add(
            actor=shop["actor"],
            scope=shop["scope"],
            person=shop["boss"],
            data={
                "kind": "other",
                "number": "x",
                "issuer": "y",
                "issued_on": D(2024, 1, 1),
                "expires_on": D(2023, 1, 1),
            },
        )
    assert shop["boss"].certificates.count() == 1


def test_the_published_facts_read_lists_and_article_24_for_many_enterprises_in_one_go(world, shop):
    from anbiao.duty.hooks import enterprise_facts
    from anbiao.duty.tests.conftest import publish

    publish(shop, shop["principal_post"])
    publish(shop, shop["clerk_post"])
    services.officer_appoint(
        actor=shop["actor"],
        scope=shop["scope"],
        enterprise=world.ent_a,
        person=shop["clerk"],
        employment=Employment.PART_TIME,
        valid_from=D(2025, 2, 1),
    )
    facts = enterprise_facts([world.ent_a.pk, world.ent_b.pk], D(2025, 6, 30))
    assert facts[world.ent_a.pk] == {"duty_lists_complete": 1, "art24_compliant": 1}
    assert facts[world.ent_b.pk] == {"duty_lists_complete": 0, "art24_compliant": 0}
    assert enterprise_facts([world.ent_a.pk], D(2025, 1, 31))[world.ent_a.pk]["art24_compliant"] == 0


def test_post_levels_are_the_seven_of_the_domain():
    assert [label for _, label in PostLevel.choices] == [
        "主要负责人",
        "分管负责人",
        "安全管理机构",
        "部门负责人",
        "班组长",
        "岗位员工",
        "相关方",
    ]
