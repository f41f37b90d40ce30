from django.urls import include, path

from anbiao.accounts.urls import auth_urlpatterns
from anbiao.core import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    *auth_urlpatterns,
    path("", include("anbiao.core.urls")),
    path("", include("anbiao.orgs.urls")),
    path("users/", include("anbiao.accounts.urls")),
    path("api/", include("anbiao.api.urls")),
]

handler403 = "anbiao.core.errors.permission_denied"
handler404 = "anbiao.core.errors.page_not_found"
