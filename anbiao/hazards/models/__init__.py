from anbiao.hazards.models.catalogue import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    HazardCriterion,
)
from anbiao.hazards.models.hazards import Hazard, HazardEvent, HazardListing, InternalReport, ReportingChannel
from anbiao.hazards.models.inspections import Inspection, InspectionPlan, InspectionResult

__all__ = [
    "ChecklistItem",
    "ChecklistTemplate",
    "ChecklistVersion",
    "Hazard",
    "HazardCriterion",
    "HazardEvent",
    "HazardListing",
    "Inspection",
    "InspectionPlan",
    "InspectionResult",
    "InternalReport",
    "ReportingChannel",
]
