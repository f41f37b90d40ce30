"""全员安全生产责任制 models (issue #6). Split by topic; import everything from here."""

from anbiao.duty.models.assessment import AnnualAssessment, AssessmentScore, ScoreDeduction
from anbiao.duty.models.catalog import ResultBand, StaffingRule
from anbiao.duty.models.lists import (
    AssessItem,
    DutyItem,
    DutyList,
    DutyListSignature,
    DutyTemplate,
    TemplateAssessItem,
    TemplateDutyItem,
)
from anbiao.duty.models.people import Certificate, Department, Person, Post, PostHolding
from anbiao.duty.models.safety import RescueTeam, RescueTeamMember, SafetyBody, SafetyOfficer

__all__ = [
    "AnnualAssessment",
    "AssessItem",
    "AssessmentScore",
    "Certificate",
    "Department",
    "DutyItem",
    "DutyList",
    "DutyListSignature",
    "DutyTemplate",
    "Person",
    "Post",
    "PostHolding",
    "RescueTeam",
    "RescueTeamMember",
    "ResultBand",
    "SafetyBody",
    "SafetyOfficer",
    "ScoreDeduction",
    "StaffingRule",
    "TemplateAssessItem",
    "TemplateDutyItem",
]
