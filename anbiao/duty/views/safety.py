"""Safety body, officers and emergency rescue teams."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from anbiao.core.views import ScopedDetailView, ScopedObjectView, save_in_scope
from anbiao.duty import services
from anbiao.duty.forms import EndForm, MemberForm, TeamForm
from anbiao.duty.models import RescueTeam, RescueTeamMember, SafetyBody, SafetyOfficer
from anbiao.duty.views.base import apply_errors, run_action
from anbiao.orgs.models import Enterprise


def _safety_url(enterprise_id):
    return reverse("duty:enterprise", args=[enterprise_id]) + "#safety"


@method_decorator(require_POST, name="dispatch")
class BodyEndView(ScopedObjectView):
    model = SafetyBody
    permission = "duty.edit"
    object_permission = "duty.edit"

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            EndForm(request.POST),
            lambda d: services.body_end(
                actor=request.user, scope=self.scope, body=self.object, valid_to=d["valid_to"]
            ),
            "已撤销安全生产管理机构。",
            _safety_url(self.object.enterprise_id),
        )


@method_decorator(require_POST, name="dispatch")
class OfficerEndView(ScopedObjectView):
    model = SafetyOfficer
    permission = "duty.edit"
    object_permission = "duty.edit"

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            EndForm(request.POST),
            lambda d: services.officer_end(
                actor=request.user, scope=self.scope, officer=self.object, valid_to=d["valid_to"]
            ),
            "已免去安全生产管理人员。",
            _safety_url(self.object.enterprise_id),
        )


class TeamCreateView(ScopedObjectView):
    model = Enterprise
    permission = "duty.edit"
    object_permission = "duty.edit"
    template_name = "duty/form.html"

    def render_form(self, form):
        back = reverse("duty:enterprise", args=[self.object.pk]) + "#teams"
        return render(
            self.request,
            self.template_name,
            {"form": form, "title": "组建应急救援队伍", "enterprise": self.object, "back": back},
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(TeamForm())

    def post(self, request, *args, **kwargs):
        form = TeamForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "valid_from"}
            try:
                team = save_in_scope(
                    self.scope,
                    services.team_create,
                    actor=request.user,
                    scope=self.scope,
                    enterprise=self.object,
                    data=data,
                    valid_from=form.cleaned_data["valid_from"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已组建「{team.name}」，请添加队员。")
                return redirect("duty:team_detail", pk=team.pk)
        return self.render_form(form)


class TeamDetailView(ScopedDetailView):
    model = RescueTeam
    permission = "duty.view"
    template_name = "duty/team_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise")

    def get_context_data(self, **kwargs):
        team = self.object
        drills = getattr(team, "drills", None)
        return super().get_context_data(
            members=team.members.select_related("person").order_by("valid_to", "role", "person__name"),
            drills=drills.all() if drills is not None else None,
            can_edit=self.scope.can("duty.edit", team),
            member_form=MemberForm(enterprise=team.enterprise),
            team_form=TeamForm(instance=team),
            end_form=EndForm(),
            **kwargs,
        )


@method_decorator(require_POST, name="dispatch")
class TeamUpdateView(ScopedObjectView):
    model = RescueTeam
    permission = "duty.edit"
    object_permission = "duty.edit"

    def post(self, request, *args, **kwargs):
        team = RescueTeam.objects.get(pk=self.object.pk)
        return run_action(
            request,
            TeamForm(request.POST, instance=team),
            lambda d: services.team_update(actor=request.user, scope=self.scope, team=self.object, data=d),
            "已保存队伍信息。",
            reverse("duty:team_detail", args=[self.object.pk]),
        )


@method_decorator(require_POST, name="dispatch")
class TeamDisbandView(ScopedObjectView):
    model = RescueTeam
    permission = "duty.edit"
    object_permission = "duty.edit"

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            EndForm(request.POST),
            lambda d: services.team_disband(
                actor=request.user, scope=self.scope, team=self.object, valid_to=d["valid_to"]
            ),
            "已撤销队伍。",
            reverse("duty:team_detail", args=[self.object.pk]),
        )


@method_decorator(require_POST, name="dispatch")
class MemberAddView(ScopedObjectView):
    model = RescueTeam
    permission = "duty.edit"
    object_permission = "duty.edit"

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            MemberForm(request.POST, enterprise=self.object.enterprise),
            lambda d: services.member_add(
                actor=request.user,
                scope=self.scope,
                team=self.object,
                person=d["person"],
                role=d["role"],
                valid_from=d["valid_from"],
            ),
            "已添加队员。",
            reverse("duty:team_detail", args=[self.object.pk]),
        )


@method_decorator(require_POST, name="dispatch")
class MemberEndView(ScopedObjectView):
    model = RescueTeamMember
    permission = "duty.edit"
    object_permission = "duty.edit"

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            EndForm(request.POST),
            lambda d: services.member_end(
                actor=request.user, scope=self.scope, member=self.object, valid_to=d["valid_to"]
            ),
            "已登记离队。",
            reverse("duty:team_detail", args=[self.object.team_id]),
        )
