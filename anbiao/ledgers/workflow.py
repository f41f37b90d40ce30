"""The accident investigation workflow as an explicit transition table (pure; the table is the doc).

    已报告 --investigate--> 调查中 --conclude--> 整改落实中 --close--> 已结案
                              ^                                      |
                              +---------------- reopen --------------+

``close`` needs the four 四不放过 conditions; ``conclude`` needs causes, responsibility and measures.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from anbiao.ledgers.choices import AccidentStatus as S


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    perm: str


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("investigate", "开始调查", (S.REPORTED,), S.INVESTIGATING, "ledger.edit"),
        Transition("conclude", "调查结论，转入整改", (S.INVESTIGATING,), S.RECTIFYING, "ledger.edit"),
        Transition("close", "四不放过，结案", (S.RECTIFYING,), S.CLOSED, "accident.close"),
        Transition("reopen", "重新调查", (S.CLOSED,), S.INVESTIGATING, "accident.reopen"),
    )
}
FOUR_NOTS = ("causes_found", "responsible_handled", "measures_done", "people_educated")


def transition_for(name: str, status: str) -> Transition:
    """The transition ``name`` from ``status``; raises ValidationError for an unknown or illegal move."""
    t = TRANSITIONS.get(name)
    if t is None:
        raise ValidationError(f"未知的操作：{name}")
    if status not in t.sources:
        raise ValidationError(f"当前状态（{S(status).label}）不能执行「{t.label}」。")
    return t


def missing_for(name: str, accident) -> list[str]:
    """What the accident still lacks for the move (Chinese field labels); empty when it may move."""
    meta = accident._meta
    if name == "conclude":
        need = ("causes", "responsibility", "measures")
        return [str(meta.get_field(f).verbose_name) for f in need if not getattr(accident, f).strip()]
    if name == "close":
        return [str(meta.get_field(f).verbose_name) for f in FOUR_NOTS if not getattr(accident, f)]
    return []


def available(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]
