import datetime

import pytest

from anbiao.campaigns import models as campaigns
from anbiao.campaigns.choices import NormKind
from anbiao.duty import models as duty
from anbiao.hazards import models as hazards
from anbiao.ledgers import models as ledgers
from anbiao.risks import models as risks
from anbiao.standards import models as standards

# Every model a dataset of the catalogue reads. The apps' own scope-matrix builders (``testing.PAIRS``)
# put one record of each on enterprise A (unit A) and one on enterprise B (sibling unit B), through their
# services.
SOURCE_MODELS = [
    duty.Post,
    duty.SafetyBody,
    duty.SafetyOfficer,
    duty.AnnualAssessment,
    duty.Certificate,
    duty.RescueTeam,
    ledgers.RegulationItem,
    ledgers.RuleDocument,
    ledgers.TrainingSession,
    ledgers.TrainingAttendance,
    ledgers.Equipment,
    ledgers.EquipmentInspection,
    ledgers.EmergencyPlan,
    ledgers.Drill,
    ledgers.EmergencySupply,
    ledgers.Accident,
    campaigns.Attendance,
    campaigns.EnterpriseLetter,
    standards.SiteAssessment,
    standards.SelfAssessment,
    standards.ImprovementItem,
    standards.LookbackReport,
    standards.GradeRecord,
    standards.StarRating,
    risks.RiskPoint,
    risks.SiteMap,
    risks.EnterpriseGrade,
    hazards.Inspection,
    hazards.Hazard,
    hazards.HazardListing,
    hazards.ReportingChannel,
    hazards.InternalReport,
]


def norm_document(unit, enterprise, title="企业安全检查清单"):
    return campaigns.NormDocument.objects.create(
        unit=unit,
        enterprise=enterprise,
        kind=NormKind.CHECKLIST,
        title=title,
        version="V1",
        issued_on=datetime.date(2025, 4, 1),
    )


@pytest.fixture
def populated(world):
    """The persona world with a record of every exported kind on enterprise A and on enterprise B."""
    for model in SOURCE_MODELS:
        world.in_a_and_b(model)
    norm_document(world.unit_a, world.ent_a)
    norm_document(world.unit_b, world.ent_b)
    return world
