from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "anbiao.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self):
        from anbiao.accounts import signals  # noqa: F401  (login events go to the audit trail)
