"""Build the demo system once per test session and restore it before each browser journey.

Building the demo goes through every app's services (and their audit rows) and takes minutes; restoring a
snapshot takes about a second. On SQLite the whole in-memory database is copied with SQLite's backup API;
on other databases every table's rows are kept in memory and bulk-inserted again (foreign keys are
deferred inside the transaction), then the sequences are reset.
"""

from __future__ import annotations

import io
import os
import sqlite3

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction


class Snapshot:
    def __init__(self):
        self.sqlite: sqlite3.Connection | None = None
        self.rows: list[tuple[type, list[dict]]] = []

    def take(self) -> None:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            self.sqlite = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.sqlite)
            return
        for model in _models():
            self.rows.append(
                (model, list(model._base_manager.values(*[f.attname for f in model._meta.concrete_fields])))
            )

    def restore(self) -> None:
        if self.sqlite is not None:
            connection.ensure_connection()
            self.sqlite.backup(connection.connection)
            return
        tables = [m._meta.db_table for m, _ in self.rows]
        with transaction.atomic():
            with connection.cursor() as cursor:  # the flush after a test re-created permissions and types
                for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
                    cursor.execute(sql)
            for model, rows in self.rows:
                model._base_manager.bulk_create([model(**row) for row in rows], batch_size=2000)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [m for m, _ in self.rows]):
                    cursor.execute(sql)


def _models():
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.db_table != "django_session"
    ]


def build_snapshot() -> Snapshot:
    # ANBIAO_TEST_DEMO_ONLY=hazards,risks limits the demo to some modules while developing one of them.
    call_command("anbiao_demo", stdout=io.StringIO(), only=os.environ.get("ANBIAO_TEST_DEMO_ONLY", ""))
    snapshot = Snapshot()
    snapshot.take()
    return snapshot
