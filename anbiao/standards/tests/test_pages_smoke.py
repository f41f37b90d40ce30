"""Every page of the app opens for the roles that use it (and shows the right object)."""

import pytest
from django.urls import reverse

from anbiao.standards.models import (
    GradeRecord,
    ImprovementItem,
    LookbackReport,
    RuleSet,
    SelfAssessment,
    SiteAssessment,
    SiteChecklist,
    Standard,
)


@pytest.mark.parametrize("user", ["county_admin", "admin_a", "principal_a", "leader"])
def test_every_list_page_opens_for_every_role_that_may_view(world, recs, login, user):
    client = login(getattr(world, user))
    for name in [
        "assessment_list",
        "improvement_list",
        "grade_list",
        "star_list",
        "site_list",
        "lookback_list",
        "overview",
        "standard_list",
    ]:
        response = client.get(reverse(f"standards:{name}"))
        assert response.status_code == 200, (name, response.status_code)


def test_every_detail_page_opens_for_the_unit_admin(world, recs, login):
    client = login(world.admin_a)
    inside, _ = recs
    for name, obj in [
        ("assessment_detail", inside[SelfAssessment]),
        ("improvement_detail", inside[ImprovementItem]),
        ("lookback_detail", inside[LookbackReport]),
        ("grade_detail", inside[GradeRecord]),
        ("site_detail", inside[SiteAssessment]),
        ("enterprise", world.ent_a),
    ]:
        response = client.get(reverse(f"standards:{name}", args=[obj.pk]))
        assert response.status_code == 200, name


def test_the_forms_open_for_the_roles_that_fill_them(world, recs, login):
    admin = login(world.admin_a)
    for name in [
        "grade_create",
        "star_create",
        "site_create",
        "improvement_create",
        "lookback_create",
        "assessment_create",
    ]:
        assert admin.get(reverse(f"standards:{name}")).status_code == 200, name
    assert admin.get(reverse("standards:star_create"), {"enterprise": world.ent_a.pk}).status_code == 200
    assert admin.get(reverse("standards:site_create"), {"kind": "six_have"}).status_code == 200


def test_configuration_pages_open_for_the_county_admin_only(world, login):
    county = login(world.county_admin)
    gbt = Standard.objects.get(code="GB/T 33000-2016")
    assert county.get(reverse("standards:standard_detail"), {"id": gbt.pk}).status_code == 200
    assert county.get(reverse("standards:catalogue_import")).status_code == 200
    assert county.get(reverse("standards:rules")).status_code == 200
    rs = RuleSet.objects.get(kind="level_cap", is_active=True)
    assert county.get(reverse("standards:rules"), {"id": rs.pk}).status_code == 200
    cl = SiteChecklist.objects.get(kind="six_have", is_active=True)
    assert county.get(reverse("standards:checklist"), {"id": cl.pk}).status_code == 200
    admin = login(world.admin_a)
    assert admin.get(reverse("standards:rules")).status_code == 403
    assert admin.get(reverse("standards:catalogue_import")).status_code == 403
    assert admin.get(reverse("standards:standard_detail"), {"id": 999999}).status_code == 404
    assert admin.get(reverse("standards:standard_detail"), {"id": "x"}).status_code == 404


def test_the_scope_matrix_pairs_of_this_app_sit_on_either_side_of_the_sibling_boundary(world):
    from anbiao.core.scope import Scope
    from anbiao.standards.testing import PAIRS

    scope_a = Scope.for_user(world.admin_a)
    principal_b = Scope.for_user(world.principal_b)
    for model in PAIRS:
        inside, outside = world.in_a_and_b(model)
        visible = model.objects.visible_to(scope_a)
        assert visible.filter(pk=inside.pk).exists() and not visible.filter(pk=outside.pk).exists(), model
        assert model.objects.visible_to(principal_b).filter(pk=outside.pk).exists(), model
