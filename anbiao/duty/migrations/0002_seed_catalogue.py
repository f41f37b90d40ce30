import datetime
from decimal import Decimal

from django.db import migrations

START = datetime.date(2021, 9, 1)  # 《安全生产法》2021 revision in force


def seed(apps, schema_editor):
    from anbiao.duty import seed_data

    ResultBand = apps.get_model("duty", "ResultBand")
    StaffingRule = apps.get_model("duty", "StaffingRule")
    DutyTemplate = apps.get_model("duty", "DutyTemplate")
    TemplateDutyItem = apps.get_model("duty", "TemplateDutyItem")
    TemplateAssessItem = apps.get_model("duty", "TemplateAssessItem")
    if not ResultBand.objects.exists():
        for label, min_score, passed in seed_data.BANDS:
            ResultBand.objects.create(
                label=label,
                min_score=Decimal(min_score),
                passed=passed,
                valid_from=START,
                source=seed_data.BAND_SOURCE,
            )
    if not StaffingRule.objects.exists():
        StaffingRule.objects.create(valid_from=START, **seed_data.STAFFING_RULE)
    for level, (title, duties, items) in seed_data.TEMPLATES.items():
        if DutyTemplate.objects.filter(organization__isnull=True, level=level).exists():
            continue
        tpl = DutyTemplate.objects.create(level=level, title=title, source="系统预置（依据《安全生产法》）")
        for n, (text, basis) in enumerate(duties, 1):
            TemplateDutyItem.objects.create(template=tpl, number=n, text=text, basis=basis)
        for n, (content, indicator, marks, rule) in enumerate(items, 1):
            TemplateAssessItem.objects.create(
                template=tpl,
                number=n,
                content=content,
                indicator=indicator,
                full_marks=Decimal(marks),
                scoring_rule=rule,
            )


class Migration(migrations.Migration):
    dependencies = [("duty", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
