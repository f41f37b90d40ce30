"""Ledger pages: enforcement and 约束激励, the 十百千万 showcase and the 四项规范 registry."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.urls import reverse

from anbiao.campaigns import ledger_services, rules
from anbiao.campaigns.choices import NormKind
from anbiao.campaigns.filters import EnforcementFilter, NormFilter, ShowcaseFilter
from anbiao.campaigns.forms import EnforcementForm, NormEditForm, NormForm, ShowcaseEditForm, ShowcaseForm
from anbiao.campaigns.models import EnforcementAction, NormDocument, ShowcaseEntry
from anbiao.campaigns.views.common import CreatePage, ExportView, UpdatePage
from anbiao.campaigns.views.ledgers import LedgerList


# --- Enforcement and 约束激励 ------------------------------------------------------------------------------
class EnforcementListView(LedgerList):
    model = EnforcementAction
    filterset_class = EnforcementFilter
    template_name = "campaigns/enforcement_list.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filterset = ctx["filter"]
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        total = qs.filter(kind="fine").aggregate(s=Sum("amount"), n=Count("id"))
        ctx["fine_total_wan"] = rules.format_wan(total["s"])
        ctx["fine_count"] = total["n"]
        return ctx


class EnforcementExportView(ExportView):
    model = EnforcementAction
    filterset_class = EnforcementFilter
    sheet = "执法与约束激励台账"
    headers = [
        "日期",
        "企业名称",
        "统一社会信用代码",
        "监管单位",
        "措施",
        "实施主体",
        "依据",
        "文书编号",
        "罚款金额(元)",
        "罚款金额(万元)",
        "移送人数(人)",
        "情况说明",
        "补录",
    ]

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit")

    def row(self, a):
        return [
            a.action_on,
            a.enterprise.name,
            a.enterprise.uscc,
            a.enterprise.unit.name,
            a.get_kind_display(),
            a.authority,
            a.basis,
            a.document_no,
            float(a.amount) if a.amount is not None else None,
            rules.format_wan(a.amount) if a.amount is not None else None,
            a.persons,
            a.description,
            "是" if a.backdated else "否",
        ]


class EnforcementCreateView(CreatePage):
    form_class = EnforcementForm
    title = "登记执法与约束激励"
    back_url_name = "campaigns:enforcement_list"
    service = staticmethod(ledger_services.enforcement_create)

    def build_form(self, data=None, files=None):
        form = super().build_form(data, files)
        form.initial.setdefault("enterprise", self.request.GET.get("enterprise"))
        return form

    def save(self, form):
        docs = [form.cleaned_data["document"]] if form.cleaned_data.get("document") else []
        return self.create(data=self.data(form), documents=docs)

    def success_url(self, obj):
        return reverse("campaigns:enforcement_list")


class EnforcementUpdateView(UpdatePage):
    model = EnforcementAction
    form_class = EnforcementForm
    title = "修改执法与约束激励"
    back_url_name = "campaigns:enforcement_list"

    def save(self, form):
        docs = [form.cleaned_data["document"]] if form.cleaned_data.get("document") else []
        return ledger_services.enforcement_update(
            actor=self.request.user,
            scope=self.scope,
            action=self.object,
            data=self.data(form),
            documents=docs,
        )

    def success_url(self, obj):
        return reverse("campaigns:enforcement_list")


# --- 十百千万 showcase -------------------------------------------------------------------------------------
class ShowcaseListView(LedgerList):
    model = ShowcaseEntry
    filterset_class = ShowcaseFilter
    template_name = "campaigns/showcase_list.html"

    def narrow(self, queryset):
        return queryset.select_related("unit", "enterprise", "township")


class ShowcaseExportView(ExportView):
    model = ShowcaseEntry
    filterset_class = ShowcaseFilter
    sheet = "十百千万示范创建"
    headers = [
        "认定日期",
        "类别",
        "层级",
        "名称",
        "乡镇（街道、园区）",
        "企业",
        "企业规模",
        "岗位类型",
        "登记单位",
        "事迹简介",
    ]

    def narrow(self, queryset):
        return queryset.select_related("unit", "enterprise", "township")

    def row(self, s):
        return [
            s.recognised_on,
            s.get_category_display(),
            s.get_level_display(),
            s.title,
            s.township.name if s.township_id else "",
            s.enterprise.name if s.enterprise_id else "",
            s.get_size_class_display(),
            s.get_post_type_display(),
            s.unit.name,
            s.write_up,
        ]


class ShowcaseCreateView(CreatePage):
    form_class = ShowcaseForm
    title = "登记十百千万示范创建"
    back_url_name = "campaigns:showcase_list"
    service = staticmethod(ledger_services.showcase_create)

    def save(self, form):
        docs = [form.cleaned_data["document"]] if form.cleaned_data.get("document") else []
        return self.create(
            unit=form.cleaned_data["unit"], data=self.data(form, exclude=("unit",)), documents=docs
        )

    def success_url(self, obj):
        return reverse("campaigns:showcase_list")


class ShowcaseUpdateView(UpdatePage):
    model = ShowcaseEntry
    form_class = ShowcaseEditForm
    title = "修改十百千万示范创建"
    back_url_name = "campaigns:showcase_list"

    def save(self, form):
        docs = [form.cleaned_data["document"]] if form.cleaned_data.get("document") else []
        return ledger_services.showcase_update(
            actor=self.request.user, scope=self.scope, entry=self.object, data=self.data(form), documents=docs
        )

    def success_url(self, obj):
        return reverse("campaigns:showcase_list")


# --- 四项规范 -----------------------------------------------------------------------------------------------
class NormListView(LedgerList):
    model = NormDocument
    filterset_class = NormFilter
    template_name = "campaigns/norm_list.html"

    def narrow(self, queryset):
        return queryset.select_related("unit", "enterprise", "file")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filterset = ctx["filter"]
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        counts = dict(qs.order_by().values_list("kind").annotate(n=Count("id")))
        ctx["kind_counts"] = [(label, counts.get(value, 0)) for value, label in NormKind.choices]
        return ctx


class NormExportView(ExportView):
    model = NormDocument
    filterset_class = NormFilter
    sheet = "四项规范"
    headers = ["类别", "名称", "版本", "编制（修订）日期", "修订", "单位", "编制企业", "说明", "文件"]

    def narrow(self, queryset):
        return queryset.select_related("unit", "enterprise", "file")

    def row(self, n):
        return [
            n.get_kind_display(),
            n.title,
            n.version,
            n.issued_on,
            "是" if n.is_revision else "否",
            n.unit.name,
            n.enterprise.name if n.enterprise_id else "",
            n.note,
            n.file.original_name if n.file_id else "",
        ]


class NormCreateView(CreatePage):
    form_class = NormForm
    title = "登记四项规范"
    back_url_name = "campaigns:norm_list"
    service = staticmethod(ledger_services.norm_create)

    def save(self, form):
        return self.create(
            unit=form.cleaned_data["unit"],
            data=self.data(form, exclude=("unit",)),
            upload=form.cleaned_data.get("upload"),
        )

    def success_url(self, obj):
        return reverse("campaigns:norm_list")


class NormUpdateView(UpdatePage):
    model = NormDocument
    form_class = NormEditForm
    title = "修改四项规范"
    back_url_name = "campaigns:norm_list"

    def save(self, form):
        return ledger_services.norm_update(
            actor=self.request.user,
            scope=self.scope,
            norm=self.object,
            data=self.data(form),
            upload=form.cleaned_data.get("upload"),
        )

    def success_url(self, obj):
        return reverse("campaigns:norm_list")
