from django.urls import path

from anbiao.risks import views, views_grades, views_maps

app_name = "risks"
urlpatterns = [
    path("risks/", views.PointListView.as_view(), name="point_list"),
    path("risks/export.xlsx", views.PointExportView.as_view(), name="point_export"),
    path("risks/enterprises/<int:pk>/", views.EnterpriseRisksView.as_view(), name="enterprise_risks"),
    path("risks/enterprises/<int:pk>/points/new/", views.PointCreateView.as_view(), name="point_create"),
    path("risks/enterprises/<int:pk>/manual.xlsx", views.ManualView.as_view(), name="manual_xlsx"),
    path("risks/enterprises/<int:pk>/report.docx", views.ReportView.as_view(), name="report_docx"),
    path(
        "risks/enterprises/<int:pk>/maps/new/", views_maps.SiteMapCreateView.as_view(), name="sitemap_create"
    ),
    path(
        "risks/enterprises/<int:pk>/grade/",
        views_grades.EnterpriseGradeView.as_view(),
        name="enterprise_grade",
    ),
    path(
        "risks/enterprises/<int:pk>/grade/override/",
        views_grades.GradeOverrideView.as_view(),
        name="grade_override",
    ),
    path("risks/points/<int:pk>/", views.PointDetailView.as_view(), name="point_detail"),
    path("risks/points/<int:pk>/edit/", views.PointUpdateView.as_view(), name="point_update"),
    path("risks/points/<int:pk>/assess/", views.PointAssessView.as_view(), name="point_assess"),
    path("risks/points/<int:pk>/raise/", views.PointRaiseView.as_view(), name="point_raise"),
    path("risks/points/<int:pk>/retire/", views.PointRetireView.as_view(), name="point_retire"),
    path("risks/points/<int:pk>/card/", views.PointCardView.as_view(), name="point_card"),
    path("risks/points/<int:pk>/card.docx", views.PointCardDocxView.as_view(), name="point_card_docx"),
    path("risks/maps/<int:pk>/", views_maps.SiteMapDetailView.as_view(), name="sitemap_detail"),
    path("risks/maps/<int:pk>/map.png", views_maps.SiteMapPngView.as_view(), name="sitemap_png"),
    path("risks/maps/<int:pk>/print/", views_maps.SiteMapPrintView.as_view(), name="sitemap_print"),
    path("risks/grades/", views_grades.GradeListView.as_view(), name="grade_list"),
    path("risks/grades/export.xlsx", views_grades.GradeExportView.as_view(), name="grade_export"),
    path("risks/grades/map/", views_grades.GradeMapView.as_view(), name="grade_map"),
    path("risks/grades/recompute/", views_grades.GradeRecomputeView.as_view(), name="grade_recompute"),
    path("risks/standards/", views_grades.StandardListView.as_view(), name="standard_list"),
    path("risks/standards/revise/", views_grades.StandardReviseView.as_view(), name="standard_revise"),
    path("risks/standards/policy/", views_grades.PolicyUpdateView.as_view(), name="policy_update"),
    path("risks/rules/", views_grades.RuleListView.as_view(), name="rule_list"),
    path("risks/rules/revise/", views_grades.RuleReviseView.as_view(), name="rule_revise"),
]
