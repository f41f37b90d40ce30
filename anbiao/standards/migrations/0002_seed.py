from django.db import migrations


def forwards(apps, schema_editor):
    from anbiao.standards.seed import seed

    seed(lambda name: apps.get_model("standards", name))


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
