"""REST API for 全员责任制 (/api/v1/duty-…): posts, people, lists, assessments, officers, teams.

Reads go through the scope; writes call the same services as the pages (workflow steps as POST actions).
"""

from anbiao.duty.api.assessment import AssessmentViewSet, ScoreViewSet
from anbiao.duty.api.people import DutyListViewSet, PersonViewSet, PostViewSet
from anbiao.duty.api.safety import (
    BodyViewSet,
    CertificateViewSet,
    OfficerViewSet,
    StatusViewSet,
    TeamViewSet,
)


def register(router) -> None:
    router.register("duty-status", StatusViewSet, basename="duty-status")
    router.register("duty-people", PersonViewSet, basename="duty-person")
    router.register("duty-posts", PostViewSet, basename="duty-post")
    router.register("duty-lists", DutyListViewSet, basename="duty-list")
    router.register("duty-assessments", AssessmentViewSet, basename="duty-assessment")
    router.register("duty-scores", ScoreViewSet, basename="duty-score")
    router.register("duty-officers", OfficerViewSet, basename="duty-officer")
    router.register("duty-bodies", BodyViewSet, basename="duty-body")
    router.register("duty-teams", TeamViewSet, basename="duty-team")
    router.register("duty-certificates", CertificateViewSet, basename="duty-certificate")
