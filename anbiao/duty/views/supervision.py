"""Supervisor views over a unit's subtree: 责任制落实情况, 两个关键少数, and the thresholds kept as data."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, Max, OuterRef, Prefetch
from django.shortcuts import redirect

from anbiao.core import xlsx
from anbiao.core.views import ScopedListView, ScopedPageView
from anbiao.duty import exports, selectors, services
from anbiao.duty.choices import CertificateKind
from anbiao.duty.filters import EnterpriseDutyFilter, KeyPeopleFilter
from anbiao.duty.forms import BandFormSet, BandsMetaForm, RuleForm
from anbiao.duty.models import Certificate, Person, ResultBand, StaffingRule
from anbiao.duty.views.base import error_messages, today
from anbiao.orgs.models import Enterprise

KEY_KINDS = [CertificateKind.PRINCIPAL_ASSESSMENT, CertificateKind.SAFETY_MANAGER_ASSESSMENT]
STATE_LABELS = {"valid": "有效", "due": "即将到期", "expired": "已过期"}


def _filtered(view):
    filterset = view.get_filterset()
    return filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset


class OverviewView(ScopedListView):
    """Every enterprise in the user's scope: lists complete, Art. 24, officers, teams, assessment done."""

    model = Enterprise
    permission = "duty.view"
    filterset_class = EnterpriseDutyFilter
    template_name = "duty/overview.html"

    def narrow(self, queryset):
        return selectors.with_duty_status(queryset.select_related("unit"), today()).order_by(
            "unit__path", "name"
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = _filtered(self)
        ctx["totals"] = {
            "total": qs.count(),
            "lists": qs.filter(lists_complete=True).count(),
            "assessed": qs.filter(assessed_year=True).count(),
            "art24": qs.filter(art24_ok=True).count(),
            "teams": qs.filter(team_members_n__gt=0).count(),
        }
        ctx["rule"] = selectors.staffing_rule_on(today())
        return ctx


class OverviewExportView(ScopedListView):
    model = Enterprise
    permission = "duty.view"
    filterset_class = EnterpriseDutyFilter

    def narrow(self, queryset):
        return selectors.with_duty_status(queryset.select_related("unit"), today()).order_by(
            "unit__path", "name"
        )

    def get(self, request, *args, **kwargs):
        return xlsx.response(
            exports.overview_xlsx(_filtered(self)), f"全员责任制落实情况-{today():%Y%m%d}.xlsx"
        )


def _key_people_queryset(queryset):
    certs = Certificate.objects.filter(person=OuterRef("pk"), kind__in=KEY_KINDS)
    return (
        selectors.key_people(queryset, today())
        .annotate(
            has_cert=Exists(certs),
            cert_expiry=Max("certificates__expires_on", filter=_kinds_q()),
        )
        .select_related("enterprise__unit")
        .prefetch_related(
            Prefetch(
                "certificates",
                queryset=Certificate.objects.filter(kind__in=KEY_KINDS).order_by("-issued_on"),
                to_attr="key_certificates",
            )
        )
        .order_by("enterprise__unit__path", "enterprise__name", "name")
    )


def _kinds_q():
    from django.db.models import Q

    return Q(certificates__kind__in=KEY_KINDS)


def _label_states(people):
    day = today()
    for p in people:
        for c in p.key_certificates:
            c.state = selectors.certificate_state(c, day)
            c.state_label = STATE_LABELS[c.state]
    return people


class KeyPeopleView(ScopedListView):
    """两个关键少数: every enterprise's principal and safety managers, their certificates and expiries."""

    model = Person
    permission = "duty.view"
    filterset_class = KeyPeopleFilter
    template_name = "duty/key_people.html"

    def narrow(self, queryset):
        return _key_people_queryset(queryset)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object_list"] = _label_states(list(ctx["object_list"]))
        ctx["warning_days"] = selectors.EXPIRY_WARNING_DAYS
        return ctx


class KeyPeopleExportView(ScopedListView):
    model = Person
    permission = "duty.view"
    filterset_class = KeyPeopleFilter

    def narrow(self, queryset):
        return _key_people_queryset(queryset)

    def get(self, request, *args, **kwargs):
        people = _label_states(list(_filtered(self)))
        return xlsx.response(
            exports.key_people_xlsx(people, scope=self.scope), f"两个关键少数-{today():%Y%m%d}.xlsx"
        )


class CatalogueView(ScopedPageView):
    """Result bands and the Art. 24 rule (versions); the county admin adds a new version."""

    model = StaffingRule
    permission = "duty.view"
    template_name = "duty/catalogue.html"

    def get_context_data(self, **kwargs):
        bands = ResultBand.objects.order_by("-valid_from", "-min_score")
        current = [b for b in bands if b.valid_to is None]
        return super().get_context_data(
            rules=StaffingRule.objects.order_by("-valid_from"),
            bands=bands,
            can_manage=self.scope.has_perm("catalog.manage"),
            rule_form=kwargs.pop("rule_form", None) or RuleForm(),
            band_fs=kwargs.pop("band_fs", None)
            or BandFormSet(
                prefix="band",
                initial=[{"label": b.label, "min_score": b.min_score, "passed": b.passed} for b in current],
            ),
            bands_meta=kwargs.pop("bands_meta", None) or BandsMetaForm(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.scope.has_perm("catalog.manage"):
            raise PermissionDenied("只有县社管理员可以修订。")
        if request.POST.get("what") == "rule":
            form = RuleForm(request.POST)
            if form.is_valid():
                data = dict(form.cleaned_data)
                valid_from = data.pop("valid_from")
                try:
                    services.staffing_rule_create(
                        actor=request.user, scope=self.scope, data=data, valid_from=valid_from
                    )
                except ValidationError as exc:
                    messages.error(request, "；".join(error_messages(exc)))
                else:
                    messages.success(request, "已发布新版本的配备规则。")
                    return redirect("duty:catalogue")
            return self.render_to_response(self.get_context_data(rule_form=form))
        band_fs = BandFormSet(request.POST, prefix="band")
        meta = BandsMetaForm(request.POST)
        if band_fs.is_valid() and meta.is_valid():
            try:
                services.bands_replace(
                    actor=request.user,
                    scope=self.scope,
                    bands=[f.cleaned_data for f in band_fs.forms if f.cleaned_data],
                    valid_from=meta.cleaned_data["valid_from"],
                    source=meta.cleaned_data["source"],
                )
            except ValidationError as exc:
                messages.error(request, "；".join(error_messages(exc)))
            else:
                messages.success(request, "已发布新版本的考核结果档次。")
                return redirect("duty:catalogue")
        return self.render_to_response(self.get_context_data(band_fs=band_fs, bands_meta=meta))
