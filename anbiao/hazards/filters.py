"""One FilterSet per list: page, API list and xlsx export read the same rows (the 三张清单)."""

import datetime

import django_filters
from django.db.models import Q
from django.forms import HiddenInput
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anbiao.core.filters import YesNoFilter
from anbiao.core.forms import StyledForm
from anbiao.core.scope import unit_path
from anbiao.hazards.choices import OVERDUE_STATES, InspectionKind, Level, Source, State
from anbiao.hazards.models import Hazard, HazardListing, Inspection, InspectionPlan
from anbiao.orgs.filters import _scoped_units
from anbiao.orgs.models import Township


def overdue_q(today: datetime.date) -> Q:
    return Q(state__in=OVERDUE_STATES, deadline__lt=today)


class _EnterpriseFilters(django_filters.FilterSet):
    """Filters on the enterprise a row belongs to; ``enterprise_path`` is the lookup to it."""

    enterprise_path = "enterprise"
    enterprise_name = django_filters.CharFilter(label=_("企业"), method="by_enterprise")
    enterprise = django_filters.NumberFilter(
        label=_("企业编号"), method="by_enterprise_id", widget=HiddenInput
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("监管单位（含下级）"),
        field_name="enterprise__unit",
        queryset=_scoped_units,
        method="in_subtree",
        empty_label="全部",
    )
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇（街道）"),
        field_name="enterprise__township",
        queryset=Township.objects.all(),
        empty_label="全部",
        method="in_township",
    )

    def by_enterprise(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(**{f"{self.enterprise_path}__name__icontains": value}) if value else queryset

    def by_enterprise_id(self, queryset, name, value):
        return queryset.filter(**{f"{self.enterprise_path}_id": value}) if value else queryset

    def in_subtree(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(**{f"{self.enterprise_path}__unit__path__startswith": unit_path(value)})

    def in_township(self, queryset, name, value):
        if not value:
            return queryset
        if value == "null":  # the 未填写 choice: enterprises with no township recorded
            return queryset.filter(**{f"{self.enterprise_path}__township__isnull": True})
        return queryset.filter(**{f"{self.enterprise_path}__township": value})


class HazardFilter(_EnterpriseFilters):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    state = django_filters.ChoiceFilter(label=_("状态"), choices=State.choices)
    level = django_filters.ChoiceFilter(label=_("等级"), choices=Level.choices)
    source = django_filters.ChoiceFilter(label=_("来源"), choices=Source.choices)
    overdue = django_filters.ChoiceFilter(
        label=_("逾期"), choices=[("true", _("仅看逾期"))], method="only_overdue", empty_label=_("全部")
    )
    listed = django_filters.ChoiceFilter(
        label=_("挂牌督办"),
        choices=[("true", _("挂牌督办的")), ("false", _("未挂牌的"))],
        method="only_listed",
        empty_label=_("全部"),
    )
    found_after = django_filters.DateFilter(label=_("发现日期起"), field_name="found_on", lookup_expr="gte")
    found_before = django_filters.DateFilter(label=_("发现日期止"), field_name="found_on", lookup_expr="lte")

    class Meta:
        form = StyledForm
        model = Hazard
        fields = [
            "q",
            "state",
            "level",
            "source",
            "overdue",
            "listed",
            "enterprise_name",
            "unit",
            "township",
            "found_after",
            "found_before",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value)
            | Q(description__icontains=value)
            | Q(location__icontains=value)
            | Q(enterprise__name__icontains=value)
        )

    def only_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(timezone.localdate())) if value == "true" else queryset

    def only_listed(self, queryset, name, value):
        if value not in {"true", "false"}:
            return queryset
        return queryset.filter(listing__isnull=value == "false")


class InspectionFilter(_EnterpriseFilters):
    kind = django_filters.ChoiceFilter(label=_("检查类型"), choices=InspectionKind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Inspection.Status.choices)
    inspected_after = django_filters.DateFilter(
        label=_("检查日期起"), field_name="inspected_on", lookup_expr="gte"
    )
    inspected_before = django_filters.DateFilter(
        label=_("检查日期止"), field_name="inspected_on", lookup_expr="lte"
    )

    class Meta:
        form = StyledForm
        model = Inspection
        fields = [
            "kind",
            "status",
            "enterprise_name",
            "unit",
            "township",
            "inspected_after",
            "inspected_before",
        ]


class ListingFilter(_EnterpriseFilters):
    enterprise_path = "hazard__enterprise"
    unit = django_filters.ModelChoiceFilter(
        label=_("监管单位（含下级）"),
        field_name="hazard__enterprise__unit",
        queryset=_scoped_units,
        method="in_subtree",
        empty_label="全部",
    )
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇（街道）"),
        field_name="hazard__enterprise__township",
        queryset=Township.objects.all(),
        empty_label="全部",
        method="in_township",
    )
    active = YesNoFilter(
        label=_("督办中"),
        field_name="delisted_on",
        lookup_expr="isnull",
    )

    class Meta:
        form = StyledForm
        model = HazardListing
        fields = ["active", "enterprise_name", "unit", "township"]


PLAN_STATUS = [
    ("todo", _("待检查")),
    ("overdue", _("已逾期")),
    ("done", _("已完成")),
    ("cancelled", _("已取消")),
]


class PlanFilter(_EnterpriseFilters):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=PLAN_STATUS, method="with_status")
    planned_after = django_filters.DateFilter(
        label=_("计划日期起"), field_name="planned_on", lookup_expr="gte"
    )
    planned_before = django_filters.DateFilter(
        label=_("计划日期止"), field_name="planned_on", lookup_expr="lte"
    )

    class Meta:
        form = StyledForm
        model = InspectionPlan
        fields = ["status", "enterprise_name", "unit", "planned_after", "planned_before"]

    def with_status(self, queryset, name, value):
        today = timezone.localdate()
        done = Q(inspection__status=Inspection.Status.DONE)
        return {
            "todo": queryset.filter(cancelled=False, planned_on__gte=today).exclude(done),
            "overdue": queryset.filter(cancelled=False, planned_on__lt=today).exclude(done),
            "done": queryset.filter(done),
            "cancelled": queryset.filter(cancelled=True),
        }.get(value, queryset)
