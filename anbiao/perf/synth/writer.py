"""Fast bulk writer for synthetic rows: ids assigned up front, rows buffered as tuples, written per chunk.

``bulk_create`` costs ~100 µs a row here (model instances, ``pre_save``, SQL compiled per 999 parameters on
SQLite), which puts a city-sized set (≈ 25 million rows) far past the 30-minute budget. So rows are built
as plain values in the models' column order, filled with each field's default, converted once per field the
way Django's ``get_db_prep_save`` would (dates and datetimes on SQLite, JSON everywhere), and written with
``executemany`` on SQLite and ``COPY … FROM STDIN`` on PostgreSQL, one transaction per chunk.

Primary keys are taken from ``max(pk) + 1`` per table, so a child can point at a parent written in the same
chunk (Django creates foreign keys ``DEFERRABLE INITIALLY DEFERRED`` on both backends, checked at commit);
on PostgreSQL the sequences are moved past the written ids after every flush, so ORM writes keep working.
"""

from __future__ import annotations

import datetime
import json
import time
import uuid
from collections import Counter
from contextlib import contextmanager

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

REQUIRED = object()  # a field without a default that every row must give


class Table:
    """One model's columns, defaults and value converters for the current database."""

    def __init__(self, model, now: datetime.datetime):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.index = {a: i for i, a in enumerate(self.attnames)}
        self.pk_index = self.index[model._meta.pk.attname]
        self.defaults = [self._default(f, now) for f in self.fields]
        self.callable_defaults = [i for i, d in enumerate(self.defaults) if callable(d)]
        vendor = connection.vendor
        self.converters = [(i, c) for i, f in enumerate(self.fields) if (c := _converter(f, vendor))]
        self.rows: list[list] = []
        self.written = 0
        quoted = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        table = connection.ops.quote_name(model._meta.db_table)
        if vendor == "postgresql":
            self.sql = f"COPY {table} ({quoted}) FROM STDIN"
        else:
            self.sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['?'] * len(self.fields))})"

    @staticmethod
    def _default(field, now):
        if field.primary_key:
            return REQUIRED
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        if field.has_default():
            default = field.default
            if default is datetime.date.today:
                return now.date()
            if default is timezone.now:
                return now
            if default in (dict, list):
                return default()  # JSON: dumped per row, so one shared empty value is safe
            if default is uuid.uuid4:
                return REQUIRED  # ids are given deterministically by the generators
            return default  # plain value, or a callable called per row
        if field.null:
            return None
        if isinstance(field, models.CharField | models.TextField):
            return ""
        return REQUIRED

    def row(self, values: dict) -> list:
        out = self.defaults.copy()
        index = self.index
        try:
            for key, value in values.items():
                out[index[key]] = value
        except KeyError as exc:
            raise KeyError(f"{self.model.__name__} has no column {exc.args[0]!r}") from None
        for i in self.callable_defaults:
            if out[i] is self.defaults[i]:
                out[i] = out[i]()
        return out

    def check(self, out: list) -> None:
        missing = [self.attnames[i] for i, v in enumerate(out) if v is REQUIRED]
        if missing:
            raise ValueError(f"{self.model.__name__}: no value for {', '.join(missing)}")


