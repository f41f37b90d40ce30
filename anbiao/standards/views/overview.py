"""The supervisor view of a unit's subtree and one enterprise's standardization record."""

from __future__ import annotations

from django.utils import timezone

from anbiao.core import xlsx
from anbiao.core.views import ScopedDetailView, ScopedListView
from anbiao.orgs.models import Enterprise
from anbiao.standards import exports, selectors
from anbiao.standards.filters import OverviewFilter
from anbiao.standards.models import GradeRecord, ImprovementItem, SelfAssessment, SiteAssessment, StarRating


class OverviewView(ScopedListView):
    model = Enterprise
    permission = "standards.view"
    filterset_class = OverviewFilter
    template_name = "standards/overview.html"
    paginate_by = 50

    def narrow(self, queryset):
        today = timezone.localdate()
        return selectors.overview(queryset.filter(status="operating").select_related("unit"), today).order_by(
            "unit__path", "name"
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filterset = ctx["filter"]
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        stats = {"total": 0, "assessed": 0, "graded": 0, "stars": 0, "five_s": 0, "six_have": 0}
        for sa_status, grade_type, stars, five, six in qs.values_list(
            "sa_status", "grade_type", "stars", "five_s_ok", "six_have_ok"
        ):
            stats["total"] += 1
            stats["assessed"] += sa_status in ("submitted", "announced")
            stats["graded"] += grade_type is not None
            stats["stars"] += stars is not None
            stats["five_s"] += five is True
            stats["six_have"] += six is True
        ctx.update(stats=stats, year=timezone.localdate().year, today=timezone.localdate())
        return ctx


class OverviewExportView(OverviewView):
    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        return xlsx.response(exports.overview(qs), f"标准化总览-{timezone.localdate():%Y%m%d}.xlsx")


class EnterpriseStandardsView(ScopedDetailView):
    """Everything about one enterprise's standardization: assessments, grades, stars, 5S/六有, list."""

    model = Enterprise
    permission = "standards.view"
    template_name = "standards/enterprise.html"

    def narrow(self, queryset):
        return queryset.select_related("unit", "industry")

    def get_context_data(self, **kwargs):
        e = self.object
        today = timezone.localdate()
        facts = {}
        from anbiao.core import registry

        facts = registry.enterprise_facts([e.pk], today).get(e.pk, {})
        return super().get_context_data(
            standard=selectors.standard_for(e),
            assessments=SelfAssessment.objects.filter(enterprise=e).select_related("standard"),
            grades=GradeRecord.objects.filter(enterprise=e),
            stars=StarRating.objects.filter(enterprise=e),
            sites=SiteAssessment.objects.filter(enterprise=e)[:20],
            improvements=ImprovementItem.objects.filter(enterprise=e).exclude(status="cancelled"),
            facts=facts,
            today=today,
            **kwargs,
        )
