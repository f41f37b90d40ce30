"""Test-only URLconf (``@pytest.mark.urls``): the site's URLs and error handlers plus views that fail."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401  (the site's handlers)
from config.urls import urlpatterns as site_urlpatterns

LEAK = "db-password=hunter2 at /srv/anbiao/secret.py"


def boom(request):
    raise RuntimeError(LEAK)


def suspicious(request):
    raise SuspiciousOperation(LEAK)


urlpatterns = [
    path("test-errors/boom/", boom),
    path("api/v1/test-errors/boom/", boom),
    path("test-errors/suspicious/", suspicious),
    *site_urlpatterns,
]
