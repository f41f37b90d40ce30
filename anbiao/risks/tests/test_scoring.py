"""Score → level at every band edge for each method and variant (domain.md §2.2–2.4), and the grade rules."""

import itertools
from decimal import Decimal

import pytest

from anbiao.risks import catalog, scoring
from anbiao.risks.choices import Level
from anbiao.risks.models import BandSet
from anbiao.risks.scoring import BandSpec, RuleSpec
from anbiao.risks.selectors import band_specs

M, S, G, L = Level.MAJOR, Level.SIGNIFICANT, Level.GENERAL, Level.LOW


def specs(rows):
    return [BandSpec(level, Decimal(str(lower)), inc, meaning) for level, lower, inc, meaning in rows]


LEC = specs(catalog.LEC_BANDS)
LS = {v: specs(rows) for v, rows in catalog.LS_BANDS.items()}
MES = specs(catalog.MES_BANDS)


@pytest.mark.parametrize(
    ("score", "level", "meaning"),
    [
        ("400", M, "极其危险，不能继续作业"),
        ("320.01", M, "极其危险，不能继续作业"),
        ("320", S, "高度危险，需立即整改"),  # the classic band is "> 320"
        ("160", S, "高度危险，需立即整改"),
        ("159.99", G, "显著危险，需要整改"),
        ("70", G, "显著危险，需要整改"),  # D = 70 → 黄 by default (从严从高)
        ("69.99", L, "一般危险，需要注意"),
        ("20", L, "一般危险，需要注意"),
        ("19.99", L, "稍有危险，可以接受"),
        ("0.01", L, "稍有危险，可以接受"),
    ],
)
def test_lec_classic_bands_at_every_edge(score, level, meaning):
    band = scoring.classify(score, LEC)
    assert (band.level, band.meaning) == (level, meaning)


def test_d_equal_to_70_is_reachable_from_the_tables_and_is_yellow():
    score = scoring.product([1, 10, 7])
    assert score == Decimal("70.00")
    assert scoring.classify(score, LEC).level == G


def test_making_the_70_edge_exclusive_turns_d_70_blue():
    bands = [b if b.lower != 70 else BandSpec(G, Decimal(70), False, b.meaning) for b in LEC]
    assert scoring.classify(70, bands).level == L
    assert scoring.classify("70.01", bands).level == G


def test_160_and_320_cannot_be_produced_from_the_lec_tables():
    values = (
        [v for v, _ in catalog.LEC_FACTORS["L"]],
        [v for v, _ in catalog.LEC_FACTORS["E"]],
        [v for v, _ in catalog.LEC_FACTORS["C"]],
    )
    products = {scoring.product(p) for p in itertools.product(*values)}
    assert Decimal(160) not in products and Decimal(320) not in products
    assert Decimal(70) in products


# Every product L × S can take (1–25), and its level in variants A, B and C (domain.md §2.3).
LS_TABLE = {
    1: (L, L, L),
    2: (L, L, L),
    3: (L, L, L),
    4: (L, G, G),
    5: (L, G, G),
    6: (L, G, G),
    8: (L, G, G),
    9: (G, S, G),
    10: (G, S, S),
    12: (G, S, S),
    15: (S, S, S),
    16: (S, S, S),
    20: (M, M, M),
    25: (M, M, M),
}


@pytest.mark.parametrize(("score", "levels"), LS_TABLE.items())
def test_ls_variants_a_b_c_at_every_reachable_score(score, levels):
    got = tuple(scoring.classify(score, LS[v]).level for v in "ABC")
    assert got == levels


def test_the_ls_table_above_covers_every_product_of_the_5_by_5_matrix():
    assert {a * b for a in range(1, 6) for b in range(1, 6)} == set(LS_TABLE)


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (180, M),
        ("179.99", S),
        (150, S),
        (90, S),
        ("89.99", G),
        (80, G),
        (50, G),
        ("49.99", L),
        (48, L),
        (20, L),
        (18, L),
        ("0.5", L),
    ],
)
def test_mes_bands_at_every_edge(score, level):
    assert scoring.classify(score, MES).level == level


def test_no_mes_product_falls_in_a_gap_between_the_documented_ranges():
    tables = [[v for v, _ in catalog.MES_FACTORS[f]] for f in ("M", "E", "S")]
    products = {scoring.product(p) for p in itertools.product(*tables)}
    gaps = [(150, 180), (80, 90), (48, 50), (18, 20)]
    assert not [p for p in products for lo, hi in gaps if lo < p < hi]


@pytest.mark.django_db
def test_the_seeded_band_sets_match_the_domain_tables():
    current = {(b.method, b.variant): b for b in BandSet.objects.filter(is_current=True)}
    assert set(current) == {("lec", "classic"), ("ls", "A"), ("ls", "B"), ("ls", "C"), ("mes", "classic")}
    assert sorted(band_specs(current[("lec", "classic")]), key=lambda b: b.lower) == sorted(
        LEC, key=lambda b: b.lower
    )
    assert current[("ls", "A")].is_default and not current[("ls", "B")].is_default
    assert "http" in current[("ls", "B")].source


def test_a_manual_raise_may_only_make_the_level_more_severe():
    assert scoring.final_level(G, M) == M
    assert scoring.final_level(G, None) == G
    with pytest.raises(ValueError):
        scoring.final_level(S, L)
    with pytest.raises(ValueError):
        scoring.final_level(S, S)


RULES = [RuleSpec(f, c, Decimal(t), r, reason) for f, c, t, r, reason, active in catalog.RULES if active]


@pytest.mark.parametrize(
    ("facts", "level", "reasons"),
    [
        ({}, L, []),
        ({"risk_points_orange": 1}, G, ["1 项较大风险"]),
        ({"risk_points_orange": 2, "hazards_overdue": 1}, S, ["2 项较大风险", "1 条逾期隐患"]),
        (
            {"risk_points_red": 1, "risk_points_red_uncontrolled": 1},
            M,
            ["1 项重大风险未有效管控", "1 项重大风险"],
        ),
        ({"major_hazards_listed": 1, "hazards_open": 5}, M, ["1 条重大隐患挂牌督办", "5 条隐患未整改"]),
        ({"hazards_open": 2}, L, []),
        ({"risk_points_review_overdue": 3}, G, ["3 个风险点逾期未复评"]),
        (
            {"accident_deaths_12m": 1, "accidents_12m": 1},
            M,
            ["近12个月事故死亡 1 人", "近12个月发生事故 1 起"],
        ),
    ],
)
def test_the_default_grade_rules_on_constructed_facts(facts, level, reasons):
    result = scoring.grade(facts, RULES)
    assert result.level == level
    assert result.reasons == reasons


def test_the_grade_summary_reads_like_the_notice():
    result = scoring.grade({"risk_points_orange": 2, "hazards_overdue": 1}, RULES)
    assert result.summary == "橙：2 项较大风险，1 条逾期隐患"


def test_comparisons_other_than_at_least_work():
    rules = [
        RuleSpec("standard_grade_level", "eq", Decimal(0), G, "未达标"),
        RuleSpec("x", "lt", Decimal(2), S, "少"),
    ]
    assert scoring.grade({"standard_grade_level": 0, "x": 5}, rules).reasons == ["未达标"]
    assert scoring.grade({"standard_grade_level": 2, "x": 1}, rules).level == S
