"""年度考核 pages: start, score a post-holder, decide rewards, conclude, print."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from anbiao.core import xlsx
from anbiao.core.views import ScopedDetailView, ScopedObjectView
from anbiao.duty import exports, selectors, services
from anbiao.duty.forms import AssessmentStartForm, CompleteForm, OutcomeForm, ScoreForm
from anbiao.duty.models import AnnualAssessment, AssessmentScore, PostHolding
from anbiao.duty.views.base import apply_errors, error_messages, run_action
from anbiao.orgs.models import Enterprise


@method_decorator(require_POST, name="dispatch")
class AssessmentStartView(ScopedObjectView):
    model = Enterprise
    permission = "duty.assess"
    object_permission = "duty.assess"

    def post(self, request, *args, **kwargs):
        form = AssessmentStartForm(request.POST)
        if form.is_valid():
            try:
                a = services.assessment_start(
                    actor=request.user, scope=self.scope, enterprise=self.object, **form.cleaned_data
                )
            except ValidationError as exc:
                messages.error(request, "；".join(error_messages(exc)))
            else:
                messages.success(request, f"已开始{a.year}年度考核。")
                return redirect("duty:assessment_detail", pk=a.pk)
        else:
            messages.error(request, "请填写考核年度和开始日期。")
        return redirect(reverse("duty:enterprise", args=[self.object.pk]) + "#assessments")


def _holdings_in_year(assessment):
    """Post holdings that overlap the assessment year (people who held a post during it)."""
    import datetime

    from django.db.models import Q

    start, end = datetime.date(assessment.year, 1, 1), datetime.date(assessment.year + 1, 1, 1)
    return (
        PostHolding.objects.filter(post__enterprise=assessment.enterprise, valid_from__lt=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .select_related("person", "post", "post__department")
        .order_by("post__level", "post__name", "person__name")
    )


class AssessmentDetailView(ScopedDetailView):
    model = AnnualAssessment
    permission = "duty.view"
    template_name = "duty/assessment_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise")

    def get_context_data(self, **kwargs):
        a = self.object
        scores = {(s.person_id, s.post_id): s for s in a.scores.all()}
        rows = []
        for h in _holdings_in_year(a):
            rows.append((h, scores.pop((h.person_id, h.post_id), None)))
        paid = [s for s in a.scores.all() if s.outcome == "reward" and s.paid_on]
        return super().get_context_data(
            rows=rows,
            orphans=list(scores.values()),
            scored=a.scores.count(),
            rewarded_posts=len({s.post_id for s in paid}),
            reward_total=sum(s.amount for s in paid),
            can_assess=self.scope.can("duty.assess", a),
            complete_form=CompleteForm(),
            **kwargs,
        )


class ScoreView(ScopedObjectView):
    """Score one post-holder: deductions with reasons against the post's 考核清单."""

    model = AnnualAssessment
    permission = "duty.assess"
    object_permission = "duty.assess"
    template_name = "duty/score_form.html"

    def holding(self):
        try:
            return _holdings_in_year(self.object).get(
                pk=int(self.request.GET.get("holding") or self.request.POST.get("holding") or 0)
            )
        except (PostHolding.DoesNotExist, ValueError) as exc:
            raise Http404("任职记录不存在") from exc

    def page(self, form, holding, duty_list):
        return render(
            self.request,
            self.template_name,
            {"form": form, "holding": holding, "duty_list": duty_list, "assessment": self.object},
        )

    def setup_form(self, holding, data=None):
        duty_list = selectors.effective_list(
            holding.post, self.object.started_on
        ) or selectors.latest_published_list(holding.post)
        items = list(duty_list.assess_items.all()) if duty_list else []
        existing = {}
        current = AssessmentScore.objects.filter(
            assessment=self.object, person=holding.person, post=holding.post
        ).first()
        initial = {}
        if current:
            existing = {d.item_id: (d.points, d.reason) for d in current.deductions.all()}
            initial = {"scored_on": current.scored_on, "assessor": current.assessor}
        return ScoreForm(data, items=items, existing=existing, initial=initial), duty_list

    def get(self, request, *args, **kwargs):
        holding = self.holding()
        form, duty_list = self.setup_form(holding)
        return self.page(form, holding, duty_list)

    def post(self, request, *args, **kwargs):
        holding = self.holding()
        form, duty_list = self.setup_form(holding, request.POST)
        if form.is_valid():
            try:
                score = services.score_record(
                    actor=request.user,
                    scope=self.scope,
                    assessment=self.object,
                    holding=holding,
                    scored_on=form.cleaned_data["scored_on"],
                    assessor=form.cleaned_data["assessor"],
                    deductions=form.deductions(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已评分：{score.score} 分（{score.band}）。")
                return redirect("duty:score_detail", pk=score.pk)
        return self.page(form, holding, duty_list)


class ScoreDetailView(ScopedDetailView):
    model = AssessmentScore
    permission = "duty.view"
    template_name = "duty/score_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("assessment__enterprise", "person", "post", "duty_list")

    def get_context_data(self, **kwargs):
        s = self.object
        deductions = {d.item_id: d for d in s.deductions.all()}
        items = [(i, deductions.get(i.pk)) for i in s.duty_list.assess_items.all()]
        form = OutcomeForm(
            initial={
                "outcome": s.outcome,
                "amount": s.amount,
                "decided_on": s.decided_on,
                "paid_on": s.paid_on,
                "note": s.outcome_note,
            }
        )
        return super().get_context_data(
            items=items, outcome_form=form, can_assess=self.scope.can("duty.assess", s), **kwargs
        )


@method_decorator(require_POST, name="dispatch")
class ScoreOutcomeView(ScopedObjectView):
    model = AssessmentScore
    permission = "duty.assess"
    object_permission = "duty.assess"

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            OutcomeForm(request.POST),
            lambda d: services.score_set_outcome(
                actor=request.user, scope=self.scope, score=self.object, **d
            ),
            "已保存奖惩决定。",
            reverse("duty:score_detail", args=[self.object.pk]),
        )


class ScoreDocxView(ScopedObjectView):
    model = AssessmentScore
    permission = "duty.view"

    def get(self, request, *args, **kwargs):
        s = self.object
        data = exports.score_docx(s)
        return exports.docx_response(data, f"考核表-{s.assessment.year}-{s.person.name}-{s.post.name}.docx")


@method_decorator(require_POST, name="dispatch")
class AssessmentCompleteView(ScopedObjectView):
    model = AnnualAssessment
    permission = "duty.assess"
    object_permission = "duty.assess"

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            CompleteForm(request.POST),
            lambda d: services.assessment_complete(
                actor=request.user, scope=self.scope, assessment=self.object, completed_on=d["completed_on"]
            ),
            "年度考核已完成。",
            reverse("duty:assessment_detail", args=[self.object.pk]),
        )


class AssessmentExportView(ScopedObjectView):
    model = AnnualAssessment
    permission = "duty.view"

    def get(self, request, *args, **kwargs):
        a = self.object
        scores = list(
            a.scores.select_related("person", "post__department")
            .prefetch_related("deductions__item")
            .order_by("post__level", "person__name")
        )
        wb = exports.assessment_xlsx(a, scores)
        return xlsx.response(wb, f"{a.enterprise.name}-{a.year}年度考核汇总.xlsx")
