"""The filing review workflow as an explicit transition table (pure). The table is the documentation.

A unit files (提交 → 已报送). The organiser signs it off (已签收) or returns it with a reason (已退回);
a returned filing stays on record and the unit files again (a new filing).
"""

from __future__ import annotations

from anbiao.campaigns.choices import FilingStatus as S

# (from, verb) -> (to, permission needed on the filing)
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (S.SUBMITTED, "accept"): (S.ACCEPTED, "campaign.review"),
    (S.SUBMITTED, "return"): (S.RETURNED, "campaign.review"),
    (S.ACCEPTED, "return"): (S.RETURNED, "campaign.review"),
}
VERB_LABELS = {"accept": "签收", "return": "退回"}


class IllegalMove(Exception):
    pass


def next_status(current: str, verb: str) -> tuple[str, str]:
    """The status after ``verb`` and the permission it needs; raises ``IllegalMove`` when not allowed."""
    try:
        return TRANSITIONS[(current, verb)]
    except KeyError:
        raise IllegalMove(f"“{S(current).label}”的材料不能{VERB_LABELS.get(verb, verb)}。") from None


def allowed_verbs(current: str) -> list[str]:
    return [verb for (state, verb) in TRANSITIONS if state == current]
