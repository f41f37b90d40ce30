from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "anbiao.core"
    label = "core"
    verbose_name = "核心"

    def ready(self):
        from anbiao.core import checks, integrity  # noqa: F401  (checks registers the durability check)

        integrity.connect()  # seals new audit rows and report versions when ANBIAO_INTEGRITY_KEY is set
