"""Pure rules of the hazard module."""

from __future__ import annotations

from anbiao.hazards.choices import InspectionKind, Level

# Which inspection kinds each role records: 企业只能自查; 网格员巡查; 专家督导帮扶;
# 执法检查 is recorded by units.
KINDS_BY_ROLE: dict[str, frozenset[str]] = {
    "county_admin": frozenset({InspectionKind.COUNTY, InspectionKind.ENFORCEMENT}),
    "unit_admin": frozenset({InspectionKind.UNIT, InspectionKind.ENFORCEMENT}),
    "ent_principal": frozenset({InspectionKind.SELF}),
    "ent_safety": frozenset({InspectionKind.SELF}),
    "inspector": frozenset({InspectionKind.GRID}),
    "expert": frozenset({InspectionKind.EXPERT}),
}


def inspection_kinds(roles) -> list[str]:
    kinds: set[str] = set()
    for role in roles:
        kinds |= KINDS_BY_ROLE.get(role, frozenset())
    return [k for k in InspectionKind.values if k in kinds]


def decide_level(*, criterion_is_major: bool, requested: str, reason: str) -> tuple[str, str | None]:
    """Citing a major 判定标准 article makes a hazard 重大 by default; another level needs a reason.

    Returns the level and an error message (or None).
    """
    requested = requested or (Level.MAJOR if criterion_is_major else Level.GENERAL)
    if criterion_is_major and requested != Level.MAJOR and not reason.strip():
        return requested, "所引用条款属于重大事故隐患判定标准；如定为一般隐患，须填写定级说明。"
    return requested, None
