from django.db import migrations


def forward(apps, schema_editor):
    from anbiao.campaigns.seed import seed_2025

    seed_2025(
        apps.get_model("campaigns", "Campaign"),
        apps.get_model("campaigns", "Phase"),
        apps.get_model("campaigns", "Requirement"),
    )


def backward(apps, schema_editor):
    from anbiao.campaigns.seed import CAMPAIGN_2025

    apps.get_model("campaigns", "Campaign").objects.filter(year=2025, name=CAMPAIGN_2025["name"]).delete()


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
