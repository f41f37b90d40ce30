"""年度考核: scoring against the list in force, bands as data, rewards, and the 季报表(三) cells."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from anbiao.core.models import AuditEvent
from anbiao.core.scope import Scope
from anbiao.duty import selectors, services
from anbiao.duty.choices import Outcome
from anbiao.duty.models import AssessmentScore, ResultBand
from anbiao.duty.tests.conftest import publish
from anbiao.orgs.models import Enterprise

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def assessed(world, shop):
    publish(shop, shop["principal_post"])
    publish(shop, shop["clerk_post"])
    a = services.assessment_start(
        actor=shop["actor"], scope=shop["scope"], enterprise=world.ent_a, year=2025, started_on=D(2025, 12, 1)
    )
    return a


def _item(post, number):
    return selectors.effective_list(post, D(2025, 12, 1)).assess_items.get(number=number)


def test_a_post_holder_is_scored_against_the_list_in_force_with_reasons_and_a_band(world, shop, assessed):
    item3 = _item(shop["principal_post"], 3)
    item7 = _item(shop["principal_post"], 7)
    score = services.score_record(
        actor=shop["actor"],
        scope=shop["scope"],
        assessment=assessed,
        holding=shop["boss_holding"],
        scored_on=D(2025, 12, 10),
        assessor="考核小组",
        deductions={item3.pk: ("5", "培训计划未完成"), item7.pk: ("6", "事故报告迟报一次")},
    )
    assert (score.full_marks, score.score, score.band, score.passed) == (
        Decimal("100.0"),
        Decimal("89.0"),
        "良好",
        True,
    )
    assert sorted(score.deductions.values_list("reason", flat=True)) == ["事故报告迟报一次", "培训计划未完成"]
    assert AuditEvent.objects.filter(action="duty.score_record", object_id=str(score.pk)).exists()
    # re-scoring replaces the earlier score
    again = services.score_record(
        actor=shop["actor"],
        scope=shop["scope"],
        assessment=assessed,
        holding=shop["boss_holding"],
        scored_on=D(2025, 12, 11),
        assessor="考核小组",
        deductions={},
    )
    assert again.pk == score.pk and again.score == Decimal("100.0") and again.band == "优秀"
    assert again.deductions.count() == 0


def test_a_deduction_needs_a_reason_and_cannot_exceed_the_item(world, shop, assessed):
    item = _item(shop["principal_post"], 1)
    for deductions, text in (
        ({item.pk: ("3", "")}, "请填写扣分原因"),
        ({item.pk: ("16", "太多")}, "超过该项满分"),
    ):
        with pytest.raises(ValidationError, match=text):
            services.score_record(
                actor=shop["actor"],
                scope=shop["scope"],
                assessment=assessed,
                holding=shop["boss_holding"],
                scored_on=D(2025, 12, 10),
                assessor="",
                deductions=deductions,
            )
    assert not AssessmentScore.objects.exists()


def test_bands_come_from_the_version_valid_on_the_scoring_day(world, shop, assessed):
    services.bands_replace(
        actor=world.county_admin,
        scope=Scope.for_user(world.county_admin),
        bands=[
            {"label": "称职", "min_score": "80", "passed": True},
            {"label": "基本称职", "min_score": "60", "passed": True},
            {"label": "不称职", "min_score": "0", "passed": False},
        ],
        valid_from=D(2025, 12, 15),
        source="企业自定",
    )
    item = _item(shop["clerk_post"], 1)
    early = services.score_record(
        actor=shop["actor"],
        scope=shop["scope"],
        assessment=assessed,
        holding=shop["boss_holding"],
        scored_on=D(2025, 12, 10),
        assessor="",
        deductions={},
    )
    late = services.score_record(
        actor=shop["actor"],
        scope=shop["scope"],
        assessment=assessed,
        holding=shop["clerk_holding"],
        scored_on=D(2025, 12, 20),
        assessor="",
        deductions={item.pk: ("15", "违章两次")},
    )
    assert early.band == "优秀" and late.band == "称职"
    assert ResultBand.objects.filter(label="优秀", valid_to=D(2025, 12, 15)).exists()


def test_only_the_county_admin_edits_bands_and_rules(world):
    before = ResultBand.objects.count()
    with pytest.raises(PermissionDenied):
        services.bands_replace(
            actor=world.admin_a,
            scope=Scope.for_user(world.admin_a),
            bands=[],
            valid_from=D(2026, 1, 1),
            source="x",
        )
    with pytest.raises(ValidationError, match="最低一档"):
        services.bands_replace(
            actor=world.county_admin,
            scope=Scope.for_user(world.county_admin),
            bands=[{"label": "好", "min_score": 80}, {"label": "差", "min_score": 10}],
            valid_from=D(2026, 1, 1),
            source="x",
        )
    assert ResultBand.objects.count() == before


def test_rewards_and_the_quarterly_table_three_cells(world, shop, assessed):
    score = services.score_record(
        actor=shop["actor"],
        scope=shop["scope"],
        assessment=assessed,
        holding=shop["boss_holding"],
        scored_on=D(2025, 12, 10),
        assessor="",
        deductions={},
    )
    services.score_record(
        actor=shop["actor"],
        scope=shop["scope"],
        assessment=assessed,
        holding=shop["clerk_holding"],
        scored_on=D(2025, 12, 10),
        assessor="",
        deductions={},
    )
    with pytest.raises(ValidationError):  # a paid reward needs an amount
        services.score_set_outcome(
            actor=shop["actor"],
            scope=shop["scope"],
            score=score,
            outcome=Outcome.REWARD,
            amount=0,
            decided_on=D(2025, 12, 20),
            paid_on=D(2026, 1, 5),
        )
    services.score_set_outcome(
        actor=shop["actor"],
        scope=shop["scope"],
        score=score,
        outcome=Outcome.REWARD,
        amount="2500",
        decided_on=D(2025, 12, 20),
        paid_on=D(2026, 1, 5),
        note="年度优秀",
    )
    with pytest.raises(ValidationError):
        services.assessment_complete(
            actor=shop["actor"], scope=shop["scope"], assessment=assessed, completed_on=D(2025, 12, 5)
        )
    services.assessment_complete(
        actor=shop["actor"], scope=shop["scope"], assessment=assessed, completed_on=D(2025, 12, 28)
    )
    with pytest.raises(ValidationError):  # no scoring after completion
        services.score_record(
            actor=shop["actor"],
            scope=shop["scope"],
            assessment=assessed,
            holding=shop["clerk_holding"],
            scored_on=D(2025, 12, 29),
            assessor="",
            deductions={},
        )
    ents = Enterprise.objects.all()
    q4, q1 = (D(2025, 1, 1), D(2025, 12, 31)), (D(2025, 1, 1), D(2026, 3, 31))
    assert set(selectors.enterprises_assessed(ents, *q4)) == {world.ent_a}
    assert not selectors.enterprises_paid_rewards(ents, *q4).exists()  # paid only in January 2026
    assert set(selectors.enterprises_paid_rewards(ents, *q1)) == {world.ent_a}
    assert selectors.reward_funds_wan(ents, *q1) == Decimal("0.2500")
    assert selectors.count_posts_rewarded(ents, *q1) == 1
    assert selectors.count_posts_rewarded(Enterprise.objects.filter(pk=world.ent_b.pk), *q1) == 0


def test_the_principal_may_assess_but_the_safety_officer_may_not(world, shop):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.assessment_start(
            actor=world.safety_a,
            scope=Scope.for_user(world.safety_a),
            enterprise=world.ent_a,
            year=2025,
            started_on=D(2025, 12, 1),
        )
    assert AuditEvent.objects.count() == before
    a = services.assessment_start(
        actor=world.principal_a,
        scope=Scope.for_user(world.principal_a),
        enterprise=world.ent_a,
        year=2025,
        started_on=D(2025, 12, 1),
    )
    with pytest.raises(ValidationError):  # one assessment a year
        services.assessment_start(
            actor=world.principal_a,
            scope=Scope.for_user(world.principal_a),
            enterprise=world.ent_a,
            year=2025,
            started_on=D(2025, 12, 2),
        )
    with pytest.raises(ValidationError, match="还没有发布的考核清单"):
        services.score_record(
            actor=world.principal_a,
            scope=Scope.for_user(world.principal_a),
            assessment=a,
            holding=shop["boss_holding"],
            scored_on=D(2025, 12, 3),
            assessor="",
            deductions={},
        )
