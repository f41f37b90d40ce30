from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "anbiao.hazards"
    verbose_name = "隐患排查治理"
