"""The hazard closed loop as a transition table (pure). The table is the documentation.

登记 → 待整改 (定级, 五定) → 整改中 → 待验收 (整改后照片, 说明) → 已销号
待验收 → 整改中 (验收不通过, 须说明原因) · 登记 → 误报作废 (须说明原因)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from anbiao.hazards.choices import State


class TransitionError(ValidationError):
    """An illegal move; the message is for the user (a 400 through the API)."""


@dataclass(frozen=True)
class Transition:
    verb: str
    label: str
    sources: frozenset[str]
    target: str
    permission: str
    needs_reason: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.verb: t
    for t in [
        Transition("assign", "定级并落实五定", frozenset({State.REGISTERED}), State.PENDING, "hazard.manage"),
        Transition("start", "开始整改", frozenset({State.PENDING}), State.RECTIFYING, "hazard.rectify"),
        Transition(
            "submit",
            "提交验收",
            frozenset({State.PENDING, State.RECTIFYING}),
            State.AWAITING,
            "hazard.rectify",
        ),
        # accept/reject: the permission is decided per hazard by acceptance_permission()
        Transition("accept", "验收销号", frozenset({State.AWAITING}), State.CLOSED, "hazard.accept"),
        Transition(
            "reject",
            "验收不通过",
            frozenset({State.AWAITING}),
            State.RECTIFYING,
            "hazard.accept",
            needs_reason=True,
        ),
        Transition(
            "void",
            "误报作废",
            frozenset({State.REGISTERED}),
            State.VOIDED,
            "hazard.manage",
            needs_reason=True,
        ),
    ]
}


def transition(verb: str, state: str) -> Transition:
    """The transition ``verb`` from ``state``, or ``TransitionError`` with a Chinese reason."""
    t = TRANSITIONS.get(verb)
    if t is None:
        raise TransitionError(f"未知操作：{verb}")
    if state not in t.sources:
        names = "、".join(str(State(s).label) for s in sorted(t.sources))
        raise TransitionError(f"隐患当前为「{State(state).label}」，不能「{t.label}」（仅{names}时可以）。")
    return t


def available(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]


def acceptance_permission(accepted_by_supervisor: bool) -> str:
    """Hazards a supervisor's inspection found are accepted by the supervising side only."""
    return "hazard.accept_supervised" if accepted_by_supervisor else "hazard.accept"


def acceptor_conflict(
    *, acceptor_id, acceptor_name: str, rectified_by_id, responsible_person: str
) -> str | None:
    """The acceptor is never the rectifier: not the user who submitted the rectification nor the
    整改责任人."""
    if acceptor_id is not None and acceptor_id == rectified_by_id:
        return "验收人不能是提交整改的人。"
    if acceptor_name and responsible_person and acceptor_name.strip() == responsible_person.strip():
        return "验收人不能是整改责任人。"
    return None
