"""Run the generators in dependency order and report progress (rows per model, elapsed, rows/s)."""

from __future__ import annotations

import datetime
import os
import time
from collections import Counter

from django.conf import settings
from django.db import connection, transaction

from anbiao.core.commands import command_context
from anbiao.orgs import reference
from anbiao.orgs.models import Organization
from anbiao.perf.synth.context import Context, Counts
from anbiao.perf.synth.writer import Writer, foreign_keys_checked_once


def _label(model) -> str:
    return model._meta.label


class Progress:
    """Prints a line per phase and, inside long phases, a running line every ``every`` seconds."""

    def __init__(self, out, every: float = 15.0):
        self.out = out
        self.every = every
        self.phase = ""
        self.phase_started = time.monotonic()
        self.phase_counts: Counter = Counter()
        self.last_line = time.monotonic()
        self.started = time.monotonic()

    def begin(self, phase: str, writer: Writer) -> None:
        self.phase = phase
        self.phase_started = time.monotonic()
        self.phase_counts = Counter(writer.counts)
        self.phase_cpu = time.process_time()
        self.last_line = time.monotonic()
        self.out(f"[{self._clock()}] {phase} …")

    def _clock(self) -> str:
        return f"{time.monotonic() - self.started:7.1f}s"

    def tick(self, writer: Writer) -> None:
        now = time.monotonic()
        if now - self.last_line < self.every:
            return
        self.last_line = now
        rows = writer.total - sum(self.phase_counts.values())
        took = now - self.phase_started
        self.out(
            f"[{self._clock()}]   {self.phase}: {rows:,} rows so far, {rows / max(took, 1e-6):,.0f} rows/s"
        )

    def end(self, writer: Writer) -> None:
        took = time.monotonic() - self.phase_started
        diff = writer.counts - self.phase_counts
        rows = sum(diff.values())
        rate = rows / max(took, 1e-6)
        cpu = time.process_time() - self.phase_cpu
        done = f"{rows:,} rows in {took:.1f}s ({rate:,.0f} rows/s, {cpu:.1f}s CPU)"
        self.out(f"[{self._clock()}] {self.phase}: {done}")
        for model, n in sorted(diff.items(), key=lambda kv: _label(kv[0])):
            self.out(f"            {_label(model):<32} {n:>12,}")


def database_size() -> int | None:
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SELECT pg_database_size(current_database())")
            return c.fetchone()[0]
    name = str(settings.DATABASES["default"]["NAME"])
    if name and os.path.exists(name):
        return sum(os.path.getsize(p) for p in (name, name + "-wal") if os.path.exists(p))
    return None


def analyze(models_, *, vacuum: bool = False) -> None:
    """PostgreSQL's ANALYZE of the tables written: bulk-loaded tables have no statistics until autovacuum
    gets to them, and the fact queries (correlated subqueries per enterprise) then plan badly. With
    ``vacuum`` (outside a transaction only) also VACUUM, as autovacuum soon would after a load: it sets the
    visibility map, without which no index-only scan is possible (the list pages' counts use them)."""
    command = "VACUUM (ANALYZE)" if vacuum else "ANALYZE"
    with connection.cursor() as cursor:
        for model in sorted(models_, key=lambda m: m._meta.db_table):
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


def finish(writer: Writer, analyzed: Counter) -> None:
    """PostgreSQL: VACUUM and ANALYZE the tables written (ANALYZE only of those written since the last
    ANALYZE when inside a transaction, where VACUUM cannot run). SQLite: fold the WAL into the database file
    (its size is then the database's size); no ANALYZE, since a deployed SQLite database never gets one
    either."""
    if connection.vendor == "postgresql":
        if connection.in_atomic_block:
            analyze([m for m, n in writer.counts.items() if analyzed.get(m) != n])
        else:
            analyze(writer.counts, vacuum=True)
    elif connection.vendor == "sqlite" and not connection.in_atomic_block:  # (a test's transaction: no WAL)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _tag() -> str:
    tag, n = "SYNTH", 1
    while Organization.objects.filter(code=tag).exists():
        n += 1
        tag = f"SYNTH{n}"
    return tag


def seed_reference() -> None:
    """Reference data the generators read (re-created if a flush removed it), as the demo command does."""
    reference.seed_everything()


def build(*, counts: Counts, seed: int, today: datetime.date, password: str, out) -> Context:
    from anbiao.perf.synth import campaigns, duty, grades, hazards, ledgers, orgs, risks, standards

    progress = Progress(out)
    cpu_started = time.process_time()
    writer = Writer(report=progress.tick)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # this connection only: a larger page cache keeps the indexes being filled in memory
            cursor.execute("PRAGMA cache_size = -262144")
    with command_context("anbiao_synth"):
        with transaction.atomic():
            seed_reference()
        ctx = Context(counts=counts, seed=seed, today=today, writer=writer, out=out, tag=_tag())
        phases = [
            ("units and logins", lambda: (orgs.build_tree(ctx), orgs.build_users(ctx, password))),
            ("enterprises and their dated states", lambda: orgs.build_enterprises(ctx)),
            (
                "duty: people, posts, lists, officers, rescue teams, annual assessments",
                lambda: duty.build(ctx),
            ),
            (
                "hazards: checklists, inspections, hazards in every state, listings, internal reports",
                lambda: hazards.build(ctx),
            ),
            ("risks: risk points and their assessments", lambda: risks.build(ctx)),
            (
                "ledgers: trainings, equipment, emergency plans and drills, accidents",
                lambda: ledgers.build(ctx),
            ),
            (
                "campaigns: letters, trainings, showcase, norms, enforcement, filings",
                lambda: campaigns.build(ctx),
            ),
            ("standards: grades, self-assessments, stars, 5S and 六有", lambda: standards.build(ctx)),
            ("enterprise overall 四色 grades", lambda: grades.build(ctx)),
        ]
        with foreign_keys_checked_once(out):
            analyzed = _run(phases, progress, writer)
        progress.begin("after the load: VACUUM ANALYZE (PostgreSQL) / WAL checkpoint (SQLite)", writer)
        finish(writer, analyzed)
        progress.end(writer)
    ctx.elapsed = time.monotonic() - progress.started
    ctx.cpu = time.process_time() - cpu_started
    return ctx


def _run(phases, progress: Progress, writer: Writer) -> Counter:
    analyzed: Counter = Counter()
    for title, run in phases:
        if title.startswith("standards") and connection.vendor == "postgresql":
            # the rules read the registry's facts from here on: plan those queries with statistics
            progress.begin("planner statistics before the fact queries (ANALYZE)", writer)
            analyze(writer.counts)
            analyzed = Counter(writer.counts)
            progress.end(writer)
        progress.begin(title, writer)
        run()
        writer.flush()
        progress.end(writer)
    return analyzed
