"""The database's durability settings, read from a live connection and judged (security.md G1).

SQLite (settings ``_sqlite_options``): ``journal_mode=WAL``, ``synchronous=FULL`` (NORMAL can lose the last
commits on power loss), ``foreign_keys=ON``, a busy timeout, and Django's ``transaction_mode=IMMEDIATE``.
PostgreSQL: ``fsync``, ``synchronous_commit`` and ``full_page_writes`` on (the defaults; docs/deployment.md).

``judge`` is pure (values in, verdicts out) so every rule is tested with given values; ``read`` asks the
database. Used by ``manage.py anbiao_check_durability`` and the ``check --database default`` system check.
"""

from __future__ import annotations

from dataclasses import dataclass

SQLITE_SYNCHRONOUS = {0: "off", 1: "normal", 2: "full", 3: "extra"}
SQLITE_MIN_BUSY_TIMEOUT_MS = 5000
# every level but "off" waits for the local WAL flush before a commit returns
PG_DURABLE_COMMIT = ("on", "local", "remote_write", "remote_apply")


@dataclass(frozen=True)
class Verdict:
    name: str
    value: str
    expected: str
    ok: bool


def _text(value) -> str:
    return "（未读到）" if value is None else str(value).strip().lower()


def _sqlite(values: dict) -> list[Verdict]:
    journal = _text(values.get("journal_mode"))
    sync = _text(values.get("synchronous"))
    sync = SQLITE_SYNCHRONOUS.get(int(sync), sync) if sync.isdigit() else sync  # PRAGMA answers 0–3
    fk = _text(values.get("foreign_keys"))
    busy = values.get("busy_timeout")
    try:
        busy_ms = int(busy)
    except (TypeError, ValueError):
        busy_ms = -1
    mode = _text(values.get("transaction_mode"))
    return [
        Verdict("journal_mode", journal, "wal", journal == "wal"),
        Verdict("synchronous", sync, "full（或 extra）", sync in {"full", "extra"}),
        Verdict("foreign_keys", fk, "1（on）", fk in {"1", "on", "true"}),
        Verdict(
            "busy_timeout",
            _text(busy),
            f"≥ {SQLITE_MIN_BUSY_TIMEOUT_MS} 毫秒",
            busy_ms >= SQLITE_MIN_BUSY_TIMEOUT_MS,
        ),
        Verdict("transaction_mode", mode, "immediate（Django 连接选项）", mode == "immediate"),
    ]


def _postgresql(values: dict) -> list[Verdict]:
    fsync, commit, fpw = (_text(values.get(k)) for k in ("fsync", "synchronous_commit", "full_page_writes"))
    return [
        Verdict("fsync", fsync, "on", fsync == "on"),
        Verdict(
            "synchronous_commit",
            commit,
            "on（或 local、remote_write、remote_apply）",
            commit in PG_DURABLE_COMMIT,
        ),
        Verdict("full_page_writes", fpw, "on", fpw == "on"),
    ]


SETTINGS = {
    "sqlite": ("journal_mode", "synchronous", "foreign_keys", "busy_timeout", "transaction_mode"),
    "postgresql": ("fsync", "synchronous_commit", "full_page_writes"),
}


def judge(vendor: str, values: dict) -> list[Verdict]:
    """One verdict per durability setting of ``vendor`` ("sqlite" or "postgresql"); [] for another vendor."""
    if vendor == "sqlite":
        return _sqlite(values)
    if vendor == "postgresql":
        return _postgresql(values)
    return []


def read(connection) -> dict:
    """The live values on ``connection`` (a Django database connection)."""
    values: dict = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for pragma in SETTINGS["sqlite"][:4]:
                cursor.execute(f"PRAGMA {pragma}")
                row = cursor.fetchone()
                values[pragma] = row[0] if row else None
            values["transaction_mode"] = connection.settings_dict.get("OPTIONS", {}).get("transaction_mode")
        elif connection.vendor == "postgresql":
            for name in SETTINGS["postgresql"]:
                cursor.execute(f"SHOW {name}")
                values[name] = cursor.fetchone()[0]
    return values


def in_memory(connection) -> bool:
    """An in-memory SQLite database (the test suite's): not durable by design, so not judged at startup."""
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def check(connection) -> list[Verdict]:
    return judge(connection.vendor, read(connection))
