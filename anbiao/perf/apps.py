from django.apps import AppConfig


class PerfConfig(AppConfig):
    name = "anbiao.perf"
    label = "perf"
    verbose_name = "性能与合成数据"
