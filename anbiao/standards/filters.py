"""One FilterSet per list: it serves the page, the API list and the xlsx export."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anbiao.core.filters import YesNoFilter
from anbiao.core.forms import StyledForm
from anbiao.core.middleware import get_scope
from anbiao.core.scope import unit_path
from anbiao.orgs.choices import SizeClass
from anbiao.orgs.models import Enterprise, Organization
from anbiao.standards.choices import (
    AssessmentStatus,
    GradeType,
    ImprovementSource,
    ImprovementStatus,
    SiteKind,
)
from anbiao.standards.models import (
    GradeRecord,
    ImprovementItem,
    LookbackReport,
    SelfAssessment,
    SiteAssessment,
    StarRating,
)

YES_NO = [("1", _("是")), ("0", _("否"))]
STAR_CHOICES = [(n, f"{n}星") for n in range(5, 0, -1)]


def _units(request):
    if request is None:
        return Organization.objects.none()
    return Organization.objects.visible_to(get_scope(request)).filter(is_active=True)


class _Base(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    unit = django_filters.ModelChoiceFilter(
        label=_("监管单位（含下级）"), queryset=_units, method="in_subtree", empty_label="全部"
    )
    enterprise_path = "enterprise__unit__path"
    search_fields = ("enterprise__name",)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q()
        for f in self.search_fields:
            q |= Q(**{f"{f}__icontains": value})
        return queryset.filter(q)

    def in_subtree(self, queryset, name, value: Organization):
        return (
            queryset.filter(**{f"{self.enterprise_path}__startswith": unit_path(value)})
            if value
            else queryset
        )


class AssessmentFilter(_Base):
    year = django_filters.NumberFilter(label=_("年度"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AssessmentStatus.choices)
    grade_type = django_filters.ChoiceFilter(
        label=_("达标类型"), field_name="standard__grade_type", choices=GradeType.choices
    )

    class Meta:
        form = StyledForm
        model = SelfAssessment
        fields = ["q", "unit", "year", "status", "grade_type"]


class ImprovementFilter(_Base):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ImprovementStatus.choices)
    source = django_filters.ChoiceFilter(label=_("来源"), choices=ImprovementSource.choices)
    overdue = django_filters.ChoiceFilter(label=_("逾期"), choices=YES_NO, method="with_overdue")
    search_fields = ("enterprise__name", "organization__name", "problem", "responsible_name")

    class Meta:
        form = StyledForm
        model = ImprovementItem
        fields = ["q", "unit", "status", "source", "overdue"]

    def in_subtree(self, queryset, name, value: Organization):
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__unit__path__startswith=unit_path(value))
            | Q(organization__path__startswith=unit_path(value))
        )

    def with_overdue(self, queryset, name, value):
        late = Q(status__in=["open", "done"], deadline__lt=timezone.localdate())
        if value == "1":
            return queryset.filter(late)
        if value == "0":
            return queryset.exclude(late)
        return queryset


class LookbackFilter(_Base):
    search_fields = ("enterprise__name", "organization__name", "title")

    class Meta:
        form = StyledForm
        model = LookbackReport
        fields = ["q", "unit"]

    def in_subtree(self, queryset, name, value: Organization):
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__unit__path__startswith=unit_path(value))
            | Q(organization__path__startswith=unit_path(value))
        )


GRADE_STATES = [
    ("valid", _("有效")),
    ("expiring", _("90天内到期")),
    ("expired", _("已过期")),
    ("revoked", _("已撤销")),
]


class GradeFilter(_Base):
    grade_type = django_filters.ChoiceFilter(label=_("达标类型"), choices=GradeType.choices)
    level = django_filters.ChoiceFilter(label=_("等级"), choices=[(1, "一级"), (2, "二级"), (3, "三级")])
    state = django_filters.ChoiceFilter(label=_("状态"), choices=GRADE_STATES, method="with_state")
    search_fields = ("enterprise__name", "certificate_no", "reviewing_body")

    class Meta:
        form = StyledForm
        model = GradeRecord
        fields = ["q", "unit", "grade_type", "level", "state"]

    def with_state(self, queryset, name, value):
        today = timezone.localdate()
        alive = Q(revoked_on__isnull=True) | Q(revoked_on__gt=today)
        if value == "valid":
            return queryset.filter(alive, valid_from__lte=today, valid_to__gt=today)
        if value == "expiring":
            return queryset.filter(
                alive, valid_to__gt=today, valid_to__lte=today + datetime.timedelta(days=90)
            )
        if value == "expired":
            return queryset.filter(alive, valid_to__lte=today)
        if value == "revoked":
            return queryset.filter(revoked_on__lte=today)
        return queryset


class StarFilter(_Base):
    stars = django_filters.ChoiceFilter(label=_("星级"), choices=STAR_CHOICES)
    current = django_filters.ChoiceFilter(label=_("当前有效"), choices=YES_NO, method="with_current")

    class Meta:
        form = StyledForm
        model = StarRating
        fields = ["q", "unit", "stars", "current"]

    def with_current(self, queryset, name, value):
        if value == "1":
            return queryset.filter(valid_to__isnull=True)
        if value == "0":
            return queryset.filter(valid_to__isnull=False)
        return queryset


class SiteFilter(_Base):
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=SiteKind.choices)
    passed = YesNoFilter(label=_("达标"))
    start = django_filters.DateFilter(label=_("起始日期"), field_name="assessed_on", lookup_expr="gte")
    end = django_filters.DateFilter(label=_("截止日期"), field_name="assessed_on", lookup_expr="lte")

    class Meta:
        form = StyledForm
        model = SiteAssessment
        fields = ["q", "unit", "kind", "passed", "start", "end"]


class OverviewFilter(_Base):
    """The supervisor view: enterprises of the subtree with their standardization status."""

    size_class = django_filters.ChoiceFilter(label=_("企业规模"), choices=SizeClass.choices)
    assessed = django_filters.ChoiceFilter(label=_("本年已自评"), choices=YES_NO, method="with_assessed")
    graded = django_filters.ChoiceFilter(
        label=_("达标类型"), choices=[*GradeType.choices, ("none", _("未达标"))], method="with_grade"
    )
    stars = django_filters.ChoiceFilter(
        label=_("星级"), choices=[*STAR_CHOICES, (0, _("未评"))], method="with_stars"
    )
    expiring = django_filters.ChoiceFilter(label=_("90天内到期"), choices=YES_NO, method="with_expiring")
    enterprise_path = "unit__path"
    search_fields = ("name", "uscc", "principal_name")

    class Meta:
        form = StyledForm
        model = Enterprise
        fields = ["q", "unit", "size_class", "assessed", "graded", "stars", "expiring"]

    def with_assessed(self, queryset, name, value):
        done = Q(sa_status__in=["submitted", "announced"])
        if value == "1":
            return queryset.filter(done)
        if value == "0":  # the annotation is NULL for enterprises that have not started: test it explicitly
            return queryset.filter(Q(sa_status__isnull=True) | Q(sa_status="draft"))
        return queryset

    def with_grade(self, queryset, name, value):
        if value == "none":
            return queryset.filter(grade_type__isnull=True)
        return queryset.filter(grade_type=value) if value else queryset

    def with_stars(self, queryset, name, value):
        if value in ("", None):
            return queryset
        return queryset.filter(stars__isnull=True) if str(value) == "0" else queryset.filter(stars=value)

    def with_expiring(self, queryset, name, value):
        limit = timezone.localdate() + datetime.timedelta(days=90)
        if value == "1":
            return queryset.filter(grade_valid_to__lte=limit)
        if value == "0":
            return queryset.filter(Q(grade_valid_to__isnull=True) | Q(grade_valid_to__gt=limit))
        return queryset
