"""List, export, create, detail, edit and delete for every simple ledger (configured in kinds.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from anbiao.core import xlsx
from anbiao.core.models import EvidenceFile
from anbiao.core.views import (
    ScopedDetailView,
    ScopedListView,
    ScopedObjectView,
    ScopedPageView,
    save_in_scope,
)
from anbiao.ledgers import services
from anbiao.ledgers.forms import (
    AttendanceForm,
    InspectionForm,
    PhotoForm,
    enterprises_for_edit,
    ledger_form_class,
)
from anbiao.ledgers.kinds import LedgerKind, display
from anbiao.ledgers.models import TrainingSession
from anbiao.ledgers.views.common import apply_errors, export_workbook, rows_for


def narrowed(kind: LedgerKind, queryset):
    queryset = queryset.select_related(*kind.select_related)
    if kind.model is TrainingSession:
        queryset = queryset.annotate(attendee_count=Count("attendances"))
    return queryset.order_by(*kind.model._meta.ordering)


class KindMixin:
    kind: LedgerKind = None
    permission = "ledger.view"

    def narrow(self, queryset):
        return narrowed(self.kind, queryset)


class LedgerListView(KindMixin, ScopedListView):
    template_name = "ledgers/record_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            kind=self.kind,
            headers=[h for h, _ in self.kind.all_columns],
            rows=rows_for(ctx["object_list"], self.kind.all_columns),
            can_edit=self.scope.has_perm("ledger.edit"),
        )
        return ctx


class LedgerExportView(KindMixin, ScopedListView):
    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        wb = export_workbook(self.kind.label, self.kind.all_columns, qs)
        return xlsx.response(wb, f"{self.kind.label}-{timezone.localdate():%Y%m%d}.xlsx")


class LedgerCreateView(KindMixin, ScopedPageView):
    permission = "ledger.edit"
    template_name = "ledgers/record_form.html"

    def form(self, data=None, files=None):
        form_class = ledger_form_class(self.kind, creating=True)
        initial = {"enterprise": self.request.GET.get("enterprise")}
        return form_class(
            data, files, initial=initial, enterprises=enterprises_for_edit(self.scope), scope=self.scope
        )

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": self.form(), "kind": self.kind})

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            try:
                obj = save_in_scope(
                    self.scope,
                    services.ledger_record_create,
                    actor=request.user,
                    scope=self.scope,
                    model=self.kind.model,
                    enterprise=form.cleaned_data["enterprise"],
                    data=form.data_for_service(),
                    upload=form.cleaned_data.get("upload"),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已登记{self.kind.label}「{obj}」。")
                return redirect(f"ledgers:{self.kind.key}_detail", pk=obj.pk)
        return render(request, self.template_name, {"form": form, "kind": self.kind})


class LedgerDetailView(KindMixin, ScopedDetailView):
    template_name = "ledgers/record_detail.html"

    def get_context_data(self, **kwargs):
        obj = self.object
        fields = [(str(obj._meta.get_field(n).verbose_name), display(obj, n)) for n in self.kind.fields]
        if hasattr(obj, "next_inspection_due"):
            fields.append(("下次检验日期", display(obj, "next_inspection_due")))
        return super().get_context_data(
            kind=self.kind,
            fields=fields,
            can_edit=self.scope.can("ledger.edit", obj),
            **self.extra(obj),
            **kwargs,
        )

    def extra(self, obj) -> dict:
        """What the kind's own section of the page shows (inspections, attendees, drills, photos)."""
        key = self.kind.key
        if key == "equipment":
            return {
                "inspections": obj.inspections.select_related("file", "recorded_by"),
                "inspection_form": InspectionForm(),
            }
        if key == "training":
            return {
                "attendances": obj.attendances.select_related("person__department"),
                "attendance_form": AttendanceForm(session=obj),
            }
        if key == "plans":
            return {"drills": obj.drills.select_related("team")}
        if key == "drills":
            return {
                "photos": EvidenceFile.objects.visible_to(self.scope).filter(
                    owner_type=obj._meta.label_lower, owner_id=str(obj.pk)
                ),
                "photo_form": PhotoForm(),
            }
        return {}


class LedgerUpdateView(KindMixin, ScopedObjectView):
    object_permission = "ledger.edit"
    template_name = "ledgers/record_form.html"

    def form(self, data=None, files=None):
        form_class = ledger_form_class(self.kind, creating=False)
        instance = self.kind.model.objects.get(pk=self.object.pk)
        return form_class(data, files, instance=instance, scope=self.scope)

    def get(self, request, *args, **kwargs):
        ctx = {"form": self.form(), "kind": self.kind, "object": self.object}
        return render(request, self.template_name, ctx)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.ledger_record_update(
                    actor=request.user,
                    scope=self.scope,
                    obj=self.object,
                    data=form.data_for_service(),
                    upload=form.cleaned_data.get("upload"),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect(f"ledgers:{self.kind.key}_detail", pk=self.object.pk)
        ctx = {"form": form, "kind": self.kind, "object": self.object}
        return render(request, self.template_name, ctx)


@method_decorator(require_POST, name="dispatch")
class LedgerDeleteView(KindMixin, ScopedObjectView):
    object_permission = "ledger.edit"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.ledger_record_delete(actor=request.user, scope=self.scope, obj=self.object)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(f"ledgers:{self.kind.key}_detail", pk=self.object.pk)
        messages.success(request, f"已删除「{self.object}」。")
        return redirect(f"ledgers:{self.kind.key}_list")


def views_for(kind: LedgerKind) -> dict[str, type]:
    """Concrete view classes for one ledger (the scope matrix reads ``model`` off each class)."""
    attrs = {"kind": kind, "model": kind.model}
    name = kind.model.__name__
    out = {
        "list": type(f"{name}ListView", (LedgerListView,), {**attrs, "filterset_class": kind.filterset}),
        "export": type(
            f"{name}ExportView", (LedgerExportView,), {**attrs, "filterset_class": kind.filterset}
        ),
        "create": type(f"{name}CreateView", (LedgerCreateView,), attrs),
        "detail": type(f"{name}DetailView", (LedgerDetailView,), attrs),
        "update": type(f"{name}UpdateView", (LedgerUpdateView,), attrs),
        "delete": type(f"{name}DeleteView", (LedgerDeleteView,), attrs),
    }
    return out
