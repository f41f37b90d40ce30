from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from anbiao.accounts import services as account_services
from anbiao.accounts.models import Assignment, Membership, User
from anbiao.core import files as evidence
from anbiao.core import registry, xlsx
from anbiao.core.forms import apply_errors
from anbiao.core.models import EvidenceFile
from anbiao.core.roles import ASSIGNED_ROLES
from anbiao.core.views import (
    ScopedDetailView,
    ScopedListView,
    ScopedObjectView,
    ScopedPageView,
    save_in_scope,
)
from anbiao.orgs import selectors, services, xlsx_io
from anbiao.orgs.filters import EnterpriseFilter
from anbiao.orgs.forms import (
    EnterpriseCloseForm,
    EnterpriseForm,
    EnterpriseProfileForm,
    EvidenceUploadForm,
    ImportForm,
    OrganizationCreateForm,
    OrganizationForm,
    OrganizationMoveForm,
)
from anbiao.orgs.models import Enterprise, EnterpriseState, Organization


def _manageable_units(scope):
    return Organization.objects.visible_to(scope, "org.manage").filter(is_active=True).order_by("path")


# --- Organizations ----------------------------------------------------------------------------------------
class OrganizationTreeView(ScopedPageView):
    model = Organization
    permission = "org.view"
    template_name = "orgs/organization_tree.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tree=selectors.organization_tree(scope=self.scope),
            can_manage=self.scope.has_perm("org.manage"),
            **kwargs,
        )


class OrganizationDetailView(ScopedDetailView):
    model = Organization
    permission = "org.view"
    template_name = "orgs/organization_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("parent")

    def get_context_data(self, **kwargs):
        org = self.object
        children = (
            Organization.objects.visible_to(self.scope).filter(parent=org).order_by("sort_order", "path")
        )
        memberships = (
            Membership.objects.active()
            .filter(organization=org)
            .select_related("user")
            .order_by("role", "user__username")
        )
        return super().get_context_data(
            children=children,
            memberships=memberships,
            counts=selectors.enterprise_counts_in(scope=self.scope, unit=org),
            can_manage=self.scope.can("org.manage", org),
            is_own_root=org.path in self.scope.q_paths("org.manage"),
            **kwargs,
        )


