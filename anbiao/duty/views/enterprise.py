"""The enterprise's 全员责任制 page, departments, people, posts and holdings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import FieldError, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from anbiao.core.views import ScopedDetailView, ScopedObjectView, save_in_scope
from anbiao.duty import rules, selectors, services
from anbiao.duty.forms import (
    AbolishForm,
    AdoptForm,
    AnonymiseForm,
    AssessmentStartForm,
    BodyForm,
    CertificateForm,
    DepartmentForm,
    EndForm,
    HoldingForm,
    OfficerForm,
    PersonForm,
    PostForm,
)
from anbiao.duty.models import Person, Post, PostHolding
from anbiao.duty.views.base import apply_errors, run_action, today
from anbiao.orgs.models import Enterprise


class EnterpriseDutyView(ScopedDetailView):
    """Everything of one enterprise: Art. 24 status, posts and lists, people, officers, teams, assessments."""

    model = Enterprise
    permission = "duty.view"
    template_name = "duty/enterprise.html"

    def narrow(self, queryset):
        return queryset.select_related("unit")

    def get_context_data(self, **kwargs):
        e = self.object
        day = today()
        status = selectors.with_duty_status(Enterprise.objects.filter(pk=e.pk), day).get()
        rule = selectors.staffing_rule_on(day)
        art24 = rules.art24_check(
            dangerous_goods=e.handles_dangerous_goods,
            employees=e.employee_count,
            has_body=status.has_body,
            full_time=status.full_time_n,
            part_time=status.part_time_n,
            rule=rule,
        )
        can_edit = self.scope.can("duty.edit", e)
        return super().get_context_data(
            status=status,
            art24=art24,
            posts=selectors.posts_with_status(e, day),
            departments=e.departments.all(),
            people=e.people.select_related("department").order_by("-is_active", "name"),
            bodies=e.safety_bodies.select_related("file").order_by("-valid_from"),
            officers=e.safety_officers.select_related("person").order_by("valid_to", "-valid_from"),
            teams=e.rescue_teams.order_by("valid_to", "name"),
            assessments=e.duty_assessments.order_by("-year"),
            can_edit=can_edit,
            can_assess=self.scope.can("duty.assess", e),
            department_form=DepartmentForm(),
            body_form=BodyForm(),
            officer_form=OfficerForm(enterprise=e),
            assessment_form=AssessmentStartForm(initial={"year": day.year}),
            end_form=EndForm(),
            **kwargs,
        )


@method_decorator(require_POST, name="dispatch")
class DepartmentAddView(ScopedObjectView):
    model = Enterprise
    permission = "duty.edit"
    object_permission = "duty.edit"

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            DepartmentForm(request.POST),
            lambda d: services.department_create(
                actor=request.user, scope=self.scope, enterprise=self.object, name=d["name"]
            ),
            "已新增部门。",
            redirect_to(self.object, "departments"),
        )


def redirect_to(enterprise, anchor: str) -> str:
    from django.urls import reverse

    return reverse("duty:enterprise", args=[enterprise.pk]) + f"#{anchor}"


class PersonCreateView(ScopedObjectView):
    model = Enterprise
    permission = "duty.edit"
    object_permission = "duty.edit"
    template_name = "duty/form.html"

    def render_form(self, form):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "title": "登记人员",
                "enterprise": self.object,
                "back": redirect_to(self.object, "people"),
            },
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(PersonForm(enterprise=self.object))

    def post(self, request, *args, **kwargs):
        form = PersonForm(request.POST, enterprise=self.object)
        if form.is_valid():
            try:
                person = save_in_scope(
                    self.scope,
                    services.person_create,
                    actor=request.user,
                    scope=self.scope,
                    enterprise=self.object,
                    data=form.cleaned_data,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已登记人员「{person.name}」。")
                return redirect("duty:person_detail", pk=person.pk)
        return self.render_form(form)


class PersonDetailView(ScopedDetailView):
    model = Person
    permission = "duty.view"
    template_name = "duty/person_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise", "department")

    def get_context_data(self, **kwargs):
        p = self.object
        day = today()
        certs = list(p.certificates.select_related("file").order_by("kind", "-issued_on"))
        for c in certs:
            c.state = selectors.certificate_state(c, day)
        return super().get_context_data(
            holdings=p.holdings.select_related("post").order_by("-valid_from"),
            officer_terms=p.officer_terms.order_by("-valid_from"),
            team_memberships=p.team_memberships.select_related("team").order_by("-valid_from"),
            certificates=certs,
            scores=p.scores.select_related("assessment", "post").order_by("-assessment__year"),
            trainings=_trainings(p),
            can_edit=self.scope.can("duty.edit", p) and p.anonymised_at is None,
            can_anonymise=p.anonymised_at is None and self.scope.can(services.ANONYMISE, p),
            anonymise_form=AnonymiseForm(),
            **kwargs,
        )


@method_decorator(require_POST, name="dispatch")
class PersonAnonymiseView(ScopedObjectView):
    """POST: erase a departed person's personal data (services.person_anonymise)."""

    model = Person
    permission = services.ANONYMISE
    object_permission = services.ANONYMISE

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            AnonymiseForm(request.POST),
            lambda d: services.person_anonymise(
                actor=request.user, scope=self.scope, person=self.object, reason=d["reason"]
            ),
            "已匿名化该人员的个人信息。",
            reverse("duty:person_detail", args=[self.object.pk]),
        )


