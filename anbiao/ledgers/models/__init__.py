"""The enterprise's own safety ledgers (issue #8). Split by topic; import everything from here."""

from anbiao.ledgers.models.accidents import Accident, AccidentEvent, AccidentGradeRule, AccidentRuleSet
from anbiao.ledgers.models.documents import RegulationItem, RuleDocument
from anbiao.ledgers.models.emergency import Drill, EmergencyPlan, EmergencySupply
from anbiao.ledgers.models.equipment import Equipment, EquipmentInspection
from anbiao.ledgers.models.training import TrainingAttendance, TrainingSession

__all__ = [
    "Accident",
    "AccidentEvent",
    "AccidentGradeRule",
    "AccidentRuleSet",
    "Drill",
    "EmergencyPlan",
    "EmergencySupply",
    "Equipment",
    "EquipmentInspection",
    "RegulationItem",
    "RuleDocument",
    "TrainingAttendance",
    "TrainingSession",
]
