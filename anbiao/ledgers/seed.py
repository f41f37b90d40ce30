"""Seeded catalogue data: the accident rules of 国务院令第493号 (used by the migration and the demo)."""

import datetime
from decimal import Decimal

SOURCE = (
    "《生产安全事故报告和调查处理条例》（国务院令第493号，2007-06-01施行）第3条（事故等级，"
    "“以上”含本数、“以下”不含本数）、第9条（单位负责人1小时内报告）、第29条（60日内提交调查报告）"
)
GRADES = [
    # grade, rank, deaths, serious injuries, direct loss (元)
    ("extraordinary", 4, 30, 100, Decimal("100000000")),
    ("major", 3, 10, 50, Decimal("50000000")),
    ("larger", 2, 3, 10, Decimal("10000000")),
    ("ordinary", 1, 0, 0, Decimal("0")),
]


def seed_accident_rules(rule_set_model, grade_model) -> None:
    """Create the 493 rule set unless one exists (works with historical models in migrations)."""
    if rule_set_model.objects.exists():
        return
    rule_set = rule_set_model.objects.create(
        name="国务院令第493号",
        source=SOURCE,
        valid_from=datetime.date(2007, 6, 1),
        report_limit_hours=1,
        investigation_limit_days=60,
    )
    for grade, rank, deaths, serious, loss in GRADES:
        grade_model.objects.create(
            rule_set=rule_set,
            grade=grade,
            rank=rank,
            min_deaths=deaths,
            min_serious_injuries=serious,
            min_direct_loss=loss,
        )
