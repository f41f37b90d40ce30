"""告知书 / 承诺书: generate (docx), deliver, sign with the stamped scan, post; who is still missing."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from anbiao.campaigns import letters_docx, selectors, services
from anbiao.campaigns.filters import LetterFilter
from anbiao.campaigns.forms import LetterDeliverForm, LetterGenerateForm, LetterPostForm, LetterSignForm
from anbiao.campaigns.models import EnterpriseLetter
from anbiao.campaigns.views.common import ExportView, apply_errors, parse_date, writable_enterprises
from anbiao.core.views import ScopedDetailView, ScopedListView, ScopedObjectView, ScopedPageView
from anbiao.orgs.models import Organization

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def issuer_name(campaign) -> str:
    """The body that issues the 告知书: the campaign's organiser, or the top unit for a system-wide one."""
    if campaign.organization_id:
        return campaign.organization.name
    root = Organization.objects.filter(parent__isnull=True).order_by("id").first()
    return root.name if root else ""


def docx_response(letters, campaign, kinds, filename) -> HttpResponse:
    data = letters_docx.render(letters, issuer=issuer_name(campaign), kinds=kinds)
    resp = HttpResponse(data, content_type=DOCX_MIME)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


class LetterListView(ScopedListView):
    model = EnterpriseLetter
    permission = "campaign.view"
    filterset_class = LetterFilter
    template_name = "campaigns/letter_list.html"
    paginate_by = 50

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "campaign", "signed_scan")

    def get_context_data(self, **kwargs):
        campaign = selectors.pick_campaign(self.request.GET.get("campaign"))
        as_of = parse_date(self.request.GET.get("as_of"), timezone.localdate())
        progress = (
            selectors.letter_progress(scope=self.scope, campaign=campaign, as_of=as_of) if campaign else None
        )
        return super().get_context_data(
            campaign=campaign,
            progress=progress,
            as_of=as_of,
            deliver_form=LetterDeliverForm(),
            can_file=self.scope.has_perm("campaign.file"),
            **kwargs,
        )


class LetterExportView(ExportView):
    model = EnterpriseLetter
    filterset_class = LetterFilter
    sheet = "告知书承诺书台账"
    headers = [
        "企业名称",
        "统一社会信用代码",
        "监管单位",
        "专项行动",
        "自评截止日期",
        "送达日期",
        "送达方式",
        "承诺书签订日期",
        "签名人",
        "公示日期",
    ]

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "campaign")

    def row(self, o):
        return [
            o.enterprise.name,
            o.enterprise.uscc,
            o.enterprise.unit.name,
            o.campaign.name,
            o.deadline,
            o.delivered_on,
            o.get_delivery_method_display(),
            o.signed_on,
            o.signer,
            o.posted_on,
        ]


