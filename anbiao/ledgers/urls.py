from django.urls import path

from anbiao.ledgers.kinds import KINDS
from anbiao.ledgers.views import accidents, extras, pages
from anbiao.ledgers.views.generic import views_for

app_name = "ledgers"

urlpatterns = []
for key, kind in KINDS.items():
    v = views_for(kind)
    urlpatterns += [
        path(f"ledgers/{key}/", v["list"].as_view(), name=f"{key}_list"),
        path(f"ledgers/{key}/export.xlsx", v["export"].as_view(), name=f"{key}_export"),
        path(f"ledgers/{key}/new/", v["create"].as_view(), name=f"{key}_create"),
        path(f"ledgers/{key}/<int:pk>/", v["detail"].as_view(), name=f"{key}_detail"),
        path(f"ledgers/{key}/<int:pk>/edit/", v["update"].as_view(), name=f"{key}_update"),
        path(f"ledgers/{key}/<int:pk>/delete/", v["delete"].as_view(), name=f"{key}_delete"),
    ]

urlpatterns += [
    path(
        "ledgers/equipment/<int:pk>/inspections/",
        extras.InspectionAddView.as_view(),
        name="inspection_add",
    ),
    path("ledgers/training/<int:pk>/attendees/", extras.AttendanceAddView.as_view(), name="attendance_add"),
    path(
        "ledgers/attendances/<int:pk>/remove/",
        extras.AttendanceRemoveView.as_view(),
        name="attendance_remove",
    ),
    path("ledgers/drills/<int:pk>/photos/", extras.DrillPhotoView.as_view(), name="drill_photo_add"),
    path("ledgers/accidents/", accidents.AccidentListView.as_view(), name="accident_list"),
    path("ledgers/accidents/export.xlsx", accidents.AccidentExportView.as_view(), name="accident_export"),
    path("ledgers/accidents/new/", accidents.AccidentCreateView.as_view(), name="accident_create"),
    path("ledgers/accidents/<int:pk>/", accidents.AccidentDetailView.as_view(), name="accident_detail"),
    path("ledgers/accidents/<int:pk>/edit/", accidents.AccidentUpdateView.as_view(), name="accident_update"),
    path(
        "ledgers/accidents/<int:pk>/transition/",
        accidents.AccidentTransitionView.as_view(),
        name="accident_transition",
    ),
    path("ledgers/accident-rules/", pages.AccidentRulesView.as_view(), name="accident_rules"),
    path(
        "ledgers/enterprises/<int:pk>/profile/",
        pages.EnterpriseProfileView.as_view(),
        name="enterprise_profile",
    ),
    path("ledgers/supervision/", pages.SupervisionView.as_view(), name="supervision"),
    path("ledgers/supervision/certificates/", pages.CertificateDueView.as_view(), name="certificates_due"),
]
