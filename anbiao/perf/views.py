"""The benchmark's baseline: the least a request through this project's middleware can cost.

Mounted only when ``settings.ANBIAO_BENCH_VIEWS`` is on (``manage.py anbiao_bench`` sets it in the
environment of the server it starts); never in production.
"""

from django.http import HttpResponse


def bare(request):
    """No template, no query of its own: what the list pages are compared with under the same load."""
    return HttpResponse(b"ok", content_type="text/plain")
