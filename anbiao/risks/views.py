"""Pages for risk points, assessments, cards and documents, and the four-colour site maps."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from anbiao.core import privacy, xlsx
from anbiao.core.views import ScopedDetailView, ScopedListView, ScopedObjectView, save_in_scope
from anbiao.orgs.models import Enterprise
from anbiao.risks import documents, drawing, selectors, services
from anbiao.risks.choices import COLOUR_HEX, COLOUR_NAME, MEASURE_FIELDS, Level, PointStatus
from anbiao.risks.filters import RiskPointFilter
from anbiao.risks.forms import AssessmentForm, RaiseForm, RetireForm, RiskPointForm
from anbiao.risks.models import BandSet, EnterpriseGrade, RiskAssessment, RiskPoint, SiteMap
from anbiao.risks.scoring import fmt_score


def apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def legend():
    return [
        {"level": lv, "label": label, "colour": COLOUR_HEX[lv], "name": COLOUR_NAME[lv]}
        for lv, label in Level.choices
    ]


HISTORY = Prefetch(
    "assessments",
    queryset=RiskAssessment.objects.select_related("band_set").order_by("-assessed_on", "-id"),
    to_attr="history",
)


# --- Lists --------------------------------------------------------------------------------------------
class PointListView(ScopedListView):
    model = RiskPoint
    permission = "risk.view"
    filterset_class = RiskPointFilter
    template_name = "risks/point_list.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise").order_by("enterprise__name", "name", "id")

    def get_context_data(self, **kwargs):
        own = Enterprise.objects.visible_to(self.scope).filter(pk__in=self.scope.enterprise_ids)
        return super().get_context_data(
            own_enterprises=list(own), today=timezone.localdate(), legend=legend(), **kwargs
        )


class PointExportView(ScopedListView):
    model = RiskPoint
    permission = "risk.view"
    filterset_class = RiskPointFilter

    def narrow(self, queryset):
        return (
            queryset.select_related("enterprise")
            .prefetch_related(HISTORY)
            .order_by("enterprise__name", "name")
        )

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = documents.MANUAL_SHEET
        headers = ["企业", *documents.MANUAL_HEADERS]
        rows = [[p.enterprise.name, *documents.manual_row(n, p)] for n, p in enumerate(qs, start=1)]
        xlsx.write_table(ws, headers, rows)
        return xlsx.response(wb, f"风险点清单-{timezone.localdate():%Y%m%d}.xlsx")


# --- One enterprise's risk work -------------------------------------------------------------------------
class EnterpriseRisksView(ScopedDetailView):
    model = Enterprise
    permission = "risk.view"
    template_name = "risks/enterprise_risks.html"

    def narrow(self, queryset):
        return queryset.select_related("unit", "industry")

    def get_context_data(self, **kwargs):
        e = self.object
        points = list(RiskPoint.objects.filter(enterprise=e).order_by("status", "name", "id"))
        grade = EnterpriseGrade.objects.filter(enterprise=e, valid_to__isnull=True).first()
        return super().get_context_data(
            points=points,
            counts=selectors.level_counts(points),
            maps=SiteMap.objects.filter(enterprise=e).order_by("title"),
            grade=grade,
            can_manage=self.scope.can("risk.manage", e),
            legend=legend(),
            today=timezone.localdate(),
            **kwargs,
        )


class PointCreateView(ScopedObjectView):
    model = Enterprise
    permission = "risk.manage"
    object_permission = "risk.manage"
    template_name = "risks/point_form.html"

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": RiskPointForm(), "enterprise": self.object})

    def post(self, request, *args, **kwargs):
        form = RiskPointForm(request.POST)
        if form.is_valid():
            try:
                point = save_in_scope(
                    self.scope,
                    services.point_create,
                    actor=request.user,
                    scope=self.scope,
                    enterprise=self.object,
                    data=form.cleaned_data,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已新增风险点「{point.name}」，请进行风险评估。")
                return redirect("risks:point_assess", pk=point.pk)
        return render(request, self.template_name, {"form": form, "enterprise": self.object}, status=400)


class ManualView(ScopedObjectView):
    model = Enterprise
    permission = "risk.view"

    def get(self, request, *args, **kwargs):
        points = list(
            RiskPoint.objects.filter(enterprise=self.object, status=PointStatus.ACTIVE)
            .prefetch_related(HISTORY)
            .order_by("name", "id")
        )
        wb = documents.manual_workbook(self.object, points)
        return xlsx.response(wb, f"安全风险管控手册-{self.object.name}.xlsx")


class ReportView(ScopedObjectView):
    model = Enterprise
    permission = "risk.view"

    def narrow(self, queryset):
        return queryset.select_related("unit", "industry")

    def get(self, request, *args, **kwargs):
        e = self.object
        points = list(RiskPoint.objects.filter(enterprise=e).prefetch_related(HISTORY).order_by("name", "id"))
        used = {a.band_set_id for p in points for a in p.history}
        band_sets = (
            BandSet.objects.filter(Q(pk__in=used) | Q(is_current=True, is_default=True))
            .prefetch_related("bands")
            .order_by("method", "variant", "version")
        )
        today = timezone.localdate()
        pngs = [
            (
                m.title,
                drawing.render_png(
                    m, selectors.map_shapes(m), enterprise_name=e.name, on=today, max_width=1400
                ),
            )
            for m in SiteMap.objects.filter(enterprise=e).select_related("plan")
        ]
        grade = EnterpriseGrade.objects.filter(enterprise=e, valid_to__isnull=True).first()
        doc = documents.report_docx(
            e, points, band_sets=band_sets, map_pngs=pngs, grade=grade, full=privacy.sees_full(self.scope, e)
        )
        return documents.docx_response(doc, f"安全风险评估报告-{e.name}.docx")


# --- One risk point -------------------------------------------------------------------------------------
class PointDetailView(ScopedDetailView):
    model = RiskPoint
    permission = "risk.view"
    template_name = "risks/point_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit").prefetch_related(HISTORY)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_manage=self.scope.can("risk.manage", self.object),
            today=timezone.localdate(),
            measure_labels=MEASURE_FIELDS,
            **kwargs,
        )


class PointUpdateView(ScopedObjectView):
    model = RiskPoint
    permission = "risk.manage"
    object_permission = "risk.manage"
    template_name = "risks/point_form.html"

    def context(self, form):
        return {"form": form, "enterprise": self.object.enterprise, "object": self.object}

    def form(self, *args, **kwargs):
        """An expert may edit the point but sees the responsible person's phone masked (core/privacy.py)."""
        form = RiskPointForm(*args, **kwargs)
        privacy.protect_form(form, scope=self.scope, obj=self.object, fields={"responsible_phone": "phone"})
        return form

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.context(self.form(instance=self.object)))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST, instance=RiskPoint.objects.get(pk=self.object.pk))
        if form.is_valid():
            try:
                services.point_update(
                    actor=request.user, scope=self.scope, point=self.object, data=form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("risks:point_detail", pk=self.object.pk)
        return render(request, self.template_name, self.context(form), status=400)


class PointAssessView(ScopedObjectView):
    model = RiskPoint
    permission = "risk.manage"
    object_permission = "risk.manage"
    template_name = "risks/point_assess.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise")

    def form(self, data=None):
        band_sets = list(selectors.current_band_sets())
        initial = {}
        latest = self.object.assessments.order_by("-assessed_on", "-id").first()
        if latest is not None and data is None:
            current = next(
                (b for b in band_sets if b.method == latest.method and b.variant == latest.band_set.variant),
                None,
            )
            if current is not None:
                initial["band_set"] = current.pk
                for f, v in latest.factors.items():
                    initial[f"{latest.method}_{f}"] = f"{v['value']:g}"
                initial["controls_effective"] = latest.controls_effective
        return AssessmentForm(data, band_sets=band_sets, initial=initial)

    def render_form(self, form, status=200):
        methods = {str(b.pk): b.method for b in form.band_sets}
        return render(
            request=self.request,
            template_name=self.template_name,
            context={"form": form, "object": self.object, "band_methods": methods},
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(self.form())

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                row = services.assessment_create(
                    actor=request.user,
                    scope=self.scope,
                    point=self.object,
                    band_set=d["band_set"],
                    factors=form.factor_values(),
                    assessed_on=d["assessed_on"],
                    next_review_on=d["next_review_on"],
                    controls_effective=d["controls_effective"],
                    raised_level=d["raised_level"],
                    raise_reason=d["raise_reason"],
                    assessor=d["assessor"] or request.user.display_name,
                    note=d["note"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    exc = ValidationError(
                        {
                            (
                                f"{d['band_set'].method}_{k.removeprefix('factor_')}"
                                if k.startswith("factor_")
                                else k
                            ): v
                            for k, v in exc.message_dict.items()
                        }
                    )
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"评估完成：分值 {fmt_score(row.score)}，{COLOUR_NAME[row.level]}色（{row.get_level_display()}）。",  # noqa: E501
                )
                return redirect("risks:point_detail", pk=self.object.pk)
        return self.render_form(form, status=400)


class PointRaiseView(ScopedObjectView):
    model = RiskPoint
    permission = "risk.manage"
    object_permission = "risk.manage"
    template_name = "risks/simple_form.html"

    def ctx(self, form):
        return {
            "form": form,
            "object": self.object,
            "heading": f"从严调高风险等级：{self.object.name}",
            "intro": f"当前为{COLOUR_NAME.get(self.object.level, '未评估')}色。只能调高、不能调低；调整单独记入评估历史。",  # noqa: E501
            "cancel": reverse("risks:point_detail", args=[self.object.pk]),
            "submit": "调高等级",
        }

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.ctx(RaiseForm()))

    def post(self, request, *args, **kwargs):
        form = RaiseForm(request.POST)
        if form.is_valid():
            try:
                services.level_raise(
                    actor=request.user,
                    scope=self.scope,
                    point=self.object,
                    level=form.cleaned_data["level"],
                    reason=form.cleaned_data["reason"],
                    on=form.cleaned_data["on"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已调高风险等级。")
                return redirect("risks:point_detail", pk=self.object.pk)
        return render(request, self.template_name, self.ctx(form), status=400)


class PointRetireView(ScopedObjectView):
    model = RiskPoint
    permission = "risk.manage"
    object_permission = "risk.manage"
    template_name = "risks/simple_form.html"

    def ctx(self, form):
        return {
            "form": form,
            "object": self.object,
            "heading": f"撤销风险点：{self.object.name}",
            "intro": "设备拆除、区域停用等不再存在的风险点可以撤销；评估历史保留，撤销后不再计入统计。",
            "cancel": reverse("risks:point_detail", args=[self.object.pk]),
            "submit": "撤销风险点",
        }

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.ctx(RetireForm()))

    def post(self, request, *args, **kwargs):
        form = RetireForm(request.POST)
        if form.is_valid():
            try:
                services.point_retire(
                    actor=request.user,
                    scope=self.scope,
                    point=self.object,
                    on=form.cleaned_data["on"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "风险点已撤销，历史记录仍保留。")
                return redirect("risks:point_detail", pk=self.object.pk)
        return render(request, self.template_name, self.ctx(form), status=400)


class PointCardView(ScopedDetailView):
    model = RiskPoint
    permission = "risk.view"
    template_name = "risks/point_card.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise").prefetch_related(HISTORY)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rows=documents.card_rows(self.object, full=privacy.sees_full(self.scope, self.object)),
            today=timezone.localdate(),
            **kwargs,
        )


class PointCardDocxView(ScopedObjectView):
    model = RiskPoint
    permission = "risk.view"

    def narrow(self, queryset):
        return queryset.select_related("enterprise").prefetch_related(HISTORY)

    def get(self, request, *args, **kwargs):
        return documents.docx_response(
            documents.card_docx(self.object, full=privacy.sees_full(self.scope, self.object)),
            f"岗位风险告知卡-{self.object.name}.docx",
        )
