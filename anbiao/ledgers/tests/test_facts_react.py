"""An accident changes the enterprise's facts, and its overall 四色 grade follows when the write commits."""

import datetime

from django.utils import timezone

from anbiao.ledgers.testing import make_accident
from anbiao.risks.models import EnterpriseGrade


def test_an_accident_turns_the_enterprise_grade_orange_when_it_commits(
    world, django_capture_on_commit_callbacks
):
    assert not EnterpriseGrade.objects.filter(enterprise=world.ent_a, level="significant").exists()
    with django_capture_on_commit_callbacks(execute=True):
        make_accident(
            world.ent_a, occurred_at=timezone.now() - datetime.timedelta(days=2), serious_injuries=1
        )
    grade = EnterpriseGrade.objects.get(enterprise=world.ent_a, valid_to__isnull=True)
    assert grade.level == "significant"
    assert any("事故" in reason for reason in grade.reasons)
    assert not EnterpriseGrade.objects.filter(enterprise=world.ent_b).exists()  # only the one that changed
