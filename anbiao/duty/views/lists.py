"""Post list versions (adopt, adapt, publish, sign) and the templates units keep."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from anbiao.core.views import ScopedDetailView, ScopedObjectView, ScopedPageView
from anbiao.duty import exports, selectors, services
from anbiao.duty.forms import (
    AdoptForm,
    AssessItemFormSet,
    DutyItemFormSet,
    ListNoteForm,
    PublishForm,
    SignForm,
    TemplateForm,
    formset_rows,
)
from anbiao.duty.models import DutyList, DutyTemplate, Post
from anbiao.duty.views.base import apply_errors, run_action, today
from anbiao.orgs.models import Organization


def _item_initial(obj):
    duties = [{"text": i.text, "basis": i.basis} for i in obj.duty_items.all()]
    assess = [
        {
            "content": i.content,
            "indicator": i.indicator,
            "full_marks": i.full_marks,
            "scoring_rule": i.scoring_rule,
        }
        for i in obj.assess_items.all()
    ]
    return duties, assess


@method_decorator(require_POST, name="dispatch")
class ListAdoptView(ScopedObjectView):
    model = Post
    permission = "duty.edit"
    object_permission = "duty.edit"

    def post(self, request, *args, **kwargs):
        post = self.object
        offered = selectors.templates_for_path(post.enterprise.unit.path)
        form = AdoptForm(request.POST, templates=offered)
        if not form.is_valid():
            messages.error(request, "请选择可用的模板。")
            return redirect("duty:post_detail", pk=post.pk)
        try:
            dl = services.duty_list_adopt(
                actor=request.user, scope=self.scope, post=post, template=form.cleaned_data.get("template")
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("duty:post_detail", pk=post.pk)
        messages.success(request, f"已生成第{dl.version}版草稿，可按本企业实际修改后发布。")
        return redirect("duty:list_detail", pk=dl.pk)


class ListDetailView(ScopedDetailView):
    model = DutyList
    permission = "duty.view"
    template_name = "duty/list_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("post__enterprise", "template")

    def get_context_data(self, **kwargs):
        dl = self.object
        return super().get_context_data(
            duty_items=dl.duty_items.all(),
            assess_items=dl.assess_items.all(),
            full_marks=dl.full_marks(),
            crumb=f"第{dl.version}版",
            signatures=dl.signatures.select_related("person", "file"),
            can_edit=self.scope.can("duty.edit", dl),
            publish_form=PublishForm(),
            sign_form=SignForm(enterprise=dl.post.enterprise),
            **kwargs,
        )


def _render_items(request, template_name, ctx, duty_fs, assess_fs, head_form):
    return render(
        request, template_name, {**ctx, "duty_fs": duty_fs, "assess_fs": assess_fs, "head_form": head_form}
    )


class ListEditView(ScopedObjectView):
    """Adapt a draft: edit, add, remove and reorder items (order = numbering)."""

    model = DutyList
    permission = "duty.edit"
    object_permission = "duty.edit"
    template_name = "duty/items_edit.html"

    def ctx(self):
        dl = self.object
        return {
            "title": f"修改清单：{dl.post.name} 第{dl.version}版",
            "back": reverse("duty:list_detail", args=[dl.pk]),
            "enterprise": dl.post.enterprise,
        }

    def get(self, request, *args, **kwargs):
        if not self.object.is_draft:
            messages.error(request, "已发布的清单不能修改，请在岗位页面新建修订版本。")
            return redirect("duty:list_detail", pk=self.object.pk)
        duties, assess = _item_initial(self.object)
        return _render_items(
            request,
            self.template_name,
            self.ctx(),
            DutyItemFormSet(initial=duties, prefix="duty"),
            AssessItemFormSet(initial=assess, prefix="assess"),
            ListNoteForm(initial={"note": self.object.note}),
        )

    def post(self, request, *args, **kwargs):
        duty_fs = DutyItemFormSet(request.POST, prefix="duty")
        assess_fs = AssessItemFormSet(request.POST, prefix="assess")
        head = ListNoteForm(request.POST)
        if duty_fs.is_valid() and assess_fs.is_valid() and head.is_valid():
            try:
                services.duty_list_save(
                    actor=request.user,
                    scope=self.scope,
                    duty_list=self.object,
                    duty_items=formset_rows(duty_fs, "text"),
                    assess_items=formset_rows(assess_fs, "content"),
                    note=head.cleaned_data["note"],
                )
            except ValidationError as exc:
                apply_errors(head, exc)
            else:
                messages.success(request, "已保存草稿。")
                return redirect("duty:list_detail", pk=self.object.pk)
        return _render_items(request, self.template_name, self.ctx(), duty_fs, assess_fs, head)


class ListDocxView(ScopedObjectView):
    """The printable 安全生产责任书 of a list version (for 公示 and for the holders to sign)."""

    model = DutyList
    permission = "duty.view"

    def get(self, request, *args, **kwargs):
        dl = self.object
        day = dl.effective_from or today()
        holders = selectors.holders_on([dl.post], day).get(dl.post_id, [])
        data = exports.list_docx(dl, holders)
        return exports.docx_response(data, f"安全生产责任书-{dl.post.name}-第{dl.version}版.docx")


@method_decorator(require_POST, name="dispatch")
class ListPublishView(ScopedObjectView):
    model = DutyList
    permission = "duty.edit"
    object_permission = "duty.edit"

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            PublishForm(request.POST),
            lambda d: services.duty_list_publish(
                actor=request.user, scope=self.scope, duty_list=self.object, **d
            ),
            "已发布，清单自生效日期起执行。",
            reverse("duty:list_detail", args=[self.object.pk]),
        )


@method_decorator(require_POST, name="dispatch")
class ListDiscardView(ScopedObjectView):
    model = DutyList
    permission = "duty.edit"
    object_permission = "duty.edit"

    def post(self, request, *args, **kwargs):
        post_id = self.object.post_id
        try:
            services.duty_list_discard(actor=request.user, scope=self.scope, duty_list=self.object)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("duty:list_detail", pk=self.object.pk)
        messages.success(request, "已删除草稿。")
        return redirect("duty:post_detail", pk=post_id)


@method_decorator(require_POST, name="dispatch")
class ListSignView(ScopedObjectView):
    model = DutyList
    permission = "duty.edit"
    object_permission = "duty.edit"

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            SignForm(request.POST, request.FILES, enterprise=self.object.post.enterprise),
            lambda d: services.duty_list_sign(
                actor=request.user,
                scope=self.scope,
                duty_list=self.object,
                person=d["person"],
                signed_on=d["signed_on"],
                upload=d["upload"],
            ),
            "已上传责任书。",
            reverse("duty:list_detail", args=[self.object.pk]),
        )


# --- templates ---------------------------------------------------------------------------------------------
class TemplateListView(ScopedPageView):
    """Templates offered where the user works: the system's, their units' and those kept above them."""

    model = DutyTemplate
    permission = "duty.view"
    template_name = "duty/template_list.html"

    def get_context_data(self, **kwargs):
        scope = self.scope
        paths = list(scope.unit_paths)
        if not paths and scope.enterprise_ids:
            paths = list(
                Organization.objects.filter(enterprises__pk__in=scope.enterprise_ids).values_list(
                    "path", flat=True
                )
            )
        offered = {}
        for path in paths:
            for tpl in selectors.templates_for_path(path):
                offered[tpl.pk] = tpl
        own = (
            DutyTemplate.objects.visible_to(scope)
            .select_related("organization")
            .prefetch_related("duty_items", "assess_items")
        )
        for tpl in own:
            offered[tpl.pk] = tpl
        templates = sorted(
            offered.values(), key=lambda t: (t.level, t.organization.path if t.organization_id else "")
        )
        units = (
            Organization.objects.visible_to(scope, "duty.template").filter(is_active=True).order_by("path")
        )
        return super().get_context_data(
            templates=templates,
            derive_units=units if scope.has_perm("duty.template") else [],
            editable={t.pk for t in own} if scope.has_perm("duty.template") else set(),
            **kwargs,
        )


class TemplateDeriveView(ScopedPageView):
    model = DutyTemplate
    permission = "duty.template"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            source = DutyTemplate.objects.get(pk=int(request.POST.get("source", "0")))
            unit = Organization.objects.visible_to(self.scope, "duty.template").get(
                pk=int(request.POST.get("organization", "0"))
            )
        except (DutyTemplate.DoesNotExist, Organization.DoesNotExist, ValueError) as exc:
            raise Http404("模板或单位不存在") from exc
        try:
            tpl = services.template_derive(
                actor=request.user, scope=self.scope, source=source, organization=unit
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
            return redirect("duty:template_list")
        messages.success(request, f"已为{unit.name}继承模板，可修改后供下级单位和企业采用。")
        return redirect("duty:template_edit", pk=tpl.pk)


class TemplateEditView(ScopedObjectView):
    model = DutyTemplate
    permission = "duty.template"
    object_permission = "duty.template"
    template_name = "duty/items_edit.html"

    def ctx(self):
        return {
            "title": f"修改模板：{self.object.title}",
            "back": reverse("duty:template_list"),
            "template_obj": self.object,
        }

    def get(self, request, *args, **kwargs):
        duties, assess = _item_initial(self.object)
        return _render_items(
            request,
            self.template_name,
            self.ctx(),
            DutyItemFormSet(initial=duties, prefix="duty"),
            AssessItemFormSet(initial=assess, prefix="assess"),
            TemplateForm(initial={"title": self.object.title, "is_active": self.object.is_active}),
        )

    def post(self, request, *args, **kwargs):
        duty_fs = DutyItemFormSet(request.POST, prefix="duty")
        assess_fs = AssessItemFormSet(request.POST, prefix="assess")
        head = TemplateForm(request.POST)
        if duty_fs.is_valid() and assess_fs.is_valid() and head.is_valid():
            try:
                services.template_save(
                    actor=request.user,
                    scope=self.scope,
                    template=self.object,
                    title=head.cleaned_data["title"],
                    is_active=head.cleaned_data["is_active"],
                    duty_items=formset_rows(duty_fs, "text"),
                    assess_items=formset_rows(assess_fs, "content"),
                )
            except ValidationError as exc:
                apply_errors(head, exc)
            else:
                messages.success(request, "已保存模板。")
                return redirect("duty:template_list")
        return _render_items(request, self.template_name, self.ctx(), duty_fs, assess_fs, head)
