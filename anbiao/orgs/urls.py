from django.urls import path

from anbiao.orgs import reference_views, views

app_name = "orgs"
urlpatterns = [
    path("units/", views.OrganizationTreeView.as_view(), name="organization_tree"),
    path("units/new/", views.OrganizationCreateView.as_view(), name="organization_create"),
    path("units/<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("units/<int:pk>/edit/", views.OrganizationUpdateView.as_view(), name="organization_update"),
    path("units/<int:pk>/move/", views.OrganizationMoveView.as_view(), name="organization_move"),
    path("units/<int:pk>/active/", views.OrganizationSetActiveView.as_view(), name="organization_set_active"),
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/export.xlsx", views.EnterpriseExportView.as_view(), name="enterprise_export"),
    path("enterprises/import/", views.EnterpriseImportView.as_view(), name="enterprise_import"),
    path(
        "enterprises/import/template.xlsx", views.EnterpriseTemplateView.as_view(), name="enterprise_template"
    ),
    path("enterprises/new/", views.EnterpriseCreateView.as_view(), name="enterprise_create"),
    path("enterprises/<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.EnterpriseUpdateView.as_view(), name="enterprise_update"),
    path("enterprises/<int:pk>/close/", views.EnterpriseCloseView.as_view(), name="enterprise_close"),
    path(
        "enterprises/<int:pk>/files/", views.EnterpriseFileUploadView.as_view(), name="enterprise_file_upload"
    ),
    path("enterprises/<int:pk>/assignments/", views.AssignmentAddView.as_view(), name="assignment_add"),
    path("reference/<slug:kind>/", reference_views.CatalogueView.as_view(), name="catalogue"),
    path("assignments/<int:pk>/end/", views.AssignmentEndView.as_view(), name="assignment_end"),
]
