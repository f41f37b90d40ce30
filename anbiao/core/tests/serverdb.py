"""Helpers for tests that run the app in other processes (gunicorn, manage.py) against the test data."""

from __future__ import annotations

import os
import secrets
import sqlite3
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
PYTHON = sys.executable
BIN = Path(sys.executable).parent


def database_url(tmp_path: Path) -> str:
    """A DATABASE_URL other processes can open, holding what the test committed.

    SQLite: the test database lives in this process's memory, so it is copied to a file with SQLite's
    backup API (schema, seed data and the test's committed rows). PostgreSQL: the test database itself.
    Use with ``transactional_db`` so the rows are committed (and flushed afterwards).
    """
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return f"sqlite:///{path}"
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    raise NotImplementedError(connection.vendor)


def production_env(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production process (as deploy/anbiao.env.example), outside pytest."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANBIAO_", "PYTEST", "DJANGO_"))}
    env.update(
        ANBIAO_ENV="production",
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="anbiao.example.cn,127.0.0.1",
        CSRF_TRUSTED_ORIGINS="https://anbiao.example.cn",
        DATABASE_URL=database_url,
        ANBIAO_VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env
