"""REST API of the standards app (/api/v1/standards/...). Writes go through the same services as the pages;
workflow steps are POST actions (GET on the same URL says whether the caller may take the step)."""

from anbiao.standards.api.assessment import SelfAssessmentViewSet
from anbiao.standards.api.catalogue import StandardViewSet
from anbiao.standards.api.records import GradeViewSet, ImprovementViewSet, SiteViewSet, StarViewSet


def register(router) -> None:
    router.register("standards/catalogues", StandardViewSet, basename="standard")
    router.register("standards/assessments", SelfAssessmentViewSet, basename="self-assessment")
    router.register("standards/grades", GradeViewSet, basename="grade")
    router.register("standards/stars", StarViewSet, basename="star")
    router.register("standards/site-assessments", SiteViewSet, basename="site-assessment")
    router.register("standards/improvements", ImprovementViewSet, basename="improvement")
