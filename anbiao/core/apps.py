from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "anbiao.core"
    label = "core"
    verbose_name = "核心"
