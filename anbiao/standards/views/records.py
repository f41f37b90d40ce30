"""Pages for 达标评审 grades, 星级 and 5S/六有 site assessments."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from anbiao.core.views import (
    ScopedDetailView,
    ScopedListView,
    ScopedObjectView,
    ScopedPageView,
    save_in_scope,
)
from anbiao.standards import selectors, services
from anbiao.standards.choices import SiteKind
from anbiao.standards.filters import GradeFilter, SiteFilter, StarFilter
from anbiao.standards.forms import EnterpriseChoiceForm, GradeForm, RevokeForm, SiteHeaderForm, StarForm
from anbiao.standards.models import GradeRecord, SiteAssessment, StarRating
from anbiao.standards.views.common import apply_errors, enterprises_for


# --- 达标评审 ---------------------------------------------------------------------------------------------
class GradeListView(ScopedListView):
    model = GradeRecord
    permission = "standards.view"
    filterset_class = GradeFilter
    template_name = "standards/grade_list.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=self.scope.has_perm("standards.grade"), today=timezone.localdate(), **kwargs
        )


class GradeCreateView(ScopedPageView):
    model = GradeRecord
    permission = "standards.grade"
    template_name = "standards/grade_form.html"

    def form(self, data=None):
        return GradeForm(
            data,
            enterprises=enterprises_for(self.scope, "standards.grade"),
            initial={"enterprise": self.request.GET.get("enterprise")},
        )

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": self.form()})

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            enterprise = data.pop("enterprise")
            data = {
                k: v
                for k, v in data.items()
                if v not in (None, "") or k in ("level", "note", "certificate_no")
            }
            try:
                grade = save_in_scope(
                    self.scope,
                    services.grade_create,
                    actor=request.user,
                    scope=self.scope,
                    enterprise=enterprise,
                    data=data,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已登记{grade.label}，有效期至 {grade.valid_to:%Y-%m-%d}。")
                return redirect("standards:grade_detail", pk=grade.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class GradeDetailView(ScopedDetailView):
    model = GradeRecord
    permission = "standards.view"
    template_name = "standards/grade_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "recorded_by", "revoked_by")

    def get_context_data(self, **kwargs):
        g = self.object
        today = timezone.localdate()
        from anbiao.core import registry
        from anbiao.standards import scoring
        from anbiao.standards.choices import RuleKind

        facts = registry.enterprise_facts([g.enterprise_id], today).get(g.enterprise_id, {})
        findings = scoring.flags(selectors.rule_rows(selectors.active_ruleset(RuleKind.REVOCATION)), facts)
        return super().get_context_data(
            state=g.state_on(today),
            can_revoke=not g.revoked_on and self.scope.can("standards.grade", g),
            revoke_form=RevokeForm(),
            findings=findings,
            history=GradeRecord.objects.filter(enterprise=g.enterprise).order_by("-valid_from"),
            **kwargs,
        )


class GradeRevokeView(ScopedObjectView):
    model = GradeRecord
    permission = "standards.grade"
    object_permission = "standards.grade"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = RevokeForm(request.POST)
        if form.is_valid():
            try:
                services.grade_revoke(
                    actor=request.user,
                    scope=self.scope,
                    grade=self.object,
                    on=form.cleaned_data["revoked_on"],
                    reason=form.cleaned_data["revoke_reason"],
                )
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, "已撤销该达标等级。")
        else:
            messages.error(request, "请填写撤销日期和原因。")
        return redirect("standards:grade_detail", pk=self.object.pk)


# --- 星级 -------------------------------------------------------------------------------------------------
class StarListView(ScopedListView):
    model = StarRating
    permission = "standards.view"
    filterset_class = StarFilter
    template_name = "standards/star_list.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "ruleset")

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create=self.scope.has_perm("standards.star"), **kwargs)


class StarCreateView(ScopedPageView):
    """Pick an enterprise, see what the rules suggest (with the facts), rate it."""

    model = StarRating
    permission = "standards.star"
    template_name = "standards/star_form.html"

    def context(self, request, form=None):
        enterprises = enterprises_for(self.scope, "standards.star")
        picker = EnterpriseChoiceForm(request.GET or None, enterprises=enterprises)
        enterprise = picker.cleaned_data["enterprise"] if picker.is_bound and picker.is_valid() else None
        ctx = {"picker": picker, "enterprise": enterprise}
        if enterprise is not None:
            suggestion = services.star_suggestion(enterprise.pk, timezone.localdate())
            ctx["suggestion"] = suggestion
            ctx["history"] = StarRating.objects.filter(enterprise=enterprise).order_by("-valid_from")
            ctx["form"] = form or StarForm(
                initial={
                    "stars": suggestion["stars"],
                    "rater_name": request.user.display_name,
                    "basis": "；".join(suggestion["reasons"]),
                }
            )
        return ctx

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.context(request))

    def post(self, request, *args, **kwargs):
        ctx = self.context(request)
        enterprise = ctx["enterprise"]
        if enterprise is None:
            messages.error(request, "请先选择企业。")
            return redirect("standards:star_create")
        form = StarForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.star_rate(
                    actor=request.user,
                    scope=self.scope,
                    enterprise=enterprise,
                    stars=d["stars"],
                    rated_on=d["rated_on"],
                    basis=d["basis"],
                    rater_name=d["rater_name"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已评定 {enterprise.name} 为 {d['stars']} 星。")
                return redirect("standards:star_list")
        return render(request, self.template_name, self.context(request, form), status=400)


# --- 5S / 六有 --------------------------------------------------------------------------------------------
class SiteListView(ScopedListView):
    model = SiteAssessment
    permission = "standards.view"
    filterset_class = SiteFilter
    template_name = "standards/site_list.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "checklist")

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create=self.scope.has_perm("standards.site"), **kwargs)


class SiteCreateView(ScopedPageView):
    model = SiteAssessment
    permission = "standards.site"
    template_name = "standards/site_form.html"

    def kind(self, request):
        kind = request.GET.get("kind") or request.POST.get("kind") or SiteKind.FIVE_S
        return kind if kind in SiteKind.values else SiteKind.FIVE_S

    def context(self, request, header=None, picker=None, rows=None, errors=None):
        kind = self.kind(request)
        checklist = selectors.active_checklist(kind)
        enterprises = enterprises_for(self.scope, "standards.site")
        return {
            "kind": kind,
            "kind_label": SiteKind(kind).label,
            "kinds": SiteKind.choices,
            "checklist": checklist,
            "picker": picker
            or EnterpriseChoiceForm(
                enterprises=enterprises, initial={"enterprise": request.GET.get("enterprise")}
            ),
            "header": header or SiteHeaderForm(initial={"assessor_name": request.user.display_name}),
            "rows": rows or [{"item": i} for i in checklist.items.all()],
            "errors": errors or [],
        }

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.context(request))

    def post(self, request, *args, **kwargs):
        kind = self.kind(request)
        checklist = selectors.active_checklist(kind)
        picker = EnterpriseChoiceForm(request.POST, enterprises=enterprises_for(self.scope, "standards.site"))
        header = SiteHeaderForm(request.POST)
        errors, rows = [], []
        for item in checklist.items.all():
            raw = request.POST.get(f"i{item.pk}-score", "").strip()
            row = {
                "item": item,
                "passed": request.POST.get(f"i{item.pk}-passed") == "1",
                "note": request.POST.get(f"i{item.pk}-note", "").strip(),
                "photo": request.FILES.get(f"i{item.pk}-photo"),
                "score": None,
                "raw": raw,
            }
            if raw:
                try:
                    row["score"] = Decimal(raw)
                except InvalidOperation:
                    errors.append(f"「{item.label}」得分应为数字。")
            rows.append(row)
        if picker.is_valid() and header.is_valid() and not errors:
            try:
                site = save_in_scope(
                    self.scope,
                    services.site_assessment_create,
                    actor=request.user,
                    scope=self.scope,
                    enterprise=picker.cleaned_data["enterprise"],
                    kind=kind,
                    results=[{k: v for k, v in r.items() if k != "raw"} for r in rows],
                    **header.cleaned_data,
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(
                    request, f"已登记{site.get_kind_display()}检查：{'达标' if site.passed else '未达标'}。"
                )
                return redirect("standards:site_detail", pk=site.pk)
        return render(
            request, self.template_name, self.context(request, header, picker, rows, errors), status=400
        )


class SiteDetailView(ScopedDetailView):
    model = SiteAssessment
    permission = "standards.view"
    template_name = "standards/site_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "checklist", "recorded_by")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            results=self.object.results.select_related("item", "photo"),
            history=SiteAssessment.objects.filter(
                enterprise=self.object.enterprise, kind=self.object.kind
            ).order_by("-assessed_on")[:10],
            **kwargs,
        )
