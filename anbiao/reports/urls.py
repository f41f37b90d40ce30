from django.urls import path

import anbiao.reports.views_docx as views_docx
from anbiao.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.ReportIndexView.as_view(), name="index"),
    path("reports/rollup/", views.ReportIndexView.as_view(target="rollup"), name="rollup_index"),
    path("reports/units/<int:pk>/", views.ReportView.as_view(), name="unit_report"),
    path("reports/units/<int:pk>/cell/", views.CellRowsView.as_view(), name="cell_rows"),
    path("reports/units/<int:pk>/export.xlsx", views.ReportExportView.as_view(), name="export"),
    path(
        "reports/units/<int:pk>/summary.docx",
        views_docx.QuarterSummaryDocxView.as_view(),
        name="summary_docx",
    ),
    path(
        "reports/units/<int:pk>/annual.docx", views_docx.AnnualSummaryDocxView.as_view(), name="annual_docx"
    ),
    path("reports/units/<int:pk>/adjust/", views.AdjustmentSaveView.as_view(), name="adjust"),
    path(
        "reports/adjustments/<int:pk>/delete/", views.AdjustmentDeleteView.as_view(), name="adjustment_delete"
    ),
    path("reports/units/<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path(
        "reports/submissions/<int:pk>/accept/",
        views.ReviewView.as_view(verb="accept"),
        name="submission_accept",
    ),
    path(
        "reports/submissions/<int:pk>/return/",
        views.ReviewView.as_view(verb="return"),
        name="submission_return",
    ),
    path("reports/versions/<int:pk>/", views.VersionView.as_view(), name="version"),
    path("reports/versions/<int:pk>/cell/", views.VersionRowsView.as_view(), name="version_rows"),
    path("reports/versions/<int:pk>/export.xlsx", views.VersionExportView.as_view(), name="version_export"),
    path("reports/units/<int:pk>/rollup/", views.RollupView.as_view(), name="rollup"),
    path("reports/units/<int:pk>/rollup/cell/", views.RollupCellView.as_view(), name="rollup_cell"),
    path("reports/units/<int:pk>/rollup/export.xlsx", views.RollupExportView.as_view(), name="rollup_export"),
]
