"""Shared pieces of the campaign pages: form pages that call a service, exports, error mapping."""

from __future__ import annotations

import openpyxl
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from anbiao.core import parsing, xlsx
from anbiao.core.models import EvidenceFile
from anbiao.core.views import ScopedListView, ScopedObjectView, ScopedPageView, save_in_scope
from anbiao.orgs.models import Enterprise, Organization

FORM_TEMPLATE = "campaigns/form.html"


def apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def writable_units(scope):
    return Organization.objects.visible_to(scope, "campaign.file").filter(is_active=True).order_by("path")


def writable_enterprises(scope):
    return (
        Enterprise.objects.visible_to(scope, "campaign.file").exclude(status="closed").select_related("unit")
    ).order_by("unit__path", "name")


def files_of(obj):
    return EvidenceFile.objects.filter(owner_type=obj._meta.label_lower, owner_id=str(obj.pk)).order_by(
        "uploaded_at"
    )


def parse_date(value, default=None):
    try:
        return parsing.date(value) or default
    except ValueError:
        return default


class FormPageMixin:
    """GET renders the form; POST validates it and calls ``save(form)`` (a service); errors stay shown."""

    form_class = None
    title = ""
    back_url_name = ""
    success_message = "已保存。"

    def form_kwargs(self):
        return {}

    def build_form(self, data=None, files=None):
        return self.form_class(data, files, **self.form_kwargs())

    def context(self, form):
        return {"form": form, "title": self.title, "back_url_name": self.back_url_name, "view": self}

    def get(self, request, *args, **kwargs):
        return render(request, FORM_TEMPLATE, self.context(self.build_form()))

    def post(self, request, *args, **kwargs):
        form = self.build_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():  # save() may call several services (a task, then its evidence)
                    obj = self.save(form)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, self.success_message)
                return redirect(self.success_url(obj))
        return render(request, FORM_TEMPLATE, self.context(form), status=400)

    def data(self, form, exclude=()):
        return {k: v for k, v in form.cleaned_data.items() if k in form._meta.fields and k not in exclude}


class CreatePage(FormPageMixin, ScopedPageView):
    permission = "campaign.file"

    def form_kwargs(self):
        return {"units": writable_units(self.scope), "enterprises": writable_enterprises(self.scope)}

    def create(self, **kwargs):
        return save_in_scope(self.scope, self.service, actor=self.request.user, scope=self.scope, **kwargs)


class UpdatePage(FormPageMixin, ScopedObjectView):
    permission = "campaign.file"
    object_permission = "campaign.file"

    def form_kwargs(self):
        return {
            "instance": type(self.object).objects.get(pk=self.object.pk),
            "enterprises": writable_enterprises(self.scope),
        }

    def context(self, form):
        return {**super().context(form), "object": self.object, "files": files_of(self.object)}


class ExportView(ScopedListView):
    """The list's FilterSet, written as xlsx with ``headers`` and ``row(obj)``."""

    permission = "campaign.view"
    sheet = ""
    headers: list[str] = []

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not callable(getattr(cls, "row", None)):
            raise ImproperlyConfigured(
                f"{cls.__name__} must define row(obj), the exported cells of one object"
            )

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = self.sheet
        xlsx.write_table(ws, self.headers, (self.row(o) for o in qs.iterator(chunk_size=500)))
        return xlsx.response(wb, f"{self.sheet}-{timezone.localdate():%Y%m%d}.xlsx")
