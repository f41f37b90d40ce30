"""Pure scoring rules, checked against worked examples (domain.md §1.2) and the seeded rule tables."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anbiao.standards import scoring, selectors
from anbiao.standards.choices import RuleKind
from anbiao.standards.scoring import ItemInput, SiteInput

THRESHOLDS = {1: D("90"), 2: D("75"), 3: D("60")}


@pytest.mark.parametrize(
    ("earned", "full", "not_applicable", "expected"),
    [
        ("85", "100", "0", "85.0"),  # nothing 不涉及
        ("68", "100", "20", "85.0"),  # 68 ÷ (100 − 20) × 100
        ("361.8", "460", "60", "90.5"),  # 90.45 rounds half up, not to even
        ("62.25", "100", "0", "62.3"),  # half up
        ("1", "3", "0", "33.3"),
        ("2", "3", "0", "66.7"),
        ("855", "1000", "50", "90.0"),  # 1000-point 细则: 855 ÷ 950 = 90.0
        ("0", "100", "100", "0.0"),  # everything 不涉及: no division by zero
    ],
)
def test_the_percentage_drops_not_applicable_points_from_the_denominator_and_rounds_half_up(
    earned, full, not_applicable, expected
):
    assert scoring.percent(D(earned), D(full), D(not_applicable)) == D(expected)


def test_a_deduction_larger_than_the_item_stops_at_zero_and_not_applicable_earns_nothing():
    assert scoring.item_earned(D("5"), True, D("7")) == D("0")
    assert scoring.item_earned(D("5"), True, D("1.5")) == D("3.5")
    assert scoring.item_earned(D("5"), False, D("0")) == D("0")


def test_scores_are_summed_per_element_and_overall():
    items = [
        ItemInput("5.1.1.1", "5.1", D("10"), deduction=D("2")),
        ItemInput("5.1.1.2", "5.1", D("10"), applicable=False),
        ItemInput("5.2.1.1", "5.2", D("20"), deduction=D("25")),
        ItemInput("5.2.2.1", "5.2", D("10")),
    ]
    r = scoring.score(items)
    assert (r.full, r.not_applicable, r.earned) == (D("50"), D("10"), D("18"))
    assert r.percent == D("45.0")
    assert r.elements["5.1"].percent == D("80.0")
    assert r.elements["5.2"].earned == D("10") and r.elements["5.2"].deductions == 1


@pytest.mark.parametrize(
    ("pct", "level"),
    [("100", 1), ("90.0", 1), ("89.9", 2), ("75.0", 2), ("74.9", 3), ("60.0", 3), ("59.9", None)],
)
def test_the_level_follows_the_thresholds(pct, level):
    assert scoring.level_by_score(D(pct), THRESHOLDS) == level


def test_thresholds_are_data_a_stricter_standard_moves_the_level():
    assert scoring.level_by_score(D("92"), {1: D("95"), 2: D("80"), 3: D("70")}) == 2


def test_a_failed_veto_item_blocks_every_level_whatever_the_score():
    r = scoring.score([ItemInput("5.1.2.1", "5.1", D("15"), is_veto=True, veto_failed=True)])
    assert r.veto_failed == ["5.1.2.1"] and r.percent == D("100.0")
    assert scoring.level_by_score(r.percent, THRESHOLDS, veto_failed=bool(r.veto_failed)) is None


def test_a_veto_flag_on_a_non_veto_or_not_applicable_item_is_not_a_veto_finding():
    r = scoring.score(
        [
            ItemInput("a", "x", D("5"), is_veto=False, veto_failed=True),
            ItemInput("b", "x", D("5"), applicable=False, is_veto=True, veto_failed=True),
        ]
    )
    assert r.veto_failed == []


def test_an_ungraded_standard_gives_pass_or_nothing():
    assert scoring.level_by_score(D("60"), THRESHOLDS, graded=False) == scoring.NOT_GRADED
    assert scoring.level_by_score(D("59.9"), THRESHOLDS, graded=False) is None


@given(
    st.lists(
        st.tuples(
            st.integers(1, 30),
            st.booleans(),
            st.decimals(0, 40, places=1, allow_nan=False, allow_infinity=False),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_the_percentage_is_always_between_0_and_100_and_more_deductions_never_raise_it(rows):
    items = [ItemInput(str(n), "e", D(s), a, D(d)) for n, (s, a, d) in enumerate(rows)]
    r = scoring.score(items)
    assert D("0") <= r.percent <= D("100")
    more = [ItemInput(i.code, i.element, i.score, i.applicable, i.deduction + 1) for i in items]
    assert scoring.score(more).percent <= r.percent


# --- seeded rules ----------------------------------------------------------------------------------------
@pytest.fixture
def star_rows(db):
    return selectors.rule_rows(selectors.active_ruleset(RuleKind.STAR))


@pytest.mark.parametrize(
    ("facts", "stars"),
    [
        ({"standard_grade_level": 2}, 5),  # 丰泽 pilot: 二级 → 五星
        ({"standard_grade_level": 1}, 5),
        ({"standard_grade_level": 3}, 4),
        ({"standard_grade_level": 4}, 3),  # 不定级 (泉州标准) passed → 三星
        ({"self_assessment_score": 72.5}, 2),
        ({}, 1),  # 未开展创建 → 一星
        ({"standard_grade_level": 2, "major_hazards_open": 1}, 2),  # capped by an open major hazard
        ({"standard_grade_level": 2, "accident_deaths_12m": 1}, 1),
        ({"standard_grade_level": 4, "accidents_12m": 2}, 3),  # cap above the result changes nothing
    ],
)
def test_the_seeded_star_rules_follow_the_fengze_pilot_mapping(star_rows, facts, stars):
    got, reasons = scoring.suggest_stars(star_rows, facts)
    assert got == stars and reasons


def test_the_accident_record_caps_the_level_a_self_assessment_supports(db):
    rows = selectors.rule_rows(selectors.active_ruleset(RuleKind.LEVEL_CAP))
    assert scoring.cap_level(1, rows, {}) == (1, [])
    level, reasons = scoring.cap_level(1, rows, {"accident_deaths_12m": 1})
    assert level is None and "死亡" in reasons[0]
    assert scoring.cap_level(2, rows, {"accident_injuries_12m": 2})[0] == 2
    assert scoring.cap_level(None, rows, {"accident_deaths_12m": 1}) == (None, [])


def test_a_cap_row_with_a_level_lowers_but_never_raises_the_level():
    rows = [scoring.RuleRow(1, "accidents_12m", "gt", D("0"), "cap", 2, "事故")]
    assert scoring.cap_level(1, rows, {"accidents_12m": 1}) == (2, ["事故"])
    assert scoring.cap_level(3, rows, {"accidents_12m": 1}) == (3, [])


def test_revocation_rules_flag_findings(db):
    rows = selectors.rule_rows(selectors.active_ruleset(RuleKind.REVOCATION))
    assert scoring.flags(rows, {}) == []
    assert len(scoring.flags(rows, {"accident_deaths_12m": 1, "major_hazards_open": 2})) == 2


@pytest.mark.parametrize(
    ("mode", "threshold", "results", "passed"),
    [
        ("all_pass", 0, [SiteInput(True)] * 6, True),
        ("all_pass", 0, [SiteInput(True)] * 5 + [SiteInput(False)], False),
        ("min_each", 80, [SiteInput(True, D("80"))] * 5, True),
        ("min_each", 80, [SiteInput(True, D("95"))] * 4 + [SiteInput(True, D("79.5"))], False),
        ("min_each", 80, [SiteInput(True, None)] * 5, False),
        ("min_average", 80, [SiteInput(False, D("70")), SiteInput(True, D("90"))], True),
        ("min_average", 80, [SiteInput(False, D("70")), SiteInput(True, D("89"))], False),
        ("all_pass", 0, [], False),
    ],
)
def test_a_site_assessment_passes_by_its_checklists_rule(mode, threshold, results, passed):
    assert scoring.site_passes(mode, D(threshold), results) is passed
