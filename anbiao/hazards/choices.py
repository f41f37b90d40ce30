"""Choices of the hazard module (隐患排查治理)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemCategory(models.TextChoices):
    """The four areas of the Quanzhou 四项规范 checklists."""

    MANAGEMENT = "management", _("基础管理")
    EQUIPMENT = "equipment", _("设备设施")
    SITE = "site", _("作业现场")
    BEHAVIOUR = "behaviour", _("作业行为")


class TemplateKind(models.TextChoices):
    CHECKLIST = "checklist", _("安全检查清单")
    GRID_GUIDE = "grid_guide", _("网格员检查导则")


class InspectionKind(models.TextChoices):
    SELF = "self", _("企业自查")
    UNIT = "unit", _("基层社检查")
    COUNTY = "county", _("县社督查")
    EXPERT = "expert", _("专家督导帮扶")
    ENFORCEMENT = "enforcement", _("执法检查")
    GRID = "grid", _("网格员巡查")


SUPERVISOR_INSPECTIONS = frozenset(set(InspectionKind.values) - {InspectionKind.SELF})


class Outcome(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    NA = "na", _("不涉及")


class Source(models.TextChoices):
    SELF = "self", _("自查")
    SUPERVISOR = "supervisor", _("上级检查")
    ENFORCEMENT = "enforcement", _("执法检查")
    GRID = "grid", _("网格员")
    INTERNAL = "internal", _("内部报告")
    TIP_OFF = "tip_off", _("举报")


# Hazards from these sources are accepted by the supervising side, never by the enterprise alone.
SUPERVISOR_SOURCES = frozenset({Source.SUPERVISOR, Source.ENFORCEMENT, Source.GRID})

SOURCE_OF_INSPECTION = {
    InspectionKind.SELF: Source.SELF,
    InspectionKind.UNIT: Source.SUPERVISOR,
    InspectionKind.COUNTY: Source.SUPERVISOR,
    InspectionKind.EXPERT: Source.SUPERVISOR,
    InspectionKind.ENFORCEMENT: Source.ENFORCEMENT,
    InspectionKind.GRID: Source.GRID,
}


class HazardKind(models.TextChoices):
    """16号令: 物的危险状态、人的不安全行为、管理上的缺陷."""

    BEHAVIOUR = "behaviour", _("人的不安全行为")
    THING = "thing", _("物的不安全状态")
    MANAGEMENT = "management", _("管理缺陷")


class Level(models.TextChoices):
    GENERAL = "general", _("一般隐患")
    MAJOR = "major", _("重大隐患")


class State(models.TextChoices):
    REGISTERED = "registered", _("登记")
    PENDING = "pending", _("待整改")
    RECTIFYING = "rectifying", _("整改中")
    AWAITING = "awaiting", _("待验收")
    CLOSED = "closed", _("已销号")
    VOIDED = "voided", _("误报作废")


OPEN_STATES = frozenset({State.REGISTERED, State.PENDING, State.RECTIFYING, State.AWAITING})
# Overdue means the rectification itself is late: not yet submitted for acceptance after the deadline (a
# supervisor's 整改通知单 sets the deadline while the hazard is still 登记).
OVERDUE_STATES = frozenset({State.REGISTERED, State.PENDING, State.RECTIFYING})


class ReportStatus(models.TextChoices):
    NEW = "new", _("待核实")
    VERIFIED = "verified", _("属实，已登记隐患")
    REJECTED = "rejected", _("不属实")
