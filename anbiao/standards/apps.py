from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "anbiao.standards"
    verbose_name = "安全生产标准化"
