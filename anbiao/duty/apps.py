from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "anbiao.duty"
    verbose_name = "全员安全生产责任制"