class OrganizationCreateView(ScopedPageView):
    model = Organization
    permission = "org.manage"
    template_name = "orgs/organization_form.html"

    def get(self, request, *args, **kwargs):
        parents = _manageable_units(self.scope)
        initial = {"parent": request.GET.get("parent")}
        return render(
            request, self.template_name, {"form": OrganizationCreateForm(parents=parents, initial=initial)}
        )

    def post(self, request, *args, **kwargs):
        form = OrganizationCreateForm(request.POST, parents=_manageable_units(self.scope))
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "parent"}
            try:
                org = save_in_scope(
                    self.scope,
                    services.organization_create,
                    actor=request.user,
                    scope=self.scope,
                    parent=form.cleaned_data["parent"],
                    **data,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已新增单位「{org.name}」。")
                return redirect("orgs:organization_detail", pk=org.pk)
        return render(request, self.template_name, {"form": form})


class OrganizationUpdateView(ScopedObjectView):
    model = Organization
    permission = "org.manage"
    object_permission = "org.manage"
    template_name = "orgs/organization_form.html"

    def get(self, request, *args, **kwargs):
        return render(
            request,
            self.template_name,
            {"form": OrganizationForm(instance=self.object), "object": self.object},
        )

    def post(self, request, *args, **kwargs):
        form = OrganizationForm(request.POST, instance=Organization.objects.get(pk=self.object.pk))
        if form.is_valid():
            try:
                services.organization_update(
                    actor=request.user, scope=self.scope, org=self.object, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("orgs:organization_detail", pk=self.object.pk)
        return render(request, self.template_name, {"form": form, "object": self.object})


class OrganizationMoveView(ScopedObjectView):
    model = Organization
    permission = "org.manage"
    object_permission = "org.manage"
    template_name = "orgs/organization_move.html"

    def parents(self):
        return _manageable_units(self.scope).exclude(path__startswith=self.object.path)

    def get(self, request, *args, **kwargs):
        form = OrganizationMoveForm(parents=self.parents())
        return render(request, self.template_name, {"form": form, "object": self.object})

    def post(self, request, *args, **kwargs):
        form = OrganizationMoveForm(request.POST, parents=self.parents())
        if form.is_valid():
            try:
                save_in_scope(
                    self.scope,
                    services.organization_move,
                    actor=request.user,
                    scope=self.scope,
                    org=self.object,
                    new_parent=form.cleaned_data["new_parent"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已移动。")
                return redirect("orgs:organization_detail", pk=self.object.pk)
        return render(request, self.template_name, {"form": form, "object": self.object})


@method_decorator(require_POST, name="dispatch")
class OrganizationSetActiveView(ScopedObjectView):
    model = Organization
    permission = "org.manage"
    object_permission = "org.manage"

    def post(self, request, *args, **kwargs):
        active = request.POST.get("active") == "1"
        try:
            services.organization_set_active(
                actor=request.user, scope=self.scope, org=self.object, active=active
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已启用。" if active else "已停用。")
        return redirect("orgs:organization_detail", pk=self.object.pk)


# --- Enterprises ------------------------------------------------------------------------------------------
class EnterpriseListView(ScopedListView):
    model = Enterprise
    permission = "enterprise.view"
    filterset_class = EnterpriseFilter
    template_name = "orgs/enterprise_list.html"

    def narrow(self, queryset):
        return queryset.select_related("unit", "industry", "township")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_manage=self.scope.has_perm("enterprise.manage"),
            can_import=self.scope.has_perm("enterprise.import"),
            **kwargs,
        )


class EnterpriseExportView(ScopedListView):
    model = Enterprise
    permission = "enterprise.view"
    filterset_class = EnterpriseFilter

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        wb = xlsx_io.export_enterprises(qs, scope=self.scope)
        return xlsx.response(wb, f"企业名录-{timezone.localdate():%Y%m%d}.xlsx")


class EnterpriseDetailView(ScopedDetailView):
    model = Enterprise
    permission = "enterprise.view"
    template_name = "orgs/enterprise_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("unit", "industry", "township", "landlord_unit")

    def get_context_data(self, **kwargs):
        e = self.object
        scope = self.scope
        can_assign = scope.can("assignment.manage", e)
        candidates = []
        if can_assign:
            candidates = (
                User.objects.visible_to(scope, "assignment.manage")
                .filter(memberships__role__in=ASSIGNED_ROLES, is_active=True)
                .exclude(assignments__enterprise=e, assignments__valid_to__isnull=True)
                .distinct()
                .order_by("username")
            )
        return super().get_context_data(
            files=EvidenceFile.objects.visible_to(scope).filter(enterprise=e).select_related("uploaded_by"),
            states=EnterpriseState.objects.filter(enterprise=e)
            .select_related("unit")
            .order_by("-valid_from"),
            memberships=Membership.objects.active().filter(enterprise=e).select_related("user"),
            assignments=Assignment.objects.active().filter(enterprise=e).select_related("user"),
            can_manage=scope.can("enterprise.manage", e),
            can_edit_profile=scope.can("enterprise.edit_profile", e),
            can_upload=scope.can("file.upload", e),
            can_assign=can_assign,
            assign_candidates=candidates,
            upload_form=EvidenceUploadForm(),
            safety_file=registry.enterprise_links(e, scope),
            **kwargs,
        )


class EnterpriseCreateView(ScopedPageView):
    model = Enterprise
    permission = "enterprise.manage"
    template_name = "orgs/enterprise_form.html"

    def units(self):
        return Organization.objects.visible_to(self.scope, "enterprise.manage").filter(is_active=True)

    def get(self, request, *args, **kwargs):
        form = EnterpriseForm(units=self.units(), initial={"unit": request.GET.get("unit")})
        return render(request, self.template_name, {"form": form})

    def post(self, request, *args, **kwargs):
        form = EnterpriseForm(request.POST, units=self.units())
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "effective"}
            try:
                enterprise = save_in_scope(
                    self.scope, services.enterprise_create, actor=request.user, scope=self.scope, data=data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已登记企业「{enterprise.name}」。")
                return redirect("orgs:enterprise_detail", pk=enterprise.pk)
        return render(request, self.template_name, {"form": form})


class EnterpriseUpdateView(ScopedObjectView):
    """Administrators edit everything; the enterprise's own principal or safety officer edits its profile."""

    model = Enterprise
    permission = "enterprise.view"
    template_name = "orgs/enterprise_form.html"

    def form(self, data=None):
        instance = Enterprise.objects.get(pk=self.object.pk)
        if self.scope.can("enterprise.manage", self.object):
            units = Organization.objects.visible_to(self.scope, "enterprise.manage").filter(is_active=True)
            return EnterpriseForm(data, instance=instance, units=units), False
        if self.scope.can("enterprise.edit_profile", self.object):
            return EnterpriseProfileForm(data, instance=instance), True
        raise PermissionDenied("您的角色不能修改企业信息。")

    def get(self, request, *args, **kwargs):
        form, profile_only = self.form()
        return render(
            request, self.template_name, {"form": form, "object": self.object, "profile_only": profile_only}
        )

    def post(self, request, *args, **kwargs):
        form, profile_only = self.form(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "effective"}
            try:
                save_in_scope(
                    self.scope,
                    services.enterprise_update,
                    actor=request.user,
                    scope=self.scope,
                    enterprise=self.object,
                    data=data,
                    effective=form.cleaned_data.get("effective"),
                    profile_only=profile_only,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("orgs:enterprise_detail", pk=self.object.pk)
        return render(
            request, self.template_name, {"form": form, "object": self.object, "profile_only": profile_only}
        )


class EnterpriseCloseView(ScopedObjectView):
    model = Enterprise
    permission = "enterprise.manage"
    object_permission = "enterprise.manage"
    template_name = "orgs/enterprise_close.html"

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": EnterpriseCloseForm(), "object": self.object})

    def post(self, request, *args, **kwargs):
        form = EnterpriseCloseForm(request.POST)
        if form.is_valid():
            try:
                services.enterprise_close(
                    actor=request.user, scope=self.scope, enterprise=self.object, on=form.cleaned_data["on"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "企业已注销。其历史记录仍然保留。")
                return redirect("orgs:enterprise_detail", pk=self.object.pk)
        return render(request, self.template_name, {"form": form, "object": self.object})


class EnterpriseImportView(ScopedPageView):
    model = Enterprise
    permission = "enterprise.import"
    template_name = "orgs/enterprise_import.html"

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": ImportForm()})

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            result = xlsx_io.import_enterprises(
                actor=request.user, scope=self.scope, upload=form.cleaned_data["file"]
            )
            if result.ok:
                messages.success(request, f"导入成功：新增 {result.created} 家，更新 {result.updated} 家。")
                return redirect("orgs:enterprise_list")
        return render(
            request,
            self.template_name,
            {"form": form, "result": result},
            status=200 if result is None else 400,
        )


class EnterpriseTemplateView(ScopedPageView):
    model = Enterprise
    permission = "enterprise.import"

    def get(self, request, *args, **kwargs):
        return xlsx.response(xlsx_io.build_template(scope=self.scope), "企业名录导入模板.xlsx")


class EnterpriseFileUploadView(ScopedObjectView):
    model = Enterprise
    permission = "file.upload"
    object_permission = "file.upload"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = EvidenceUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                evidence.store(
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    enterprise=self.object,
                    owner=self.object,
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                )
            except ValidationError as exc:
                messages.error(request, "上传失败：" + "；".join(exc.messages))
            else:
                messages.success(request, "文件已上传。")
        else:
            messages.error(
                request, "上传失败：" + "；".join(e for errs in form.errors.values() for e in errs)
            )
        return HttpResponseRedirect(reverse("orgs:enterprise_detail", args=[self.object.pk]) + "#files")


class AssignmentAddView(ScopedObjectView):
    model = Enterprise
    permission = "assignment.manage"
    object_permission = "assignment.manage"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        user = (
            User.objects.visible_to(self.scope, "assignment.manage")
            .filter(pk=request.POST.get("user"))
            .first()
        )
        if user is None:
            messages.error(request, "请选择要分配的网格员或专家。")
        else:
            try:
                account_services.assignment_add(
                    actor=request.user, scope=self.scope, user=user, enterprise=self.object
                )
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, f"已将 {user} 分配到本企业。")
        return HttpResponseRedirect(reverse("orgs:enterprise_detail", args=[self.object.pk]) + "#people")


class AssignmentEndView(ScopedObjectView):
    model = Assignment
    permission = "assignment.manage"
    object_permission = "assignment.manage"
    http_method_names = ["post"]

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "user")

    def post(self, request, *args, **kwargs):
        account_services.assignment_end(actor=request.user, scope=self.scope, assignment=self.object)
        messages.success(request, "已取消分配。")
        return HttpResponseRedirect(
            reverse("orgs:enterprise_detail", args=[self.object.enterprise_id]) + "#people"
        )
