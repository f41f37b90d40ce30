"""One FilterSet per list: it serves the page, the API list and the xlsx export."""

import django_filters
from django.db.models import Q
from django.forms import HiddenInput
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from anbiao.core.filters import YesNoFilter
from anbiao.core.forms import StyledForm
from anbiao.core.middleware import get_scope
from anbiao.core.scope import unit_path
from anbiao.orgs.models import Enterprise, Organization
from anbiao.risks.choices import GradeSource, Level, Method, PointKind, PointStatus
from anbiao.risks.models import EnterpriseGrade, RiskAssessment, RiskPoint, SiteMap


def _units(request):
    if request is None:
        return Organization.objects.none()
    return Organization.objects.visible_to(get_scope(request)).filter(is_active=True)


def _enterprises(request):
    if request is None:
        return Enterprise.objects.none()
    return Enterprise.objects.visible_to(get_scope(request)).only("pk", "name")


YES_NO = [("yes", _("已评估")), ("no", _("未评估"))]


class RiskPointFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    # A hidden id (links from an enterprise's pages), not a drop-down of every enterprise in scope: a city
    # has 50,000 of them. Enterprises are found by name with ``q``; the id is still checked against the scope.
    enterprise = django_filters.ModelChoiceFilter(
        label=_("企业"), queryset=_enterprises, empty_label="全部", widget=HiddenInput
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("监管单位（含下级）"), queryset=_units, method="in_subtree", empty_label="全部"
    )
    level = django_filters.ChoiceFilter(label=_("风险等级"), choices=Level.choices)
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=PointKind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=PointStatus.choices)
    assessed = django_filters.ChoiceFilter(label=_("评估情况"), choices=YES_NO, method="with_assessment")
    overdue = YesNoFilter(label=_("逾期未复评"), method="review_overdue")

    class Meta:
        form = StyledForm
        model = RiskPoint
        fields = ["q", "enterprise", "unit", "level", "kind", "status", "assessed", "overdue"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(location__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(responsible_person__icontains=value)
        )

    @extend_schema_field(OpenApiTypes.INT)
    def in_subtree(self, queryset, name, value):
        return queryset.filter(enterprise__unit__path__startswith=unit_path(value)) if value else queryset

    def with_assessment(self, queryset, name, value):
        if value == "yes":
            return queryset.exclude(level="")
        if value == "no":
            return queryset.filter(level="")
        return queryset

    def review_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(next_review_on__lt=timezone.localdate(), status=PointStatus.ACTIVE)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class AssessmentFilter(django_filters.FilterSet):
    risk_point = django_filters.NumberFilter(label=_("风险点"))
    enterprise = django_filters.NumberFilter(label=_("企业"), field_name="risk_point__enterprise_id")
    method = django_filters.ChoiceFilter(label=_("评价方法"), choices=Method.choices)
    level = django_filters.ChoiceFilter(label=_("风险等级"), choices=Level.choices)
    start = django_filters.DateFilter(label=_("评估日期起"), field_name="assessed_on", lookup_expr="gte")
    end = django_filters.DateFilter(label=_("评估日期止"), field_name="assessed_on", lookup_expr="lte")

    class Meta:
        form = StyledForm
        model = RiskAssessment
        fields = ["risk_point", "enterprise", "method", "level", "start", "end"]


class SiteMapFilter(django_filters.FilterSet):
    enterprise = django_filters.NumberFilter(label=_("企业"))

    class Meta:
        form = StyledForm
        model = SiteMap
        fields = ["enterprise"]


class GradeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    level = django_filters.ChoiceFilter(label=_("四色等级"), choices=Level.choices)
    unit = django_filters.ModelChoiceFilter(
        label=_("监管单位（含下级）"), queryset=_units, method="in_subtree", empty_label="全部"
    )
    source = django_filters.ChoiceFilter(label=_("来源"), choices=GradeSource.choices)
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("level", "level"), ("enterprise__name", "name"), ("valid_from", "valid_from")),
        field_labels={"level": _("等级"), "enterprise__name": _("企业名称"), "valid_from": _("起始日期")},
    )

    class Meta:
        form = StyledForm
        model = EnterpriseGrade
        fields = ["q", "level", "unit", "source"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(enterprise__name__icontains=value) if value else queryset

    @extend_schema_field(OpenApiTypes.INT)
    def in_subtree(self, queryset, name, value):
        return queryset.filter(enterprise__unit__path__startswith=unit_path(value)) if value else queryset


class GradeHistoryFilter(GradeFilter):
    """The API also reads the history: one enterprise's rows, or only the current ones."""

    enterprise = django_filters.NumberFilter(label=_("企业"))
    current = YesNoFilter(label=_("仅现行"), method="only_current")

    class Meta(GradeFilter.Meta):
        fields = [*GradeFilter.Meta.fields, "enterprise", "current"]

    def only_current(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(valid_to__isnull=value)
