"""Database durability settings are read and judged (security.md G1): ``anbiao/core/durability.py``,
``manage.py anbiao_check_durability`` and the ``check --database default`` system check.

The suite runs on SQLite (an in-memory database: journal_mode "memory") and on PostgreSQL, so the rules are
tested on given values and the command on whatever the test database is.
"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from anbiao.core import checks, durability

SQLITE_AS_CONFIGURED = {
    "journal_mode": "wal",
    "synchronous": 2,
    "foreign_keys": 1,
    "busy_timeout": 20000,
    "transaction_mode": "IMMEDIATE",
}
POSTGRESQL_DEFAULTS = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}


def _bad(vendor, values) -> list[str]:
    return [v.name for v in durability.judge(vendor, values) if not v.ok]


def test_the_sqlite_options_of_settings_py_pass_every_rule(settings):
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert options["transaction_mode"] == "IMMEDIATE"
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=20000"):
            assert f"PRAGMA {pragma}" in options["init_command"]
    verdicts = durability.judge("sqlite", SQLITE_AS_CONFIGURED)
    assert [v.name for v in verdicts] == list(durability.SETTINGS["sqlite"])
    assert all(v.ok for v in verdicts)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("journal_mode", "delete"),
        ("journal_mode", "memory"),
        ("synchronous", 1),  # NORMAL: the last commits can be lost on power loss
        ("synchronous", 0),
        ("synchronous", "normal"),
        ("foreign_keys", 0),
        ("busy_timeout", 0),
        ("busy_timeout", None),
        ("transaction_mode", None),
        ("transaction_mode", "DEFERRED"),
    ],
)
def test_each_weak_sqlite_setting_is_reported_alone(name, value):
    assert _bad("sqlite", SQLITE_AS_CONFIGURED | {name: value}) == [name]


def test_sqlite_synchronous_extra_and_a_longer_busy_timeout_are_accepted():
    assert _bad("sqlite", SQLITE_AS_CONFIGURED | {"synchronous": 3, "busy_timeout": "60000"}) == []
    assert _bad("sqlite", SQLITE_AS_CONFIGURED | {"synchronous": "FULL", "journal_mode": "WAL"}) == []


def test_postgresql_defaults_pass_and_each_setting_turned_off_is_reported_alone():
    assert _bad("postgresql", POSTGRESQL_DEFAULTS) == []
    for name in POSTGRESQL_DEFAULTS:
        assert _bad("postgresql", POSTGRESQL_DEFAULTS | {name: "off"}) == [name]
    for level in ("local", "remote_write", "remote_apply"):  # all wait for the local WAL flush
        assert _bad("postgresql", POSTGRESQL_DEFAULTS | {"synchronous_commit": level}) == []
    assert _bad("postgresql", {}) == list(POSTGRESQL_DEFAULTS)  # nothing read is not "on"
    assert durability.judge("mysql", {}) == []


def test_the_command_prints_every_setting_of_the_test_database(db):
    out = io.StringIO()
    try:
        call_command("anbiao_check_durability", stdout=out)
        failed = None
    except CommandError as exc:
        failed = str(exc)
    text = out.getvalue()
    live = durability.read(connection)
    assert set(live) == set(durability.SETTINGS[connection.vendor])
    for name in durability.SETTINGS[connection.vendor]:
        assert f"  {name} = " in text
    verdicts = durability.judge(connection.vendor, live)
    assert (failed is None) == all(v.ok for v in verdicts) == ("不符合" not in text)
    if durability.in_memory(connection):  # SQLite's test database: everything but the journal as configured
        assert [v.name for v in verdicts if not v.ok] == ["journal_mode"]
        assert "journal_mode = memory，应为 wal：不符合" in text and "内存数据库" in text
    else:
        assert failed is None and "全部符合要求" in text


def test_a_file_database_opened_without_the_options_is_reported_by_the_system_check(
    db, tmp_path, monkeypatch
):
    plain = DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp_path / "plain.sqlite3"),
            "OPTIONS": {},  # none of settings.py's PRAGMAs
            **{k: connection.settings_dict.get(k) for k in ("TIME_ZONE", "CONN_HEALTH_CHECKS", "AUTOCOMMIT")},
            "CONN_MAX_AGE": 0,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
        },
        alias="plain",
    )
    try:
        bad = [v.name for v in durability.check(plain) if not v.ok]
        # a rollback journal and deferred transactions (Django turns foreign keys on by itself)
        assert bad == ["journal_mode", "transaction_mode"]
        monkeypatch.setattr(checks, "connections", {"plain": plain})
        warnings = checks.durability_settings(databases=["plain"])
        assert [w.id for w in warnings] == ["anbiao.W001"] * 2
        assert warnings[0].msg == "数据库 plain 的 journal_mode 为 delete，应为 wal。"
        assert checks.durability_settings(databases=None) == []  # database checks run only when asked for
    finally:
        plain.close()
