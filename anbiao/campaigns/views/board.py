"""The campaign board (phases, deliverables, who filed on time / late / missing), filings, setup, stats."""

from __future__ import annotations

import openpyxl
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from anbiao.campaigns import report_cells, selectors, services, workflow
from anbiao.campaigns.choices import Timeliness
from anbiao.campaigns.filters import FilingFilter
from anbiao.campaigns.forms import (
    CampaignEditForm,
    CampaignForm,
    FilingForm,
    PhaseForm,
    RequirementForm,
    ReturnForm,
)
from anbiao.campaigns.models import Filing, Phase, Requirement
from anbiao.campaigns.views.common import apply_errors, parse_date, writable_units
from anbiao.core import xlsx
from anbiao.core.views import ScopedDetailView, ScopedListView, ScopedObjectView, ScopedPageView
from anbiao.orgs.models import Enterprise, Organization


def _board(scope, request):
    campaign = selectors.pick_campaign(request.GET.get("campaign"))
    if campaign is None:
        return None
    today = timezone.localdate()
    as_of = parse_date(request.GET.get("as_of"), today)
    phase = None
    if request.GET.get("phase"):
        phase = campaign.phases.filter(pk=request.GET.get("phase")).first()
    rows = selectors.unit_obligations(scope=scope, campaign=campaign, as_of=as_of, phase=phase)
    letter_counts = selectors.unit_letter_counts(scope=scope, campaign=campaign, as_of=as_of)
    for row in rows:
        row["letters"] = letter_counts.get(row["unit"].pk, {})
    return {
        "campaign": campaign,
        "campaigns": selectors.campaign_list(),
        "phases": list(campaign.phases.all()),
        "phase": phase,
        "as_of": as_of,
        "rows": rows,
        "summary": selectors.obligation_summary(rows),
        "late": selectors.late_units(rows),
        "requirements": [c["requirement"] for c in rows[0]["cells"]] if rows else [],
    }


class BoardView(ScopedPageView):
    """County: every unit × deliverable with 按时 / 逾期 / 未报; a unit: its own obligations."""

    model = Filing
    permission = "campaign.view"
    template_name = "campaigns/board.html"

    def get_context_data(self, **kwargs):
        board = _board(self.scope, self.request) or {}
        writable = set(writable_units(self.scope).values_list("pk", flat=True))
        return super().get_context_data(
            **board,
            writable_units=writable,
            can_review=self.scope.has_perm("campaign.review"),
            can_manage=self.scope.has_perm("campaign.manage"),
            **kwargs,
        )


class BoardExportView(ScopedPageView):
    model = Filing
    permission = "campaign.view"

    def get(self, request, *args, **kwargs):
        board = _board(self.scope, request)
        if board is None:
            raise Http404("没有专项行动。")
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "报送情况"
        reqs = board["requirements"]
        headers = ["单位", *[f"{r.title}（{r.due:%Y-%m-%d}前）" for r in reqs], "函告企业", "签订承诺书"]
        rows = []
        for row in board["rows"]:
            cells = []
            for c in row["cells"]:
                text = c["label"]
                if c["filing"] and c["timeliness"] in (Timeliness.ON_TIME, Timeliness.LATE):
                    text += f" {c['filing'].filed_on:%Y-%m-%d}"
                if c["days_late"]:
                    text += f"（逾期{c['days_late']}天）"
                cells.append(text)
            letters = row["letters"]
            rows.append(
                [
                    row["unit"].name,
                    *cells,
                    f"{letters.get('delivered', 0)}/{letters.get('total', 0)}",
                    f"{letters.get('signed', 0)}/{letters.get('total', 0)}",
                ]
            )
        xlsx.write_table(ws, headers, rows, widths=[24, *[22] * len(reqs), 12, 12])
        return xlsx.response(wb, f"{board['campaign'].year}专项行动报送情况-{board['as_of']:%Y%m%d}.xlsx")


class FilingListView(ScopedListView):
    model = Filing
    permission = "campaign.view"
    filterset_class = FilingFilter
    template_name = "campaigns/filing_list.html"

    def narrow(self, queryset):
        return queryset.select_related("unit", "requirement__campaign", "recorded_by")


