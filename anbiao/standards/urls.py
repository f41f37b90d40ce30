from django.urls import path

from anbiao.standards import views as v

app_name = "standards"
P = "standards/"
urlpatterns = [
    path(P, v.OverviewView.as_view(), name="overview"),
    path(P + "overview.xlsx", v.OverviewExportView.as_view(), name="overview_export"),
    path(P + "enterprises/<int:pk>/", v.EnterpriseStandardsView.as_view(), name="enterprise"),
    path(P + "assessments/", v.AssessmentListView.as_view(), name="assessment_list"),
    path(P + "assessments/new/", v.AssessmentCreateView.as_view(), name="assessment_create"),
    path(P + "assessments/<int:pk>/", v.AssessmentDetailView.as_view(), name="assessment_detail"),
    path(P + "assessments/<int:pk>/edit/", v.AssessmentUpdateView.as_view(), name="assessment_update"),
    path(P + "assessments/<int:pk>/step/", v.AssessmentStepView.as_view(), name="assessment_step"),
    path(P + "assessments/<int:pk>/action/", v.AssessmentActionView.as_view(), name="assessment_action"),
    path(P + "assessments/<int:pk>/report.docx", v.AssessmentReportView.as_view(), name="assessment_report"),
    path(P + "improvements/", v.ImprovementListView.as_view(), name="improvement_list"),
    path(P + "improvements/export.xlsx", v.ImprovementExportView.as_view(), name="improvement_export"),
    path(P + "improvements/new/", v.ImprovementCreateView.as_view(), name="improvement_create"),
    path(P + "improvements/<int:pk>/", v.ImprovementDetailView.as_view(), name="improvement_detail"),
    path(P + "improvements/<int:pk>/action/", v.ImprovementActionView.as_view(), name="improvement_action"),
    path(P + "lookbacks/", v.LookbackListView.as_view(), name="lookback_list"),
    path(P + "lookbacks/new/", v.LookbackCreateView.as_view(), name="lookback_create"),
    path(P + "lookbacks/<int:pk>/", v.LookbackDetailView.as_view(), name="lookback_detail"),
    path(P + "grades/", v.GradeListView.as_view(), name="grade_list"),
    path(P + "grades/new/", v.GradeCreateView.as_view(), name="grade_create"),
    path(P + "grades/<int:pk>/", v.GradeDetailView.as_view(), name="grade_detail"),
    path(P + "grades/<int:pk>/revoke/", v.GradeRevokeView.as_view(), name="grade_revoke"),
    path(P + "stars/", v.StarListView.as_view(), name="star_list"),
    path(P + "stars/new/", v.StarCreateView.as_view(), name="star_create"),
    path(P + "site/", v.SiteListView.as_view(), name="site_list"),
    path(P + "site/new/", v.SiteCreateView.as_view(), name="site_create"),
    path(P + "site/<int:pk>/", v.SiteDetailView.as_view(), name="site_detail"),
    path(P + "catalogue/", v.StandardListView.as_view(), name="standard_list"),
    path(P + "catalogue/view/", v.StandardDetailView.as_view(), name="standard_detail"),
    path(P + "catalogue/import/", v.CatalogueImportView.as_view(), name="catalogue_import"),
    path(P + "catalogue/export/", v.CatalogueExportView.as_view(), name="catalogue_export"),
    path(P + "rules/", v.RulesView.as_view(), name="rules"),
    path(P + "checklists/", v.ChecklistView.as_view(), name="checklist"),
]
