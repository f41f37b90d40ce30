from django.urls import path

from anbiao.cityplatform import views

app_name = "cityplatform"

urlpatterns = [
    path("city-platform/", views.IndexView.as_view(), name="index"),
    path("city-platform/units/<int:pk>/", views.UnitView.as_view(), name="unit"),
    path("city-platform/units/<int:pk>/export.xlsx", views.UnitXlsxView.as_view(), name="unit_xlsx"),
    path("city-platform/units/<int:pk>/export.json", views.UnitJsonView.as_view(), name="unit_json"),
    path("city-platform/enterprises/<int:pk>/", views.EnterpriseView.as_view(), name="enterprise"),
    path(
        "city-platform/enterprises/<int:pk>/export.xlsx",
        views.EnterpriseXlsxView.as_view(),
        name="enterprise_xlsx",
    ),
    path(
        "city-platform/enterprises/<int:pk>/export.json",
        views.EnterpriseJsonView.as_view(),
        name="enterprise_json",
    ),
]
