"""Shared configuration pages (not scoped; read by every role with ``standards.view``, edited by
``catalog.manage``): the standards catalogue (import/export), rule sets, 5S/六有 checklists.

Objects are chosen with a query parameter (``?id=``), not a path argument: these rows belong to no unit,
so they have no place in the scope matrix.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from anbiao.core import registry, xlsx
from anbiao.core.middleware import get_scope
from anbiao.standards import catalogue_io, services
from anbiao.standards.choices import RuleEffect, RuleKind, RuleOp, SiteKind
from anbiao.standards.forms import CatalogueImportForm, ChecklistForm, StandardSettingsForm
from anbiao.standards.models import RuleSet, SiteChecklist, Standard
from anbiao.standards.views.common import apply_errors


class ConfigView(LoginRequiredMixin, View):
    read_permission = "standards.view"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not get_scope(request).has_perm(self.read_permission):
            raise PermissionDenied("您的角色不能使用此功能。")
        return super().dispatch(request, *args, **kwargs)

    @property
    def can_manage(self) -> bool:
        return get_scope(self.request).has_perm("catalog.manage")

    def require_manage(self):
        if not self.can_manage:
            raise PermissionDenied("只有县社管理员可以维护标准目录和规则。")

    def by_id(self, model, params=None):
        raw = (params or self.request.GET).get("id", "")
        if not raw.isdigit():
            raise Http404
        obj = model.objects.filter(pk=int(raw)).first()
        if obj is None:
            raise Http404
        return obj


class StandardListView(ConfigView):
    def get(self, request):
        return render(
            request,
            "standards/standard_list.html",
            {"standards": Standard.objects.order_by("sort_order", "code"), "can_manage": self.can_manage},
        )


class StandardDetailView(ConfigView):
    def context(self, standard, form=None):
        items = list(standard.items.order_by("sort_order", "id"))
        return {
            "object": standard,
            "items": items,
            "counts": {lv: sum(1 for i in items if i.level == lv) for lv in (1, 2, 3)},
            "can_manage": self.can_manage,
            "form": form
            or StandardSettingsForm(
                initial={
                    "level1_min": standard.level1_min,
                    "level2_min": standard.level2_min,
                    "level3_min": standard.level3_min,
                    "is_active": standard.is_active,
                }
            ),
        }

    def get(self, request):
        return render(request, "standards/standard_detail.html", self.context(self.by_id(Standard)))

    def post(self, request):
        self.require_manage()
        standard = self.by_id(Standard, request.POST)
        form = StandardSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.standard_update(
                    actor=request.user, scope=get_scope(request), standard=standard, data=form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存标准设置。")
                return redirect(reverse("standards:standard_detail") + f"?id={standard.pk}")
        return render(request, "standards/standard_detail.html", self.context(standard, form), status=400)


class CatalogueImportView(ConfigView):
    read_permission = "catalog.manage"
    template_name = "standards/catalogue_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": CatalogueImportForm()})

    def post(self, request):
        form = CatalogueImportForm(request.POST, request.FILES)
        errors = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            raw = upload.read(5 * 1024 * 1024 + 1)
            if len(raw) > 5 * 1024 * 1024:
                errors = ["文件过大：不能超过 5 MB。"]
            else:
                name = (upload.name or "").lower()
                cat = (
                    catalogue_io.from_json(raw)
                    if name.endswith(".json") or raw.lstrip()[:1] == b"{"
                    else catalogue_io.from_xlsx(raw)
                )
                try:
                    standard = services.catalogue_import(
                        actor=request.user, scope=get_scope(request), catalogue=cat, filename=upload.name
                    )
                except ValidationError as exc:
                    errors = exc.messages
                else:
                    messages.success(request, f"已导入「{standard}」，共 {standard.items.count()} 个条款。")
                    return redirect(reverse("standards:standard_detail") + f"?id={standard.pk}")
        return render(request, self.template_name, {"form": form, "errors": errors}, status=400)


class CatalogueExportView(ConfigView):
    def get(self, request):
        standard = self.by_id(Standard)
        safe = standard.code.replace("/", "-")
        if request.GET.get("format") == "json":
            resp = HttpResponse(
                catalogue_io.to_json(standard), content_type="application/json; charset=utf-8"
            )
            resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(safe + '.json')}"
            resp["X-Content-Type-Options"] = "nosniff"
            return resp
        return xlsx.response(catalogue_io.to_xlsx(standard), f"{safe}.xlsx")


class RulesView(ConfigView):
    """Rule sets (星级建议, 自评定级条件, 撤销核查) with their versions, and the 5S/六有 checklists."""

    read_permission = "catalog.manage"
    template_name = "standards/rules.html"
    blank_rows = 3

    def context(self, selected, errors=None, posted=None):
        rows = (
            posted
            if posted is not None
            else [
                {
                    "order": r.order,
                    "fact": r.fact,
                    "op": r.op,
                    "threshold": r.threshold.normalize(),
                    "effect": r.effect,
                    "result": r.result,
                    "reason": r.reason,
                    "unverified": r.unverified,
                }
                for r in selected.rules.all()
            ]
        )
        rows = rows + [{} for _ in range(self.blank_rows)]
        facts = registry.fact_labels()
        return {
            "rulesets": RuleSet.objects.order_by("kind", "-version"),
            "selected": selected,
            "in_use": services.ruleset_in_use(selected),
            "rows": rows,
            "facts": sorted(facts.items()),
            "ops": RuleOp.choices,
            "effects": RuleEffect.choices,
            "errors": errors or [],
            "checklists": SiteChecklist.objects.prefetch_related("items").order_by("kind", "-version"),
        }

    def selected(self, params):
        if params.get("id"):
            return self.by_id(RuleSet, params)
        return RuleSet.objects.filter(kind=RuleKind.STAR, is_active=True).first() or RuleSet.objects.first()

    def get(self, request):
        return render(request, self.template_name, self.context(self.selected(request.GET)))

    def post(self, request):
        ruleset = self.by_id(RuleSet, request.POST)
        scope = get_scope(request)
        if request.POST.get("action") == "activate":
            services.ruleset_activate(actor=request.user, scope=scope, ruleset=ruleset)
            messages.success(request, f"已启用 {ruleset}。")
            return redirect(reverse("standards:rules") + f"?id={ruleset.pk}")
        count = int(request.POST.get("rows", "0") or 0)
        posted = [
            {
                "order": request.POST.get(f"r{n}-order", ""),
                "fact": request.POST.get(f"r{n}-fact", ""),
                "op": request.POST.get(f"r{n}-op", ""),
                "threshold": request.POST.get(f"r{n}-threshold", ""),
                "effect": request.POST.get(f"r{n}-effect", ""),
                "result": request.POST.get(f"r{n}-result", ""),
                "reason": request.POST.get(f"r{n}-reason", ""),
                "unverified": request.POST.get(f"r{n}-unverified") == "1",
            }
            for n in range(min(count, 200))
        ]
        filled = [r for r in posted if (r["reason"] or "").strip() or (r["fact"] or "").strip()]
        try:
            saved = services.ruleset_save(
                actor=request.user,
                scope=scope,
                ruleset=ruleset,
                rows=filled,
                known_facts=set(registry.fact_labels()),
            )
        except ValidationError as exc:
            return render(
                request, self.template_name, self.context(ruleset, exc.messages, filled), status=400
            )
        if saved.pk != ruleset.pk:
            messages.success(request, f"原规则已被记录使用，已保存为新版本 v{saved.version} 并启用。")
        else:
            messages.success(request, "已保存规则。")
        return redirect(reverse("standards:rules") + f"?id={saved.pk}")


class ChecklistView(ConfigView):
    read_permission = "catalog.manage"
    template_name = "standards/checklist_form.html"

    def get(self, request):
        checklist = self.by_id(SiteChecklist)
        form = ChecklistForm(
            initial={"pass_mode": checklist.pass_mode, "pass_threshold": checklist.pass_threshold}
        )
        return render(
            request,
            self.template_name,
            {
                "object": checklist,
                "form": form,
                "items": checklist.items.all(),
                "kinds": dict(SiteKind.choices),
            },
        )

    def post(self, request):
        checklist = self.by_id(SiteChecklist, request.POST)
        form = ChecklistForm(request.POST)
        items = list(checklist.items.all())
        labels = [request.POST.get(f"label-{i.pk}", "") for i in items]
        if form.is_valid():
            try:
                saved = services.checklist_save(
                    actor=request.user,
                    scope=get_scope(request),
                    checklist=checklist,
                    labels=labels,
                    pass_mode=form.cleaned_data["pass_mode"],
                    pass_threshold=Decimal(form.cleaned_data["pass_threshold"]),
                )
            except (ValidationError, InvalidOperation) as exc:
                apply_errors(
                    form, exc if isinstance(exc, ValidationError) else ValidationError("阈值不正确。")
                )
            else:
                messages.success(request, f"已保存{saved}。")
                return redirect(reverse("standards:rules") + "#checklists")
        return render(
            request,
            self.template_name,
            {"object": checklist, "form": form, "items": items, "kinds": dict(SiteKind.choices)},
            status=400,
        )
