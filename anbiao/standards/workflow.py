"""Workflow tables (pure). The tables are the documentation: who may move what, from which state, to which.

Self-assessment: 草稿 → 已提交 (locked) → 已通报; a supervisor may return a submitted one to 草稿.
持续改进项: 整改中 → 待验收 → 已验收; 验收不通过 returns it to 整改中; a supervisor may withdraw an open item.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Move:
    source: str
    action: str
    target: str
    perm: str
    label: str


ASSESSMENT = (
    Move("draft", "submit", "submitted", "standards.submit", "提交并锁定"),
    Move("submitted", "announce", "announced", "standards.submit", "登记通报"),
    Move("submitted", "reopen", "draft", "standards.review", "退回修改"),
)

IMPROVEMENT = (
    Move("open", "complete", "done", "standards.improve", "报告整改完成"),
    Move("done", "accept", "accepted", "standards.accept", "验收通过"),
    Move("done", "reject", "open", "standards.accept", "验收不通过"),
    Move("open", "cancel", "cancelled", "standards.review", "撤销"),
)


class WorkflowError(ValidationError):
    pass


def find(table: tuple[Move, ...], status: str, action: str) -> Move:
    """The move for ``action`` from ``status``; an illegal move raises ``WorkflowError``."""
    for m in table:
        if m.source == status and m.action == action:
            return m
    raise WorkflowError(f"当前状态不能执行此操作（{action}）。")


def available(table: tuple[Move, ...], status: str) -> list[Move]:
    return [m for m in table if m.source == status]