def _trainings(person):
    """Training received, from the ledgers app's attendance rows (``Person.trainings``) when it is installed.

    Read through the reverse relation only (no import of the ledgers app); ``None`` hides the section.
    """
    related = getattr(person, "trainings", None)
    if related is None:
        return None
    try:
        return list(related.select_related("session").order_by("-session__planned_on")[:20])
    except FieldError:
        return None


class PersonUpdateView(ScopedObjectView):
    model = Person
    permission = "duty.edit"
    object_permission = "duty.edit"
    template_name = "duty/form.html"

    def render_form(self, form):
        back = reverse("duty:person_detail", args=[self.object.pk])
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "title": f"修改人员：{self.object.name}",
                "enterprise": self.object.enterprise,
                "back": back,
            },
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(PersonForm(instance=self.object, enterprise=self.object.enterprise))

    def post(self, request, *args, **kwargs):
        person = Person.objects.get(pk=self.object.pk)
        form = PersonForm(request.POST, instance=person, enterprise=self.object.enterprise)
        if form.is_valid():
            try:
                services.person_update(
                    actor=request.user, scope=self.scope, person=self.object, data=form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("duty:person_detail", pk=self.object.pk)
        return self.render_form(form)


class CertificateAddView(ScopedObjectView):
    model = Person
    permission = "duty.edit"
    object_permission = "duty.edit"
    template_name = "duty/form.html"

    def render_form(self, form):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "title": f"登记证书：{self.object.name}",
                "enterprise": self.object.enterprise,
                "back": reverse("duty:person_detail", args=[self.object.pk]),
                "multipart": True,
            },
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(CertificateForm())

    def post(self, request, *args, **kwargs):
        form = CertificateForm(request.POST, request.FILES)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "upload"}
            try:
                services.certificate_add(
                    actor=request.user,
                    scope=self.scope,
                    person=self.object,
                    data=data,
                    upload=form.cleaned_data.get("upload"),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已登记证书。")
                return redirect("duty:person_detail", pk=self.object.pk)
        return self.render_form(form)


class PostCreateView(ScopedObjectView):
    model = Enterprise
    permission = "duty.edit"
    object_permission = "duty.edit"
    template_name = "duty/form.html"

    def render_form(self, form):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "title": "新增岗位",
                "enterprise": self.object,
                "back": redirect_to(self.object, "posts"),
            },
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(PostForm(enterprise=self.object, initial={"established_on": today()}))

    def post(self, request, *args, **kwargs):
        form = PostForm(request.POST, enterprise=self.object)
        if form.is_valid():
            try:
                post = save_in_scope(
                    self.scope,
                    services.post_create,
                    actor=request.user,
                    scope=self.scope,
                    enterprise=self.object,
                    data=form.cleaned_data,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已新增岗位「{post.name}」。")
                return redirect("duty:post_detail", pk=post.pk)
        return self.render_form(form)


class PostDetailView(ScopedDetailView):
    model = Post
    permission = "duty.view"
    template_name = "duty/post_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "department")

    def get_context_data(self, **kwargs):
        post = self.object
        e = post.enterprise
        day = today()
        offered = selectors.templates_for_path(e.unit.path).filter(level=post.level)
        nearest = selectors.nearest_templates(e.unit.path).get(post.level)
        return super().get_context_data(
            holdings=post.holdings.select_related("person").order_by("valid_to", "-valid_from"),
            versions=post.lists.select_related("template").order_by("-version"),
            current=selectors.effective_list(post, day),
            nearest=nearest,
            can_edit=self.scope.can("duty.edit", post),
            holding_form=HoldingForm(enterprise=e),
            adopt_form=AdoptForm(templates=offered, initial={"template": nearest}),
            abolish_form=AbolishForm(),
            end_form=EndForm(),
            **kwargs,
        )


@method_decorator(require_POST, name="dispatch")
class PostAbolishView(ScopedObjectView):
    model = Post
    permission = "duty.edit"
    object_permission = "duty.edit"

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            AbolishForm(request.POST),
            lambda d: services.post_abolish(
                actor=request.user, scope=self.scope, post=self.object, on=d["on"]
            ),
            "已撤销岗位。",
            reverse("duty:post_detail", args=[self.object.pk]),
        )


