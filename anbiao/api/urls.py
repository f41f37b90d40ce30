from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from anbiao.accounts.api import MeView, TokenView, UserViewSet
from anbiao.core import registry
from anbiao.orgs.api import EnterpriseViewSet, OrganizationViewSet

router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("users", UserViewSet, basename="user")
for _api in registry.app_modules("api"):
    if hasattr(_api, "register"):
        _api.register(router)  # each domain app adds its viewsets

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("v1/auth/token/", TokenView.as_view(), name="api_token"),
    path("v1/users/me/", MeView.as_view(), name="api_me"),
    path("v1/", include((router.urls, "api"), namespace="api")),
]
