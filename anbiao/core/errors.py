"""Error pages: Chinese, no traceback or SQL, JSON under /api/ (security.md E3).

The 400 and 500 pages are rendered without a context or the database (``errors/400.html``, ``errors/500.html``
stand alone); the exception itself is logged once by ``django.request`` (settings LOGGING: journald).
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "您的角色不能使用此功能。"
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=403)
    return render(request, "errors/403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "未找到。"}, status=404)
    return render(request, "errors/404.html", status=404)


def bad_request(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "请求有误。"}, status=400)
    return defaults.bad_request(request, exception, template_name="errors/400.html")


def server_error(request):
    if _wants_json(request):
        return JsonResponse({"detail": "服务器内部错误，请稍后重试。"}, status=500)
    return defaults.server_error(request, template_name="errors/500.html")