@method_decorator(require_POST, name="dispatch")
class HoldingAddView(ScopedObjectView):
    model = Post
    permission = "duty.edit"
    object_permission = "duty.edit"

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            HoldingForm(request.POST, enterprise=self.object.enterprise),
            lambda d: services.holding_add(
                actor=request.user,
                scope=self.scope,
                post=self.object,
                person=d["person"],
                valid_from=d["valid_from"],
                note=d["note"],
            ),
            "已登记任职。",
            reverse("duty:post_detail", args=[self.object.pk]),
        )


@method_decorator(require_POST, name="dispatch")
class HoldingEndView(ScopedObjectView):
    model = PostHolding
    permission = "duty.edit"
    object_permission = "duty.edit"

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            EndForm(request.POST),
            lambda d: services.holding_end(
                actor=request.user, scope=self.scope, holding=self.object, valid_to=d["valid_to"]
            ),
            "已登记离任。",
            reverse("duty:post_detail", args=[self.object.post_id]),
        )


@method_decorator(require_POST, name="dispatch")
class BodyAddView(ScopedObjectView):
    model = Enterprise
    permission = "duty.edit"
    object_permission = "duty.edit"

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            BodyForm(request.POST, request.FILES),
            lambda d: services.body_create(
                actor=request.user,
                scope=self.scope,
                enterprise=self.object,
                name=d["name"],
                document=d["document"],
                valid_from=d["valid_from"],
                upload=d.get("upload"),
            ),
            "已登记安全生产管理机构。",
            redirect_to(self.object, "safety"),
        )


@method_decorator(require_POST, name="dispatch")
class OfficerAddView(ScopedObjectView):
    model = Enterprise
    permission = "duty.edit"
    object_permission = "duty.edit"

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            OfficerForm(request.POST, enterprise=self.object),
            lambda d: services.officer_appoint(
                actor=request.user,
                scope=self.scope,
                enterprise=self.object,
                person=d["person"],
                employment=d["employment"],
                valid_from=d["valid_from"],
                document=d["document"],
            ),
            "已任命安全生产管理人员。",
            redirect_to(self.object, "safety"),
        )
