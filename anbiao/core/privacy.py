"""Personal data: masking, and who sees full numbers (security.md F1, docs/privacy.md).

The masking functions are pure. The rule: a user sees a person's full phone or ID number only through a grant
carrying ``pii.view`` (core/roles.py: the administrators and the enterprise's own principal and safety
officer, the people who must call the person) that covers the row; everyone else — the read-only leader, grid
inspectors, experts — sees ``138****5678``. Pages use the ``{% pii %}`` tags (core/templatetags/privacy.py),
the API ``PiiSerializerMixin`` (core/api.py), exports a ``Revealer``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db import models

    from anbiao.core.scope import Scope

PII_PERM = "pii.view"

# A mainland mobile number (optionally +86), not part of a longer run of digits.
MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)")
# A 居民身份证号 (18 characters with a plausible birth date, or the old 15-digit form).
ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])(?:[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
    r"|[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])"
)
STAR = "*"


def mask_phone(value) -> str:
    """``13812345678`` → ``138****5678``; a landline keeps its area code and last four digits
    (``0595-87368796`` → ``0595-****8796``); short service numbers (< 7 digits) and blanks are returned as
    they are."""
    if value is None:
        return ""
    text = str(value).strip()
    digits = re.sub(r"\D", "", text)
    if len(digits) < 7:
        return text
    national = digits[2:] if len(digits) == 13 and digits.startswith("86") else digits
    if len(national) == 11 and national[0] == "1" and national[1] in "3456789":
        return f"{national[:3]}{STAR * 4}{national[-4:]}"
    # Landline or anything else with enough digits: keep the part before the first separator when it looks
    # like an area code, otherwise the first three digits; keep the last four digits; star the rest.
    head = re.match(r"^(?:\(0\d{2,3}\)|0\d{2,3}[- ])", text)
    keep_head = len(re.sub(r"\D", "", head.group(0))) if head else 3
    out, seen = [], 0
    for ch in text:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= keep_head or seen > len(digits) - 4 else STAR)
        else:
            out.append(ch)
    return "".join(out)


def mask_id(value) -> str:
    """``350521199001011234`` → ``3505**********1234``: the first and last four characters stay (any
    certificate or ID-like number; the length is kept). Eight characters or fewer are starred whole."""
    if value is None:
        return ""
    text = str(value).strip()
    if not text:
        return ""
    if len(text) <= 8:
        return STAR * len(text)
    return f"{text[:4]}{STAR * (len(text) - 8)}{text[-4:]}"


def mask_text(value) -> str:
    """Free text with every mobile and 身份证号 inside it masked; the rest is unchanged."""
    if value is None:
        return ""
    text = ID_NUMBER.sub(lambda m: mask_id(m.group(0)), str(value))
    return MOBILE.sub(lambda m: mask_phone(m.group(0)), text)


MASKS: dict[str, Callable[[object], str]] = {"phone": mask_phone, "id": mask_id, "text": mask_text}


def mask(value, kind: str = "phone") -> str:
    return MASKS[kind](value)


# --- who sees full numbers -------------------------------------------------------------------------------
def _split(scope: Scope | None) -> tuple[bool, bool]:
    """(holds pii.view somewhere, every grant holds it)."""
    if scope is None or scope.user is None:
        return False, False
    holding = scope.grants_with(PII_PERM)
    return bool(holding), len(holding) == len(scope.grants)


def sees_full(scope: Scope | None, obj: models.Model | None = None) -> bool:
    """May the user see ``obj``'s personal numbers unmasked?

    No query for users whose grants all carry ``pii.view`` or none does (almost everyone). A user holding it
    through some grants only (say a unit admin who is also the county's read-only leader) sees full numbers
    only on rows inside a grant that carries it: one cached query per row. Without ``obj`` (a page-level
    question) holding it anywhere is enough.
    """
    some, every = _split(scope)
    if not some:
        return False
    if every or obj is None or getattr(obj, "pk", None) is None or not hasattr(type(obj), "scope_spec"):
        return True
    cache = scope.__dict__.setdefault("_pii_rows", {})
    key = (obj._meta.label, obj.pk)
    if key not in cache:
        cache[key] = scope.can(PII_PERM, obj)
    return cache[key]


def shown(scope: Scope | None, value, obj=None, kind: str = "phone") -> str:
    """``value`` as the user may see it on ``obj``: in full, or masked."""
    if value is None or value == "":
        return ""
    return str(value) if sees_full(scope, obj) else mask(value, kind)


class Revealer:
    """``sees_full`` for many rows (lists, exports): users with mixed grants cost one query per model."""

    def __init__(self, scope: Scope | None):
        self.scope = scope
        self.some, self.every = _split(scope)
        self._pks: dict[str, set] = {}

    def __call__(self, obj=None) -> bool:
        if not self.some:
            return False
        if self.every or obj is None or not hasattr(type(obj), "scope_spec"):
            return True
        model = type(obj)
        label = model._meta.label
        if label not in self._pks:
            self._pks[label] = set(
                model._default_manager.visible_to(self.scope, PII_PERM).values_list("pk", flat=True)
            )
        return obj.pk in self._pks[label]

    def show(self, value, obj=None, kind: str = "phone") -> str:
        """``value`` as this user may see it on ``obj``'s row."""
        if value is None or value == "":
            return value
        return str(value) if self(obj) else mask(value, kind)


def protect_form(form, *, scope: Scope | None, obj, fields: dict[str, str]) -> None:
    """An edit form opened by someone who may edit ``obj`` but not see its numbers (an expert on a risk
    point): the fields in ``fields`` (name → mask kind) show the masked value, and posting that masked value
    back keeps the stored number."""
    if obj is None or getattr(obj, "pk", None) is None or sees_full(scope, obj):
        return
    for name, kind in fields.items():
        field = form.fields.get(name)
        stored = getattr(obj, name, "") or ""
        if field is None or not stored:
            continue
        masked = mask(stored, kind)
        form.initial[name] = masked
        field.widget.attrs["data-masked"] = "1"
        field.help_text = "已隐藏部分号码；不修改则保留原号码。"
        field.clean = _keeping(field.clean, masked, stored)


def _keeping(clean, masked: str, stored: str):
    def _clean(value):
        if (value or "").strip() == masked:
            return stored
        return clean(value)

    return _clean
