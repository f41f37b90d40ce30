"""Backup and restore (security.md G6, G7): the restore drill, generations, refusals.

The drill runs on the database the suite runs on: SQLite (restored into a fresh file) or PostgreSQL
(pg_dump of the test database, pg_restore into a throwaway ``anbiao_bk_*`` database created and dropped
here). Backups need committed rows, so these tests are transactional. After the restore, another process
configured like ``manage.py`` logs in against the restored database and media and opens a hazard and its
photo.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from anbiao.accounts.models import User
from anbiao.core import backup
from anbiao.core.models import AuditEvent, EvidenceFile
from anbiao.core.testing import PASSWORD
from anbiao.hazards.choices import HazardKind, Source
from anbiao.hazards.models import Hazard
from anbiao.hazards.services import hazards as hazard_services
from anbiao.hazards.tests import factories as hf
from anbiao.orgs.models import Enterprise

pytestmark = pytest.mark.django_db(transaction=True)

ON_SQLITE = connection.vendor == "sqlite"
ON_POSTGRES = connection.vendor == "postgresql"

SMOKE = r"""
import hashlib, json, sys
import django
django.setup()
from django.test import Client
from django.urls import reverse
args = json.loads(sys.argv[1])
client = Client()
r = client.post(reverse("login"), {"username": args["username"], "password": args["password"]})
out = {"login": r.status_code, "location": r.get("Location")}
r = client.get(reverse("hazards:hazard_detail", args=[args["hazard"]]))
url = reverse("core:file_download", args=[args["photo"]])
body = r.content.decode()
out.update(detail=r.status_code, description=args["description"] in body, linked=url in body)
r = client.get(url)
out.update(photo=r.status_code, sha256=hashlib.sha256(b"".join(r.streaming_content)).hexdigest())
print(json.dumps(out))
"""


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Every test here is transactional: the seeded reference data is back before it runs."""


# --- targets: a fresh SQLite file, or a throwaway PostgreSQL database -----------------------------------


