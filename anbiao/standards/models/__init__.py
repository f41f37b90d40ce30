from anbiao.standards.models.assessment import AssessmentEntry, SelfAssessment
from anbiao.standards.models.catalogue import (
    Rule,
    RuleSet,
    SiteChecklist,
    SiteChecklistItem,
    Standard,
    StandardItem,
)
from anbiao.standards.models.records import (
    GradeRecord,
    ImprovementItem,
    LookbackReport,
    SiteAssessment,
    SiteResult,
    StandardsEvent,
    StarRating,
)

__all__ = [
    "AssessmentEntry",
    "GradeRecord",
    "ImprovementItem",
    "LookbackReport",
    "Rule",
    "RuleSet",
    "SelfAssessment",
    "SiteAssessment",
    "SiteChecklist",
    "SiteChecklistItem",
    "SiteResult",
    "Standard",
    "StandardItem",
    "StandardsEvent",
    "StarRating",
]
