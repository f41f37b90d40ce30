from django.db import migrations


def seed(apps, schema_editor):
    from anbiao.orgs.reference import INDUSTRIES, TOWNSHIPS

    Industry = apps.get_model("orgs", "Industry")
    Township = apps.get_model("orgs", "Township")
    for order, (code, name) in enumerate(INDUSTRIES):
        Industry.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    for order, (code, name) in enumerate(TOWNSHIPS):
        Township.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
