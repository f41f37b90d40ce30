"""Pages for the 持续改进清单 and 回头看 评估报告."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from anbiao.core import xlsx
from anbiao.core.models import EvidenceFile
from anbiao.core.views import (
    ScopedDetailView,
    ScopedListView,
    ScopedObjectView,
    ScopedPageView,
    save_in_scope,
)
from anbiao.standards import exports, services, workflow
from anbiao.standards.choices import ImprovementSource
from anbiao.standards.filters import ImprovementFilter, LookbackFilter
from anbiao.standards.forms import ImprovementActionForm, ImprovementForm, LookbackForm
from anbiao.standards.models import AssessmentEntry, ImprovementItem, LookbackReport, StandardsEvent
from anbiao.standards.views.common import apply_errors, enterprises_for, forbid_unless, units_for


class ImprovementListView(ScopedListView):
    model = ImprovementItem
    permission = "standards.view"
    filterset_class = ImprovementFilter
    template_name = "standards/improvement_list.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "organization")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=self.scope.has_perm("standards.improve"), today=timezone.localdate(), **kwargs
        )


class ImprovementExportView(ImprovementListView):
    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        return xlsx.response(exports.improvements(qs), f"持续改进清单-{timezone.localdate():%Y%m%d}.xlsx")


def _owner_choices(scope, perm):
    return list(enterprises_for(scope, perm)), list(units_for(scope, perm))


class ImprovementCreateView(ScopedPageView):
    """A new item; ``?entry=<id>`` prefills it from a self-assessment deduction, ``?lookback=<id>`` files it
    under a 回头看 report."""

    model = ImprovementItem
    permission = "standards.improve"
    template_name = "standards/improvement_form.html"

    def links(self, request):
        params = request.POST if request.method == "POST" else request.GET
        entry = lookback = None
        if params.get("entry"):
            entry = (
                AssessmentEntry.objects.visible_to(self.scope, "standards.improve")
                .select_related("item", "assessment__enterprise")
                .filter(pk=params["entry"])
                .first()
            )
        if params.get("lookback"):
            lookback = (
                LookbackReport.objects.visible_to(self.scope, "standards.improve")
                .filter(pk=params["lookback"])
                .first()
            )
        return entry, lookback

    def form(self, request, data=None):
        enterprises, units = _owner_choices(self.scope, "standards.improve")
        entry, lookback = self.links(request)
        initial = {"found_on": timezone.localdate()}
        if entry is not None:
            initial.update(
                owner=f"e{entry.assessment.enterprise_id}",
                source=ImprovementSource.SELF_ASSESSMENT,
                problem=f"{entry.item.code} {entry.item.title}：{entry.reason or '否决项不符合'}",
                measure=f"对照评分标准整改：{entry.item.scoring_rule}",
            )
        if lookback is not None:
            initial.update(
                owner=f"e{lookback.enterprise_id}"
                if lookback.enterprise_id
                else f"o{lookback.organization_id}",
                source=ImprovementSource.LOOKBACK,
            )
        return (
            ImprovementForm(data, enterprises=enterprises, organizations=units, initial=initial),
            entry,
            lookback,
        )

    def get(self, request, *args, **kwargs):
        form, entry, lookback = self.form(request)
        return render(request, self.template_name, {"form": form, "entry": entry, "lookback": lookback})

    def post(self, request, *args, **kwargs):
        form, entry, lookback = self.form(request, request.POST)
        if form.is_valid():
            enterprise, organization = form.owner_objects()
            data = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
            try:
                item = save_in_scope(
                    self.scope,
                    services.improvement_create,
                    actor=request.user,
                    scope=self.scope,
                    data=data,
                    enterprise=enterprise,
                    organization=organization,
                    entry=entry,
                    lookback=lookback,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已列入持续改进清单。")
                return redirect("standards:improvement_detail", pk=item.pk)
        return render(
            request, self.template_name, {"form": form, "entry": entry, "lookback": lookback}, status=400
        )


class ImprovementDetailView(ScopedDetailView):
    model = ImprovementItem
    permission = "standards.view"
    template_name = "standards/improvement_detail.html"

    def narrow(self, queryset):
        return queryset.select_related(
            "enterprise__unit", "organization", "assessment", "entry__item", "lookback"
        )

    def get_context_data(self, **kwargs):
        it = self.object
        moves = [m for m in workflow.available(workflow.IMPROVEMENT, it.status) if self.scope.can(m.perm, it)]
        return super().get_context_data(
            moves=moves,
            form=ImprovementActionForm(initial={"acceptor_name": self.request.user.display_name}),
            overdue=it.is_overdue(timezone.localdate()),
            timeline=StandardsEvent.objects.filter(object_type="improvementitem", object_id=it.pk),
            files=EvidenceFile.objects.filter(owner_type="standards.improvementitem", owner_id=str(it.pk)),
            **kwargs,
        )


class ImprovementActionView(ScopedObjectView):
    model = ImprovementItem
    permission = "standards.view"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ImprovementActionForm(request.POST, request.FILES)
        it = self.object
        if not form.is_valid():
            reasons = [
                f"{form.fields[f].label}：{e}"
                for f, es in form.errors.items()
                for e in es
                if f in form.fields
            ]
            messages.error(request, "提交的内容不正确：" + "；".join(reasons or ["请检查填写的内容"]))
            return redirect("standards:improvement_detail", pk=it.pk)
        d = form.cleaned_data
        action = d["action"]
        move = next(
            (m for m in workflow.available(workflow.IMPROVEMENT, it.status) if m.action == action), None
        )
        if move is None:
            messages.error(request, "当前状态不能执行此操作。")
            return redirect("standards:improvement_detail", pk=it.pk)
        forbid_unless(self.scope, move.perm, it)
        data = {"note": d["note"], "acceptor_name": d["acceptor_name"], "photo": d["photo"]}
        data[{"complete": "completed_on", "accept": "accepted_on"}.get(action, "on")] = d["on"]
        try:
            services.improvement_perform(
                actor=request.user, scope=self.scope, item=it, action=action, data=data
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已{move.label}。")
        return redirect("standards:improvement_detail", pk=it.pk)


# --- 回头看 -----------------------------------------------------------------------------------------------
class LookbackListView(ScopedListView):
    model = LookbackReport
    permission = "standards.view"
    filterset_class = LookbackFilter
    template_name = "standards/lookback_list.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "organization", "document")

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create=self.scope.has_perm("standards.improve"), **kwargs)


class LookbackCreateView(ScopedPageView):
    model = LookbackReport
    permission = "standards.improve"
    template_name = "standards/lookback_form.html"

    def form(self, data=None, files=None):
        enterprises, units = _owner_choices(self.scope, "standards.improve")
        return LookbackForm(data, files, enterprises=enterprises, organizations=units)

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": self.form()})

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            enterprise, organization = form.owner_objects()
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("owner", "document")}
            try:
                report = save_in_scope(
                    self.scope,
                    services.lookback_create,
                    actor=request.user,
                    scope=self.scope,
                    data=data,
                    enterprise=enterprise,
                    organization=organization,
                    document=form.cleaned_data["document"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已登记回头看评估报告。请逐项列入持续改进清单。")
                return redirect("standards:lookback_detail", pk=report.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class LookbackDetailView(ScopedDetailView):
    model = LookbackReport
    permission = "standards.view"
    template_name = "standards/lookback_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "organization", "document")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            items=self.object.items.all(),
            can_add=self.scope.can("standards.improve", self.object),
            today=timezone.localdate(),
            **kwargs,
        )
