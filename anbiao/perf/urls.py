from django.conf import settings
from django.urls import path

from anbiao.perf import views

app_name = "perf"

urlpatterns = [path("bench/bare/", views.bare, name="bare")] if settings.ANBIAO_BENCH_VIEWS else []
