"""One FilterSet per ledger: it serves the list page, the API list and the xlsx export."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from anbiao.campaigns.choices import (
    EnforcementKind,
    FilingStatus,
    Level,
    NormKind,
    PostType,
    SessionKind,
    ShowcaseCategory,
    TaskStatus,
)
from anbiao.campaigns.models import (
    Attendance,
    Campaign,
    EnforcementAction,
    EnterpriseLetter,
    Filing,
    NormDocument,
    ShowcaseEntry,
    TrainingSession,
    WorkTask,
)
from anbiao.core.filters import YesNoFilter
from anbiao.core.forms import DateInput, StyledForm
from anbiao.core.middleware import get_scope
from anbiao.core.scope import unit_path
from anbiao.orgs.models import Organization


def _units(request):
    if request is None:
        return Organization.objects.none()
    return Organization.objects.visible_to(get_scope(request)).filter(is_active=True).order_by("path")


UNIT_LABEL = _("单位（含下级）")


def _unit_filter(label=UNIT_LABEL):
    return django_filters.ModelChoiceFilter(
        label=label, queryset=_units, method="in_subtree", empty_label="全部"
    )


class SubtreeMixin:
    unit_lookup = "unit__path"

    @extend_schema_field(OpenApiTypes.INT)
    def in_subtree(self, queryset, name, value):
        return queryset.filter(**{f"{self.unit_lookup}__startswith": unit_path(value)}) if value else queryset


def _date_range(field, label):
    return (
        django_filters.DateFilter(
            field_name=field,
            lookup_expr="gte",
            label=f"{label}起",
            widget=DateInput(attrs={"type": "date"}),
        ),
        django_filters.DateFilter(
            field_name=field,
            lookup_expr="lte",
            label=f"{label}止",
            widget=DateInput(attrs={"type": "date"}),
        ),
    )


class FilingFilter(SubtreeMixin, django_filters.FilterSet):
    campaign = django_filters.ModelChoiceFilter(
        field_name="requirement__campaign",
        label=_("专项行动"),
        queryset=Campaign.objects.all(),
        empty_label="全部",
    )
    unit = _unit_filter(_("报送单位（含下级）"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=FilingStatus.choices)

    class Meta:
        form = StyledForm
        model = Filing
        fields = ["campaign", "unit", "status"]


class WorkTaskFilter(SubtreeMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    unit = _unit_filter()
    year = django_filters.NumberFilter(label=_("年度"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=TaskStatus.choices)
    overdue = YesNoFilter(label=_("只看逾期"), method="only_overdue")

    class Meta:
        form = StyledForm
        model = WorkTask
        fields = ["q", "unit", "year", "status", "overdue"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(owner__icontains=value)) if value else queryset

    def only_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(due__lt=timezone.localdate()).exclude(status=TaskStatus.DONE)


LETTER_STATES = [
    ("not_delivered", _("未送达")),
    ("delivered", _("已送达未签订")),
    ("signed", _("已签订")),
    ("not_posted", _("已签订未公示")),
]


class LetterFilter(SubtreeMixin, django_filters.FilterSet):
    unit_lookup = "enterprise__unit__path"
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    campaign = django_filters.ModelChoiceFilter(
        label=_("专项行动"), queryset=Campaign.objects.all(), empty_label="全部"
    )
    unit = _unit_filter(_("监管单位（含下级）"))
    state = django_filters.ChoiceFilter(label=_("进度"), choices=LETTER_STATES, method="by_state")

    class Meta:
        form = StyledForm
        model = EnterpriseLetter
        fields = ["q", "campaign", "unit", "state"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value) | Q(enterprise__uscc__icontains=value.upper())
        )

    def by_state(self, queryset, name, value):
        return {
            "not_delivered": queryset.filter(delivered_on__isnull=True),
            "delivered": queryset.filter(delivered_on__isnull=False, signed_on__isnull=True),
            "signed": queryset.filter(signed_on__isnull=False),
            "not_posted": queryset.filter(signed_on__isnull=False, posted_on__isnull=True),
        }.get(value, queryset)


class SessionFilter(SubtreeMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    unit = _unit_filter(_("登记单位（含下级）"))
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=SessionKind.choices)
    level = django_filters.ChoiceFilter(label=_("层级"), choices=Level.choices)
    held_from, held_to = _date_range("held_on", "日期")

    class Meta:
        form = StyledForm
        model = TrainingSession
        fields = ["q", "unit", "kind", "level", "held_from", "held_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(topic__icontains=value) | Q(organizer__icontains=value)) if value else queryset
        )


class AttendanceFilter(django_filters.FilterSet):
    session = django_filters.NumberFilter(label=_("场次编号"))
    enterprise = django_filters.NumberFilter(label=_("企业编号"))

    class Meta:
        form = StyledForm
        model = Attendance
        fields = ["session", "enterprise"]


class EnforcementFilter(SubtreeMixin, django_filters.FilterSet):
    unit_lookup = "enterprise__unit__path"
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    unit = _unit_filter(_("监管单位（含下级）"))
    kind = django_filters.ChoiceFilter(label=_("措施"), choices=EnforcementKind.choices)
    action_from, action_to = _date_range("action_on", "日期")

    class Meta:
        form = StyledForm
        model = EnforcementAction
        fields = ["q", "unit", "kind", "action_from", "action_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value)
            | Q(authority__icontains=value)
            | Q(document_no__icontains=value)
        )


class ShowcaseFilter(SubtreeMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    unit = _unit_filter(_("登记单位（含下级）"))
    category = django_filters.ChoiceFilter(label=_("类别"), choices=ShowcaseCategory.choices)
    level = django_filters.ChoiceFilter(label=_("层级"), choices=Level.choices)
    post_type = django_filters.ChoiceFilter(label=_("岗位类型"), choices=PostType.choices)

    class Meta:
        form = StyledForm
        model = ShowcaseEntry
        fields = ["q", "unit", "category", "level", "post_type"]

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(title__icontains=value) | Q(enterprise__name__icontains=value))
            if value
            else queryset
        )


class NormFilter(SubtreeMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    unit = _unit_filter()
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=NormKind.choices)
    issued_from, issued_to = _date_range("issued_on", "日期")

    class Meta:
        form = StyledForm
        model = NormDocument
        fields = ["q", "unit", "kind", "issued_from", "issued_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(version__icontains=value)) if value else queryset
