"""Seed the accident rules of 国务院令第493号 (data, editable by a county administrator)."""

from django.db import migrations

from anbiao.ledgers.seed import seed_accident_rules


def seed(apps, schema_editor):
    seed_accident_rules(
        apps.get_model("ledgers", "AccidentRuleSet"), apps.get_model("ledgers", "AccidentGradeRule")
    )


class Migration(migrations.Migration):
    dependencies = [("ledgers", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