class LetterGenerateView(ScopedPageView):
    """Pick enterprises (default: those without letters yet), set the deadline, download the docx."""

    model = EnterpriseLetter
    permission = "campaign.file"
    template_name = "campaigns/letter_generate.html"

    def form(self, data=None):
        campaign = selectors.pick_campaign(self.request.GET.get("campaign") or (data or {}).get("campaign"))
        enterprises = writable_enterprises(self.scope)
        unit = self.request.GET.get("unit")
        if unit:
            chosen = Organization.objects.visible_to(self.scope).filter(pk=unit).first()
            if chosen is not None:
                enterprises = enterprises.filter(unit__path__startswith=chosen.path)
        initial = {"campaign": campaign, "deadline": campaign.letter_deadline if campaign else None}
        if campaign is not None:
            last = (
                EnterpriseLetter.objects.visible_to(self.scope, "campaign.file")
                .filter(campaign=campaign)
                .order_by("-generated_at")
                .first()
            )
            if last is not None:
                initial["deadline"] = last.deadline
            have = set(
                EnterpriseLetter.objects.filter(campaign=campaign, enterprise__in=enterprises).values_list(
                    "enterprise_id", flat=True
                )
            )
            initial["enterprises"] = [e.pk for e in enterprises if e.pk not in have]
        else:
            have = set()
        return LetterGenerateForm(data, enterprises=enterprises, initial=initial), campaign, have

    def get(self, request, *args, **kwargs):
        form, campaign, have = self.form()
        return render(request, self.template_name, {"form": form, "campaign": campaign, "have": have})

    def post(self, request, *args, **kwargs):
        form, campaign, have = self.form(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                letters = services.letters_generate(
                    actor=request.user,
                    scope=self.scope,
                    campaign=d["campaign"],
                    enterprises=d["enterprises"],
                    deadline=d["deadline"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                name = letters[0].enterprise.name if len(letters) == 1 else f"{len(letters)}家企业"
                return docx_response(
                    letters,
                    d["campaign"],
                    d["kinds"],
                    f"告知书承诺书-{name}-{timezone.localdate():%Y%m%d}.docx",
                )
        return render(
            request, self.template_name, {"form": form, "campaign": campaign, "have": have}, status=400
        )


class LetterDetailView(ScopedDetailView):
    model = EnterpriseLetter
    permission = "campaign.view"
    template_name = "campaigns/letter_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "campaign", "signed_scan")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            events=self.object.events.select_related("recorded_by"),
            can_file=self.scope.can("campaign.file", self.object),
            deliver_form=LetterDeliverForm(),
            sign_form=kwargs.pop("sign_form", None)
            or LetterSignForm(initial={"signer": self.object.enterprise.legal_representative}),
            post_form=kwargs.pop("post_form", None) or LetterPostForm(),
            **kwargs,
        )


class LetterDocxView(ScopedObjectView):
    model = EnterpriseLetter
    permission = "campaign.view"

    def narrow(self, queryset):
        return queryset.select_related("enterprise", "campaign__organization")

    def get(self, request, *args, **kwargs):
        letter = self.object
        kinds = [k for k in request.GET.getlist("kind") if k in ("notice", "commitment")] or [
            "notice",
            "commitment",
        ]
        return docx_response([letter], letter.campaign, kinds, f"告知书承诺书-{letter.enterprise.name}.docx")


class LetterDeliverView(ScopedPageView):
    """Mark the ticked letters delivered (one date, one method)."""

    model = EnterpriseLetter
    permission = "campaign.file"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = LetterDeliverForm(request.POST)
        ids = request.POST.getlist("letters")
        letters = (
            EnterpriseLetter.objects.visible_to(self.scope, "campaign.file")
            .filter(pk__in=[i for i in ids if i.isdigit()])
            .select_related("enterprise__unit")
        )
        back = request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
            back = reverse("campaigns:letter_list")
        if not form.is_valid():
            messages.error(
                request, "登记送达失败：" + "；".join(e for errs in form.errors.values() for e in errs)
            )
            return HttpResponseRedirect(back)
        if len(letters) != len(ids):
            messages.error(request, "登记送达失败：所选告知书不存在或不在您的管辖范围内。")
            return HttpResponseRedirect(back)
        try:
            n = services.letter_deliver(
                actor=request.user,
                scope=self.scope,
                letters=letters,
                on=form.cleaned_data["delivered_on"],
                method=form.cleaned_data["method"],
            )
        except ValidationError as exc:
            messages.error(request, "登记送达失败：" + "；".join(exc.messages))
        else:
            messages.success(request, f"已登记 {n} 家企业送达。")
        return HttpResponseRedirect(back)


class _LetterStep(ScopedObjectView):
    model = EnterpriseLetter
    permission = "campaign.file"
    object_permission = "campaign.file"
    http_method_names = ["post"]

    def narrow(self, queryset):
        return queryset.select_related("enterprise__unit", "campaign")

    def invalid(self, request, **forms):
        view = LetterDetailView()
        view.setup(request, pk=self.object.pk)
        view.object = self.object
        return render(
            request, view.template_name, view.get_context_data(object=self.object, **forms), status=400
        )


class LetterSignView(_LetterStep):
    def post(self, request, *args, **kwargs):
        form = LetterSignForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.letter_sign(
                    actor=request.user,
                    scope=self.scope,
                    letter=self.object,
                    on=d["signed_on"],
                    signer=d["signer"],
                    scan=d["scan"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已登记承诺书签订。")
                return redirect("campaigns:letter_detail", pk=self.object.pk)
        return self.invalid(request, sign_form=form)


class LetterPostView(_LetterStep):
    def post(self, request, *args, **kwargs):
        form = LetterPostForm(request.POST)
        if form.is_valid():
            try:
                services.letter_post(
                    actor=request.user,
                    scope=self.scope,
                    letter=self.object,
                    on=form.cleaned_data["posted_on"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已登记公示栏公示。")
                return redirect("campaigns:letter_detail", pk=self.object.pk)
        return self.invalid(request, post_form=form)
