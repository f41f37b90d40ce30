"""Bands and grade rules as versioned data, editable by a county administrator only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from anbiao.core.models import AuditEvent
from anbiao.core.scope import Scope
from anbiao.risks import catalog_services, services
from anbiao.risks.models import BandSet, GradeRuleSet, LevelPolicy
from anbiao.risks.testing import make_point

LEC_BANDS_STRICT = (
    "major 320 否 极其危险\nsignificant 160 是 高度危险\ngeneral 70 否 显著危险\nlow 0 是 可以接受"
)


def lec():
    return BandSet.objects.get(method="lec", is_current=True)


def _factor_text(b):
    return "\n".join(f"{f.factor} {f.value:g} {f.label}" for f in b.factors.all())


def test_the_standards_page_shows_every_method_with_labels_and_sources(world, login):
    page = login(world.safety_a).get(reverse("risks:standard_list"))
    text = page.content.decode()
    assert page.status_code == 200 and "LS 风险矩阵（变体B）" in text and "zgmkw.com" in text
    assert "连续暴露" in text and reverse("risks:standard_revise") not in text  # no revise link for them


def test_a_county_admin_revises_the_lec_bands_and_old_assessments_keep_their_version(world, login):
    point = make_point(world, world.ent_a, factors={"L": 1, "E": 10, "C": 7})  # D = 70 → 黄 under v1
    old = lec()
    client = login(world.county_admin)
    url = reverse("risks:standard_revise") + f"?set={old.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"bands": LEC_BANDS_STRICT, "factors": _factor_text(old), "note": "县社文件调整：D=70 属低风险"}
    )
    assert response.status_code == 302
    new = lec()
    assert new.version == 2 and new.pk != old.pk
    old.refresh_from_db()
    assert not old.is_current
    assessment = point.assessments.get()
    assert assessment.band_set == old and assessment.level == "general"  # keeps the bands it was made with
    row = services.assessment_create(
        actor=None,
        scope=Scope.for_user(world.safety_a),
        point=point,
        band_set=new,
        factors={"L": 1, "E": 10, "C": 7},
        assessed_on=datetime.date(2026, 1, 1),
        note="按新标准复评",
    )
    assert row.level == "low"
    assert AuditEvent.objects.filter(action="risks.bandset_revise").count() == 1


def test_an_old_version_is_refused_for_new_assessments(world):
    point = make_point(world, world.ent_a)
    old = lec()
    catalog_services.bandset_revise(
        actor=world.county_admin,
        scope=Scope.for_user(world.county_admin),
        band_set=old,
        bands=[
            {"level": lv, "lower": n, "inclusive": True}
            for lv, n in [("major", 321), ("significant", 160), ("general", 70), ("low", 0)]
        ],
        factors=[{"factor": f.factor, "value": f.value, "label": f.label} for f in old.factors.all()],
        note="x",
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.assessment_create(
            actor=None,
            scope=Scope.for_user(world.safety_a),
            point=point,
            band_set=old,
            factors={"L": 1, "E": 1, "C": 1},
            assessed_on=datetime.date(2026, 1, 1),
        )


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ("major 20 是 a\nsignificant 15 是 b\ngeneral 9 是 c", "四个等级"),
        ("major 20 是 a\nsignificant 15 是 b\ngeneral 9 是 c\nlow 1 是 d", "下限须为 0"),
        ("major 5 是 a\nsignificant 15 是 b\ngeneral 9 是 c\nlow 0 是 d", "顺序不一致"),
        ("major twenty 是 a", "不是数字"),
    ],
)
def test_a_bad_revision_is_refused_with_a_clear_message_and_no_new_version(world, login, bands, message):
    b = BandSet.objects.get(method="ls", variant="A", is_current=True)
    response = login(world.county_admin).post(
        reverse("risks:standard_revise") + f"?set={b.pk}",
        {"bands": bands, "factors": _factor_text(b), "note": "x"},
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert BandSet.objects.filter(method="ls", variant="A").count() == 1


def test_only_a_county_admin_may_revise(world, login):
    b = lec()
    assert login(world.admin_a).get(reverse("risks:standard_revise") + f"?set={b.pk}").status_code == 403
    with pytest.raises(PermissionDenied):
        catalog_services.bandset_revise(
            actor=world.admin_a,
            scope=Scope.for_user(world.admin_a),
            band_set=b,
            bands=[],
            factors=[],
            note="x",
        )
    assert login(world.county_admin).get(reverse("risks:standard_revise") + "?set=999999").status_code == 404


def test_a_county_admin_edits_a_level_policy(world, login):
    client = login(world.county_admin)
    url = reverse("risks:policy_update") + "?level=significant"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"control_level": "department", "review_months": "3", "responsible": "分管负责人"}
    )
    assert response.status_code == 302
    policy = LevelPolicy.objects.get(level="significant")
    assert (policy.control_level, policy.review_months) == ("department", 3)
    assert client.post(url, {"control_level": "department", "review_months": "0"}).status_code == 400


def test_grade_rules_are_revised_as_a_new_version_and_old_grades_keep_theirs(world, login):
    from anbiao.core.testing import system_scope
    from anbiao.risks import grading
    from anbiao.risks.models import EnterpriseGrade

    grading.grades_recompute(actor=None, scope=system_scope(world.county), on=datetime.date(2025, 9, 30))
    first = GradeRuleSet.objects.get(is_current=True)
    client = login(world.county_admin)
    assert client.get(reverse("risks:rule_list")).status_code == 200
    assert client.get(reverse("risks:rule_revise")).status_code == 200
    rules = (
        "risk_points_red gte 1 major 是 {n} 项重大风险\n"
        "risk_points_orange gte 1 significant 是 {n} 项较大风险"
    )
    response = client.post(
        reverse("risks:rule_revise"), {"rules": rules, "default_level": "low", "note": "从严"}
    )
    assert response.status_code == 302
    new = GradeRuleSet.objects.get(is_current=True)
    assert new.version == first.version + 1 and new.rules.count() == 2
    assert EnterpriseGrade.objects.filter(rule_set=first).count() == 3
    bad = client.post(
        reverse("risks:rule_revise"),
        {"rules": "no_such_fact gte 1 major 是 x", "default_level": "low", "note": "x"},
    )
    assert bad.status_code == 400 and "未知的事实" in bad.content.decode()
    assert GradeRuleSet.objects.count() == 2
    assert login(world.admin_a).get(reverse("risks:rule_revise")).status_code == 403


def test_the_seeded_rules_can_be_republished_even_before_other_modules_publish_their_facts(world, login):
    client = login(world.county_admin)
    form = client.get(reverse("risks:rule_revise")).context["form"]
    response = client.post(
        reverse("risks:rule_revise"),
        {"rules": form.initial["rules"], "default_level": "low", "note": "原样重新发布"},
    )
    assert response.status_code == 302
    assert GradeRuleSet.objects.get(is_current=True).rules.filter(fact="hazards_overdue").exists()
