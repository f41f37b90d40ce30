"""Risk points and assessments: services and pages; history kept; raise allowed, lowering refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from anbiao.core.models import AuditEvent
from anbiao.core.scope import Scope
from anbiao.risks import services
from anbiao.risks.models import BandSet, RiskAssessment, RiskPoint
from anbiao.risks.testing import ASSESSED_ON, lec, make_point


def scope(user):
    return Scope.for_user(user)


def ls(variant="A"):
    return BandSet.objects.get(method="ls", variant=variant, is_current=True)


def test_an_enterprise_safety_officer_creates_a_point_through_the_page_and_it_is_audited(world, login):
    client = login(world.safety_a)
    url = reverse("risks:point_create", args=[world.ent_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "叉车作业",
            "kind": "activity",
            "location": "仓库",
            "hazard_factors": ["12", "21"],
            "accident_types": ["02"],
            "check_cycle": "daily",
            "measures_management": "叉车每日点检",
        },
    )
    point = RiskPoint.objects.get(name="叉车作业")
    assert response.status_code == 302 and response["Location"] == reverse(
        "risks:point_assess", args=[point.pk]
    )
    assert point.enterprise == world.ent_a and point.hazard_factors == ["12", "21"] and point.level == ""
    assert AuditEvent.objects.filter(action="risks.point_create", object_id=str(point.pk)).exists()


def test_a_point_form_with_a_missing_name_names_the_field_and_writes_nothing(world, login):
    before = RiskPoint.objects.count()
    response = login(world.safety_a).post(
        reverse("risks:point_create", args=[world.ent_a.pk]), {"kind": "area"}
    )
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert RiskPoint.objects.count() == before


def test_assessing_by_lec_on_the_page_computes_score_level_and_control_level(world, login):
    point = services.point_create(
        actor=world.safety_a,
        scope=scope(world.safety_a),
        enterprise=world.ent_a,
        data={"name": "配电房", "kind": "area"},
    )
    client = login(world.safety_a)
    url = reverse("risks:point_assess", args=[point.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "完全可以预料" in page.content.decode()  # labels shown, not bare numbers
    response = client.post(
        url,
        {
            "band_set": lec().pk,
            "lec_L": "1",
            "lec_E": "10",
            "lec_C": "7",
            "assessed_on": "2026-11-01",
            "controls_effective": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    point.refresh_from_db()
    assert point.score == 70 and point.level == "general" and point.control_level == "department"
    assert point.next_review_on == datetime.date(2027, 11, 1)
    row = point.assessments.get()
    assert row.factors["L"] == {"value": 1.0, "label": "可能性小，完全意外"}
    assert row.band_set.version == 1
    assert AuditEvent.objects.filter(action="risks.assessment_create", object_id=str(row.pk)).exists()


def test_a_factor_value_outside_the_table_is_refused_naming_the_factor(world):
    point = make_point(world, world.ent_a)
    before = RiskAssessment.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.assessment_create(
            actor=None,
            scope=scope(world.safety_a),
            point=point,
            band_set=lec(),
            factors={"L": 4, "E": 6, "C": 7},
            assessed_on=ASSESSED_ON,
        )
    assert "因子 L" in str(exc.value.message_dict["factor_L"])
    assert RiskAssessment.objects.count() == before


def test_the_same_refusal_comes_back_on_the_page_next_to_the_factor(world, login):
    point = make_point(world, world.ent_a)
    response = login(world.safety_a).post(
        reverse("risks:point_assess", args=[point.pk]),
        {"band_set": ls().pk, "ls_L": "", "ls_S": "3", "assessed_on": "2026-11-01"},
    )
    assert response.status_code == 400
    assert "ls_L" in response.context["form"].errors


def test_every_reassessment_is_its_own_dated_row_and_the_latest_gives_the_level(world):
    point = make_point(world, world.ent_a)  # 3×6×7 = 126 yellow on 2025-06-30
    services.assessment_create(
        actor=None,
        scope=scope(world.safety_a),
        point=point,
        band_set=ls("B"),
        factors={"L": 3, "S": 4},
        assessed_on=datetime.date(2026, 3, 1),
    )
    point.refresh_from_db()
    assert point.level == "significant" and point.score == 12  # LS variant B: 9–16 橙
    assert list(point.assessments.values_list("level", flat=True)) == ["significant", "general"]
    # a back-dated entry is kept and marked, but does not become the current level
    old = services.assessment_create(
        actor=None,
        scope=scope(world.safety_a),
        point=point,
        band_set=lec(),
        factors={"L": 1, "E": 1, "C": 1},
        assessed_on=datetime.date(2024, 5, 1),
    )
    point.refresh_from_db()
    assert old.backdated and point.level == "significant" and point.assessments.count() == 3


def test_a_lower_reassessment_needs_a_reason_so_nothing_is_lowered_silently(world):
    point = make_point(world, world.ent_a, factors={"L": 6, "E": 6, "C": 7})  # 252 橙
    before = RiskAssessment.objects.count()
    args = dict(
        actor=None,
        scope=scope(world.safety_a),
        point=point,
        band_set=lec(),
        factors={"L": 1, "E": 6, "C": 7},
        assessed_on=datetime.date(2026, 1, 5),
    )
    with pytest.raises(ValidationError) as exc:
        services.assessment_create(**args)
    assert "降级原因" in str(exc.value)
    assert RiskAssessment.objects.count() == before
    services.assessment_create(**args, note="增设防护栏后复评")
    point.refresh_from_db()
    assert point.level == "low"


def test_a_manual_raise_is_allowed_and_kept_as_its_own_row(world, login):
    point = make_point(world, world.ent_a)  # yellow
    client = login(world.safety_a)
    assert client.get(reverse("risks:point_raise", args=[point.pk])).status_code == 200
    response = client.post(
        reverse("risks:point_raise", args=[point.pk]),
        {"level": "major", "reason": "同类事故多发，从严从高", "on": "2026-11-01"},
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.level == "major"
    raise_row = point.assessments.first()
    assert (raise_row.kind, raise_row.computed_level, raise_row.raised_level) == ("raise", "general", "major")
    assert AuditEvent.objects.filter(action="risks.level_raise").count() == 1


@pytest.mark.parametrize("level", ["general", "low"])
def test_lowering_or_keeping_the_level_by_hand_is_refused_and_writes_nothing(world, login, level):
    point = make_point(world, world.ent_a)  # yellow
    client = login(world.safety_a)
    before = (RiskAssessment.objects.count(), AuditEvent.objects.count())
    response = client.post(
        reverse("risks:point_raise", args=[point.pk]),
        {"level": level, "reason": "想降级", "on": "2026-11-01"},
    )
    assert response.status_code == 400
    assert "只能调高" in str(response.context["form"].errors["level"])
    assert (RiskAssessment.objects.count(), AuditEvent.objects.count()) == before
    point.refresh_from_db()
    assert point.level == "general"


def test_a_raise_in_the_assessment_itself_must_be_higher_and_have_a_reason(world):
    point = make_point(world, world.ent_a)
    common = dict(
        actor=None, scope=scope(world.safety_a), point=point, band_set=lec(), assessed_on=ASSESSED_ON
    )
    with pytest.raises(ValidationError):
        services.assessment_create(**common, factors={"L": 6, "E": 6, "C": 7}, raised_level="general")
    with pytest.raises(ValidationError):
        services.assessment_create(**common, factors={"L": 3, "E": 6, "C": 7}, raised_level="major")
    row = services.assessment_create(
        **common, factors={"L": 3, "E": 6, "C": 7}, raised_level="major", raise_reason="涉及危化品"
    )
    assert (row.computed_level, row.level) == ("general", "major")


def test_editing_and_retiring_a_point_keeps_its_history(world, login):
    point = make_point(world, world.ent_a)
    client = login(world.safety_a)
    assert client.get(reverse("risks:point_update", args=[point.pk])).status_code == 200
    response = client.post(
        reverse("risks:point_update", args=[point.pk]),
        {"name": "低压配电房", "kind": "area", "check_cycle": "weekly", "accident_types": ["05", "08"]},
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.name == "低压配电房" and point.accident_types == ["05", "08"]
    assert client.get(reverse("risks:point_retire", args=[point.pk])).status_code == 200
    bad = client.post(reverse("risks:point_retire", args=[point.pk]), {"on": "2026-11-01", "reason": ""})
    assert bad.status_code == 400
    client.post(reverse("risks:point_retire", args=[point.pk]), {"on": "2026-11-01", "reason": "设备拆除"})
    point.refresh_from_db()
    assert point.status == "retired" and point.assessments.count() == 1
    with pytest.raises(ValidationError):
        services.assessment_create(
            actor=None,
            scope=scope(world.safety_a),
            point=point,
            band_set=lec(),
            factors={"L": 1, "E": 1, "C": 1},
            assessed_on=datetime.date(2026, 11, 2),
        )


def test_a_sibling_units_point_is_404_on_its_pages_and_refused_by_the_service(world, login):
    point_b = make_point(world, world.ent_b)
    client = login(world.admin_a)
    for name in ("risks:point_detail", "risks:point_assess", "risks:point_card"):
        assert client.get(reverse(name, args=[point_b.pk])).status_code == 404
    before = RiskPoint.objects.count()
    with pytest.raises(PermissionDenied):
        services.point_create(
            actor=world.admin_a,
            scope=scope(world.admin_a),
            enterprise=world.ent_b,
            data={"name": "x", "kind": "area"},
        )
    assert RiskPoint.objects.count() == before


def test_a_leader_reads_points_but_may_not_assess_them(world, login):
    point = make_point(world, world.ent_a)
    client = login(world.leader)
    assert client.get(reverse("risks:point_detail", args=[point.pk])).status_code == 200
    assert client.get(reverse("risks:point_assess", args=[point.pk])).status_code == 403


def test_the_point_list_filters_by_level_and_overdue_and_exports_the_same_rows(world, login):
    yellow = make_point(world, world.ent_a)
    make_point(world, world.ent_a, name="仓库", factors={"L": 1, "E": 3, "C": 3})
    client = login(world.admin_a)
    page = client.get(reverse("risks:point_list"), {"level": "general"})
    assert [p.pk for p in page.context["object_list"]] == [yellow.pk]
    overdue = client.get(reverse("risks:point_list"), {"overdue": "true"})
    assert len(overdue.context["object_list"]) == 2  # assessed 2025-06-30, review after 12 months
    unassessed = client.get(reverse("risks:point_list"), {"assessed": "no"})
    assert list(unassessed.context["object_list"]) == []
    import io

    import openpyxl

    export = client.get(reverse("risks:point_export"), {"level": "general"})
    ws = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert ws.cell(1, 1).value == "企业" and ws.cell(2, 3).value == "配电房" and ws.max_row == 2


def test_the_point_list_runs_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    for i in range(12):
        make_point(world, world.ent_a, name=f"点{i}")
    client = login(world.admin_a)
    client.get(reverse("risks:point_list"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("risks:point_list"))
    assert response.status_code == 200 and len(response.context["object_list"]) == 12


def test_the_enterprise_page_counts_points_by_colour(world, login):
    make_point(world, world.ent_a)
    make_point(world, world.ent_a, name="油罐", factors={"L": 3, "E": 6, "C": 40})
    response = login(world.principal_a).get(reverse("risks:enterprise_risks", args=[world.ent_a.pk]))
    assert response.context["counts"] == {"major": 1, "significant": 0, "general": 1, "low": 0}
