"""Self-assessment pages: list, start, step-by-step scoring (phone-friendly), detail, workflow, report."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from anbiao.core import files
from anbiao.core.models import EvidenceFile
from anbiao.core.views import (
    ScopedDetailView,
    ScopedListView,
    ScopedObjectView,
    ScopedPageView,
    save_in_scope,
)
from anbiao.standards import docs, scoring, selectors, services, workflow
from anbiao.standards.choices import AssessmentStatus, ItemLevel
from anbiao.standards.filters import AssessmentFilter
from anbiao.standards.forms import (
    AnnounceForm,
    AssessmentCreateForm,
    AssessmentHeaderForm,
    BulkImprovementForm,
    ReasonForm,
    SubmitForm,
)
from anbiao.standards.models import SelfAssessment, StandardItem
from anbiao.standards.services.assessment import score_of
from anbiao.standards.views.common import apply_errors, enterprises_for, forbid_unless, messages_of


class AssessmentListView(ScopedListView):
    model = SelfAssessment
    permission = "standards.view"
    filterset_class = AssessmentFilter
    template_name = "standards/assessment_list.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "standard")

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create=self.scope.has_perm("standards.assess"), **kwargs)


class AssessmentCreateView(ScopedPageView):
    model = SelfAssessment
    permission = "standards.assess"
    template_name = "standards/assessment_form.html"

    def form(self, data=None):
        enterprises = enterprises_for(self.scope, "standards.assess")
        initial = {"year": timezone.localdate().year}
        if len(enterprises) == 1:
            e = enterprises[0]
            initial.update(enterprise=e.pk, leader_name=e.principal_name)
        return AssessmentCreateForm(data, enterprises=enterprises, initial=initial)

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": self.form()})

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                a = save_in_scope(
                    self.scope,
                    services.assessment_create,
                    actor=request.user,
                    scope=self.scope,
                    enterprise=d["enterprise"],
                    year=d["year"],
                    standard=d["standard"],
                    leader_name=d["leader_name"],
                    team_members=d["team_members"],
                    method=d["method"],
                    started_on=d["started_on"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已开始{a.year}年度自评，请逐个要素评分。")
                return redirect("standards:assessment_step", pk=a.pk)
        return render(request, self.template_name, {"form": form})


def element_rows(a: SelfAssessment):
    """Per 一级要素: title, full, 不涉及, earned, percent, deductions, and how many items are checked."""
    result = score_of(a)
    elements = list(StandardItem.objects.filter(standard=a.standard, level=ItemLevel.ELEMENT))
    progress = {}
    for e in a.entries.select_related("item__parent__parent").only("checked", "item__parent__parent__code"):
        code = e.item.parent.parent.code
        done, total = progress.get(code, (0, 0))
        progress[code] = (done + (1 if e.checked else 0), total + 1)
    rows = []
    for el in elements:
        s = result.elements.get(el.code)
        done, total = progress.get(el.code, (0, 0))
        rows.append({"item": el, "score": s, "done": done, "total": total})
    return rows, result


class AssessmentDetailView(ScopedDetailView):
    model = SelfAssessment
    permission = "standards.view"
    template_name = "standards/assessment_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "standard", "ruleset", "submitted_by")

    def get_context_data(self, **kwargs):
        a = self.object
        rows, result = element_rows(a)
        previous = selectors.previous_assessment(a)
        if previous is not None:
            prev_rows, _ = element_rows(previous)
            prev_by_title = {r["item"].title: r["score"] for r in prev_rows}
            for r in rows:
                p = prev_by_title.get(r["item"].title)
                r["previous"] = p.percent if p else None
        findings = (
            a.entries.select_related("item")
            .filter(applicable=True)
            .exclude(deduction=0, veto_failed=False)
            .prefetch_related("improvements")
        )
        scope = self.scope
        moves = [m for m in workflow.available(workflow.ASSESSMENT, a.status) if scope.can(m.perm, a)]
        return super().get_context_data(
            rows=rows,
            result=result,
            previous=previous,
            findings=findings,
            level_label=scoring.LEVEL_LABELS.get(a.level_supported, "不具备定级条件"),
            level_by_score_label=scoring.LEVEL_LABELS.get(a.level_by_score, "未达到"),
            moves={m.action: m for m in moves},
            can_edit=a.status == AssessmentStatus.DRAFT and scope.can("standards.assess", a),
            can_improve=a.status != AssessmentStatus.DRAFT and scope.can("standards.improve", a),
            submit_form=SubmitForm(initial={"assessed_on": timezone.localdate()}),
            announce_form=AnnounceForm(),
            reopen_form=ReasonForm(),
            bulk_form=BulkImprovementForm(),
            improvements=a.improvements.all(),
            timeline=_timeline(a),
            unchecked=sum(r["total"] - r["done"] for r in rows),
            **kwargs,
        )


def _timeline(obj):
    from anbiao.standards.models import StandardsEvent

    return StandardsEvent.objects.filter(object_type=obj._meta.model_name, object_id=obj.pk)


class AssessmentUpdateView(ScopedObjectView):
    model = SelfAssessment
    permission = "standards.assess"
    object_permission = "standards.assess"
    template_name = "standards/assessment_form.html"

    def get(self, request, *args, **kwargs):
        form = AssessmentHeaderForm(
            initial={f: getattr(self.object, f) for f in services.assessment.HEADER_FIELDS}
        )
        return render(request, self.template_name, {"form": form, "object": self.object})

    def post(self, request, *args, **kwargs):
        form = AssessmentHeaderForm(request.POST)
        if form.is_valid():
            try:
                services.assessment_update(
                    actor=request.user, scope=self.scope, assessment=self.object, data=form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("standards:assessment_detail", pk=self.object.pk)
        return render(request, self.template_name, {"form": form, "object": self.object}, status=400)


def _parse_decimal(raw: str) -> Decimal:
    raw = (raw or "0").strip().replace("，", ".") or "0"
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise ValueError(f"扣分应为数字，实际为「{raw}」") from exc
    if value < 0:
        raise ValueError("扣分不能为负数")
    return value


class AssessmentStepView(ScopedObjectView):
    """One 一级要素 at a time: every 考评内容 as a card (涉及/不涉及, 扣分, 说明, 否决项, 证据)."""

    model = SelfAssessment
    permission = "standards.assess"
    object_permission = "standards.assess"
    template_name = "standards/assessment_step.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "standard")

    def elements(self):
        return list(StandardItem.objects.filter(standard=self.object.standard, level=ItemLevel.ELEMENT))

    def current(self, elements, code):
        for i, el in enumerate(elements):
            if el.code == code:
                return i
        return 0

    def entries(self, element):
        return list(
            self.object.entries.select_related("item__parent")
            .filter(item__parent__parent=element)
            .order_by("item__sort_order")
        )

    def render_step(self, request, elements, index, entries, errors=None, posted=None, status=200):
        a = self.object
        evidence = {}
        for f in EvidenceFile.objects.filter(
            owner_type="standards.assessmententry", owner_id__in=[str(e.pk) for e in entries]
        ):
            evidence.setdefault(int(f.owner_id), []).append(f)
        cards = []
        for e in entries:
            v = (posted or {}).get(e.pk)
            cards.append(
                {
                    "entry": e,
                    "errors": (errors or {}).get(str(e.pk), []),
                    "files": evidence.get(e.pk, []),
                    "applicable": v["applicable"] if v else e.applicable,
                    "deduction": v["deduction_raw"] if v else (e.deduction.normalize() if e.deduction else 0),
                    "reason": v["reason"] if v else e.reason,
                    "description": v["description"] if v else e.description,
                    "veto_failed": v["veto_failed"] if v else e.veto_failed,
                }
            )
        progress = dict((code, (done, total)) for code, done, total in _progress(a))
        steps = [
            {
                "item": el,
                "index": i,
                "done": progress.get(el.code, (0, 0))[0],
                "total": progress.get(el.code, (0, 0))[1],
            }
            for i, el in enumerate(elements)
        ]
        return render(
            request,
            self.template_name,
            {
                "object": a,
                "steps": steps,
                "index": index,
                "element": elements[index],
                "cards": cards,
                "previous": elements[index - 1] if index > 0 else None,
                "next": elements[index + 1] if index + 1 < len(elements) else None,
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        if self.object.is_locked:
            messages.info(request, "该自评已提交锁定，只能查看。")
            return redirect("standards:assessment_detail", pk=self.object.pk)
        elements = self.elements()
        index = self.current(elements, request.GET.get("element"))
        return self.render_step(request, elements, index, self.entries(elements[index]))

    def post(self, request, *args, **kwargs):
        elements = self.elements()
        index = self.current(elements, request.POST.get("element"))
        entries = self.entries(elements[index])
        rows, errors, posted = {}, {}, {}
        for e in entries:
            p = f"e{e.pk}-"
            value = {
                "applicable": request.POST.get(p + "applicable", "1") != "0",
                "reason": request.POST.get(p + "reason", "").strip(),
                "description": request.POST.get(p + "description", "").strip(),
                "veto_failed": request.POST.get(p + "veto_failed") == "1",
                "deduction_raw": request.POST.get(p + "deduction", "0"),
            }
            posted[e.pk] = value
            try:
                deduction = _parse_decimal(value["deduction_raw"])
            except ValueError as exc:
                errors[str(e.pk)] = [f"{e.item.code}：{exc}"]
                continue
            rows[e.pk] = {k: v for k, v in value.items() if k != "deduction_raw"} | {"deduction": deduction}
        if not errors:
            try:
                with transaction.atomic():
                    services.entries_save(
                        actor=request.user, scope=self.scope, assessment=self.object, rows=rows
                    )
                    for e in entries:
                        upload = request.FILES.get(f"e{e.pk}-file")
                        if upload:
                            try:
                                files.store(
                                    actor=request.user,
                                    upload=upload,
                                    enterprise=self.object.enterprise,
                                    owner=e,
                                    kind=EvidenceFile.Kind.DOCUMENT,
                                    title=f"{e.item.code} 自评证据",
                                )
                            except ValidationError as exc:
                                raise ValidationError(
                                    {str(e.pk): [f"{e.item.code} 证据文件：{messages_of(exc)}"]}
                                ) from exc
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        if errors:
            messages.error(
                request, "有填写错误，本要素未保存，请按提示修改。" + "；".join(errors.get("__all__", []))
            )
            return self.render_step(request, elements, index, entries, errors, posted, status=400)
        go = request.POST.get("go", "next")
        if go == "next" and index + 1 < len(elements):
            messages.success(request, f"已保存「{elements[index].title}」。")
            return redirect(
                reverse("standards:assessment_step", args=[self.object.pk])
                + f"?element={elements[index + 1].code}"
            )
        if go == "prev" and index > 0:
            return redirect(
                reverse("standards:assessment_step", args=[self.object.pk])
                + f"?element={elements[index - 1].code}"
            )
        if go == "stay":
            messages.success(request, f"已保存「{elements[index].title}」。")
            return redirect(
                reverse("standards:assessment_step", args=[self.object.pk])
                + f"?element={elements[index].code}"
            )
        messages.success(request, "已保存全部要素。请核对得分后提交。")
        return redirect("standards:assessment_detail", pk=self.object.pk)


def _progress(a: SelfAssessment):
    counts: dict[str, list[int]] = {}
    for code, checked in a.entries.values_list("item__parent__parent__code", "checked"):
        c = counts.setdefault(code, [0, 0])
        c[0] += 1 if checked else 0
        c[1] += 1
    return [(code, done, total) for code, (done, total) in counts.items()]


class AssessmentActionView(ScopedObjectView):
    """Workflow moves (submit / announce / reopen) and turning deductions into improvement items."""

    model = SelfAssessment
    permission = "standards.view"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        a = self.object
        action = request.POST.get("action", "")
        form_class = {"submit": SubmitForm, "announce": AnnounceForm, "reopen": ReasonForm}.get(action)
        if action == "improvements":
            forbid_unless(self.scope, "standards.improve", a)
            form = BulkImprovementForm(request.POST)
            if form.is_valid():
                try:
                    created = services.improvements_from_assessment(
                        actor=request.user, scope=self.scope, assessment=a, **form.cleaned_data
                    )
                except ValidationError as exc:
                    messages.error(request, messages_of(exc))
                else:
                    messages.success(request, f"已将 {len(created)} 个扣分项列入持续改进清单。")
            else:
                messages.error(request, "请填写整改责任人和整改时限。")
            return redirect(reverse("standards:assessment_detail", args=[a.pk]) + "#improvements")
        if form_class is None:
            messages.error(request, "未知操作。")
            return redirect("standards:assessment_detail", pk=a.pk)
        move = (
            workflow.find(workflow.ASSESSMENT, a.status, action)
            if any(m.action == action for m in workflow.available(workflow.ASSESSMENT, a.status))
            else None
        )
        if move is None:
            messages.error(request, "当前状态不能执行此操作。")
            return redirect("standards:assessment_detail", pk=a.pk)
        forbid_unless(self.scope, move.perm, a)
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(
                request, "；".join(f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items())
            )
            return redirect("standards:assessment_detail", pk=a.pk)
        try:
            services.perform(
                actor=request.user, scope=self.scope, assessment=a, action=action, data=form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, messages_of(exc))
        else:
            messages.success(
                request,
                {"submit": "自评已提交并锁定。", "announce": "已登记通报。", "reopen": "已退回修改。"}[
                    action
                ],
            )
        return redirect("standards:assessment_detail", pk=a.pk)


class AssessmentReportView(ScopedDetailView):
    model = SelfAssessment
    permission = "standards.view"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "enterprise__industry", "standard")

    def get(self, request, *args, **kwargs):
        a = self.get_object()
        data = docs.assessment_report(a)
        resp = HttpResponse(data, content_type=docs.DOCX_MIME)
        from urllib.parse import quote

        filename = f"{a.enterprise.name}-{a.year}年度安全生产标准化自评报告.docx"

        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        resp["X-Content-Type-Options"] = "nosniff"
        return resp
