"""Reference data (行业, 乡镇) kept by county administrators. These catalogues are shared by every unit."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from anbiao.core import audit
from anbiao.core.forms import StyledModelForm
from anbiao.core.middleware import get_scope
from anbiao.orgs.models import Industry, Township

CATALOGUES = {"industries": (Industry, "行业"), "townships": (Township, "乡镇（街道）")}


class CatalogueEntryForm(StyledModelForm):
    class Meta:
        fields = ["code", "name", "sort_order", "is_active"]


def _form_class(model):
    return forms.modelform_factory(model, form=CatalogueEntryForm, fields=CatalogueEntryForm.Meta.fields)


class CatalogueView(LoginRequiredMixin, View):
    """List every entry; county administrators add and edit entries (every change is audited)."""

    template_name = "orgs/catalogue.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["kind"] not in CATALOGUES:
            from django.http import Http404

            raise Http404
        self.model, self.title = CATALOGUES[kwargs["kind"]]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not get_scope(request).has_perm("org.view"):
            raise PermissionDenied("您的角色不能使用此功能。")
        return super().dispatch(request, *args, **kwargs)

    def can_edit(self):
        return get_scope(self.request).has_perm("catalog.manage")

    def render_page(self, form, editing=None):
        return render(
            self.request,
            self.template_name,
            {
                "title": self.title,
                "kind": self.kwargs["kind"],
                "entries": self.model.objects.order_by("sort_order", "code"),
                "form": form if self.can_edit() else None,
                "editing": editing,
            },
        )

    def get(self, request, *args, **kwargs):
        editing = None
        if request.GET.get("edit") and self.can_edit():
            editing = get_object_or_404(self.model, pk=request.GET["edit"])
        return self.render_page(_form_class(self.model)(instance=editing), editing)

    def post(self, request, *args, **kwargs):
        if not self.can_edit():
            raise PermissionDenied("只有县社管理员可以修改基础数据。")
        editing = get_object_or_404(self.model, pk=request.POST["id"]) if request.POST.get("id") else None
        before = audit.snapshot(editing) if editing else None
        form = _form_class(self.model)(request.POST, instance=editing)
        if not form.is_valid():
            return self.render_page(form, editing)
        with transaction.atomic():
            entry = form.save()
            audit.record(
                actor=request.user,
                action="orgs.catalogue_update" if editing else "orgs.catalogue_create",
                obj=entry,
                org_path=min(get_scope(request).q_paths("catalog.manage"), key=len, default=""),
                before=before,
                after=audit.snapshot(entry),
            )
        messages.success(request, f"已保存{self.title}「{entry.name}」。")
        return redirect("orgs:catalogue", kind=self.kwargs["kind"])
