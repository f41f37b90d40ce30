"""Pages that are not one ledger: the enterprise safety file, the supervisor overview, certificates due,
and the accident rules (catalogue data)."""

import openpyxl
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from anbiao.core import privacy, registry, xlsx
from anbiao.core.views import ScopedDetailView, ScopedPageView
from anbiao.ledgers import profile, selectors, services
from anbiao.ledgers.forms import RuleSetForm
from anbiao.ledgers.models import AccidentRuleSet
from anbiao.ledgers.views.common import apply_errors, export_workbook
from anbiao.orgs.models import Enterprise, Organization


class EnterpriseProfileView(ScopedDetailView):
    """企业安全档案: one enterprise's data groups with complete / due / overdue status and links."""

    model = Enterprise
    permission = "ledger.view"
    template_name = "ledgers/profile.html"

    def narrow(self, queryset):
        return queryset.select_related("unit", "industry", "township")

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        certificates = list(
            selectors.certificates_expiring(self.scope, today).filter(person__enterprise=self.object)
        )
        groups = profile.enterprise_profile(self.object, today, certificates)
        facts = registry.enterprise_facts([self.object.pk], today)[self.object.pk]
        labels = registry.fact_labels()
        return super().get_context_data(
            groups=groups,
            facts=[(labels.get(k, k), v) for k, v in facts.items()],
            today=today,
            can_edit=self.scope.can("ledger.edit", self.object),
            summary={
                s: sum(1 for g in groups if g.status == s)
                for s in (profile.COMPLETE, profile.DUE, profile.OVERDUE)
            },
            **kwargs,
        )


class SupervisionView(ScopedPageView):
    """For a unit's subtree: overdue special equipment, expired certificates, plans not filed, accidents."""

    model = Enterprise
    permission = "ledger.supervise"
    template_name = "ledgers/supervision.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        units = list(Organization.objects.visible_to(self.scope).filter(is_active=True).order_by("path"))
        unit_id = self.request.GET.get("unit")
        unit = next((u for u in units if str(u.pk) == unit_id), None)
        shown = [u for u in units if unit is None or u.path.startswith(unit.path)]
        return super().get_context_data(
            counts=selectors.supervision_counts(self.scope, today, unit=unit),
            by_unit=selectors.supervision_by_unit(self.scope, today, shown),
            columns=selectors.BY_UNIT_COLUMNS,
            units=units,
            unit=unit,
            today=today,
            unit_query=f"unit={unit.pk}" if unit else "",
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        ctx = self.get_context_data()
        if request.GET.get("format") != "xlsx":
            return self.render_to_response(ctx)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "台账监管"
        headers = ["单位", *(label for _, label in ctx["columns"])]
        rows = [[u.name, *(c[key] for key, _ in ctx["columns"])] for u, c in ctx["by_unit"]]
        xlsx.write_table(ws, headers, rows)
        return xlsx.response(wb, f"台账监管-{ctx['today']:%Y%m%d}.xlsx")


def cert_columns(scope):
    """The columns of the page and its export; certificate numbers (often the 身份证号) masked for users
    who may not see personal numbers (core/privacy.py)."""
    show = privacy.Revealer(scope).show
    return [
        ("企业", lambda c: c.person.enterprise.name),
        ("监管单位", lambda c: c.person.enterprise.unit.name),
        ("姓名", lambda c: c.person.name),
        ("证书类别", lambda c: c.get_kind_display()),
        ("证书编号", lambda c: show(c.number, c.person, "text")),
        ("发证机关", lambda c: c.issuer),
        ("有效期至", lambda c: c.expires_on.isoformat()),
        ("状态", lambda c: "已过期" if c.expires_on < timezone.localdate() else "临期"),
    ]


KEY_FEW = ("principal_assessment", "safety_manager_assessment")


class CertificateDueView(ScopedPageView):
    """证书到期: certificates (kept by the duty app) expired or expiring, with the 两个关键少数 filter."""

    model = Enterprise
    permission = "ledger.supervise"
    template_name = "ledgers/certificates.html"

    def certificates(self):
        today = timezone.localdate()
        qs = selectors.certificates_expiring(self.scope, today)
        params = self.request.GET
        if params.get("state") == "expired":
            qs = qs.filter(expires_on__lt=today)
        elif params.get("state") == "expiring":
            qs = qs.filter(expires_on__gte=today)
        if params.get("kind") == "key_few":
            qs = qs.filter(kind__in=KEY_FEW)
        elif params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        unit = params.get("unit")
        if unit and unit.isdigit():
            org = Organization.objects.visible_to(self.scope).filter(pk=unit).first()
            qs = qs.filter(person__enterprise__unit__path__startswith=org.path) if org else qs.none()
        return qs

    def get(self, request, *args, **kwargs):
        qs = self.certificates()
        if request.GET.get("format") == "xlsx":
            wb = export_workbook("证书到期", cert_columns(self.scope), qs)
            return xlsx.response(wb, f"证书到期-{timezone.localdate():%Y%m%d}.xlsx")
        Certificate = selectors.certificate_model()
        kinds = [
            ("key_few", "两个关键少数（主要负责人、安全管理人员）"),
            *Certificate._meta.get_field("kind").choices,
        ]
        columns = cert_columns(self.scope)
        ctx = {
            "rows": [(c, [fn(c) for _, fn in columns]) for c in qs[:500]],
            "headers": [h for h, _ in columns],
            "total": qs.count(),
            "kinds": kinds,
            "units": Organization.objects.visible_to(self.scope).filter(is_active=True).order_by("path"),
            "params": request.GET,
            "querystring": request.GET.urlencode(),
            "today": timezone.localdate(),
        }
        return render(request, self.template_name, ctx)


class AccidentRulesView(ScopedPageView):
    """事故等级标准 (国务院令第493号) and its versions; county administrators add a new version."""

    model = AccidentRuleSet
    permission = "ledger.view"
    template_name = "ledgers/accident_rules.html"

    def render_page(self, form=None):
        rule_sets = AccidentRuleSet.objects.prefetch_related("grades").order_by("-valid_from")
        can_manage = self.scope.has_perm("catalog.manage")
        if can_manage and form is None:
            form = RuleSetForm(current=rule_sets.first())
        return render(
            self.request,
            self.template_name,
            {"rule_sets": rule_sets, "form": form if can_manage else None},
        )

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def post(self, request, *args, **kwargs):
        if not self.scope.has_perm("catalog.manage"):
            raise PermissionDenied("只有县社管理员可以修改事故等级标准。")
        form = RuleSetForm(request.POST)
        if form.is_valid():
            try:
                services.accident_rule_set_create(
                    actor=request.user, scope=self.scope, data=form.rule_set_data(), grades=form.grades()
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已新增事故规则版本；此后发生的事故按新版本定级。")
                return redirect("ledgers:accident_rules")
        return self.render_page(form)
