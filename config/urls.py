import importlib

from django.urls import include, path

from anbiao.accounts.urls import auth_urlpatterns
from anbiao.core import pages, registry

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    *auth_urlpatterns,
    path("", include("anbiao.core.urls")),
    path("", include("anbiao.orgs.urls")),
    path("users/", include("anbiao.accounts.urls")),
    path("api/", include("anbiao.api.urls")),
]

# Domain apps mount their own urls.py (each with an app_name and its own path prefixes).
for _name in registry.domain_app_names():
    if _name in {"anbiao.core", "anbiao.orgs", "anbiao.accounts"}:
        continue
    try:
        importlib.import_module(f"{_name}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"{_name}.urls":
            raise
        continue
    urlpatterns.append(path("", include(f"{_name}.urls")))

handler400 = "anbiao.core.errors.bad_request"
handler403 = "anbiao.core.errors.permission_denied"
handler404 = "anbiao.core.errors.page_not_found"
handler500 = "anbiao.core.errors.server_error"
