from django.urls import path

from anbiao.core import pages

app_name = "core"
urlpatterns = [
    path("files/<uuid:pk>/", pages.EvidenceDownloadView.as_view(), name="file_download"),
    path("audit/", pages.AuditListView.as_view(), name="audit_list"),
    path("notifications/", pages.notification_list, name="notification_list"),
    path("notifications/read/", pages.notification_read, name="notification_read_all"),
    path("notifications/<int:pk>/read/", pages.notification_read, name="notification_read"),
]
