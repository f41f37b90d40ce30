"""Pages of inspections (start, record findings item by item, complete, 整改通知单) and inspection plans."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from anbiao.accounts.models import User
from anbiao.core.forms import apply_errors
from anbiao.core.views import (
    ScopedDetailView,
    ScopedListView,
    ScopedObjectView,
    ScopedPageView,
    save_in_scope,
)
from anbiao.hazards.choices import ItemCategory, Outcome
from anbiao.hazards.filters import InspectionFilter, PlanFilter
from anbiao.hazards.forms import FindingForm, InspectionCompleteForm, InspectionStartForm, PlanForm
from anbiao.hazards.models import ChecklistTemplate, Inspection, InspectionPlan
from anbiao.hazards.rules import inspection_kinds
from anbiao.hazards.services import inspections as services
from anbiao.hazards.services.common import photos_by_owner
from anbiao.hazards.views.common import enterprises_for, flash_errors, units_for


def _templates(scope):
    return (
        ChecklistTemplate.objects.visible_to(scope)
        .filter(is_active=True, versions__number__isnull=False)
        .distinct()
        .order_by("kind", "name")
    )


class InspectionListView(ScopedListView):
    """检查清单 (what was checked, when, by whom, with what result)."""

    model = Inspection
    permission = "inspection.view"
    filterset_class = InspectionFilter
    template_name = "hazards/inspection_list.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise", "organization", "version__template")

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_inspect=self.scope.has_perm("inspection.conduct"), **kwargs)


class InspectionStartView(ScopedPageView):
    model = Inspection
    permission = "inspection.conduct"
    template_name = "hazards/inspection_start.html"

    def form(self, data=None):
        scope = self.scope
        plan = None
        initial = {"inspectors": self.request.user.display_name}
        plan_id = self.request.GET.get("plan") or (data or {}).get("plan")
        if plan_id and str(plan_id).isdigit():
            plan = InspectionPlan.objects.visible_to(scope).filter(pk=plan_id, cancelled=False).first()
        if plan is not None:
            initial.update(enterprise=plan.enterprise_id, kind=plan.kind, template=plan.template_id)
        elif self.request.GET.get("enterprise"):
            initial["enterprise"] = self.request.GET["enterprise"]
        form = InspectionStartForm(
            data,
            enterprises=enterprises_for(scope, "inspection.conduct"),
            templates=_templates(scope),
            kinds=inspection_kinds(scope.roles),
            initial=initial,
        )
        return form, plan

    def get(self, request, *args, **kwargs):
        form, plan = self.form()
        return render(request, self.template_name, {"form": form, "plan": plan})

    def post(self, request, *args, **kwargs):
        form, plan = self.form(request.POST)
        if form.is_valid():
            try:
                inspection = save_in_scope(
                    self.scope,
                    services.inspection_start,
                    actor=request.user,
                    scope=self.scope,
                    plan=plan,
                    **form.cleaned_data,
                )
            except PermissionDenied as exc:
                form.add_error("kind", str(exc))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("hazards:inspection_detail", pk=inspection.pk)
        return render(request, self.template_name, {"form": form, "plan": plan})


def _grouped(items, results):
    groups = []
    for value, label in ItemCategory.choices:
        rows = [(item, results.get(item.pk)) for item in items if item.category == value]
        if rows:
            groups.append((label, rows))
    return groups


class InspectionDetailView(ScopedDetailView):
    model = Inspection
    permission = "inspection.view"
    template_name = "hazards/inspection_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "organization", "version__template", "plan")

    def get_context_data(self, **kwargs):
        inspection = self.object
        items = inspection.version.all_items() if inspection.version else []
        results = {r.item_id: r for r in inspection.results.select_related("hazard")}
        extra = [r for r in results.values() if r.item_id is None]
        can_conduct = (
            not inspection.is_done
            and self.scope.can("inspection.conduct", inspection)
            and inspection.kind in inspection_kinds(self.scope.roles)
        )
        checked = sum(1 for i in items if i.pk in results)
        photos: dict[int, list] = {}
        for f in photos_by_owner("hazards.inspectionresult", [r.pk for r in results.values()]):
            photos.setdefault(int(f.owner_id), []).append(f)
        return super().get_context_data(
            groups=_grouped(items, results),
            extra=extra,
            item_count=len(items),
            checked=checked,
            failed=sum(1 for r in results.values() if r.outcome == Outcome.FAIL),
            can_conduct=can_conduct,
            outcomes=Outcome.choices,
            finding_form=FindingForm() if can_conduct else None,
            complete_form=InspectionCompleteForm() if can_conduct else None,
            hazards=inspection.hazards.all(),
            photos=photos,
            **kwargs,
        )


@method_decorator(require_POST, name="dispatch")
class InspectionRecordView(ScopedObjectView):
    """Save the checklist results posted from the detail page (and an optional extra finding)."""

    model = Inspection
    permission = "inspection.conduct"
    object_permission = "inspection.conduct"

    def post(self, request, *args, **kwargs):
        inspection = self.object
        findings = []
        for item in inspection.version.all_items() if inspection.version else []:
            outcome = request.POST.get(f"outcome_{item.pk}")
            if not outcome:
                continue
            findings.append(
                {
                    "item": item,
                    "outcome": outcome,
                    "location": request.POST.get(f"location_{item.pk}", ""),
                    "note": request.POST.get(f"note_{item.pk}", ""),
                    "photos": request.FILES.getlist(f"photos_{item.pk}"),
                }
            )
        extra = FindingForm(request.POST, request.FILES)
        if extra.is_valid() and (extra.cleaned_data["note"] or extra.cleaned_data["photos"]):
            findings.append({"item": None, "outcome": Outcome.FAIL, **extra.cleaned_data})
        elif not extra.is_valid():
            messages.error(request, "；".join(e for errs in extra.errors.values() for e in errs))
            return redirect("hazards:inspection_detail", pk=inspection.pk)
        try:
            services.inspection_record(
                actor=request.user, scope=self.scope, inspection=inspection, findings=findings
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, f"已保存 {len(findings)} 项检查结果。")
        return redirect("hazards:inspection_detail", pk=inspection.pk)


@method_decorator(require_POST, name="dispatch")
class InspectionCompleteView(ScopedObjectView):
    model = Inspection
    permission = "inspection.conduct"
    object_permission = "inspection.conduct"

    def post(self, request, *args, **kwargs):
        form = InspectionCompleteForm(request.POST)
        if form.is_valid():
            try:
                done = services.inspection_complete(
                    actor=request.user, scope=self.scope, inspection=self.object, **form.cleaned_data
                )
            except ValidationError as exc:
                flash_errors(request, exc)
            else:
                count = done.hazards.count()
                messages.success(
                    request,
                    f"检查已完成，{count} 项不符合已登记为隐患。" if count else "检查已完成，未发现隐患。",
                )
        else:
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("hazards:inspection_detail", pk=self.object.pk)


class PlanListView(ScopedListView):
    model = InspectionPlan
    permission = "inspection_plan.view"
    visibility_permission = "inspection_plan.view"
    filterset_class = PlanFilter
    template_name = "hazards/plan_list.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise", "organization", "assignee", "template", "inspection")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            today=timezone.localdate(), can_manage=self.scope.has_perm("inspection_plan.manage"), **kwargs
        )


class PlanCreateView(ScopedPageView):
    model = InspectionPlan
    permission = "inspection_plan.manage"
    template_name = "hazards/plan_form.html"

    def form(self, data=None):
        scope = self.scope
        units = units_for(scope, "inspection_plan.manage")
        users = User.objects.visible_to(scope).filter(is_active=True).order_by("username")
        kinds = [k for k in inspection_kinds({"unit_admin", "county_admin", "inspector", "expert"})]
        return PlanForm(
            data,
            units=units,
            enterprises=enterprises_for(scope, "inspection_plan.manage"),
            users=users,
            templates=_templates(scope),
            kinds=kinds,
            initial={"organization": units.first()},
        )

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": self.form()})

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                save_in_scope(
                    self.scope,
                    services.plan_create,
                    actor=request.user,
                    scope=self.scope,
                    data=form.cleaned_data,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已新增检查计划。")
                return redirect("hazards:plan_list")
        return render(request, self.template_name, {"form": form})


@method_decorator(require_POST, name="dispatch")
class PlanCancelView(ScopedObjectView):
    model = InspectionPlan
    permission = "inspection_plan.manage"
    object_permission = "inspection_plan.manage"
    visibility_permission = "inspection_plan.view"

    def post(self, request, *args, **kwargs):
        try:
            services.plan_cancel(actor=request.user, scope=self.scope, plan=self.object)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, "已取消检查计划。")
        return redirect("hazards:plan_list")
