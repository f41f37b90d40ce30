"""One FilterSet per ledger: it serves the list page, the API list and the xlsx export."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from anbiao.core.filters import YesNoFilter
from anbiao.core.forms import StyledForm
from anbiao.core.middleware import get_scope
from anbiao.core.scope import unit_path
from anbiao.ledgers import choices as c
from anbiao.ledgers import selectors
from anbiao.ledgers.models import (
    Accident,
    Drill,
    EmergencyPlan,
    EmergencySupply,
    Equipment,
    RegulationItem,
    RuleDocument,
    TrainingSession,
)
from anbiao.orgs.models import Enterprise, Organization

DUE_CHOICES = [("overdue", _("已逾期")), ("due", _("30天内到期"))]


def _scoped_units(request):
    if request is None:
        return Organization.objects.none()
    return Organization.objects.visible_to(get_scope(request)).filter(is_active=True)


def _scoped_enterprises(request):
    if request is None:
        return Enterprise.objects.none()
    return Enterprise.objects.visible_to(get_scope(request)).order_by("name")


def _today():
    return timezone.localdate()


def _soon():
    return _today() + datetime.timedelta(days=selectors.SOON_DAYS)


class LedgerFilter(django_filters.FilterSet):
    """Search, and the supervising unit's subtree; subclasses list their own fields."""

    search_fields: tuple[str, ...] = ()
    unit_lookup = "enterprise__unit__path"

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    unit = django_filters.ModelChoiceFilter(
        label=_("监管单位（含下级）"), queryset=_scoped_units, method="in_subtree", empty_label="全部"
    )
    enterprise = django_filters.ModelChoiceFilter(
        label=_("企业"), queryset=_scoped_enterprises, empty_label="全部"
    )

    class Meta:
        form = StyledForm
        fields = ["q", "unit", "enterprise"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q(enterprise__name__icontains=value)
        for f in self.search_fields:
            q |= Q(**{f"{f}__icontains": value})
        return queryset.filter(q)

    @extend_schema_field(OpenApiTypes.INT)
    def in_subtree(self, queryset, name, value):
        return queryset.filter(**{f"{self.unit_lookup}__startswith": unit_path(value)}) if value else queryset

    def due_filter(self, queryset, field, value):
        if value == "overdue":
            return queryset.filter(**{f"{field}__lt": _today()})
        if value == "due":
            return queryset.filter(**{f"{field}__gte": _today(), f"{field}__lte": _soon()})
        return queryset


class RegulationFilter(LedgerFilter):
    search_fields = ("title", "number", "clauses")
    category = django_filters.ChoiceFilter(label=_("类别"), choices=c.RegulationCategory.choices)
    is_current = YesNoFilter(label=_("现行适用"))

    class Meta(LedgerFilter.Meta):
        model = RegulationItem
        fields = ["q", "unit", "enterprise", "category", "is_current"]


class RuleDocumentFilter(LedgerFilter):
    search_fields = ("title", "code", "applies_to")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=c.DocumentKind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=c.DocumentStatus.choices)
    review = django_filters.ChoiceFilter(label=_("评审修订"), choices=DUE_CHOICES, method="by_review")

    class Meta(LedgerFilter.Meta):
        model = RuleDocument
        fields = ["q", "unit", "enterprise", "kind", "status", "review"]

    def by_review(self, queryset, name, value):
        return self.due_filter(queryset.filter(status=c.DocumentStatus.EFFECTIVE), "next_review_on", value)


class EquipmentFilter(LedgerFilter):
    search_fields = ("name", "code", "registration_number", "location", "responsible")
    category = django_filters.ChoiceFilter(label=_("类别"), choices=c.EquipmentCategory.choices)
    special_kind = django_filters.ChoiceFilter(label=_("特种设备种类"), choices=c.SpecialKind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=c.EquipmentStatus.choices)
    inspection = django_filters.ChoiceFilter(label=_("检验"), choices=DUE_CHOICES, method="by_inspection")

    class Meta(LedgerFilter.Meta):
        model = Equipment
        fields = ["q", "unit", "enterprise", "category", "special_kind", "status", "inspection"]

    def by_inspection(self, queryset, name, value):
        in_service = queryset.filter(status=c.EquipmentStatus.IN_USE)
        return self.due_filter(in_service, "next_inspection_due", value)


