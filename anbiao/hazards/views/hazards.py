"""Pages of the hazard loop: 隐患清单, 整改清单, registering, the detail page and its workflow steps."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from anbiao.core.forms import apply_errors
from anbiao.core.views import (
    ScopedDetailView,
    ScopedListView,
    ScopedObjectView,
    ScopedPageView,
    save_in_scope,
)
from anbiao.hazards import workflow
from anbiao.hazards.filters import HazardFilter, ListingFilter
from anbiao.hazards.forms import (
    DelistForm,
    HazardAcceptForm,
    HazardAssignForm,
    HazardRegisterForm,
    HazardSubmitForm,
    ListingForm,
    ReasonForm,
)
from anbiao.hazards.models import Hazard, HazardListing
from anbiao.hazards.services import hazards as services
from anbiao.hazards.services.common import photos_of
from anbiao.hazards.views.common import enterprises_for, flash_errors, is_supervisor, units_for


class HazardListView(ScopedListView):
    """隐患清单: what was found."""

    model = Hazard
    permission = "hazard.view"
    filterset_class = HazardFilter
    template_name = "hazards/hazard_list.html"
    title = "隐患清单"
    export_url = "hazards:hazard_export"

    def narrow(self, queryset):
        return queryset.select_related("enterprise", "listing")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            today=timezone.localdate(),
            can_report=self.scope.has_perm("hazard.report"),
            **kwargs,
        )


class RectificationListView(HazardListView):
    """整改清单: who fixes what by when, and who accepted it."""

    template_name = "hazards/rectification_list.html"
    title = "整改清单"
    export_url = "hazards:rectification_export"

    def narrow(self, queryset):
        return super().narrow(queryset).exclude(state="voided").select_related("accepted_by")


class HazardCreateView(ScopedPageView):
    model = Hazard
    permission = "hazard.report"
    template_name = "hazards/hazard_form.html"

    def form(self, data=None, files=None):
        enterprises = enterprises_for(self.scope, "hazard.report")
        initial = {
            "enterprise": self.request.GET.get("enterprise")
            or (enterprises[0].pk if len(enterprises) == 1 else None)
        }
        return HazardRegisterForm(
            data, files, enterprises=enterprises, supervisor=is_supervisor(self.scope), initial=initial
        )

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": self.form()})

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in {"enterprise", "photos"}}
            data["level"] = data.get("level") or ""
            try:
                hazard = save_in_scope(
                    self.scope,
                    services.hazard_register,
                    actor=request.user,
                    scope=self.scope,
                    enterprise=form.cleaned_data["enterprise"],
                    data=data,
                    photos=form.cleaned_data["photos"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已登记隐患 {hazard.code}。")
                return redirect("hazards:hazard_detail", pk=hazard.pk)
        return render(request, self.template_name, {"form": form})


class HazardDetailView(ScopedDetailView):
    model = Hazard
    permission = "hazard.view"
    template_name = "hazards/hazard_detail.html"

    def narrow(self, queryset):
        return queryset.select_related(
            "enterprise__unit",
            "criterion",
            "checklist_item",
            "inspection",
            "accepted_by",
            "rectified_by",
            "risk_point",
        )

    def get_context_data(self, **kwargs):
        h = self.object
        scope = self.scope
        steps = []
        for t in workflow.available(h.state):
            perm = (
                workflow.acceptance_permission(h.accepted_by_supervisor)
                if t.verb in {"accept", "reject"}
                else t.permission
            )
            if scope.can(perm, h):
                steps.append(t.verb)
        listing = HazardListing.objects.filter(hazard=h).select_related("organization").first()
        photos = list(photos_of(h))
        result = getattr(h, "inspection_result", None)
        if result is not None:
            photos += list(photos_of(result))
        can_list = (
            h.is_major
            and listing is None
            and h.state not in {"closed", "voided"}
            and scope.can("listing.manage", h)
        )
        return super().get_context_data(
            steps=steps,
            events=h.events.all(),
            before_photos=[p for p in photos if p.title != services.AFTER],
            after_photos=[p for p in photos if p.title == services.AFTER],
            listing=listing,
            today=timezone.localdate(),
            accept_form=HazardAcceptForm() if "accept" in steps else None,
            reason_form=ReasonForm() if {"reject", "void"} & set(steps) else None,
            listing_form=ListingForm(units=units_for(scope, "listing.manage")) if can_list else None,
            delist_form=DelistForm()
            if listing and listing.is_active and scope.can("listing.manage", listing)
            else None,
            supervisor_accepts=h.accepted_by_supervisor,
            **kwargs,
        )


class _StepView(ScopedObjectView):
    model = Hazard
    permission = "hazard.view"

    def done(self, message):
        messages.success(self.request, message)
        return redirect("hazards:hazard_detail", pk=self.object.pk)

    def refused(self, exc):
        if isinstance(exc, PermissionDenied):
            messages.error(self.request, str(exc) or "没有权限执行此操作。")
        else:
            flash_errors(self.request, exc)
        return redirect("hazards:hazard_detail", pk=self.object.pk)


class HazardAssignView(_StepView):
    """定级并落实五定 (a page of its own: the 重大隐患 治理方案 is long)."""

    template_name = "hazards/hazard_assign.html"

    def get(self, request, *args, **kwargs):
        return render(
            request,
            self.template_name,
            {"form": HazardAssignForm(instance=self.object), "object": self.object},
        )

    def post(self, request, *args, **kwargs):
        form = HazardAssignForm(request.POST, instance=Hazard.objects.get(pk=self.object.pk))
        if form.is_valid():
            try:
                services.hazard_assign(
                    actor=request.user,
                    scope=self.scope,
                    hazard=self.object,
                    data={k: v for k, v in form.cleaned_data.items() if k != "assigned_on"},
                    on=form.cleaned_data["assigned_on"],
                )
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or "没有权限执行此操作。")
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return self.done("已定级并落实五定，隐患进入待整改。")
        return render(request, self.template_name, {"form": form, "object": self.object})


class HazardSubmitView(_StepView):
    """整改完成，上传整改后照片，提交验收 (phone-first)."""

    template_name = "hazards/hazard_submit.html"

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": HazardSubmitForm(), "object": self.object})

    def post(self, request, *args, **kwargs):
        form = HazardSubmitForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.hazard_submit(
                    actor=request.user,
                    scope=self.scope,
                    hazard=self.object,
                    rectified_on=form.cleaned_data["rectified_on"],
                    note=form.cleaned_data["note"],
                    photos=form.cleaned_data["photos"],
                )
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or "没有权限执行此操作。")
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return self.done("已提交验收。")
        return render(request, self.template_name, {"form": form, "object": self.object})


@method_decorator(require_POST, name="dispatch")
class HazardStartView(_StepView):
    def post(self, request, *args, **kwargs):
        try:
            services.hazard_start(actor=request.user, scope=self.scope, hazard=self.object)
        except (PermissionDenied, ValidationError) as exc:
            return self.refused(exc)
        return self.done("已开始整改。")


@method_decorator(require_POST, name="dispatch")
class HazardAcceptView(_StepView):
    def post(self, request, *args, **kwargs):
        form = HazardAcceptForm(request.POST)
        if not form.is_valid():
            return self.refused(ValidationError([e for errs in form.errors.values() for e in errs]))
        try:
            services.hazard_accept(
                actor=request.user,
                scope=self.scope,
                hazard=self.object,
                accepted_on=form.cleaned_data["accepted_on"],
                note=form.cleaned_data["note"],
            )
        except (PermissionDenied, ValidationError) as exc:
            return self.refused(exc)
        return self.done("验收通过，隐患已销号。")


@method_decorator(require_POST, name="dispatch")
class HazardReasonView(_StepView):
    """验收不通过 / 误报作废: both need a reason."""

    verb = ""

    def post(self, request, *args, **kwargs):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return self.refused(ValidationError("请填写原因。"))
        service = {"reject": services.hazard_reject, "void": services.hazard_void}[self.verb]
        try:
            service(
                actor=request.user, scope=self.scope, hazard=self.object, reason=form.cleaned_data["reason"]
            )
        except (PermissionDenied, ValidationError) as exc:
            return self.refused(exc)
        return self.done("验收不通过，已退回整改。" if self.verb == "reject" else "已作废。")


class HazardRejectView(HazardReasonView):
    verb = "reject"


class HazardVoidView(HazardReasonView):
    verb = "void"


@method_decorator(require_POST, name="dispatch")
class ListingCreateView(_StepView):
    permission = "listing.manage"

    def post(self, request, *args, **kwargs):
        form = ListingForm(request.POST, units=units_for(self.scope, "listing.manage"))
        if not form.is_valid():
            return self.refused(
                ValidationError(
                    [
                        f"{form.fields[f].label}：{e}" if f in form.fields else e
                        for f, errs in form.errors.items()
                        for e in errs
                    ]
                )
            )
        data = {k: v for k, v in form.cleaned_data.items() if k != "organization"}
        try:
            services.listing_create(
                actor=request.user,
                scope=self.scope,
                hazard=self.object,
                organization=form.cleaned_data["organization"],
                data=data,
            )
        except (PermissionDenied, ValidationError) as exc:
            return self.refused(exc)
        return self.done("已挂牌督办。")


@method_decorator(require_POST, name="dispatch")
class ListingDelistView(ScopedObjectView):
    model = HazardListing
    permission = "listing.manage"
    object_permission = "listing.manage"

    def post(self, request, *args, **kwargs):
        form = DelistForm(request.POST)
        if form.is_valid():
            try:
                services.listing_delist(
                    actor=request.user,
                    scope=self.scope,
                    listing=self.object,
                    on=form.cleaned_data["delisted_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                flash_errors(request, exc)
            else:
                messages.success(request, "已摘牌。")
        else:
            messages.error(request, "请填写摘牌日期和摘牌意见。")
        return redirect("hazards:hazard_detail", pk=self.object.hazard_id)


class ListingListView(ScopedListView):
    model = HazardListing
    permission = "hazard.view"
    template_name = "hazards/listing_list.html"

    filterset_class = ListingFilter

    def narrow(self, queryset):
        return queryset.select_related("hazard__enterprise", "organization")

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)
