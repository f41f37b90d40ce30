from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "anbiao.ledgers"
    verbose_name = "企业安全台账"
