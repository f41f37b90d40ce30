"""事故管理 pages: list, export, report, detail with the investigation workflow, edit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from anbiao.core import xlsx
from anbiao.core.views import (
    ScopedDetailView,
    ScopedListView,
    ScopedObjectView,
    ScopedPageView,
    save_in_scope,
)
from anbiao.ledgers import scoring, services, workflow
from anbiao.ledgers.filters import AccidentFilter
from anbiao.ledgers.forms import AccidentForm, AccidentUpdateForm, TransitionForm, enterprises_for_edit
from anbiao.ledgers.kinds import Badge, display
from anbiao.ledgers.models import Accident
from anbiao.ledgers.views.common import apply_errors, export_workbook, rows_for

GRADE_LEVEL = {"extraordinary": "dark", "major": "danger", "larger": "warning", "ordinary": "secondary"}


def timeliness(a: Accident) -> str:
    return scoring.report_timeliness(
        occurred_at=a.occurred_at,
        reported_at=a.reported_at,
        limit_hours=a.rule_set.report_limit_hours,
        now=timezone.now(),
        is_near_miss=a.is_near_miss,
    )


def timeliness_badge(a: Accident) -> Badge:
    from anbiao.ledgers.choices import Timeliness

    value = timeliness(a)
    level = {"on_time": "success", "late": "danger", "not_reported": "warning"}.get(value, "secondary")
    return Badge(str(Timeliness(value).label), level)


COLUMNS = [
    ("企业", lambda a: a.enterprise.name),
    ("监管单位", lambda a: a.enterprise.unit.name),
    ("发生时间", lambda a: display(a, "occurred_at")),
    ("地点", lambda a: a.place),
    ("类别", lambda a: a.get_kind_display()),
    (
        "等级",
        lambda a: (
            Badge("未遂事件", "info")
            if a.is_near_miss
            else Badge(a.get_grade_display(), GRADE_LEVEL.get(a.grade, "secondary"))
        ),
    ),
    ("死亡", lambda a: a.deaths),
    ("重伤", lambda a: a.serious_injuries),
    ("轻伤", lambda a: a.minor_injuries),
    ("直接经济损失（元）", lambda a: float(a.direct_loss)),
    ("报告", timeliness_badge),
    ("处理状态", lambda a: a.get_status_display()),
]


class AccidentMixin:
    model = Accident
    permission = "ledger.view"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "rule_set")


class AccidentListView(AccidentMixin, ScopedListView):
    filterset_class = AccidentFilter
    template_name = "ledgers/accident_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            headers=[h for h, _ in COLUMNS],
            rows=rows_for(ctx["object_list"], COLUMNS),
            can_edit=self.scope.has_perm("ledger.edit"),
        )
        return ctx


class AccidentExportView(AccidentMixin, ScopedListView):
    filterset_class = AccidentFilter

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        wb = export_workbook("事故台账", COLUMNS, qs)
        return xlsx.response(wb, f"事故台账-{timezone.localdate():%Y%m%d}.xlsx")


class AccidentCreateView(AccidentMixin, ScopedPageView):
    permission = "ledger.edit"
    template_name = "ledgers/accident_form.html"

    def form(self, data=None):
        initial = {"enterprise": self.request.GET.get("enterprise")}
        return AccidentForm(data, initial=initial, enterprises=enterprises_for_edit(self.scope))

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": self.form()})

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                accident = save_in_scope(
                    self.scope,
                    services.accident_report,
                    actor=request.user,
                    scope=self.scope,
                    enterprise=form.cleaned_data["enterprise"],
                    data=form.data_for_service(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                label = "未遂事件" if accident.is_near_miss else accident.get_grade_display()
                messages.success(request, f"已登记：{label}。")
                return redirect("ledgers:accident_detail", pk=accident.pk)
        return render(request, self.template_name, {"form": form})


class AccidentDetailView(AccidentMixin, ScopedDetailView):
    template_name = "ledgers/accident_detail.html"

    def get_context_data(self, **kwargs):
        a = self.object
        moves = [
            {"t": t, "missing": workflow.missing_for(t.name, a)}
            for t in workflow.available(a.status)
            if self.scope.can(t.perm, a)
        ]
        return super().get_context_data(
            grade_level=GRADE_LEVEL.get(a.grade, "secondary"),
            timeliness=timeliness_badge(a),
            overdue=scoring.investigation_overdue(
                occurred_on=timezone.localtime(a.occurred_at).date(),
                closed=a.status == "closed",
                today=timezone.localdate(),
                limit_days=a.rule_set.investigation_limit_days,
            ),
            moves=moves,
            events=a.events.all(),
            can_edit=self.scope.can("ledger.edit", a) and a.status != "closed",
            **kwargs,
        )


class AccidentUpdateView(AccidentMixin, ScopedObjectView):
    object_permission = "ledger.edit"
    template_name = "ledgers/accident_form.html"

    def form(self, data=None):
        return AccidentUpdateForm(data, instance=Accident.objects.get(pk=self.object.pk))

    def closed(self):
        messages.error(self.request, "已结案的事故不能修改；如需补充，请先由监管单位重新调查。")
        return redirect("ledgers:accident_detail", pk=self.object.pk)

    def get(self, request, *args, **kwargs):
        if self.object.status == "closed":
            return self.closed()
        return render(request, self.template_name, {"form": self.form(), "object": self.object})

    def post(self, request, *args, **kwargs):
        if self.object.status == "closed":
            return self.closed()
        form = self.form(request.POST)
        if form.is_valid():
            try:
                services.accident_update(
                    actor=request.user, scope=self.scope, accident=self.object, data=form.data_for_service()
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("ledgers:accident_detail", pk=self.object.pk)
        return render(request, self.template_name, {"form": form, "object": self.object})


@method_decorator(require_POST, name="dispatch")
class AccidentTransitionView(AccidentMixin, ScopedObjectView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = TransitionForm(request.POST)
        if form.is_valid():
            try:
                services.accident_transition(
                    actor=request.user,
                    scope=self.scope,
                    accident=self.object,
                    action=form.cleaned_data["action"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, "已更新处理状态。")
        return redirect("ledgers:accident_detail", pk=self.object.pk)
