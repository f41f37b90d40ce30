from django.apps import AppConfig


class CityPlatformConfig(AppConfig):
    name = "anbiao.cityplatform"
    label = "cityplatform"
    verbose_name = "泉州平台数据"
