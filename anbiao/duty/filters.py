"""One FilterSet per list: the page, the API list and the xlsx export use the same one."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anbiao.core.forms import StyledForm
from anbiao.core.scope import unit_path
from anbiao.duty.models import Person
from anbiao.duty.selectors import EXPIRY_WARNING_DAYS
from anbiao.orgs.filters import _scoped_units
from anbiao.orgs.models import Enterprise, Organization

YES_NO = [("yes", _("是")), ("no", _("否"))]


def _yes_no(queryset, field, value):
    if value == "yes":
        return queryset.filter(**{field: True})
    if value == "no":
        return queryset.filter(**{field: False})
    return queryset


class EnterpriseDutyFilter(django_filters.FilterSet):
    """Over enterprises annotated by ``selectors.with_duty_status``."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    unit = django_filters.ModelChoiceFilter(
        label=_("监管单位（含下级）"), queryset=_scoped_units, method="in_subtree", empty_label="全部"
    )
    lists = django_filters.ChoiceFilter(label=_("责任清单齐全"), choices=YES_NO, method="by_lists")
    assessed = django_filters.ChoiceFilter(label=_("已完成年度考核"), choices=YES_NO, method="by_assessed")
    art24 = django_filters.ChoiceFilter(label=_("第24条配备合规"), choices=YES_NO, method="by_art24")
    team = django_filters.ChoiceFilter(label=_("有应急救援队伍"), choices=YES_NO, method="by_team")

    class Meta:
        form = StyledForm
        model = Enterprise
        fields = ["q", "unit", "lists", "assessed", "art24", "team"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(uscc__icontains=value)) if value else queryset

    def in_subtree(self, queryset, name, value: Organization):
        return queryset.filter(unit__path__startswith=unit_path(value)) if value else queryset

    def by_lists(self, queryset, name, value):
        return _yes_no(queryset, "lists_complete", value)

    def by_assessed(self, queryset, name, value):
        return _yes_no(queryset, "assessed_year", value)

    def by_art24(self, queryset, name, value):
        return _yes_no(queryset, "art24_ok", value)

    def by_team(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(team_members_n__gt=0)
        if value == "no":
            return queryset.filter(team_members_n=0)
        return queryset


ROLE_CHOICES = [("principal", _("主要负责人")), ("officer", _("安全生产管理人员"))]
CERT_CHOICES = [
    ("missing", _("无考核合格证明")),
    ("expired", _("已过期")),
    ("due", _(f"{EXPIRY_WARNING_DAYS}天内到期")),
    ("valid", _("有效")),
]


class KeyPeopleFilter(django_filters.FilterSet):
    """Over people annotated by ``selectors.key_people`` and the view's certificate annotations."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    unit = django_filters.ModelChoiceFilter(
        label=_("监管单位（含下级）"), queryset=_scoped_units, method="in_subtree", empty_label="全部"
    )
    role = django_filters.ChoiceFilter(label=_("类别"), choices=ROLE_CHOICES, method="by_role")
    cert = django_filters.ChoiceFilter(label=_("考核合格证明"), choices=CERT_CHOICES, method="by_cert")

    class Meta:
        form = StyledForm
        model = Person
        fields = ["q", "unit", "role", "cert"]

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(name__icontains=value) | Q(enterprise__name__icontains=value))
            if value
            else queryset
        )

    def in_subtree(self, queryset, name, value):
        return queryset.filter(enterprise__unit__path__startswith=unit_path(value)) if value else queryset

    def by_role(self, queryset, name, value):
        if value == "principal":
            return queryset.filter(is_principal=True)
        if value == "officer":
            return queryset.filter(is_officer=True)
        return queryset

    def by_cert(self, queryset, name, value):
        today = timezone.localdate()
        soon = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
        if value == "missing":
            return queryset.filter(has_cert=False)
        if value == "expired":
            return queryset.filter(has_cert=True, cert_expiry__lt=today)
        if value == "due":
            return queryset.filter(cert_expiry__gte=today, cert_expiry__lte=soon)
        if value == "valid":
            return queryset.filter(has_cert=True).filter(
                Q(cert_expiry__isnull=True) | Q(cert_expiry__gt=soon)
            )
        return queryset
