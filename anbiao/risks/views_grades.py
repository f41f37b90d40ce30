"""Pages for the enterprise overall 四色 grade, and for the catalogue (band sets, level policies, rules)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from anbiao.core import xlsx
from anbiao.core.views import ScopedDetailView, ScopedListView, ScopedObjectView, ScopedPageView
from anbiao.orgs.models import Enterprise
from anbiao.risks import catalog_services, drawing, grading, selectors
from anbiao.risks.catalog import fact_labels
from anbiao.risks.choices import COLOUR_NAME, Level
from anbiao.risks.filters import GradeFilter
from anbiao.risks.forms import BandRevisionForm, OverrideForm, PolicyForm, RuleRevisionForm
from anbiao.risks.models import BandSet, EnterpriseGrade, GradeRuleSet, LevelPolicy
from anbiao.risks.views import apply_errors, legend


def _filtered(view):
    filterset = view.get_filterset()
    return filterset, (filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset)


class GradeListView(ScopedListView):
    model = EnterpriseGrade
    permission = "grade.view"
    filterset_class = GradeFilter
    template_name = "risks/grade_list.html"

    def narrow(self, queryset):
        return (
            queryset.filter(valid_to__isnull=True)
            .select_related("enterprise__unit")
            .order_by("enterprise__name", "id")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = (
            ctx["filter"].qs
            if ctx["filter"].is_bound and ctx["filter"].is_valid()
            else ctx["filter"].queryset
        )
        # The colour cards count with the other filters applied (unit, search, source), not the colour.
        params = self.request.GET.copy()
        params.pop("level", None)
        others = GradeFilter(params or None, queryset=self.scoped_queryset(), request=self.request)
        counts = selectors.grade_counts(
            others.qs if others.is_bound and others.is_valid() else others.queryset
        )
        query = self.request.GET.copy()
        links = []
        for lv, label in Level.choices:
            query["level"] = lv
            query.pop("page", None)
            links.append(
                {
                    "level": lv,
                    "label": label,
                    "name": COLOUR_NAME[lv],
                    "count": counts[lv],
                    "query": query.urlencode(),
                }
            )
        ctx.update(
            colour_links=links,
            shown=qs.count() if ctx["filter"].is_bound else None,
            can_recompute=self.scope.has_perm("grade.recompute"),
            legend=legend(),
        )
        return ctx


class GradeExportView(ScopedListView):
    model = EnterpriseGrade
    permission = "grade.view"
    filterset_class = GradeFilter

    def narrow(self, queryset):
        return (
            queryset.filter(valid_to__isnull=True)
            .select_related("enterprise__unit")
            .order_by("enterprise__name")
        )

    def get(self, request, *args, **kwargs):
        import openpyxl

        _, qs = _filtered(self)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "企业四色等级"
        rows = [
            [
                g.enterprise.name,
                g.enterprise.unit.name,
                COLOUR_NAME[g.level],
                g.get_level_display(),
                g.get_source_display(),
                g.summary,
                g.valid_from,
                g.override_until,
            ]
            for g in qs
        ]
        xlsx.write_table(
            ws, ["企业", "监管单位", "颜色", "等级", "来源", "理由", "起始日期", "调整有效期至"], rows
        )
        return xlsx.response(wb, f"企业四色等级-{timezone.localdate():%Y%m%d}.xlsx")


class GradeMapView(ScopedPageView):
    """Enterprises placed by longitude/latitude and coloured by grade, drawn as SVG (no online tiles)."""

    model = EnterpriseGrade
    permission = "grade.view"
    template_name = "risks/grade_map.html"

    def get_context_data(self, **kwargs):
        base = (
            EnterpriseGrade.objects.visible_to(self.scope)
            .filter(valid_to__isnull=True)
            .select_related("enterprise")
        )
        filterset = GradeFilter(self.request.GET or None, queryset=base, request=self.request)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
        rows = [
            {
                "pk": g.enterprise_id,
                "name": g.enterprise.name,
                "level": g.level,
                "longitude": g.enterprise.longitude,
                "latitude": g.enterprise.latitude,
            }
            for g in qs
        ]
        dots = drawing.enterprise_dots(rows)
        return super().get_context_data(
            filter=filterset,
            dots=dots,
            missing=len(rows) - len(dots),
            legend=legend(),
            counts=selectors.grade_counts(qs),
            filter_active=bool(self.request.GET),
            **kwargs,
        )


class GradeRecomputeView(ScopedPageView):
    permission = "grade.recompute"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        counts = grading.grades_recompute(actor=request.user, scope=self.scope)
        messages.success(
            request, f"已重新计算：{counts['changed']} 家等级变化，{counts['unchanged']} 家不变。"
        )
        return redirect("risks:grade_list")


class EnterpriseGradeView(ScopedDetailView):
    model = Enterprise
    permission = "risk.view"
    template_name = "risks/enterprise_grade.html"

    def narrow(self, queryset):
        return queryset.select_related("unit")

    def get_context_data(self, **kwargs):
        e = self.object
        history = list(EnterpriseGrade.objects.filter(enterprise=e).select_related("rule_set", "set_by"))
        current = next((g for g in history if g.valid_to is None), None)
        labels = fact_labels()
        facts = [(labels.get(k, k), v) for k, v in (current.facts.items() if current else [])]
        return super().get_context_data(
            history=history,
            current=current,
            facts=facts,
            can_override=self.scope.can("grade.override", e),
            form=OverrideForm(),
            **kwargs,
        )


class GradeOverrideView(ScopedObjectView):
    model = Enterprise
    permission = "grade.override"
    object_permission = "grade.override"
    template_name = "risks/simple_form.html"

    def ctx(self, form):
        return {
            "form": form,
            "object": self.object,
            "heading": f"调整企业四色等级：{self.object.name}",
            "intro": "监管单位可根据检查情况调整企业整体等级，须填写理由和有效期；到期后按评定规则重新计算。",
            "cancel": reverse("risks:enterprise_grade", args=[self.object.pk]),
            "submit": "保存调整",
        }

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.ctx(OverrideForm()))

    def post(self, request, *args, **kwargs):
        form = OverrideForm(request.POST)
        if form.is_valid():
            try:
                grading.grade_override(
                    actor=request.user,
                    scope=self.scope,
                    enterprise=self.object,
                    level=form.cleaned_data["level"],
                    reason=form.cleaned_data["reason"],
                    until=form.cleaned_data["until"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已调整企业四色等级；到期后按规则重新评定。")
                return redirect("risks:enterprise_grade", pk=self.object.pk)
        return render(request, self.template_name, self.ctx(form), status=400)


# --- Catalogue ---------------------------------------------------------------------------------------------
class StandardListView(ScopedPageView):
    permission = "risk.view"
    template_name = "risks/standard_list.html"

    def get_context_data(self, **kwargs):
        selectors.ensure_catalogue()
        sets = BandSet.objects.prefetch_related("bands", "factors").order_by("method", "variant", "-version")
        return super().get_context_data(
            current=[b for b in sets if b.is_current],
            older=[b for b in sets if not b.is_current],
            policies=LevelPolicy.objects.all(),
            can_edit=self.scope.has_perm("catalog.manage"),
            **kwargs,
        )


def _band_text(b: BandSet) -> tuple[str, str]:
    bands = "\n".join(
        f"{x.level} {x.lower:g} {'是' if x.lower_inclusive else '否'} {x.meaning}".rstrip()
        for x in b.bands.all()
    )
    factors = "\n".join(f"{f.factor} {f.value:g} {f.label}" for f in b.factors.order_by("factor", "-value"))
    return bands, factors


class StandardReviseView(ScopedPageView):
    """Revise one band set (``?set=<id>``): the new version applies to new assessments only."""

    permission = "catalog.manage"
    template_name = "risks/standard_revise.html"

    def band_set(self) -> BandSet:
        selectors.ensure_catalogue()
        try:
            return BandSet.objects.prefetch_related("bands").get(
                pk=int(self.request.GET.get("set", "")), is_current=True
            )
        except (ValueError, BandSet.DoesNotExist) as exc:
            raise Http404("没有这个现行评价标准。") from exc

    def get(self, request, *args, **kwargs):
        b = self.band_set()
        bands, factors = _band_text(b)
        form = BandRevisionForm(initial={"bands": bands, "factors": factors})
        return render(request, self.template_name, self.ctx(form, b))

    def ctx(self, form, b):
        return {
            "form": form,
            "object": b,
            "heading": f"修订评价标准：{b}",
            "cancel": reverse("risks:standard_list"),
            "submit": "发布新版本",
        }

    def post(self, request, *args, **kwargs):
        b = self.band_set()
        form = BandRevisionForm(request.POST)
        if form.is_valid():
            try:
                new = catalog_services.bandset_revise(
                    actor=request.user,
                    scope=self.scope,
                    band_set=b,
                    bands=form.cleaned_data["bands"],
                    factors=form.cleaned_data["factors"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已发布《{new}》；此前的评估仍按原版本保留。")
                return redirect("risks:standard_list")
        return render(request, self.template_name, self.ctx(form, b), status=400)


class PolicyUpdateView(ScopedPageView):
    permission = "catalog.manage"
    template_name = "risks/simple_form.html"

    def ctx(self, form, p):
        return {
            "form": form,
            "object": p,
            "heading": f"分级管控要求：{p.get_level_display()}",
            "intro": "新评估的风险点按此默认管控层级和复评周期；已有记录不受影响。",
            "cancel": reverse("risks:standard_list"),
        }

    def policy(self) -> LevelPolicy:
        selectors.ensure_catalogue()
        policy = LevelPolicy.objects.filter(level=self.request.GET.get("level", "")).first()
        if policy is None:
            raise Http404("没有这个风险等级。")
        return policy

    def get(self, request, *args, **kwargs):
        p = self.policy()
        form = PolicyForm(
            initial={
                "control_level": p.control_level,
                "review_months": p.review_months,
                "responsible": p.responsible,
            }
        )
        return render(request, self.template_name, self.ctx(form, p))

    def post(self, request, *args, **kwargs):
        p = self.policy()
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                catalog_services.policy_update(
                    actor=request.user, scope=self.scope, policy=p, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("risks:standard_list")
        return render(request, self.template_name, self.ctx(form, p), status=400)


class RuleListView(ScopedPageView):
    permission = "grade.view"
    template_name = "risks/rule_list.html"

    def get_context_data(self, **kwargs):
        selectors.ensure_catalogue()
        sets = GradeRuleSet.objects.prefetch_related("rules").order_by("-version")
        return super().get_context_data(
            rule_sets=sets,
            labels=fact_labels(),
            can_edit=self.scope.has_perm("catalog.manage"),
            **kwargs,
        )


class RuleReviseView(ScopedPageView):
    permission = "catalog.manage"
    template_name = "risks/rule_revise.html"

    def current(self) -> GradeRuleSet:
        selectors.ensure_catalogue()
        return GradeRuleSet.objects.filter(is_current=True).prefetch_related("rules").first()

    def get(self, request, *args, **kwargs):
        rs = self.current()
        text = "\n".join(
            f"{r.fact} {r.comparison} {r.threshold:g} {r.result} {'是' if r.is_active else '否'} {r.reason}"
            for r in rs.rules.all()
        )
        form = RuleRevisionForm(initial={"rules": text, "default_level": rs.default_level})
        return render(request, self.template_name, self.ctx(form, rs))

    def ctx(self, form, rs):
        return {
            "form": form,
            "object": rs,
            "labels": fact_labels(),
            "heading": f"修订企业四色评定规则（现行第{rs.version}版）",
            "cancel": reverse("risks:rule_list"),
            "submit": "发布新版本",
        }

    def post(self, request, *args, **kwargs):
        rs = self.current()
        form = RuleRevisionForm(request.POST)
        if form.is_valid():
            try:
                new = catalog_services.rules_revise(
                    actor=request.user,
                    scope=self.scope,
                    rules=form.cleaned_data["rules"],
                    default_level=form.cleaned_data["default_level"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已发布{new}；此前计算的等级仍按原规则保留。")
                return redirect("risks:rule_list")
        return render(request, self.template_name, self.ctx(form, rs), status=400)
