"""One FilterSet per model: it serves the list page, the API list and the export (architecture.md §1)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anbiao.core.filters import YesNoFilter
from anbiao.core.forms import StyledForm
from anbiao.core.middleware import get_scope
from anbiao.core.scope import unit_path
from anbiao.orgs import uscc
from anbiao.orgs.choices import OrgKind, SizeClass, Status
from anbiao.orgs.models import Enterprise, Industry, Organization, Township


def _scoped_units(request):
    if request is None:
        return Organization.objects.none()
    return Organization.objects.visible_to(get_scope(request)).filter(is_active=True)


TAG_CHOICES = [
    ("new", _("新办企业")),
    ("trade", _("商贸企业")),
    ("micro", _("小微企业")),
    ("nine_small", _("九小场所")),
    ("rental", _("出租经营网点")),
    ("dangerous", _("危险物品生产经营储存")),
]
TAG_FILTERS = {
    "new": Q(tag_new=True),
    "trade": Q(tag_trade=True),
    "micro": Q(tag_micro=True),
    "nine_small": ~Q(nine_small_kind=""),
    "rental": Q(is_rental_outlet=True),
    "dangerous": Q(handles_dangerous_goods=True),
}


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    unit = django_filters.ModelChoiceFilter(
        label=_("监管单位（含下级）"), queryset=_scoped_units, method="in_subtree", empty_label="全部"
    )
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇（街道）"), queryset=Township.objects.all(), empty_label="全部"
    )
    size_class = django_filters.ChoiceFilter(label=_("企业规模"), choices=SizeClass.choices)
    industry = django_filters.ModelChoiceFilter(
        label=_("行业"), queryset=Industry.objects.all(), empty_label="全部"
    )
    tag = django_filters.ChoiceFilter(label=_("标签"), choices=TAG_CHOICES, method="with_tag")
    status = django_filters.ChoiceFilter(label=_("经营状态"), choices=Status.choices)
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("name", "name"), ("registered_on", "registered_on"), ("employee_count", "employee_count")),
        field_labels={
            "name": _("名称"),
            "registered_on": _("纳入名录日期"),
            "employee_count": _("从业人员数"),
        },
    )

    class Meta:
        form = StyledForm
        model = Enterprise
        fields = ["q", "unit", "township", "size_class", "industry", "tag", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        code = uscc.normalize(value)
        return queryset.filter(
            Q(name__icontains=value)
            | Q(uscc__icontains=code)
            | Q(principal_name__icontains=value)
            | Q(address__icontains=value)
            | Q(township__name__icontains=value)
        )

    def in_subtree(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=unit_path(value)) if value else queryset

    def with_tag(self, queryset, name, value):
        return queryset.filter(TAG_FILTERS[value]) if value else queryset


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = django_filters.ChoiceFilter(label=_("单位类型"), choices=OrgKind.choices)
    is_active = YesNoFilter(label=_("启用"))

    class Meta:
        form = StyledForm
        model = Organization
        fields = ["q", "kind", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value)) if value else queryset