def _utc_text(value: datetime.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return str(value)


def _cached(convert, limit: int = 200_000):
    """Generated timestamps repeat a lot (a day at 09:00 plus a few minutes): convert each value once."""
    cache: dict = {}

    def cached(value):
        try:
            return cache[value]
        except KeyError:
            if len(cache) > limit:
                cache.clear()
            out = cache[value] = convert(value)
            return out

    return cached


def _json(field):
    encoder = field.encoder  # as JSONField.get_prep_value: a value the field cannot take fails here too

    def convert(value):
        return None if value is None else json.dumps(value, cls=encoder)

    return convert


def _converter(field, vendor):
    """How a Python value becomes what Django itself would send for this column."""
    if field.is_relation:
        field = field.target_field  # a foreign key is sent as the key it points at
    if isinstance(field, models.JSONField):
        return _json(field)
    if vendor == "sqlite":
        if isinstance(field, models.DateTimeField):
            return _cached(lambda v: None if v is None else _utc_text(v))
        if isinstance(field, models.DateField):
            return lambda v: None if v is None else v.isoformat()
        if isinstance(field, models.UUIDField):
            return lambda v: None if v is None else v.hex
        if isinstance(field, models.DecimalField):
            return lambda v: None if v is None else str(v)
    return None


class Writer:
    """Buffers rows per model; ``flush()`` writes everything buffered in one transaction."""

    def __init__(self, *, flush_rows: int = 200_000, report=None):
        self.now = timezone.now()
        self.tables: dict[type, Table] = {}
        self.next_ids: dict[type, int] = {}
        self.buffered = 0
        self.flush_rows = flush_rows
        self.counts: Counter = Counter()
        self.write_seconds = 0.0
        self.report = report  # called after each flush with the writer (progress lines)

    # --- ids -------------------------------------------------------------------------------------------
    def new_id(self, model) -> int:
        if model not in self.next_ids:
            last = model.objects.aggregate(m=models.Max("pk"))["m"] or 0
            self.next_ids[model] = last + 1
        pk = self.next_ids[model]
        self.next_ids[model] = pk + 1
        return pk

    def table(self, model) -> Table:
        table = self.tables.get(model)
        if table is None:
            table = self.tables[model] = Table(model, self.now)
        return table

    # --- rows ------------------------------------------------------------------------------------------
    def add(self, model, **values) -> int:
        """Buffer one row; returns its primary key (given, or the next free integer)."""
        table = self.tables.get(model) or self.table(model)
        out = table.row(values)
        pk = out[table.pk_index]
        if pk is REQUIRED:
            pk = out[table.pk_index] = self.new_id(model)
        if table.written + len(table.rows) < 2:  # a typo or a forgotten field fails at once
            table.check(out)
        table.rows.append(out)
        self.buffered += 1
        return pk

    def maker(self, model, names: list[str]):
        """A positional ``add`` for the most numerous rows: ``make(*values)`` in the order of ``names``
        (every column but the primary key, in the model's order, or any subset)."""
        table = self.table(model)
        positions = [table.index[n] for n in names]
        complete = positions == [i for i in range(len(table.fields)) if i != table.pk_index]
        defaults, pk_index = table.defaults, table.pk_index

        def make(*values) -> int:
            pk = self.new_id(model)
            if complete and pk_index == 0:
                out = [pk, *values]
            else:
                out = defaults.copy()
                for i, v in zip(positions, values, strict=True):
                    out[i] = v
                out[pk_index] = pk
            if table.written + len(table.rows) < 2:
                table.check(out)
            table.rows.append(out)
            self.buffered += 1
            return pk

        return make

    def maybe_flush(self) -> None:
        if self.buffered >= self.flush_rows:
            self.flush()

    def flush(self) -> None:
        if not self.buffered:
            return
        started = time.monotonic()
        touched = []
        with transaction.atomic():
            cursor = connection.cursor()
            for table in self.tables.values():
                if not table.rows:
                    continue
                rows = table.rows
                for i, convert in table.converters:
                    for r in rows:
                        r[i] = convert(r[i])
                self._write(cursor, table, rows)
                table.written += len(rows)
                self.counts[table.model] += len(rows)
                touched.append(table.model)
                table.rows = []
            if connection.vendor == "postgresql":
                self._move_sequences(cursor, touched)
        self.buffered = 0
        self.write_seconds += time.monotonic() - started
        if self.report:
            self.report(self)

    @staticmethod
    def _write(cursor, table: Table, rows: list[list]) -> None:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(table.sql) as copy:
                for r in rows:
                    copy.write_row(r)
        else:
            raw = connection.connection
            for start in range(0, len(rows), 10_000):
                raw.executemany(table.sql, rows[start : start + 10_000])

    def _move_sequences(self, cursor, models_) -> None:
        for model in models_:
            pk = model._meta.pk
            if not isinstance(pk, models.AutoField | models.BigAutoField) or model not in self.next_ids:
                continue
            table = model._meta.db_table
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), %s, true)",
                [connection.ops.quote_name(table), pk.column, self.next_ids[model] - 1],
            )

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _project_tables() -> list[str]:
    from django.apps import apps

    return sorted(m._meta.db_table for m in apps.get_models() if m._meta.managed and not m._meta.proxy)


@contextmanager
def foreign_keys_checked_once(out=None):
    """PostgreSQL, outside a transaction: load without the per-row foreign-key checks, then check each foreign
    key once over the whole table.

    Django's foreign keys are deferred triggers: every row written queues one check per key, run at commit as
    a lookup that also locks the parent row — for a city's ~50 million references most of the load's time.
    Here the project's foreign-key constraints are dropped before the load and added back after it with
    their exact definitions (``pg_get_constraintdef``); adding one validates every row in one join, and a
    row that points nowhere fails the build there. They are added back on any error too (not after a
    SIGKILL: run the build again, or ``manage.py migrate`` on a fresh database). Elsewhere a no-op."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [_project_tables()],
        )
        keys = cursor.fetchall()
        with transaction.atomic():
            for table, name, _ in keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        _add_back(keys, out)


def _add_back(keys, out) -> None:
    """Every key comes back at once as NOT VALID (enforced for new rows, no scan), then each is validated:
    a key whose rows do not hold stays in place, unvalidated, and is named in the error."""
    started = time.monotonic()
    broken = []
    with connection.cursor() as cursor:
        with transaction.atomic():
            for table, name, definition in keys:
                quoted = connection.ops.quote_name(name)
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quoted} {definition} NOT VALID")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for table, name, _ in keys:
            try:
                with transaction.atomic():
                    cursor.execute(
                        f"ALTER TABLE {table} VALIDATE CONSTRAINT {connection.ops.quote_name(name)}"
                    )
            except IntegrityError as exc:
                broken.append(f"{table}.{name}: {exc}")
        cursor.execute("RESET maintenance_work_mem")
    if out:
        out(f"{len(keys)} foreign keys added back and checked in {time.monotonic() - started:.1f}s")
    if broken:
        raise IntegrityError("rows point at missing rows: " + "; ".join(broken))
