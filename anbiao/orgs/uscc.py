"""统一社会信用代码 (GB 32100-2015): format and check digit."""

from __future__ import annotations

import unicodedata

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters; I, O, Z, S, V are never used
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
REGISTRARS = set("123456789ANY")


def normalize(value: str) -> str:
    """Full-width to half-width, upper case, no spaces."""
    return unicodedata.normalize("NFKC", value or "").strip().replace(" ", "").upper()


def check_char(first17: str) -> str:
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Return a Chinese description of what is wrong with ``code``, or None when it is valid."""
    if len(code) != 18:
        return f"应为18位，实际为{len(code)}位"
    bad = sorted({c for c in code if c not in CHARSET})
    if bad:
        return f"含有不允许的字符：{''.join(bad)}"
    if code[0] not in REGISTRARS:
        return "第1位登记管理部门代码无效"
    if not code[2:8].isdigit():
        return "第3-8位行政区划码应为数字"
    if check_char(code[:17]) != code[17]:
        return "校验位错误"
    return None


def is_valid(code: str) -> bool:
    return problem(normalize(code)) is None