class EmergencyPlanFilter(LedgerFilter):
    search_fields = ("title", "filed_with", "filing_number")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=c.PlanKind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=c.DocumentStatus.choices)
    filed = django_filters.ChoiceFilter(
        label=_("备案"), choices=[("yes", _("已备案")), ("no", _("未备案"))], method="by_filed"
    )
    review = django_filters.ChoiceFilter(label=_("评估修订"), choices=DUE_CHOICES, method="by_review")

    class Meta(LedgerFilter.Meta):
        model = EmergencyPlan
        fields = ["q", "unit", "enterprise", "kind", "status", "filed", "review"]

    def by_filed(self, queryset, name, value):
        if value == "no":
            return selectors.plans_not_filed(queryset)
        return queryset.filter(filed_on__isnull=False) if value == "yes" else queryset

    def by_review(self, queryset, name, value):
        return self.due_filter(queryset.filter(status=c.DocumentStatus.EFFECTIVE), "review_due", value)


class EmergencySupplyFilter(LedgerFilter):
    search_fields = ("name", "spec", "location", "keeper")
    expiry = django_filters.ChoiceFilter(label=_("有效期"), choices=DUE_CHOICES, method="by_expiry")

    class Meta(LedgerFilter.Meta):
        model = EmergencySupply
        fields = ["q", "unit", "enterprise", "expiry"]

    def by_expiry(self, queryset, name, value):
        return self.due_filter(queryset, "expires_on", value)


class YearFilterMixin(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"), method="by_year")
    year_field = ""

    def by_year(self, queryset, name, value):
        return queryset.filter(**{f"{self.year_field}__year": int(value)}) if value else queryset


class TrainingFilter(YearFilterMixin, LedgerFilter):
    search_fields = ("title", "trainer", "content")
    year_field = "planned_on"
    kind = django_filters.ChoiceFilter(label=_("培训类别"), choices=c.TrainingKind.choices)
    held = django_filters.ChoiceFilter(
        label=_("状态"), choices=[("plan", _("计划")), ("held", _("已实施"))], method="by_held"
    )

    class Meta(LedgerFilter.Meta):
        model = TrainingSession
        fields = ["q", "unit", "enterprise", "kind", "held", "year"]

    def by_held(self, queryset, name, value):
        if value == "plan":
            return queryset.filter(held_on__isnull=True)
        return queryset.filter(held_on__isnull=False) if value == "held" else queryset


class DrillFilter(YearFilterMixin, LedgerFilter):
    search_fields = ("scenario", "evaluation", "plan__title")
    year_field = "held_on"
    drill_form = django_filters.ChoiceFilter(
        label=_("演练形式"), field_name="form", choices=c.DrillForm.choices
    )

    class Meta(LedgerFilter.Meta):
        model = Drill
        fields = ["q", "unit", "enterprise", "drill_form", "year"]


class AccidentFilter(YearFilterMixin, LedgerFilter):
    search_fields = ("place", "summary")
    year_field = "occurred_at"
    kind = django_filters.ChoiceFilter(label=_("事故类别"), choices=c.AccidentKind.choices)
    grade = django_filters.ChoiceFilter(label=_("事故等级"), choices=c.AccidentGrade.choices)
    status = django_filters.ChoiceFilter(label=_("处理状态"), choices=c.AccidentStatus.choices)
    near_miss = django_filters.ChoiceFilter(
        label=_("类型"),
        choices=[("no", _("事故")), ("yes", _("未遂事件"))],
        method="by_near_miss",
    )

    class Meta(LedgerFilter.Meta):
        model = Accident
        fields = ["q", "unit", "enterprise", "kind", "grade", "status", "near_miss", "year"]

    def by_near_miss(self, queryset, name, value):
        return queryset.filter(is_near_miss=value == "yes") if value else queryset
