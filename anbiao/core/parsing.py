"""Cell parsers for imports: each turns a raw spreadsheet value into a Python value or raises ValueError
with a Chinese reason. Codes, numbers, dates and choices are read after folding full-width characters
(NFKC); free text such as names and addresses is kept as written, only trimmed."""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", ""}
DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def text(value) -> str:
    """Free text as written (a name keeps its full-width brackets), trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def normal(value) -> str:
    """Text for codes, numbers, dates and choices: full-width characters folded (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", text(value)).strip()


def integer(value) -> int | None:
    if value is None or normal(value) == "":
        return None
    if isinstance(value, bool):
        raise ValueError("应为整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError("应为整数")
    raw = normal(value).replace(",", "")
    if not re.fullmatch(r"-?\d+", raw):
        raise ValueError(f"应为整数，实际为「{normal(value)}」")
    return int(raw)


def decimal(value) -> Decimal | None:
    raw = normal(value)
    if raw == "":
        return None
    try:
        return Decimal(raw)
    except InvalidOperation as exc:
        raise ValueError(f"应为数字，实际为「{raw}」") from exc


def boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    raw = normal(value).lower()
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ValueError(f"应填写「是」或「否」，实际为「{normal(value)}」")


def date(value) -> datetime.date | None:
    if value is None or normal(value) == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float):
        raise ValueError("日期格式无法识别，请填写如 2024-03-01 的日期")
    raw = normal(value)
    for pattern in DATE_PATTERNS:
        m = pattern.match(raw)
        if m:
            try:
                return datetime.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError as exc:
                raise ValueError(f"日期「{raw}」不存在") from exc
    raise ValueError(f"日期格式无法识别：「{raw}」，请填写如 2024-03-01 的日期")


def choice(value, options: dict[str, str], *, required: bool = True) -> str:
    """``options`` maps accepted labels (and codes) to stored values."""
    raw = normal(value)
    if raw == "":
        if required:
            raise ValueError("必填")
        return ""
    if raw in options:
        return options[raw]
    raise ValueError(
        f"「{raw}」不是可选值（可选：{'、'.join(dict.fromkeys(k for k in options if not k.isascii()))}）"
    )
