from django.db import migrations


def seed(apps, schema_editor):
    from anbiao.orgs import reference

    reference.seed(apps.get_model("orgs", "Industry"), apps.get_model("orgs", "Township"))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
