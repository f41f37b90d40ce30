from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "anbiao.reports"
    verbose_name = "季度报表"
