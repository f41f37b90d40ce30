from django.db import migrations


def seed(apps, schema_editor):
    from anbiao.hazards.seeding import seed_criteria

    seed_criteria(apps.get_model("hazards", "HazardCriterion"))


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
