"""Pure rules: Art. 24 staffing (boundaries and the 危险物品 flag) and assessment scoring with bands."""

from decimal import Decimal as D

import pytest

from anbiao.duty import rules
from anbiao.duty.rules import Band, StaffingThresholds, art24_check, band_for, score
from anbiao.duty.seed_data import BANDS, STAFFING_RULE

RULE = StaffingThresholds(**{k: v for k, v in STAFFING_RULE.items()})
SAFEHOO = [Band(label, D(m), passed) for label, m, passed in BANDS]


def check(**kw):
    base = {"dangerous_goods": False, "employees": 10, "has_body": False, "full_time": 0, "part_time": 0}
    return art24_check(**{**base, **kw}, rule=RULE)


@pytest.mark.parametrize(
    "employees, dangerous, body, full, part, compliant, strict",
    [
        # ≤ 100 employees, no dangerous goods: one full- or part-time officer is enough
        (100, False, False, 0, 1, True, False),
        (100, False, False, 1, 0, True, False),
        (100, False, False, 0, 0, False, False),
        (100, False, True, 0, 0, False, False),  # a body without any officer does not meet the basic rule
        # > 100 employees: a body or a full-time officer; part-time officers do not count
        (101, False, False, 0, 3, False, True),
        (101, False, False, 1, 0, True, True),
        (101, False, True, 0, 0, True, True),
        # 危险物品 经营/储存: strict whatever the headcount
        (3, True, False, 0, 1, False, True),
        (3, True, False, 1, 0, True, True),
        (3, True, True, 0, 0, True, True),
    ],
)
def test_article_24_on_the_boundaries(employees, dangerous, body, full, part, compliant, strict):
    result = check(
        employees=employees, dangerous_goods=dangerous, has_body=body, full_time=full, part_time=part
    )
    assert (result.compliant, result.strict) == (compliant, strict)


def test_the_reason_names_why_the_strict_rule_applies_and_what_is_missing():
    result = check(employees=150, part_time=2)
    assert "从业人员150人，超过100人" in result.reason
    assert "兼职2人不能替代专职" in result.reason and "不符合" in result.reason
    assert "危险物品" in check(dangerous_goods=True, full_time=1).reason


def test_the_headcount_threshold_is_data_not_code():
    stricter = StaffingThresholds(
        headcount_threshold=50, strict_min_full_time=2, basic_min_officers=1, source="地方规定"
    )
    assert not art24_check(
        dangerous_goods=False, employees=51, has_body=False, full_time=1, part_time=0, rule=stricter
    ).compliant
    assert art24_check(
        dangerous_goods=False, employees=51, has_body=False, full_time=2, part_time=0, rule=stricter
    ).compliant
    assert art24_check(
        dangerous_goods=False, employees=50, has_body=False, full_time=0, part_time=1, rule=stricter
    ).compliant


@pytest.mark.parametrize(
    "percent, label",
    [
        ("100", "优秀"),
        ("90", "优秀"),
        ("89.9", "良好"),
        ("75", "良好"),
        ("74.9", "合格"),
        ("60", "合格"),
        ("59.9", "不合格"),
        ("0", "不合格"),
    ],
)
def test_result_bands_follow_the_safehoo_template(percent, label):
    assert band_for(D(percent), SAFEHOO).label == label


ITEMS = [(1, D("15")), (2, D("15")), (3, D("15")), (4, D("15")), (5, D("15")), (6, D("15")), (7, D("10"))]


def test_a_score_is_full_marks_minus_deductions_with_its_band():
    result = score(ITEMS, {3: D("5"), 7: D("6")}, SAFEHOO)
    assert (result.full_marks, result.score, result.percent, result.band, result.passed) == (
        D("100.0"),
        D("89.0"),
        D("89.0"),
        "良好",
        True,
    )
    assert score(ITEMS, {}, SAFEHOO).band == "优秀"
    assert score(ITEMS, {1: D("15"), 2: D("15"), 3: D("11")}, SAFEHOO).passed is False


def test_a_list_whose_full_marks_are_not_100_is_scored_on_a_hundred_point_scale():
    result = score([(1, D("30")), (2, D("20"))], {1: D("6")}, SAFEHOO)
    assert result.score == D("44.0") and result.percent == D("88.0") and result.band == "良好"


@pytest.mark.parametrize(
    "deductions, message",
    [
        ({1: D("16")}, "第1项扣分（16）超过该项满分（15）"),
        ({2: D("-1")}, "第2项扣分不能为负数"),
        ({9: D("1")}, "第9项不在考核清单中"),
    ],
)
def test_impossible_deductions_are_refused_naming_the_item(deductions, message):
    with pytest.raises(rules.ScoringError, match=message.replace("（", ".").replace("）", ".")):
        score(ITEMS, deductions, SAFEHOO)


def test_a_list_without_assessment_items_cannot_be_scored_and_bands_must_exist():
    with pytest.raises(rules.ScoringError):
        score([], {}, SAFEHOO)
    with pytest.raises(rules.ScoringError):
        band_for(D("80"), [])


def test_article_24_is_judged_on_the_headcount_the_enterprise_had_on_the_date(world):
    """An enterprise of 99 staff that grew to 150 in 2025 needed a full-time officer only from then on."""
    import datetime as dt

    from anbiao.core.testing import system_scope
    from anbiao.duty.selectors import with_duty_status
    from anbiao.orgs import services as org_services
    from anbiao.orgs.models import Enterprise

    root = system_scope(world.county)
    org_services.enterprise_update(
        actor=None,
        scope=root,
        enterprise=world.ent_a,
        data={"employee_count": 99},
        effective=dt.date(2024, 6, 1),
    )
    org_services.enterprise_update(
        actor=None,
        scope=root,
        enterprise=world.ent_a,
        data={"employee_count": 150},
        effective=dt.date(2025, 3, 1),
    )
    qs = Enterprise.objects.filter(pk=world.ent_a.pk)
    assert with_duty_status(qs, dt.date(2024, 12, 31)).get().employees_on_day == 99
    assert with_duty_status(qs, dt.date(2025, 6, 30)).get().employees_on_day == 150