def _pg_admin():
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def target_url(tmp_path):
    if ON_SQLITE:
        yield f"sqlite:///{tmp_path / 'restored' / 'anbiao.sqlite3'}"
        return
    s = connection.settings_dict
    name = f"anbiao_bk_{secrets.token_hex(6)}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = quote(s["USER"]) + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    try:
        yield f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
    finally:
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _table_rows(url: str) -> dict[str, int]:
    """Rows per table of the target, read independently of the code under test."""
    if url.startswith("sqlite:"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            return {}
        con = sqlite3.connect(path)
        try:
            tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            con.close()
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as con:
        tables = [r[0] for r in con.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def _run_backup(dest: Path, **options) -> Path:
    before = set(backup.generations(dest))
    call_command("anbiao_backup", dest=str(dest), stdout=io.StringIO(), stderr=io.StringIO(), **options)
    (new,) = set(backup.generations(dest)) - before
    return new


def _restore(gen: Path, url: str, media: Path, **options) -> str:
    out = io.StringIO()
    call_command(
        "anbiao_restore",
        str(gen),
        database_url=url,
        media_root=str(media),
        stdout=out,
        stderr=io.StringIO(),
        **options,
    )
    return out.getvalue()


def _smoke(url: str, media: Path, **args) -> dict:
    env = dict(os.environ, DATABASE_URL=url, MEDIA_ROOT=str(media), ANBIAO_TESTING="1")
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    done = subprocess.run(
        [sys.executable, "-c", SMOKE, json.dumps(args)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _hazard_with_photo(world):
    hazard = hazard_services.hazard_register(
        actor=None,
        scope=hf.root(world),
        enterprise=world.ent_a,
        data={
            "source": Source.SELF,
            "kind": HazardKind.THING,
            "location": "二号仓库",
            "description": "灭火器压力不足（恢复演练）",
            "found_on": hf.DAY,
        },
        photos=[hf.photo("现场.png")],
    )
    photo = EvidenceFile.objects.get(owner_type="hazards.hazard", owner_id=str(hazard.pk))
    return hazard, photo


# --- the drill ------------------------------------------------------------------------------------------


def _drill(tmp_path, world, url):
    hazard, photo = _hazard_with_photo(world)
    gen = _run_backup(tmp_path / "backups")
    media = tmp_path / "restored-media"
    report_file = tmp_path / "drill.json"

    text = _restore(gen, url, media, report=str(report_file))

    # the command's own report: every check passed, the RTO measured
    report = json.loads(report_file.read_text())
    assert report["ok"], report
    assert [c["name"] for c in report["checks"] if not c["ok"]] == []
    names = " ".join(c["name"] for c in report["checks"])
    for check in ("备份校验", "migrate --check", "行数与清单一致", "迁移状态", "媒体文件 sha256", "证据记录"):
        assert check in names
    assert ("integrity_check" in names) if ON_SQLITE else ("pg_restore" in names)
    assert report["rto_seconds"] > 0 and "RTO" in text and "全部检查通过" in text

    # independently of the manifest: the restored database holds what the live one does
    rows = _table_rows(url)
    for model in (User, Enterprise, Hazard, EvidenceFile, AuditEvent, MigrationRecorder.Migration):
        assert rows[model._meta.db_table] == model._base_manager.count(), model
    if ON_SQLITE:
        con = sqlite3.connect(url.removeprefix("sqlite:///"))
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        con.close()
    for row in EvidenceFile.objects.all():
        assert hashlib.sha256((media / row.storage_name).read_bytes()).hexdigest() == row.sha256

    # a user logs in against the restored system and opens the hazard with its photo
    smoke = _smoke(
        url,
        media,
        username=world.principal_a.username,
        password=PASSWORD,
        hazard=hazard.pk,
        photo=str(photo.pk),
        description=hazard.description,
    )
    assert smoke == {
        "login": 302,
        "location": "/",
        "detail": 200,
        "description": True,
        "linked": True,
        "photo": 200,
        "sha256": photo.sha256,
    }

    # a second restore onto the now non-empty target needs --yes; the old media are set aside, not deleted
    with pytest.raises(CommandError, match="不是空的"):
        _restore(gen, url, media)
    text = _restore(gen, url, media, yes=True)
    assert "全部检查通过" in text
    (aside,) = media.glob(".pre-restore-*")
    assert (aside / photo.storage_name).read_bytes() == (media / photo.storage_name).read_bytes()


@pytest.mark.skipif(not ON_SQLITE, reason="the suite runs on PostgreSQL: see the PostgreSQL drill")
def test_restore_drill_sqlite(tmp_path, world, target_url):
    _drill(tmp_path, world, target_url)


@pytest.mark.skipif(not ON_POSTGRES, reason="runs when DATABASE_URL is postgres (the CI's second pass)")
def test_restore_drill_postgresql(tmp_path, world, target_url):
    _drill(tmp_path, world, target_url)


# --- the generation and its manifest ----------------------------------------------------------------------


def test_the_manifest_describes_the_database_copy_and_every_media_file(tmp_path, world):
    gen = _run_backup(tmp_path / "backups")
    assert sorted(p.name for p in gen.iterdir()) == sorted(
        [backup.DB_FILES[connection.vendor], "media.tar", "media.sha256", "manifest.json", "SHA256SUMS"]
    )
    manifest = backup.verify_generation(gen)
    assert manifest["created_at"].endswith("Z") and manifest["app"]["version"]
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["sha256"] == backup.sha256_file(gen / manifest["database"]["file"])[0]
    applied = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"):
        applied.setdefault(app, []).append(name)
    assert manifest["migrations"] == {app: sorted(names) for app, names in applied.items()}
    assert manifest["row_counts"]["core.EvidenceFile"] == EvidenceFile.objects.count() == 2
    assert manifest["row_counts"]["accounts.User"] == User.objects.count()
    files = {f["path"]: f for f in manifest["media"]["files"]}
    for row in EvidenceFile.objects.all():
        assert files[row.storage_name] == {"path": row.storage_name, "size": row.size, "sha256": row.sha256}
    assert manifest["evidence"] == {"rows": 2, "missing_files": [], "mismatched_files": []}
    assert (gen / "media.sha256").read_text().count("\n") == len(files)
    assert oct(gen.stat().st_mode & 0o777) == "0o700"


def test_only_the_newest_generations_are_kept_and_other_entries_are_left_alone(tmp_path, settings):
    dest = tmp_path / "backups"
    (dest / "notes").mkdir(parents=True)
    (dest / ".tmp-anbiao-20000101T000000Z").mkdir()  # a run that crashed half-way
    made = [_run_backup(dest, keep=2) for _ in range(3)]
    assert backup.generations(dest) == sorted(made[1:]) and len(set(made)) == 3
    assert (dest / "notes").is_dir()
    assert not list(dest.glob(".tmp-*"))
    settings.ANBIAO_BACKUP_DIR = dest
    settings.ANBIAO_BACKUP_KEEP = 1
    call_command("anbiao_backup", stdout=io.StringIO())  # defaults come from the settings
    (latest,) = backup.generations(dest)
    assert backup.resolve_generation("latest", dest) == latest == backup.resolve_generation(latest.name, dest)
    with pytest.raises(CommandError, match="找不到备份"):
        call_command("anbiao_restore", "anbiao-19990101T000000Z", stdout=io.StringIO())
    settings.ANBIAO_BACKUP_DIR = tmp_path / "empty"
    with pytest.raises(CommandError, match="没有备份"):
        call_command("anbiao_restore", "latest", stdout=io.StringIO())


def test_the_off_host_copy_hook_gets_the_generation_and_its_failure_fails_the_run(tmp_path, settings):
    offsite = tmp_path / "offsite"
    offsite.mkdir()
    settings.ANBIAO_BACKUP_COPY_COMMAND = f"cp -r {{path}} {offsite}/"
    gen = _run_backup(tmp_path / "backups")
    assert (offsite / gen.name / "SHA256SUMS").read_bytes() == (gen / "SHA256SUMS").read_bytes()
    settings.ANBIAO_BACKUP_COPY_COMMAND = "false"
    with pytest.raises(CommandError, match="异地复制失败"):
        call_command("anbiao_backup", dest=str(tmp_path / "backups"), stdout=io.StringIO())
    assert len(backup.generations(tmp_path / "backups")) == 2  # the local generation is kept


@pytest.mark.django_db(transaction=False)
def test_a_backup_into_media_root_or_with_keep_zero_is_refused(tmp_path, settings):
    with pytest.raises(CommandError, match="MEDIA_ROOT"):
        call_command("anbiao_backup", dest=str(Path(settings.MEDIA_ROOT) / "b"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="--keep"):
        call_command("anbiao_backup", dest=str(tmp_path / "b"), keep=0, stdout=io.StringIO())


@pytest.mark.django_db(transaction=False)
def test_a_backup_inside_a_transaction_is_refused(tmp_path):
    with pytest.raises(CommandError, match="事务"):
        call_command("anbiao_backup", dest=str(tmp_path / "b"), stdout=io.StringIO())


# --- restore refuses a damaged generation and touches nothing -------------------------------------------


def _flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _damage_manifest(gen: Path) -> None:
    manifest = json.loads((gen / "manifest.json").read_text())
    manifest["row_counts"]["core.EvidenceFile"] += 1
    (gen / "manifest.json").write_text(json.dumps(manifest))


def _damage_media_tar(gen: Path) -> None:
    manifest = json.loads((gen / "manifest.json").read_text())
    _flip_byte(gen / "media.tar", 512 + manifest["media"]["files"][0]["size"] // 2)  # inside the first file


def _forge_consistently(gen: Path) -> None:
    """A file's recorded sha256 changed in the manifest, media.sha256 and SHA256SUMS alike."""
    manifest = json.loads((gen / "manifest.json").read_text())
    manifest["media"]["files"][0]["sha256"] = "0" * 64
    (gen / "manifest.json").write_text(json.dumps(manifest))
    lines = "".join(f"{f['sha256']}  {f['path']}\n" for f in manifest["media"]["files"])
    (gen / "media.sha256").write_text(lines)
    sums = [
        (backup.sha256_file(gen / line.split("  ")[1])[0], line.split("  ")[1])
        for line in (gen / "SHA256SUMS").read_text().splitlines()
    ]
    (gen / "SHA256SUMS").write_text("".join(f"{h}  {n}\n" for h, n in sums))


DAMAGES = {
    "manifest-edited": (_damage_manifest, "manifest.json"),
    "media-byte-flipped": (_damage_media_tar, "media.tar"),
    "sums-missing": (lambda gen: (gen / "SHA256SUMS").unlink(), "SHA256SUMS"),
    "forged-consistently": (_forge_consistently, "媒体文件校验失败"),
}


def test_restore_refuses_a_damaged_generation_and_changes_nothing(tmp_path, world, target_url):
    good = _run_backup(tmp_path / "backups")
    media = tmp_path / "restored-media"
    for case, (damage, message) in DAMAGES.items():
        gen = tmp_path / "damaged" / case / good.name
        shutil.copytree(good, gen)
        damage(gen)
        with pytest.raises(CommandError, match=message):
            _restore(gen, target_url, media)
        assert _table_rows(target_url) == {}, case
        assert not media.exists() or not any(media.iterdir()), case
    _restore(good, target_url, media)  # the undamaged generation restores into the same targets
