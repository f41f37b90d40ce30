from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "anbiao.campaigns"
    verbose_name = "专项行动与监管工作台账"
