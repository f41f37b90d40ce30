"""Ledger pages: 年度工作任务清单 and training / 现场观摩 (with the attendance import)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from anbiao.campaigns import ledger_services, rules, services, xlsx_io
from anbiao.campaigns.filters import (
    SessionFilter,
    WorkTaskFilter,
)
from anbiao.campaigns.forms import (
    AttendanceForm,
    ImportForm,
    SessionEditForm,
    SessionForm,
    WorkTaskEditForm,
    WorkTaskForm,
)
from anbiao.campaigns.models import (
    Attendance,
    TrainingSession,
    WorkTask,
)
from anbiao.campaigns.views.common import (
    CreatePage,
    ExportView,
    UpdatePage,
    apply_errors,
    files_of,
    writable_enterprises,
)
from anbiao.core import xlsx
from anbiao.core.views import ScopedDetailView, ScopedListView, ScopedObjectView, ScopedPageView


class LedgerList(ScopedListView):
    permission = "campaign.view"

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_file=self.scope.has_perm("campaign.file"), **kwargs)


# --- 年度工作任务清单 -------------------------------------------------------------------------------------
class TaskListView(LedgerList):
    model = WorkTask
    filterset_class = WorkTaskFilter
    template_name = "campaigns/task_list.html"

    def narrow(self, queryset):
        return queryset.select_related("unit", "campaign")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for t in ctx["object_list"]:
            t.overdue = rules.task_overdue(t.status, t.due, t.done_on, today)
        return ctx


class TaskExportView(ExportView):
    model = WorkTask
    filterset_class = WorkTaskFilter
    sheet = "年度工作任务清单"
    headers = ["单位", "年度", "任务", "责任人", "完成期限", "状态", "完成日期", "是否逾期", "进展情况"]

    def narrow(self, queryset):
        return queryset.select_related("unit")

    def row(self, t):
        overdue = rules.task_overdue(t.status, t.due, t.done_on, timezone.localdate())
        return [
            t.unit.name,
            t.year,
            t.title,
            t.owner,
            t.due,
            t.get_status_display(),
            t.done_on,
            "是" if overdue else "否",
            t.note,
        ]


class TaskCreateView(CreatePage):
    form_class = WorkTaskForm
    title = "新增年度工作任务"
    back_url_name = "campaigns:task_list"
    service = staticmethod(services.task_create)

    def build_form(self, data=None, files=None):
        form = super().build_form(data, files)
        form.initial.setdefault("year", timezone.localdate().year)
        return form

    def save(self, form):
        task = self.create(unit=form.cleaned_data["unit"], data=self.data(form, exclude=("unit",)))
        if form.cleaned_data.get("evidence"):
            services.task_update(
                actor=self.request.user,
                scope=self.scope,
                task=task,
                data={},
                evidence=form.cleaned_data["evidence"],
            )
        return task

    def success_url(self, obj):
        return reverse("campaigns:task_list")


class TaskUpdateView(UpdatePage):
    model = WorkTask
    form_class = WorkTaskEditForm
    title = "修改年度工作任务"
    back_url_name = "campaigns:task_list"

    def save(self, form):
        return services.task_update(
            actor=self.request.user,
            scope=self.scope,
            task=self.object,
            data=self.data(form),
            evidence=form.cleaned_data.get("evidence"),
        )

    def success_url(self, obj):
        return reverse("campaigns:task_list")


# --- Training and 现场观摩 -------------------------------------------------------------------------------
class SessionListView(LedgerList):
    model = TrainingSession
    filterset_class = SessionFilter
    template_name = "campaigns/session_list.html"

    def narrow(self, queryset):
        return (
            queryset.select_related("unit")
            .annotate(
                n_persons=Count("attendances"),
                n_enterprises=Count("attendances__enterprise", distinct=True),
            )
            .order_by("-held_on", "-id")
        )


class SessionExportView(ExportView):
    model = TrainingSession
    filterset_class = SessionFilter
    sheet = "培训与现场观摩"
    headers = [
        "日期",
        "类型",
        "层级",
        "组织单位",
        "主题",
        "地点",
        "培训对象",
        "登记单位",
        "参训企业(家)",
        "参训人数(人)",
        "补录",
    ]

    def narrow(self, queryset):
        return (
            queryset.select_related("unit")
            .annotate(
                n_persons=Count("attendances"), n_enterprises=Count("attendances__enterprise", distinct=True)
            )
            .order_by("-held_on", "-id")
        )

    def row(self, s):
        return [
            s.held_on,
            s.get_kind_display(),
            s.get_level_display(),
            s.organizer,
            s.topic,
            s.location,
            "、".join(s.target_labels()),
            s.unit.name,
            s.n_enterprises,
            s.n_persons,
            "是" if s.backdated else "否",
        ]


class SessionCreateView(CreatePage):
    form_class = SessionForm
    title = "登记培训 / 现场观摩"
    back_url_name = "campaigns:session_list"
    service = staticmethod(ledger_services.session_create)

    def save(self, form):
        materials = [form.cleaned_data["materials"]] if form.cleaned_data.get("materials") else []
        return self.create(
            unit=form.cleaned_data["unit"], data=self.data(form, exclude=("unit",)), materials=materials
        )

    def success_url(self, obj):
        return reverse("campaigns:session_detail", args=[obj.pk])


class SessionUpdateView(UpdatePage):
    model = TrainingSession
    form_class = SessionEditForm
    title = "修改培训 / 现场观摩"
    back_url_name = "campaigns:session_list"

    def save(self, form):
        materials = [form.cleaned_data["materials"]] if form.cleaned_data.get("materials") else []
        return ledger_services.session_update(
            actor=self.request.user,
            scope=self.scope,
            session=self.object,
            data=self.data(form),
            materials=materials,
        )

    def success_url(self, obj):
        return reverse("campaigns:session_detail", args=[obj.pk])


class SessionDetailView(ScopedDetailView):
    model = TrainingSession
    permission = "campaign.view"
    template_name = "campaigns/session_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("unit", "recorded_by")

    def get_context_data(self, **kwargs):
        s = self.object
        attendances = Attendance.objects.visible_to(self.scope).filter(session=s).select_related("enterprise")
        stats = Attendance.objects.filter(session=s).aggregate(
            persons=Count("id"),
            enterprises=Count("enterprise", distinct=True, filter=Q(enterprise__isnull=False)),
        )
        return super().get_context_data(
            attendances=attendances,
            stats=stats,
            files=files_of(s),
            can_file=self.scope.can("campaign.file", s),
            attendance_form=kwargs.pop("attendance_form", None)
            or AttendanceForm(enterprises=writable_enterprises(self.scope)),
            import_form=ImportForm(),
            import_result=kwargs.pop("import_result", None),
            **kwargs,
        )


class _SessionAction(ScopedObjectView):
    model = TrainingSession
    permission = "campaign.file"
    object_permission = "campaign.file"
    http_method_names = ["post"]

    def rerender(self, request, **extra):
        view = SessionDetailView()
        view.setup(request, pk=self.object.pk)
        view.object = self.object
        return render(
            request, view.template_name, view.get_context_data(object=self.object, **extra), status=400
        )


class AttendanceAddView(_SessionAction):
    def post(self, request, *args, **kwargs):
        form = AttendanceForm(request.POST, enterprises=writable_enterprises(self.scope))
        if form.is_valid():
            try:
                ledger_services.attendance_add(
                    actor=request.user, scope=self.scope, session=self.object, data=form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已登记 {form.cleaned_data['person_name']}。")
                return HttpResponseRedirect(
                    reverse("campaigns:session_detail", args=[self.object.pk]) + "#attendance"
                )
        return self.rerender(request, attendance_form=form)


class AttendanceImportView(_SessionAction):
    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            reasons = "；".join(e for errors in form.errors.values() for e in errors)
            message = f"请选择要上传的 .xlsx 文件：{reasons}" if reasons else "请选择要上传的 .xlsx 文件。"
            return self.rerender(request, import_result=xlsx_io.ImportResult(errors=[message]))
        result = xlsx_io.import_attendance(
            actor=request.user, scope=self.scope, session=self.object, upload=form.cleaned_data["file"]
        )
        if result.ok:
            messages.success(request, f"导入成功：新增参训人员 {result.created} 人。")
            return HttpResponseRedirect(
                reverse("campaigns:session_detail", args=[self.object.pk]) + "#attendance"
            )
        return self.rerender(request, import_result=result)


class AttendanceTemplateView(ScopedPageView):
    permission = "campaign.file"

    def get(self, request, *args, **kwargs):
        return xlsx.response(xlsx_io.build_template(), "参训人员导入模板.xlsx")


class AttendanceRemoveView(ScopedObjectView):
    model = Attendance
    permission = "campaign.file"
    http_method_names = ["post"]

    def narrow(self, queryset):
        return queryset.select_related("session__unit")

    def post(self, request, *args, **kwargs):
        session_id = self.object.session_id
        # PermissionDenied (403) when the session belongs to another unit's subtree.
        ledger_services.attendance_remove(actor=request.user, scope=self.scope, attendance=self.object)
        messages.success(request, "已删除。")
        return HttpResponseRedirect(reverse("campaigns:session_detail", args=[session_id]) + "#attendance")
