from django.db import migrations


def seed(apps, schema_editor):
    from anbiao.risks import catalog

    catalog.seed(apps)


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
