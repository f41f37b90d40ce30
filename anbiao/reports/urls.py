from django.urls import path

from anbiao.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.ReportIndexView.as_view(), name="index"),
    path("reports/units/<int:pk>/", views.ReportView.as_view(), name="unit_report"),
    path("reports/units/<int:pk>/cell/", views.CellRowsView.as_view(), name="cell_rows"),
    path("reports/units/<int:pk>/export.xlsx", views.ReportExportView.as_view(), name="export"),
]
