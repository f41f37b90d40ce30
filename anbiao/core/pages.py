"""Pages of the kernel: home, health check, evidence download, audit log, notifications."""

import django_filters
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import escape_uri_path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from anbiao.core import notifications
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


@login_required
def notification_list(request):
    page = Paginator(notifications.inbox(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/notification_list.html", {"page_obj": page, "object_list": page.object_list})


@login_required
@require_POST
def notification_read(request, pk=None):
    """Mark one or all of the user's own notifications read; follow the link of a single one."""
    if pk is not None:
        note = get_object_or_404(notifications.inbox(request.user), pk=pk)
        notifications.notification_read(user=request.user, pk=pk)
        if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
            return redirect(note.url)
    else:
        notifications.notification_read(user=request.user)
    return redirect("core:notification_list")
