"""An older database migrates forward with its data (security.md G8).

``data/db_0bdbe41_demo.sql.gz`` is the SQLite dump of the demo data as commit 0bdbe41 built it (2026-11-29:
before the reports app, the revision columns, the MFA, password-history and integrity tables and the list
indexes existed). From that commit on, migrations have only been added, never edited. When a release is
cut, its own dump replaces this one.

The migrated database must end up with exactly the schema a fresh database gets (an edited migration, or
one that forgets what the old schema had, shows up here as a difference), keep every row, and work: the
demo password still signs in and a hazard still opens with its enterprise and photos.
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from anbiao.orgs.management.commands.anbiao_demo import DEMO_PASSWORD

DUMP = Path(__file__).parent / "data" / "db_0bdbe41_demo.sql.gz"
KEPT = ["orgs_enterprise", "orgs_enterprisestate", "hazards_hazard", "hazards_hazardevent", "core_auditevent"]
KEPT += ["accounts_user", "accounts_membership", "core_evidencefile", "risks_riskpoint", "duty_person"]

CHECK = """
import json
from anbiao.accounts.models import User
from anbiao.core.models import EvidenceFile
from anbiao.hazards.models import Hazard
photo = EvidenceFile.objects.filter(owner_type="hazards.hazard").first()
hazard = Hazard.objects.select_related("enterprise__unit").get(pk=photo.owner_id)
print(json.dumps({
    "signs_in": User.objects.get(username="admin_cw").check_password(%r),
    "hazard": [hazard.code, hazard.enterprise.name, hazard.enterprise.unit.name, photo.enterprise_id],
    "revision": hazard.revision,
}))
"""


def manage(db: Path, *args: str, var: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANBIAO_", "DATABASE_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{db}", ANBIAO_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="config.settings"
    )
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=settings.BASE_DIR,
    )


def schema(db: Path) -> tuple[set, set]:
    """Every (table, column, type, not null, primary key) and every (table, index, columns, unique)."""
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        columns = {
            (t, c[1], c[2], c[3], c[5]) for t in tables for c in conn.execute(f'PRAGMA table_info("{t}")')
        }
        indexes = set()
        for t in tables:
            for _seq, name, unique, *_ in conn.execute(f'PRAGMA index_list("{t}")'):
                if name.startswith("sqlite_autoindex"):
                    name = "(autoindex)"  # numbered in creation order: the columns identify it
                cols = (
                    tuple(r[2] for r in conn.execute(f'PRAGMA index_info("{name}")'))
                    if name != "(autoindex)"
                    else ()
                )
                indexes.add((t, name, cols, unique))
    return columns, indexes


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in KEPT}


def test_the_previous_versions_database_migrates_forward_to_the_fresh_schema_with_every_row(tmp_path):
    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(old) as conn:
        conn.executescript(gzip.decompress(DUMP.read_bytes()).decode("utf-8"))
    before = counts(old)
    assert before["hazards_hazard"] > 100 and before["core_auditevent"] > 1000

    migrated = manage(old, "migrate", "--noinput", var=tmp_path / "var")
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    assert "Applying reports.0001_initial" in migrated.stdout
    check = manage(old, "migrate", "--check", var=tmp_path / "var")
    assert check.returncode == 0, check.stdout + check.stderr

    fresh = tmp_path / "fresh.sqlite3"
    assert manage(fresh, "migrate", "--noinput", var=tmp_path / "var2").returncode == 0
    old_columns, old_indexes = schema(old)
    new_columns, new_indexes = schema(fresh)
    assert old_columns ^ new_columns == set(), "columns differ from a fresh database"
    assert old_indexes ^ new_indexes == set(), "indexes differ from a fresh database"
    assert counts(old) == before

    opened = manage(old, "shell", "-c", CHECK % DEMO_PASSWORD, var=tmp_path / "var")
    assert opened.returncode == 0, opened.stderr[-3000:]
    result = json.loads(opened.stdout.strip().splitlines()[-1])
    assert result["signs_in"] is True and result["revision"] == 0  # the new column's default
    code, enterprise, unit, photo_enterprise = result["hazard"]
    assert code and enterprise and unit and photo_enterprise
