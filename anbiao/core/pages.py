"""Pages of the kernel: home, health check, evidence download, audit log."""

import django_filters
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils.encoding import escape_uri_path

from anbiao.core.forms import StyledForm
from anbiao.core.middleware import get_scope
from anbiao.core.models import AuditEvent, EvidenceFile
from anbiao.core.views import ScopedListView, ScopedObjectView


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = {"status": "ok", "vendor": connection.vendor}
        status = 200
    except Exception as exc:  # report, never raise: this is what monitoring reads
        db = {"status": "error", "error": exc.__class__.__name__}
        status = 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "database": db}, status=status)


@login_required
def home(request):
    from anbiao.home import home_context

    return render(request, "home.html", home_context(request.user, get_scope(request)))


class EvidenceDownloadView(ScopedObjectView):
    model = EvidenceFile
    permission = "file.view"

    def get(self, request, *args, **kwargs):
        f = self.object
        try:
            handle = default_storage.open(f.storage_name, "rb")
        except FileNotFoundError as exc:
            raise Http404("文件不存在") from exc
        inline = f.is_image and request.GET.get("download") != "1"
        response = FileResponse(handle, content_type=f.content_type)
        disposition = "inline" if inline else "attachment"
        response["Content-Disposition"] = (
            f"{disposition}; filename*=UTF-8''{escape_uri_path(f.original_name)}"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=0"
        return response


class AuditFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(label="操作人", field_name="actor_name", lookup_expr="icontains")
    action = django_filters.CharFilter(label="操作", lookup_expr="icontains")
    object = django_filters.CharFilter(label="对象", field_name="object_repr", lookup_expr="icontains")
    start = django_filters.DateFilter(label="起始日期", field_name="at", lookup_expr="date__gte")
    end = django_filters.DateFilter(label="截止日期", field_name="at", lookup_expr="date__lte")

    class Meta:
        form = StyledForm
        model = AuditEvent
        fields = ["actor", "action", "object", "start", "end"]


class AuditListView(ScopedListView):
    model = AuditEvent
    permission = "audit.view"
    visibility_permission = "audit.view"
    filterset_class = AuditFilter
    template_name = "core/audit_list.html"
    paginate_by = 50
