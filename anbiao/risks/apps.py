from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "anbiao.risks"
    verbose_name = "安全风险分级管控"
