"""达标评审 grades, star ratings, 5S/六有 checks, the 持续改进清单 and 回头看 reports."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anbiao.core.models import AuditEvent, EvidenceFile
from anbiao.core.scope import Scope
from anbiao.core.testing import png_bytes, system_scope
from anbiao.standards import services, workflow
from anbiao.standards.models import (
    GradeRecord,
    ImprovementItem,
    LookbackReport,
    RuleSet,
    SiteAssessment,
    SiteChecklist,
    StarRating,
)
from anbiao.standards.selectors import active_checklist

D = datetime.date


def _grade(world, enterprise=None, **data):
    base = {"grade_type": "national", "level": 2, "reviewing_body": "省应急厅", "certified_on": D(2024, 5, 1)}
    return services.grade_create(
        actor=None, scope=system_scope(world.county), enterprise=enterprise or world.ent_a, data=base | data
    )


# --- grades -------------------------------------------------------------------------------------------
def test_a_grade_is_valid_for_three_years_by_default_and_backdated_entries_are_marked(world):
    g = _grade(world)
    assert (g.valid_from, g.valid_to) == (D(2024, 5, 1), D(2027, 5, 1))
    assert g.backdated and g.state_on(D(2027, 4, 30)) == "valid" and g.state_on(D(2027, 5, 1)) == "expired"


def test_local_grades_have_no_level_and_national_grades_need_one(world):
    with pytest.raises(ValidationError, match="不分级"):
        _grade(world, grade_type="local", level=1)
    with pytest.raises(ValidationError, match="须选择等级"):
        _grade(world, level=None)
    assert _grade(world, grade_type="local", level=None).label == "地标（不分级）"


def test_the_unit_admin_records_a_grade_through_the_page_and_revokes_it(world, login):
    client = login(world.admin_a)
    response = client.post(
        reverse("standards:grade_create"),
        {
            "enterprise": world.ent_a.pk,
            "grade_type": "national",
            "level": "3",
            "reviewing_body": "省应急厅",
            "certified_on": "2025-01-10",
        },
    )
    g = GradeRecord.objects.get(enterprise=world.ent_a)
    assert response.status_code == 302 and g.valid_to == D(2028, 1, 10) and g.recorded_by == world.admin_a
    assert AuditEvent.objects.filter(action="standards.grade_create", object_id=str(g.pk)).exists()
    response = client.post(
        reverse("standards:grade_revoke", args=[g.pk]),
        {"revoked_on": "2025-06-01", "revoke_reason": "发生死亡事故"},
    )
    g.refresh_from_db()
    assert (
        g.revoked_on == D(2025, 6, 1)
        and g.state_on(D(2025, 6, 1)) == "revoked"
        and g.state_on(D(2025, 5, 31)) == "valid"
    )
    assert AuditEvent.objects.filter(action="standards.grade_revoke").count() == 1
    client.post(
        reverse("standards:grade_revoke", args=[g.pk]), {"revoked_on": "2025-07-01", "revoke_reason": "再次"}
    )
    g.refresh_from_db()
    assert (
        g.revoked_on == D(2025, 6, 1)
        and AuditEvent.objects.filter(action="standards.grade_revoke").count() == 1
    )


def test_an_enterprise_user_cannot_record_or_revoke_grades_and_the_sibling_gets_404(world, login):
    g = _grade(world)
    with pytest.raises(PermissionDenied):
        _grade_for(world.principal_a, world)
    assert (
        login(world.principal_a).post(reverse("standards:grade_revoke", args=[g.pk]), {}).status_code == 403
    )
    assert login(world.admin_b).post(reverse("standards:grade_revoke", args=[g.pk]), {}).status_code == 404
    assert login(world.principal_a).get(reverse("standards:grade_create")).status_code == 403
    g.refresh_from_db()
    assert g.revoked_on is None


def _grade_for(user, world):
    return services.grade_create(
        actor=user,
        scope=Scope.for_user(user),
        enterprise=world.ent_a,
        data={"grade_type": "local", "reviewing_body": "x", "certified_on": D(2025, 1, 1)},
    )


# --- stars ----------------------------------------------------------------------------------------------
def test_a_star_rating_records_the_rules_suggestion_and_closes_the_previous_rating(world):
    scope = system_scope(world.county)
    _grade(world, level=2, certified_on=D(2024, 3, 1))
    first = services.star_rate(
        actor=None,
        scope=scope,
        enterprise=world.ent_a,
        stars=4,
        rated_on=D(2024, 6, 1),
        basis="初评",
        rater_name="县社",
    )
    assert first.suggested_stars == 5 and first.facts["standard_grade_level"] == 2
    assert first.ruleset == RuleSet.objects.get(kind="star", is_active=True) and "二级" in first.reasons[0]
    second = services.star_rate(
        actor=None,
        scope=scope,
        enterprise=world.ent_a,
        stars=5,
        rated_on=D(2025, 6, 1),
        basis="复评",
        rater_name="县社",
    )
    first.refresh_from_db()
    assert first.valid_to == D(2025, 6, 1) and second.valid_to is None
    with pytest.raises(ValidationError, match="须晚于"):
        services.star_rate(
            actor=None,
            scope=scope,
            enterprise=world.ent_a,
            stars=3,
            rated_on=D(2025, 1, 1),
            basis="x",
            rater_name="x",
        )
    assert StarRating.objects.filter(enterprise=world.ent_a).count() == 2


def test_the_star_page_shows_the_suggestion_and_saves_a_rating(world, login):
    client = login(world.admin_a)
    page = client.get(reverse("standards:star_create"), {"enterprise": world.ent_a.pk})
    assert page.context["suggestion"]["stars"] == 1  # nothing created yet: 一星
    response = client.post(
        reverse("standards:star_create") + f"?enterprise={world.ent_a.pk}",
        {"stars": "2", "rated_on": "2025-05-01", "rater_name": "县社基层股", "basis": "已自评"},
    )
    assert response.status_code == 302
    assert StarRating.objects.get(enterprise=world.ent_a).stars == 2
    assert login(world.principal_a).get(reverse("standards:star_create")).status_code == 403


def test_editing_rules_used_by_a_rating_makes_a_new_version_and_the_rating_keeps_its_version(world, login):
    scope = system_scope(world.county)
    rating = services.star_rate(
        actor=None,
        scope=scope,
        enterprise=world.ent_a,
        stars=None,
        rated_on=D(2025, 6, 1),
        basis="x",
        rater_name="x",
    )
    old = rating.ruleset
    client = login(world.county_admin)
    rows = {"id": old.pk, "rows": 2, "action": "save"}
    for n, (fact, op, thr, effect, result, reason) in enumerate(
        [
            ("standard_grade_level", "ge", "1", "set", "5", "达标即五星"),
            ("", "always", "0", "set", "2", "其余二星"),
        ]
    ):
        rows.update(
            {
                f"r{n}-order": n,
                f"r{n}-fact": fact,
                f"r{n}-op": op,
                f"r{n}-threshold": thr,
                f"r{n}-effect": effect,
                f"r{n}-result": result,
                f"r{n}-reason": reason,
            }
        )
    response = client.post(reverse("standards:rules"), rows)
    assert response.status_code == 302
    new = RuleSet.objects.get(kind="star", is_active=True)
    assert new.version == old.version + 1 and new.rules.count() == 2
    old.refresh_from_db()
    assert not old.is_active and old.rules.count() == 9
    rating.refresh_from_db()
    assert rating.ruleset == old
    assert services.star_suggestion(world.ent_a.pk, D(2025, 7, 1))["stars"] == 2
    bad = dict(rows, **{"r0-fact": "no_such_fact"})
    bad["id"] = new.pk
    response = client.post(reverse("standards:rules"), bad)
    assert response.status_code == 400 and "不存在" in response.content.decode()
    assert new.rules.count() == 2
    client.post(reverse("standards:rules"), {"id": old.pk, "action": "activate"})
    assert RuleSet.objects.get(kind="star", is_active=True) == old


# --- 5S / 六有 --------------------------------------------------------------------------------------------
def _site_post(world, kind, passed_all=True, score="90"):
    checklist = active_checklist(kind)
    data = {
        "kind": kind,
        "enterprise": world.ent_a.pk,
        "assessed_on": "2025-05-01",
        "assessor_name": "网格员",
    }
    for n, item in enumerate(checklist.items.all()):
        if passed_all or n:
            data[f"i{item.pk}-passed"] = "1"
        data[f"i{item.pk}-score"] = score
    return data


def test_a_5s_check_with_a_photo_per_item_passes_by_the_checklists_rule(world, login):
    client = login(world.principal_a)
    data = _site_post(world, "five_s")
    first = active_checklist("five_s").items.first()
    data[f"i{first.pk}-photo"] = SimpleUploadedFile("a.png", png_bytes())
    response = client.post(reverse("standards:site_create"), data)
    site = SiteAssessment.objects.get(enterprise=world.ent_a)
    assert response.status_code == 302 and site.passed and site.average == 90
    photo = site.results.get(item=first).photo
    assert photo.enterprise == world.ent_a and photo.kind == "photo"
    low = _site_post(world, "five_s", score="70")
    low["assessed_on"] = "2025-06-01"
    client.post(reverse("standards:site_create"), low)
    assert not SiteAssessment.objects.get(assessed_on=D(2025, 6, 1)).passed


def test_a_six_have_check_fails_when_one_item_fails_and_a_non_image_photo_is_refused(world, login):
    client = login(world.admin_a)
    client.post(reverse("standards:site_create"), _site_post(world, "six_have", passed_all=False))
    assert SiteAssessment.objects.get(kind="six_have").passed is False
    data = _site_post(world, "six_have")
    first = active_checklist("six_have").items.first()
    data[f"i{first.pk}-photo"] = SimpleUploadedFile("x.txt", b"hello world")
    before = (SiteAssessment.objects.count(), EvidenceFile.objects.count())
    response = client.post(reverse("standards:site_create"), data)
    assert response.status_code == 400 and "照片" in response.content.decode()
    assert (SiteAssessment.objects.count(), EvidenceFile.objects.count()) == before


def test_changing_a_used_checklist_makes_a_new_version(world, login):
    cl = active_checklist("six_have")
    services.site_assessment_create(
        actor=None,
        scope=system_scope(world.county),
        enterprise=world.ent_a,
        kind="six_have",
        assessed_on=D(2025, 1, 1),
        assessor_name="x",
        note="",
        results=[{"item": i, "passed": True} for i in cl.items.all()],
    )
    client = login(world.county_admin)
    data = {"id": cl.pk, "pass_mode": "all_pass", "pass_threshold": "0"}
    items = list(cl.items.all())
    for i in items:
        data[f"label-{i.pk}"] = i.label
    data[f"label-{items[0].pk}"] = "岗位风险告知卡"
    assert client.post(reverse("standards:checklist"), data).status_code == 302
    new = SiteChecklist.objects.get(kind="six_have", is_active=True)
    assert new.version == 2 and new.items.first().label == "岗位风险告知卡"
    assert SiteAssessment.objects.get().checklist == cl and cl.items.first().label == items[0].label


# --- 持续改进清单 -----------------------------------------------------------------------------------------
def _item(world, **kw):
    data = {
        "problem": "台账不全",
        "measure": "补齐台账",
        "responsible_name": "李四",
        "deadline": D(2025, 8, 1),
        "found_on": D(2025, 6, 1),
    }
    return services.improvement_create(
        actor=None, scope=system_scope(world.county), enterprise=world.ent_a, data=data | kw
    )


def test_the_acceptor_must_not_be_the_responsible_person(world):
    it = _item(world, responsible_user=world.safety_a)
    scope = Scope.for_user(world.safety_a)
    it = services.improvement_complete(
        actor=world.safety_a, scope=scope, item=it, completed_on=D(2025, 7, 1), note="已补齐"
    )
    with pytest.raises(ValidationError, match="不能是整改责任人"):
        services.improvement_accept(
            actor=world.safety_a, scope=scope, item=it, accepted_on=D(2025, 7, 2), acceptor_name="王五"
        )
    with pytest.raises(ValidationError, match="不能是整改责任人"):
        services.improvement_accept(
            actor=world.principal_a,
            scope=Scope.for_user(world.principal_a),
            item=it,
            accepted_on=D(2025, 7, 2),
            acceptor_name="李 四",
        )
    it.refresh_from_db()
    assert it.status == "done"
    it = services.improvement_accept(
        actor=world.principal_a,
        scope=Scope.for_user(world.principal_a),
        item=it,
        accepted_on=D(2025, 7, 2),
        acceptor_name="张三",
    )
    assert it.status == "accepted" and it.accepted_by == world.principal_a


IMPROVEMENT_MOVES = [
    ("complete", "open", "safety_a", True),
    ("complete", "open", "leader", False),
    ("complete", "done", "safety_a", False),
    ("accept", "done", "principal_a", True),
    ("accept", "done", "expert", False),  # experts accept only at enterprises assigned to them
    ("accept", "open", "principal_a", False),
    ("reject", "done", "admin_a", True),
    ("reject", "accepted", "admin_a", False),
    ("cancel", "open", "admin_a", True),
    ("cancel", "open", "principal_a", False),
    ("cancel", "done", "admin_a", False),
]


@pytest.mark.parametrize(("action", "status", "user", "allowed"), IMPROVEMENT_MOVES)
def test_every_improvement_move_by_role(world, action, status, user, allowed):
    it = _item(world)
    root = system_scope(world.county)
    if status in ("done", "accepted"):
        it = services.improvement_complete(
            actor=None, scope=root, item=it, completed_on=D(2025, 7, 1), note="x"
        )
    if status == "accepted":
        it = services.improvement_accept(
            actor=None, scope=root, item=it, accepted_on=D(2025, 7, 2), acceptor_name="王五"
        )
    actor = getattr(world, user)
    data = {
        "note": "说明",
        "completed_on": D(2025, 7, 1),
        "accepted_on": D(2025, 7, 3),
        "acceptor_name": "王五",
    }
    events = AuditEvent.objects.count()
    if allowed:
        result = services.improvement_perform(
            actor=actor, scope=Scope.for_user(actor), item=it, action=action, data=data
        )
        assert result.status == workflow.find(workflow.IMPROVEMENT, status, action).target
        assert AuditEvent.objects.count() == events + 1
    else:
        with pytest.raises((PermissionDenied, ValidationError)):
            services.improvement_perform(
                actor=actor, scope=Scope.for_user(actor), item=it, action=action, data=data
            )
        it.refresh_from_db()
        assert it.status == status and AuditEvent.objects.count() == events


def test_improvements_are_generated_from_every_deduction_once(world, recs):
    a = recs[0][ImprovementItem].assessment
    scope = system_scope(world.county)
    entry = a.entries.exclude(deduction=0).exclude(pk=recs[0][ImprovementItem].entry_id).first()
    assert entry is None  # the builder made one deduction and already listed it
    with pytest.raises(ValidationError, match="没有尚未列入"):
        services.improvements_from_assessment(
            actor=None, scope=scope, assessment=a, responsible_name="x", deadline=D(2025, 9, 1)
        )


def test_the_improvement_pages_create_complete_and_accept(world, recs, login):
    client = login(world.safety_a)
    entry = recs[0][ImprovementItem].entry
    page = client.get(reverse("standards:improvement_create"), {"entry": entry.pk})
    assert entry.item.code in page.context["form"].initial["problem"]
    response = client.post(
        reverse("standards:improvement_create"),
        {
            "owner": f"e{world.ent_a.pk}",
            "source": "other",
            "problem": "消防通道堵塞",
            "measure": "清理通道",
            "responsible_name": "李四",
            "found_on": "2025-06-01",
            "deadline": "2025-06-10",
        },
    )
    it = ImprovementItem.objects.get(problem="消防通道堵塞")
    assert response.status_code == 302
    client.post(
        reverse("standards:improvement_action", args=[it.pk]),
        {
            "action": "complete",
            "on": "2025-06-05",
            "note": "已清理",
            "photo": SimpleUploadedFile("p.png", png_bytes()),
        },
    )
    it.refresh_from_db()
    assert (
        it.status == "done"
        and EvidenceFile.objects.filter(owner_type="standards.improvementitem", owner_id=str(it.pk)).exists()
    )
    login(world.principal_a).post(
        reverse("standards:improvement_action", args=[it.pk]),
        {"action": "accept", "on": "2025-06-06", "acceptor_name": "张三"},
    )
    it.refresh_from_db()
    assert it.status == "accepted"
    assert login(world.admin_b).get(reverse("standards:improvement_detail", args=[it.pk])).status_code == 404


def test_the_improvement_export_reads_back(world, recs, login):
    import io

    import openpyxl

    response = login(world.admin_a).get(reverse("standards:improvement_export"))
    ws = openpyxl.load_workbook(io.BytesIO(response.content))["持续改进清单"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [c.value for c in ws[1]][:3] == ["所属", "来源", "问题（不符合项）"]
    assert len(rows) == 1 and rows[0][0] == "甲一超市" and rows[0][4] == "李四"


def test_the_improvement_list_flags_overdue_items_and_runs_fixed_queries(
    world, login, django_assert_max_num_queries
):
    for n in range(10):
        _item(world, problem=f"问题{n}")
    client = login(world.admin_a)
    client.get(reverse("standards:improvement_list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("standards:improvement_list"), {"overdue": "1"})
    assert len(response.context["object_list"]) == 10


# --- 回头看 -----------------------------------------------------------------------------------------------
def test_a_unit_files_its_lookback_report_with_a_signed_document_and_its_own_list(world, login):
    client = login(world.admin_a)
    response = client.post(
        reverse("standards:lookback_create"),
        {
            "owner": f"o{world.unit_a.pk}",
            "title": "甲供销社回头看评估报告",
            "period_start": "2021-08-01",
            "reported_on": "2025-03-20",
            "signed_by": "赵主任",
            "summary": "考核流于形式",
            "document": SimpleUploadedFile("report.png", png_bytes()),
        },
    )
    report = LookbackReport.objects.get(organization=world.unit_a)
    assert response.status_code == 302 and report.document.organization == world.unit_a
    client.post(
        reverse("standards:improvement_create"),
        {
            "lookback": report.pk,
            "owner": f"o{world.unit_a.pk}",
            "source": "lookback",
            "problem": "考核流于形式",
            "measure": "按季度考核",
            "responsible_name": "钱科长",
            "found_on": "2025-03-20",
            "deadline": "2025-06-30",
        },
    )
    assert report.items.get().organization == world.unit_a
    assert client.get(reverse("standards:lookback_detail", args=[report.pk])).context["items"].count() == 1
    assert login(world.admin_b).get(reverse("standards:lookback_detail", args=[report.pk])).status_code == 404
