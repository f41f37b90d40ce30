"""The checklist library pages and the 重大事故隐患判定标准 catalogue."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_POST

from anbiao.core.forms import StyledForm, apply_errors
from anbiao.core.middleware import get_scope
from anbiao.core.views import (
    ScopedDetailView,
    ScopedListView,
    ScopedObjectView,
    ScopedPageView,
    save_in_scope,
)
from anbiao.hazards.choices import TemplateKind
from anbiao.hazards.forms import CriterionForm, ItemForm, PublishForm, TemplateForm
from anbiao.hazards.models import ChecklistItem, ChecklistTemplate, HazardCriterion
from anbiao.hazards.services import checklists as services
from anbiao.hazards.services.catalogue import criterion_save
from anbiao.hazards.services.library import library_load
from anbiao.hazards.views.common import enterprises_for, flash_errors, units_for
from anbiao.orgs.models import Organization


class TemplateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    kind = django_filters.ChoiceFilter(label="类别", choices=TemplateKind.choices)

    class Meta:
        form = StyledForm
        model = ChecklistTemplate
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(name__icontains=value) | Q(description__icontains=value)) if value else queryset
        )


class TemplateListView(ScopedListView):
    """The templates a user may use: their own and every template inherited from the units above."""

    model = ChecklistTemplate
    permission = "checklist.view"
    filterset_class = TemplateFilter
    template_name = "hazards/checklist_list.html"

    def narrow(self, queryset):
        return (
            queryset.filter(is_active=True)
            .select_related("organization", "enterprise", "extends")
            .prefetch_related("industries")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_manage=self.scope.has_perm("checklist.manage"),
            library_units=Organization.objects.filter(path__in=self.scope.q_paths("checklist.manage")),
            **kwargs,
        )


def _owners(scope) -> list[tuple[str, str]]:
    units = [(f"org:{u.pk}", u.name) for u in units_for(scope, "checklist.manage")]
    firms = [
        (f"ent:{e.pk}", e.name)
        for e in enterprises_for(scope, "checklist.manage").filter(pk__in=scope.enterprise_ids)
    ]
    return units + firms


class TemplateCreateView(ScopedPageView):
    model = ChecklistTemplate
    permission = "checklist.manage"
    template_name = "hazards/checklist_form.html"

    def form(self, data=None):
        parents = (
            ChecklistTemplate.objects.visible_to(self.scope)
            .filter(is_active=True, versions__number__isnull=False)
            .distinct()
        )
        return TemplateForm(
            data,
            parents=parents,
            owners=_owners(self.scope),
            initial={"extends": self.request.GET.get("extends")},
        )

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": self.form()})

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            kind, _, pk = data.pop("owner").partition(":")
            owner = {"organization": None, "enterprise": None}
            if kind == "org":
                owner["organization"] = units_for(self.scope, "checklist.manage").get(pk=pk)
            else:
                owner["enterprise"] = enterprises_for(self.scope, "checklist.manage").get(pk=pk)
            try:
                template = save_in_scope(
                    self.scope,
                    services.template_create,
                    actor=request.user,
                    scope=self.scope,
                    data=data,
                    **owner,
                )
            except (ValidationError, PermissionDenied) as exc:
                apply_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
            else:
                messages.success(request, "已新建检查清单，请添加检查项后发布。")
                return redirect("hazards:checklist_detail", pk=template.pk)
        return render(request, self.template_name, {"form": form})


class TemplateDetailView(ScopedDetailView):
    model = ChecklistTemplate
    permission = "checklist.view"
    template_name = "hazards/checklist_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("organization", "enterprise__unit", "extends")

    def get_context_data(self, **kwargs):
        t = self.object
        can_manage = self.scope.can("checklist.manage", t)
        current = services.current_version(t)
        draft = t.versions.filter(number__isnull=True).first()
        base_items = []
        if t.extends_id:
            base = (draft.base if draft and draft.base else None) or (current.base if current else None)
            base = base or services.current_version(t.extends)
            base_items = base.all_items() if base else []
        shown = draft if (can_manage and draft) else current
        return super().get_context_data(
            can_manage=can_manage,
            current=current,
            draft=draft,
            shown=shown,
            items=list(shown.items.select_related("criterion", "element")) if shown else [],
            base_items=base_items,
            versions=t.versions.filter(number__isnull=False).order_by("-number"),
            item_form=ItemForm() if can_manage else None,
            publish_form=PublishForm() if can_manage and draft else None,
            **kwargs,
        )


@method_decorator(require_POST, name="dispatch")
class ItemAddView(ScopedObjectView):
    model = ChecklistTemplate
    permission = "checklist.manage"
    object_permission = "checklist.manage"

    def post(self, request, *args, **kwargs):
        form = ItemForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if not (k == "order" and v is None)}
            try:
                services.item_save(actor=request.user, scope=self.scope, template=self.object, data=data)
            except ValidationError as exc:
                flash_errors(request, exc)
            else:
                messages.success(request, "已添加检查项（草稿，发布后生效）。")
        else:
            messages.error(
                request,
                "；".join(f"{form.fields[f].label}：{e}" for f, errs in form.errors.items() for e in errs),
            )
        return redirect("hazards:checklist_detail", pk=self.object.pk)


class ItemEditView(ScopedObjectView):
    model = ChecklistItem
    permission = "checklist.manage"
    object_permission = "checklist.manage"
    template_name = "hazards/checklist_item_form.html"

    def get(self, request, *args, **kwargs):
        return render(
            request, self.template_name, {"form": ItemForm(instance=self.object), "object": self.object}
        )

    def post(self, request, *args, **kwargs):
        form = ItemForm(request.POST, instance=ChecklistItem.objects.get(pk=self.object.pk))
        template = self.object.version.template
        if form.is_valid():
            try:
                services.item_save(
                    actor=request.user,
                    scope=self.scope,
                    template=template,
                    item=self.object,
                    data={k: v for k, v in form.cleaned_data.items() if v is not None or k != "order"},
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存检查项。")
                return redirect("hazards:checklist_detail", pk=template.pk)
        return render(request, self.template_name, {"form": form, "object": self.object})


@method_decorator(require_POST, name="dispatch")
class ItemDeleteView(ScopedObjectView):
    model = ChecklistItem
    permission = "checklist.manage"
    object_permission = "checklist.manage"

    def post(self, request, *args, **kwargs):
        template_pk = self.object.version.template_id
        try:
            services.item_delete(actor=request.user, scope=self.scope, item=self.object)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, "已删除检查项。")
        return redirect("hazards:checklist_detail", pk=template_pk)


@method_decorator(require_POST, name="dispatch")
class TemplatePublishView(ScopedObjectView):
    model = ChecklistTemplate
    permission = "checklist.manage"
    object_permission = "checklist.manage"

    def post(self, request, *args, **kwargs):
        form = PublishForm(request.POST)
        form.is_valid()
        try:
            version = services.template_publish(
                actor=request.user,
                scope=self.scope,
                template=self.object,
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, f"已发布{version.label}，此后新开始的检查使用该版本。")
        return redirect("hazards:checklist_detail", pk=self.object.pk)


class CriterionListView(LoginRequiredMixin, View):
    """The 重大事故隐患判定标准 catalogue: everyone reads it; the county administrator edits it."""

    template_name = "hazards/criterion_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not get_scope(request).has_perm("hazard.view"):
            raise PermissionDenied("您的角色不能使用此功能。")
        return super().dispatch(request, *args, **kwargs)

    def can_edit(self):
        return get_scope(self.request).has_perm("catalog.manage")

    def render_page(self, form, editing=None):
        return render(
            self.request,
            self.template_name,
            {
                "entries": HazardCriterion.objects.all(),
                "form": form if self.can_edit() else None,
                "editing": editing,
            },
        )

    def get(self, request, *args, **kwargs):
        editing = None
        if request.GET.get("edit") and self.can_edit():
            editing = get_object_or_404(HazardCriterion, pk=request.GET["edit"])
        return self.render_page(CriterionForm(instance=editing), editing)

    def post(self, request, *args, **kwargs):
        if not self.can_edit():
            raise PermissionDenied("只有县社管理员可以修改判定标准。")
        editing = (
            get_object_or_404(HazardCriterion, pk=request.POST["id"]) if request.POST.get("id") else None
        )
        form = CriterionForm(
            request.POST, instance=HazardCriterion.objects.get(pk=editing.pk) if editing else None
        )
        if not form.is_valid():
            return self.render_page(form, editing)
        entry = criterion_save(actor=request.user, scope=get_scope(request), form=form, editing=editing)
        messages.success(request, f"已保存条款「{entry.article}」。")
        return redirect("hazards:criterion_list")


@method_decorator(require_POST, name="dispatch")
class LibraryLoadView(ScopedObjectView):
    """Load the starter checklist library for one of the user's units (skips templates it already has)."""

    model = Organization
    permission = "checklist.manage"
    object_permission = "checklist.manage"

    def post(self, request, *args, **kwargs):
        created = library_load(actor=request.user, scope=self.scope, organization=self.object)
        messages.success(
            request, f"已为{self.object.name}载入 {len(created)} 份入门检查清单（已发布第1版）。"
        )
        return redirect("hazards:checklist_list")