class FilingCreateView(ScopedPageView):
    model = Filing
    permission = "campaign.file"
    template_name = "campaigns/filing_form.html"

    def form(self, data=None, files=None):
        campaign = selectors.pick_campaign(self.request.GET.get("campaign"))
        requirements = (
            Requirement.objects.filter(campaign=campaign) if campaign else Requirement.objects.none()
        )
        units = writable_units(self.scope)
        if campaign is not None:
            expected = selectors.expected_units(scope=self.scope, campaign=campaign, perm="campaign.file")
            units = units.filter(pk__in=expected.values("pk"))
        initial = {"requirement": self.request.GET.get("requirement"), "unit": self.request.GET.get("unit")}
        return FilingForm(data, files, requirements=requirements, units=units, initial=initial), campaign

    def get(self, request, *args, **kwargs):
        form, campaign = self.form()
        return render(request, self.template_name, {"form": form, "campaign": campaign})

    def post(self, request, *args, **kwargs):
        form, campaign = self.form(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                filing = services.filing_submit(
                    actor=request.user,
                    scope=self.scope,
                    requirement=d["requirement"],
                    unit=d["unit"],
                    filed_on=d["filed_on"],
                    note=d["note"],
                    scan=d["scan"],
                    editable=d["editable"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已报送「{filing.requirement.title}」。")
                return redirect("campaigns:filing_detail", pk=filing.pk)
        return render(request, self.template_name, {"form": form, "campaign": campaign}, status=400)


class FilingDetailView(ScopedDetailView):
    model = Filing
    permission = "campaign.view"
    template_name = "campaigns/filing_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("unit", "requirement__campaign", "scan", "editable", "recorded_by")

    def get_context_data(self, **kwargs):
        f = self.object
        can_review = self.scope.can("campaign.review", f)
        history = Filing.objects.visible_to(self.scope).filter(requirement=f.requirement, unit=f.unit)
        return super().get_context_data(
            verbs=workflow.allowed_verbs(f.status) if can_review else [],
            return_form=ReturnForm(),
            history=history.select_related("recorded_by").order_by("filed_on", "id"),
            days_late=max(0, (f.filed_on - f.requirement.due).days),
            **kwargs,
        )


class FilingReviewView(ScopedObjectView):
    model = Filing
    permission = "campaign.view"
    object_permission = "campaign.review"
    http_method_names = ["post"]
    verb = ""

    def post(self, request, *args, **kwargs):
        try:
            services.filing_review(
                actor=request.user,
                scope=self.scope,
                filing=self.object,
                verb=self.verb,
                reason=request.POST.get("reason", ""),
            )
        except (ValidationError, workflow.IllegalMove) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, "已签收。" if self.verb == "accept" else "已退回，单位须重新报送。")
        return redirect("campaigns:filing_detail", pk=self.object.pk)


class SetupView(ScopedPageView):
    """County: create a campaign (copying an earlier one), edit it, its phases and its deliverables."""

    permission = "campaign.manage"
    template_name = "campaigns/setup.html"

    def context(self, **forms):
        campaign = selectors.pick_campaign(self.request.GET.get("campaign"))
        ctx = {"campaigns": selectors.campaign_list(), "campaign": campaign}
        ctx["create_form"] = forms.get("create_form") or CampaignForm(prefix="new")
        if campaign is not None:
            ctx["edit_form"] = forms.get("edit_form") or CampaignEditForm(instance=campaign, prefix="edit")
            ctx["phase_forms"] = [
                (p, forms.get(f"phase_{p.pk}") or PhaseForm(instance=p, prefix=f"p{p.pk}"))
                for p in campaign.phases.all()
            ]
            ctx["new_phase_form"] = forms.get("phase_new") or PhaseForm(prefix="pnew")
            ctx["requirement_forms"] = [
                (
                    r,
                    forms.get(f"req_{r.pk}")
                    or RequirementForm(instance=r, campaign=campaign, prefix=f"r{r.pk}"),
                )
                for r in campaign.requirements.select_related("phase")
            ]
            ctx["new_requirement_form"] = forms.get("req_new") or RequirementForm(
                campaign=campaign, prefix="rnew"
            )
        return ctx

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.context())

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        campaign = selectors.pick_campaign(request.GET.get("campaign"))
        handlers = {
            "create": self.create,
            "edit": self.edit,
            "phase": self.phase,
            "requirement": self.requirement,
        }
        if action not in handlers or (action != "create" and campaign is None):
            raise Http404
        return handlers[action](request, campaign)

    def _done(self, campaign, text):
        messages.success(self.request, text)
        return redirect(reverse("campaigns:setup") + f"?campaign={campaign.pk}")

    def _fail(self, **forms):
        return render(self.request, self.template_name, self.context(**forms), status=400)

    def create(self, request, campaign):
        form = CampaignForm(request.POST, prefix="new")
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "copy_from"}
            try:
                created = services.campaign_create(
                    actor=request.user, scope=self.scope, data=data, copy_from=form.cleaned_data["copy_from"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return self._done(created, f"已新建「{created.name}」。")
        return self._fail(create_form=form)

    def edit(self, request, campaign):
        form = CampaignEditForm(request.POST, instance=campaign, prefix="edit")
        if form.is_valid():
            try:
                services.campaign_update(
                    actor=request.user, scope=self.scope, campaign=campaign, data=form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return self._done(campaign, "已保存。")
        return self._fail(edit_form=form)

    def phase(self, request, campaign):
        pk = request.POST.get("id")
        phase = Phase.objects.filter(campaign=campaign, pk=pk).first() if pk else None
        if pk and phase is None:
            raise Http404
        prefix = f"p{phase.pk}" if phase else "pnew"
        form = PhaseForm(request.POST, instance=phase, prefix=prefix)
        if form.is_valid():
            try:
                services.phase_save(
                    actor=request.user,
                    scope=self.scope,
                    campaign=campaign,
                    phase=phase,
                    data=form.cleaned_data,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return self._done(campaign, "阶段已保存。")
        return self._fail(**{f"phase_{phase.pk}" if phase else "phase_new": form})

    def requirement(self, request, campaign):
        pk = request.POST.get("id")
        req = Requirement.objects.filter(campaign=campaign, pk=pk).first() if pk else None
        if pk and req is None:
            raise Http404
        prefix = f"r{req.pk}" if req else "rnew"
        form = RequirementForm(request.POST, instance=req, campaign=campaign, prefix=prefix)
        if form.is_valid():
            try:
                services.requirement_save(
                    actor=request.user,
                    scope=self.scope,
                    campaign=campaign,
                    requirement=req,
                    data=form.cleaned_data,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return self._done(campaign, "报送事项已保存。")
        return self._fail(**{f"req_{req.pk}" if req else "req_new": form})


class StatsView(ScopedPageView):
    """The 季报表(二) cells and the campaign cells of 季报表(三) for a unit's subtree, as of a date."""

    permission = "campaign.view"
    template_name = "campaigns/stats.html"

    def get_context_data(self, **kwargs):
        units_all = Organization.objects.visible_to(self.scope).filter(is_active=True).order_by("path")
        unit = units_all.filter(pk=self.request.GET.get("unit") or 0).first() or units_all.first()
        as_of = parse_date(self.request.GET.get("as_of"), timezone.localdate())
        since = parse_date(self.request.GET.get("since"), report_cells.SINCE)
        cells = []
        if unit is not None:
            units = Organization.objects.visible_to(self.scope).filter(path__startswith=unit.path)
            enterprises = Enterprise.objects.visible_to(self.scope).filter(unit__path__startswith=unit.path)
            for key, cell in report_cells.REPORT_CELLS.items():
                owner = units if cell["owner"] == "units" else enterprises
                cells.append({"key": key, **cell, "value": cell["fn"](owner, as_of, since)})
        return super().get_context_data(
            units=units_all, unit=unit, as_of=as_of, since=since, cells=cells, **kwargs
        )
