"""Backup, restore and media reconcile (security.md G4, G6, G7; docs/deployment.md "Backup and restore").

A backup generation is one directory ``anbiao-YYYYmmddTHHMMSSZ`` under ``ANBIAO_BACKUP_DIR``::

    db.sqlite3 | db.dump   SQLite through the online backup API / PostgreSQL ``pg_dump -Fc``
    media.tar              every file under MEDIA_ROOT
    media.sha256           ``sha256sum -c`` list of those files
    manifest.json          created at, app version, migrations per app, rows per model and table,
                           database and media checksums, the media file list with sha256 and size
    SHA256SUMS             checksums of the four files above (``sha256sum -c SHA256SUMS``)

It is written under a temp name, fsynced and renamed, so a generation directory is always complete. The
manifest describes the database copy itself: on SQLite the counts are read from the copy, on PostgreSQL in
the very snapshot ``pg_dump`` dumps (``--snapshot``).
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import fcntl
import hashlib
import json
import os
import platform
import re
import secrets
import shlex
import shutil
import socket
import sqlite3
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.utils import load_backend

from anbiao.core.storage import TEMP_PREFIX, fsync_dir

FORMAT = 1
GEN_RE = re.compile(r"^anbiao-\d{8}T\d{6}Z(?:-\d+)?$")
TMP_PREFIX = ".tmp-"
LOCK_NAME = ".anbiao-backup.lock"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
MEDIA_TAR = "media.tar"
MEDIA_SUMS = "media.sha256"
DB_FILES = {"sqlite": "db.sqlite3", "postgresql": "db.dump"}
QUARANTINE = "quarantine"
SQLITE_LOCK_WAIT = 600  # seconds the SQLite backup may wait for a lock before giving up
CHUNK = 1024 * 1024

Out = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (the commands exit 1 with it)."""


# --- small helpers ------------------------------------------------------------------------------------


def sha256_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fchmod(fh.fileno(), 0o600)
        os.fsync(fh.fileno())


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def media_files(root: Path, *, skip_quarantine: bool = False) -> Iterator[tuple[str, Path]]:
    """(relative POSIX name, path) of every regular file under ``root``, sorted.

    Skipped: top-level entries starting with a dot (restore staging and ``.pre-restore-*`` copies), the
    storage's in-flight temp files (``.upload-*``), symbolic links, and ``quarantine/`` if asked.
    """
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [
                d for d in dirnames if not d.startswith(".") and not (skip_quarantine and d == QUARANTINE)
            ]
            filenames = [f for f in filenames if not f.startswith(".")]
        dirnames.sort()
        for name in sorted(filenames):
            path = here / name
            if name.startswith(TEMP_PREFIX) or path.is_symlink() or not path.is_file():
                continue
            yield path.relative_to(root).as_posix(), path


def temp_leftovers(root: Path) -> list[tuple[str, Path]]:
    """``.upload-*`` files: writes interrupted by a crash (or in flight right now)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != QUARANTINE]
        for name in filenames:
            if name.startswith(TEMP_PREFIX):
                path = here / name
                found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def _app_info() -> dict:
    from importlib import metadata

    try:
        version = metadata.version("anbiao")
    except metadata.PackageNotFoundError:
        version = "unknown"
    commit = None
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        done = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if done.returncode == 0:
            commit = done.stdout.strip()
    return {
        "name": "anbiao",
        "version": version,
        "git_commit": commit,
        "django": django.get_version(),
        "python": platform.python_version(),
    }


def _table_models() -> dict[str, str]:
    out: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            out.setdefault(meta.db_table, meta.label)
    return out


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_facts(cursor, vendor: str) -> dict:
    """Rows per table, applied migrations per app and the evidence rows, read through a DB-API cursor."""
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    tables = sorted(r[0] for r in cursor.fetchall())
    rows = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # names from the catalogue
        rows[table] = int(cursor.fetchone()[0])
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in rows:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    evidence = []
    if "core_evidencefile" in rows:
        cursor.execute("SELECT storage_name, size, sha256 FROM core_evidencefile ORDER BY storage_name")
        evidence = [(r[0], int(r[1]), r[2]) for r in cursor.fetchall()]
    return {"table_rows": rows, "migrations": migrations, "evidence": evidence}


def _wrapper(settings_dict: dict, alias: str):
    """A private Django connection for ``settings_dict`` (never one the app itself is using)."""
    cfg = copy.deepcopy(dict(settings_dict))
    cfg["CONN_MAX_AGE"] = 0
    connections.configure_settings({"default": cfg})
    return load_backend(cfg["ENGINE"]).DatabaseWrapper(cfg, alias)


def _vendor(engine: str) -> str:
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine or "postgis" in engine:
        return "postgresql"
    raise BackupError(f"不支持的数据库引擎：{engine}（只支持 SQLite 和 PostgreSQL）。")


def _pg_command(tool: str, cfg: dict) -> tuple[list[str], dict[str, str]]:
    args = [tool, "--no-password"]
    if cfg.get("HOST"):
        args += ["--host", str(cfg["HOST"])]
    if cfg.get("PORT"):
        args += ["--port", str(cfg["PORT"])]
    if cfg.get("USER"):
        args += ["--username", str(cfg["USER"])]
    env = dict(os.environ)
    if cfg.get("PASSWORD"):
        env["PGPASSWORD"] = str(cfg["PASSWORD"])
    options = cfg.get("OPTIONS") or {}
    for key, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("passfile", "PGPASSFILE")):
        if options.get(key):
            env[var] = str(options[key])
    return args, env


def _describe(cfg: dict) -> str:
    if _vendor(cfg["ENGINE"]) == "sqlite":
        return f"SQLite {cfg['NAME']}"
    host = cfg.get("HOST") or "localhost"
    return f"PostgreSQL {cfg.get('USER') or ''}@{host}:{cfg.get('PORT') or 5432}/{cfg['NAME']}"


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join((text or "").strip().splitlines()[-lines:])


# --- backup ---------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    removed: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)
    copy_output: str = ""


def _dump_sqlite(target: Path) -> dict:
    conn = connections["default"]
    conn.ensure_connection()
    deadline = time.monotonic() + SQLITE_LOCK_WAIT

    def progress(status, remaining, total):
        if time.monotonic() > deadline:
            raise BackupError(f"SQLite 数据库被锁定超过 {SQLITE_LOCK_WAIT} 秒，备份放弃。")

    dst = sqlite3.connect(target)
    try:
        conn.connection.backup(dst, pages=-1, progress=progress)  # one step: one consistent snapshot
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file, no -wal beside it
        check = [r[0] for r in dst.execute("PRAGMA integrity_check").fetchall()]
        if check != ["ok"]:
            raise BackupError("备份副本未通过 PRAGMA integrity_check：" + "; ".join(check[:5]))
        facts = read_facts(dst.cursor(), "sqlite")
    finally:
        dst.close()
    os.chmod(target, 0o600)
    fsync_file(target)
    facts["integrity"] = "PRAGMA integrity_check: ok"
    facts["server_version"] = sqlite3.sqlite_version
    return facts


def _dump_postgres(target: Path) -> dict:
    cfg = connections["default"].settings_dict
    source = _wrapper(cfg, "anbiao_backup_source")
    try:
        with source.cursor() as cursor:
            # One snapshot for the counts and for pg_dump: the manifest describes exactly the dump.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            facts = read_facts(cursor, "postgresql")
            args, env = _pg_command("pg_dump", cfg)
            args += [
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
                f"--dbname={cfg['NAME']}",
            ]
            try:
                done = subprocess.run(args, env=env, capture_output=True, text=True)
            except FileNotFoundError as exc:
                raise BackupError("找不到 pg_dump：请安装 postgresql-client。") from exc
            cursor.execute("COMMIT")
    finally:
        source.close()
    if done.returncode != 0:
        raise BackupError(f"pg_dump 失败（退出码 {done.returncode}）：\n{_tail(done.stderr)}")
    os.chmod(target, 0o600)
    fsync_file(target)
    facts["integrity"] = "pg_dump exit 0"
    facts["server_version"] = server_version
    return facts


class _HashingReader:
    def __init__(self, fh):
        self.fh = fh
        self.h = hashlib.sha256()
        self.size = 0

    def read(self, n=-1):
        data = self.fh.read(n)
        self.h.update(data)
        self.size += len(data)
        return data


def _archive_media(root: Path, tar_path: Path) -> dict:
    files, vanished = [], []
    with open(tar_path, "wb") as out, tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, path in media_files(root):
            try:
                fh = open(path, "rb")  # noqa: SIM115 (closed below)
            except FileNotFoundError:
                vanished.append(name)  # deleted after the database snapshot: its row is gone too
                continue
            with fh:
                st = os.fstat(fh.fileno())
                info = tarfile.TarInfo(name)
                info.size = st.st_size
                info.mtime = int(st.st_mtime)
                info.mode = 0o640
                reader = _HashingReader(fh)
                tar.addfile(info, reader)
                files.append({"path": name, "size": reader.size, "sha256": reader.h.hexdigest()})
        tar.close()
        out.flush()
        os.fchmod(out.fileno(), 0o600)
        os.fsync(out.fileno())
    return {"files": files, "vanished": vanished}


def _generation_name(dest: Path, when: datetime.datetime) -> str:
    base = f"anbiao-{when:%Y%m%dT%H%M%SZ}"
    name, n = base, 0
    while (dest / name).exists() or (dest / f"{TMP_PREFIX}{name}").exists():
        n += 1
        name = f"{base}-{n}"
    return name


def generations(dest: Path) -> list[Path]:
    """Complete generations in ``dest``, oldest first."""
    if not dest.is_dir():
        return []
    return sorted(p for p in dest.iterdir() if p.is_dir() and GEN_RE.match(p.name))


@contextlib.contextmanager
def _locked(dest: Path):
    fd = os.open(dest / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BackupError(f"另一个备份正在 {dest} 运行。") from exc
        yield
    finally:
        os.close(fd)


def run_copy_command(command: str, path: Path) -> str:
    """Run the off-host copy hook: ``{path}`` in the command is the generation, else it is appended."""
    args = shlex.split(command)
    if any("{path}" in a for a in args):
        args = [a.replace("{path}", str(path)) for a in args]
    else:
        args.append(str(path))
    try:
        done = subprocess.run(args, capture_output=True, text=True)
    except OSError as exc:
        raise BackupError(f"异地复制命令无法运行（{args[0]}）：{exc}") from exc
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        raise BackupError(
            f"备份 {path.name} 已写入本机，但异地复制失败（退出码 {done.returncode}）：\n{_tail(output)}"
        )
    return output


def backup(*, dest: Path, keep: int, copy_command: str = "", out: Out = lambda s: None) -> BackupResult:
    if keep < 1:
        raise BackupError("--keep 至少为 1。")
    started = time.monotonic()
    created = _utcnow()
    dest = Path(dest).absolute()
    media_root = Path(settings.MEDIA_ROOT).absolute()
    if dest == media_root or media_root in dest.parents:
        raise BackupError(f"备份目录 {dest} 不能在 MEDIA_ROOT（{media_root}）里面。")
    if connections["default"].in_atomic_block:
        # SQLite: the backup would wait forever for this transaction's write lock; PostgreSQL: the dump
        # would silently miss what this transaction wrote.
        raise BackupError("备份不能在数据库事务中运行。")
    cfg = connections["default"].settings_dict
    vendor = _vendor(cfg["ENGINE"])
    new_dest = not dest.exists()
    dest.mkdir(parents=True, exist_ok=True, mode=0o700)
    if new_dest:
        fsync_dir(str(dest.parent))
    with _locked(dest):
        stale = [p for p in dest.iterdir() if p.name.startswith(TMP_PREFIX) and p.is_dir()]
        for path in stale:  # a run that crashed; under the lock nobody else is writing there
            shutil.rmtree(path, ignore_errors=True)
        name = _generation_name(dest, created)
        tmp = dest / f"{TMP_PREFIX}{name}"
        tmp.mkdir(mode=0o700)
        try:
            db_file = tmp / DB_FILES[vendor]
            t0 = time.monotonic()
            facts = _dump_sqlite(db_file) if vendor == "sqlite" else _dump_postgres(db_file)
            db_seconds = time.monotonic() - t0
            db_sha, db_size = sha256_file(db_file)
            t0 = time.monotonic()
            media = _archive_media(media_root, tmp / MEDIA_TAR)
            media_seconds = time.monotonic() - t0
            tar_sha, tar_size = sha256_file(tmp / MEDIA_TAR)
            sums_lines = "".join(f"{f['sha256']}  {f['path']}\n" for f in media["files"])
            _write_durably(tmp / MEDIA_SUMS, sums_lines.encode())
            on_disk = {f["path"]: f for f in media["files"]}
            missing = [n for n, _, _ in facts["evidence"] if n not in on_disk]
            mismatched = [
                n
                for n, size, sha in facts["evidence"]
                if n in on_disk and (on_disk[n]["size"] != size or on_disk[n]["sha256"] != sha)
            ]
            labels = _table_models()
            manifest = {
                "format": FORMAT,
                "generation": name,
                "created_at": created.isoformat().replace("+00:00", "Z"),
                "host": socket.gethostname(),
                "app": _app_info(),
                "database": {
                    "vendor": vendor,
                    "file": db_file.name,
                    "size": db_size,
                    "sha256": db_sha,
                    "source": _describe(cfg),
                    "server_version": facts["server_version"],
                    "integrity": facts["integrity"],
                    "seconds": round(db_seconds, 3),
                },
                "migrations": facts["migrations"],
                "row_counts": {labels[t]: n for t, n in facts["table_rows"].items() if t in labels},
                "table_rows": facts["table_rows"],
                "media": {
                    "root": str(media_root),
                    "archive": MEDIA_TAR,
                    "archive_size": tar_size,
                    "archive_sha256": tar_sha,
                    "checksums": MEDIA_SUMS,
                    "file_count": len(media["files"]),
                    "total_bytes": sum(f["size"] for f in media["files"]),
                    "files": media["files"],
                    "vanished": media["vanished"],
                    "seconds": round(media_seconds, 3),
                },
                "evidence": {
                    "rows": len(facts["evidence"]),
                    "missing_files": missing,
                    "mismatched_files": mismatched,
                },
            }
            manifest["duration_seconds"] = round(time.monotonic() - started, 3)
            _write_durably(tmp / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            sums = [(sha256_file(tmp / f)[0], f) for f in (db_file.name, MEDIA_TAR, MEDIA_SUMS, MANIFEST)]
            _write_durably(tmp / SUMS, "".join(f"{h}  {f}\n" for h, f in sums).encode())
            fsync_dir(str(tmp))
            final = dest / name
            os.rename(tmp, final)
            fsync_dir(str(dest))
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        result = BackupResult(path=final, manifest=manifest, stale=stale)
        older = [p for p in reversed(generations(dest)) if p != final]
        for path in older[keep - 1 :]:
            shutil.rmtree(path)
            result.removed.append(path)
        if result.removed:
            fsync_dir(str(dest))
        if missing or mismatched:
            out(
                f"警告：{len(missing)} 个证据文件在备份时已缺失、{len(mismatched)} 个与登记的校验值不符"
                "（见清单 evidence；运行 manage.py anbiao_media_reconcile）。"
            )
        if copy_command:
            result.copy_output = run_copy_command(copy_command, final)
    return result


# --- restore --------------------------------------------------------------------------------------------


def resolve_generation(arg: str, backup_dir: Path) -> Path:
    if arg == "latest":
        found = generations(Path(backup_dir))
        if not found:
            raise BackupError(f"{backup_dir} 里没有备份。")
        return found[-1]
    path = Path(arg)
    if not path.is_dir() and not path.is_absolute():
        path = Path(backup_dir) / arg
    if not path.is_dir():
        raise BackupError(f"找不到备份 {arg}。")
    return path.absolute()


def verify_generation(gen: Path) -> dict:
    """Check SHA256SUMS, then the manifest's own checksums; return the manifest. Touches nothing."""
    sums_path = gen / SUMS
    if not sums_path.is_file():
        raise BackupError(f"{gen.name} 缺少 {SUMS}：不是完整的备份。")
    listed: dict[str, str] = {}
    for line in sums_path.read_text().splitlines():
        digest, _, name = line.partition("  ")
        if not re.fullmatch(r"[0-9a-f]{64}", digest) or not name or "/" in name:
            raise BackupError(f"{SUMS} 格式错误：{line[:80]}")
        listed[name] = digest
    for name, digest in listed.items():
        path = gen / name
        if not path.is_file():
            raise BackupError(f"备份文件缺失：{name}")
        if sha256_file(path)[0] != digest:
            raise BackupError(f"备份文件校验失败（sha256 不符）：{name}")
    if MANIFEST not in listed:
        raise BackupError(f"{SUMS} 没有列出 {MANIFEST}。")
    try:
        manifest = json.loads((gen / MANIFEST).read_text())
    except ValueError as exc:
        raise BackupError(f"{MANIFEST} 无法解析：{exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的清单格式：{manifest.get('format')!r}")
    db, media = manifest["database"], manifest["media"]
    for name, digest, size in (
        (db["file"], db["sha256"], db["size"]),
        (media["archive"], media["archive_sha256"], media["archive_size"]),
    ):
        if listed.get(name) != digest or (gen / name).stat().st_size != size:
            raise BackupError(f"清单与备份文件不一致：{name}")
    expected = "".join(f"{f['sha256']}  {f['path']}\n" for f in media["files"])
    if listed.get(MEDIA_SUMS) is None or (gen / MEDIA_SUMS).read_text() != expected:
        raise BackupError(f"{MEDIA_SUMS} 与清单的媒体文件列表不一致。")
    return manifest


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""
    seconds: float = 0.0


@dataclass
class RestoreReport:
    generation: str
    created_at: str
    database: str
    media_root: str
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    moved_aside: str = ""
    rto_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def as_dict(self) -> dict:
        return {
            "generation": self.generation,
            "backup_created_at": self.created_at,
            "database": self.database,
            "media_root": self.media_root,
            "ok": self.ok,
            "rto_seconds": round(self.rto_seconds, 3),
            "checks": [
                {"name": c.name, "ok": c.ok, "detail": c.detail, "seconds": round(c.seconds, 3)}
                for c in self.checks
            ],
            "warnings": self.warnings,
            "moved_aside": self.moved_aside,
            "restored_at": _utcnow().isoformat().replace("+00:00", "Z"),
        }


def _safe_member(name: str) -> bool:
    p = PurePosixPath(name)
    return bool(name) and not p.is_absolute() and ".." not in p.parts and "\\" not in name and name == str(p)


def _sqlite_has_tables(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        con = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            return con.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return True  # something that is not an empty database


def _pg_has_tables(cfg: dict) -> bool:
    conn = _wrapper(cfg, "anbiao_restore_probe")
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            )
            return cursor.fetchone()[0] > 0
    except Exception as exc:
        raise BackupError(
            f"无法连接目标数据库 {_describe(cfg)}：{exc}\n（须先建好空库，例如 createdb -O anbiao anbiao）"
        ) from exc
    finally:
        conn.close()


def _stage_media(gen: Path, manifest: dict, staging: Path) -> None:
    """Extract media.tar into ``staging``, checking every file's size and sha256 against the manifest."""
    expected = {f["path"]: f for f in manifest["media"]["files"]}
    seen = set()
    with tarfile.open(gen / MEDIA_TAR, "r:") as tar:
        for member in tar:
            if not member.isfile() or not _safe_member(member.name) or member.name not in expected:
                raise BackupError(f"media.tar 含有清单之外或不安全的条目：{member.name[:200]}")
            if member.name in seen:
                raise BackupError(f"media.tar 中条目重复：{member.name}")
            seen.add(member.name)
            target = staging / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            src = tar.extractfile(member)
            h, size = hashlib.sha256(), 0
            with open(target, "wb") as fh:
                os.fchmod(fh.fileno(), 0o640)
                while chunk := src.read(CHUNK):
                    h.update(chunk)
                    size += len(chunk)
                    fh.write(chunk)
            want = expected[member.name]
            if size != want["size"] or h.hexdigest() != want["sha256"]:
                raise BackupError(f"媒体文件校验失败（sha256 不符）：{member.name}")
    if seen != set(expected):
        raise BackupError(f"media.tar 缺少 {len(set(expected) - seen)} 个清单中的文件。")
    os.sync()  # one flush for all files and directories instead of one fsync each (a restore is one-off)


def _swap_media(root: Path, staging: Path, stamp: str) -> str:
    """Move the old contents of ``root`` aside (never deleted), then the staged files into place."""
    aside = ""
    old = [p for p in root.iterdir() if p != staging]
    if old:
        aside_dir = root / f".pre-restore-{stamp}"
        aside_dir.mkdir()
        for p in old:
            os.rename(p, aside_dir / p.name)
        fsync_dir(str(aside_dir))
        aside = str(aside_dir)
    for p in staging.iterdir():
        os.rename(p, root / p.name)
    staging.rmdir()
    fsync_dir(str(root))
    return aside


def _restore_sqlite(gen: Path, manifest: dict, target: Path) -> str:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.restore-{secrets.token_hex(4)}"
    try:
        h = hashlib.sha256()
        with open(gen / manifest["database"]["file"], "rb") as src, open(tmp, "wb") as dst:
            while chunk := src.read(CHUNK):
                h.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fchmod(dst.fileno(), 0o600)
            os.fsync(dst.fileno())
        if h.hexdigest() != manifest["database"]["sha256"]:
            raise BackupError("数据库文件在复制时校验失败。")
        result = _sqlite_integrity(tmp)
        if result != "ok":
            raise BackupError(f"数据库副本未通过 PRAGMA integrity_check：{result}")
        for suffix in ("-wal", "-shm", "-journal"):  # the old database's journal must not meet the new file
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{target}{suffix}")
        os.replace(tmp, target)
        fsync_dir(str(target.parent))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return result


def _sqlite_integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        rows = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
    finally:
        con.close()
    return "ok" if rows == ["ok"] else "; ".join(rows[:5])


def _restore_postgres(gen: Path, manifest: dict, cfg: dict) -> str:
    args, env = _pg_command("pg_restore", cfg)
    # --clean --if-exists: drop what the dump holds first; --no-owner/--no-privileges: the restoring role
    # owns everything (roles of the source host need not exist here); one transaction: all or nothing.
    args += [
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={cfg['NAME']}",
        str(gen / manifest["database"]["file"]),
    ]
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError("找不到 pg_restore：请安装 postgresql-client。") from exc
    if done.returncode != 0:
        raise BackupError(
            f"pg_restore 失败（退出码 {done.returncode}，目标库未改动）：\n{_tail(done.stderr)}"
        )
    return "pg_restore exit 0"


def _target_facts(cfg: dict) -> dict:
    if _vendor(cfg["ENGINE"]) == "sqlite":
        con = sqlite3.connect(cfg["NAME"])
        try:
            return read_facts(con.cursor(), "sqlite")
        finally:
            con.close()
    conn = _wrapper(cfg, "anbiao_restore_check")
    try:
        with conn.cursor() as cursor:
            return read_facts(cursor, "postgresql")
    finally:
        conn.close()


def _migrate_check(database_url: str | None, media_root: Path) -> tuple[bool, str]:
    env = dict(os.environ)
    env["MEDIA_ROOT"] = str(media_root)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    done = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "migrate", "--check", "--no-input"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    if done.returncode == 0:
        return True, "无未应用的迁移"
    return False, (
        f"退出码 {done.returncode}：代码里有备份中没有的迁移（恢复后运行 manage.py migrate）或无法启动。\n"
        + _tail(done.stdout + done.stderr, 8)
    )


def restore(
    *,
    generation: Path,
    database_url: str | None = None,
    media_root: Path | None = None,
    yes: bool = False,
    out: Out = lambda s: None,
) -> RestoreReport:
    started = time.monotonic()
    gen = Path(generation)

    t0 = time.monotonic()
    manifest = verify_generation(gen)
    media_meta = manifest["media"]
    verify_check = Check(
        "备份校验（SHA256SUMS、清单、数据库与媒体归档）",
        True,
        f"{manifest['database']['file']} {_mb(manifest['database']['size'])}，"
        f"{media_meta['archive']} {media_meta['file_count']} 个文件 {_mb(media_meta['total_bytes'])}",
        time.monotonic() - t0,
    )

    if database_url:
        import dj_database_url

        cfg = dict(dj_database_url.parse(database_url))
    else:
        cfg = copy.deepcopy(dict(connections["default"].settings_dict))
    vendor = _vendor(cfg["ENGINE"])
    if vendor != manifest["database"]["vendor"]:
        raise BackupError(f"备份是 {manifest['database']['vendor']}，目标是 {vendor}：不能跨数据库恢复。")
    if vendor == "sqlite":
        name = str(cfg["NAME"])
        if name.startswith("file:") or name == ":memory:" or "mode=memory" in name:
            raise BackupError("目标 SQLite 数据库必须是文件。")
        cfg["NAME"] = str(Path(name).absolute())
    media_root = Path(media_root or settings.MEDIA_ROOT).absolute()
    report = RestoreReport(
        generation=gen.name,
        created_at=manifest["created_at"],
        database=_describe(cfg),
        media_root=str(media_root),
    )
    report.checks.append(verify_check)

    db_busy = _sqlite_has_tables(Path(cfg["NAME"])) if vendor == "sqlite" else _pg_has_tables(cfg)
    media_busy = media_root.is_dir() and any(media_root.iterdir())
    if (db_busy or media_busy) and not yes:
        what = "、".join(
            w
            for w, busy in (
                (f"目标数据库 {report.database}", db_busy),
                (f"媒体目录 {media_root}", media_busy),
            )
            if busy
        )
        raise BackupError(f"{what} 不是空的：确认要覆盖请加 --yes。未做任何改动。")

    stamp = f"{_utcnow():%Y%m%dT%H%M%SZ}"
    media_root.mkdir(parents=True, exist_ok=True)
    staging = media_root / f".restore-{stamp}-{secrets.token_hex(3)}"
    staging.mkdir()
    try:
        t0 = time.monotonic()
        _stage_media(gen, manifest, staging)
        stage_seconds = time.monotonic() - t0
        t0 = time.monotonic()
        if vendor == "sqlite":
            default = connections["default"]
            if default.vendor == "sqlite" and str(default.settings_dict["NAME"]) == cfg["NAME"]:
                default.close()
            integrity = _restore_sqlite(gen, manifest, Path(cfg["NAME"]))
        else:
            integrity = _restore_postgres(gen, manifest, cfg)
        db_seconds = time.monotonic() - t0
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    t0 = time.monotonic()
    report.moved_aside = _swap_media(media_root, staging, stamp)
    moved = f"；原有内容移至 {report.moved_aside}" if report.moved_aside else ""
    report.checks.append(
        Check(
            "媒体恢复（逐个文件校验 sha256 后放入）",
            True,
            f"{media_meta['file_count']} 个文件{moved}",
            stage_seconds + time.monotonic() - t0,
        )
    )
    out(f"已恢复数据库与媒体，开始检查（{report.database}）。")
    if vendor == "postgresql":
        report.checks.append(Check("数据库恢复（pg_restore）", True, integrity, db_seconds))
    _check_restored(report, manifest, cfg, database_url, media_root, db_seconds)
    report.rto_seconds = time.monotonic() - started
    return report


def _check_restored(report, manifest, cfg, database_url, media_root: Path, db_seconds: float) -> None:
    """The drill's checks on what is now in place (security.md G7)."""
    if _vendor(cfg["ENGINE"]) == "sqlite":
        t0 = time.monotonic()
        result = _sqlite_integrity(Path(cfg["NAME"]))
        seconds = db_seconds + time.monotonic() - t0
        report.checks.append(Check("数据库完整性（PRAGMA integrity_check）", result == "ok", result, seconds))

    t0 = time.monotonic()
    ok, detail = _migrate_check(database_url, media_root)
    report.checks.append(Check("migrate --check", ok, detail, time.monotonic() - t0))

    t0 = time.monotonic()
    facts = _target_facts(cfg)
    expected = manifest["table_rows"]
    actual = facts["table_rows"]
    wrong = [
        f"{t}: 应为 {n}，实为 {actual.get(t, '无此表')}" for t, n in expected.items() if actual.get(t) != n
    ]
    extra = sorted(set(actual) - set(expected))
    if extra:
        report.warnings.append(f"目标库中有备份里没有的表：{'、'.join(extra[:10])}")
    detail = "；".join(wrong[:10]) if wrong else f"{len(expected)} 张表，共 {sum(expected.values())} 行"
    report.checks.append(Check("行数与清单一致", not wrong, detail, time.monotonic() - t0))
    migrations = manifest["migrations"]
    same = facts["migrations"] == migrations
    detail = f"{sum(map(len, migrations.values()))} 个迁移，{len(migrations)} 个应用"
    report.checks.append(
        Check("迁移状态与清单一致", same, detail if same else "django_migrations 与清单不同")
    )

    t0 = time.monotonic()
    bad = []
    on_disk = {}
    for f in manifest["media"]["files"]:
        path = media_root / f["path"]
        if not path.is_file():
            bad.append(f"缺失 {f['path']}")
            continue
        on_disk[f["path"]] = sha256_file(path)
        if on_disk[f["path"]] != (f["sha256"], f["size"]):
            bad.append(f"sha256 不符 {f['path']}")
    detail = "；".join(bad[:10]) if bad else f"{len(on_disk)} 个文件"
    report.checks.append(Check("媒体文件 sha256 与清单一致", not bad, detail, time.monotonic() - t0))

    evidence = manifest["evidence"]
    known = set(evidence["missing_files"]) | set(evidence["mismatched_files"])
    if known:
        report.warnings.append(f"{len(known)} 个证据文件在备份时就已缺失或不符（见清单 evidence）。")
    lost = [n for n, size, sha in facts["evidence"] if n not in known and on_disk.get(n) != (sha, size)]
    detail = "；".join(lost[:10]) if lost else f"{len(facts['evidence'])} 条证据记录"
    report.checks.append(Check("每条证据记录都有其文件且 sha256 相符", not lost, detail))


# --- media reconcile ------------------------------------------------------------------------------------


@dataclass
class ReconcileReport:
    rows: int = 0
    files: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)  # (row id, storage name)
    mismatched: list[tuple[str, str, str]] = field(default_factory=list)  # (row id, storage name, what)
    orphans: list[str] = field(default_factory=list)
    interrupted: list[str] = field(default_factory=list)  # .upload-* temp files
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    too_recent: list[str] = field(default_factory=list)

    @property
    def data_loss(self) -> bool:
        return bool(self.missing or self.mismatched)


def _quarantine(root: Path, name: str) -> str:
    target = root / QUARANTINE / name
    n = 0
    while target.exists():
        n += 1
        target = root / QUARANTINE / f"{name}.{n}"
    target.parent.mkdir(parents=True, exist_ok=True)
    os.rename(root / name, target)
    fsync_dir(str(target.parent))
    fsync_dir(str((root / name).parent))
    return target.relative_to(root).as_posix()


def reconcile(*, root: Path, quarantine: bool = False, grace_seconds: int = 3600, hash_files: bool = True):
    """Compare core.EvidenceFile rows with the files under ``root``. Never deletes anything."""
    from anbiao.core.models import EvidenceFile

    root = Path(root)
    report = ReconcileReport()
    on_disk = {name: path for name, path in media_files(root, skip_quarantine=True)}
    report.files = len(on_disk)
    known = set()
    rows = EvidenceFile.objects.order_by("storage_name").values_list("pk", "storage_name", "size", "sha256")
    for pk, name, size, sha in rows.iterator(chunk_size=2000):
        report.rows += 1
        known.add(name)
        path = on_disk.get(name)
        if path is None:
            report.missing.append((str(pk), name))
            continue
        actual_size = path.stat().st_size
        if actual_size != size:
            report.mismatched.append((str(pk), name, f"大小 {actual_size}，登记 {size}"))
        elif hash_files and sha256_file(path)[0] != sha:
            report.mismatched.append((str(pk), name, "sha256 与登记不符"))
    if report.missing:  # a row deleted meanwhile takes its file with it (on commit): not a loss
        still = {
            str(pk)
            for pk in EvidenceFile.objects.filter(pk__in=[p for p, _ in report.missing]).values_list(
                "pk", flat=True
            )
        }
        report.missing = [(p, n) for p, n in report.missing if p in still]
    now = time.time()
    candidates = [n for n in on_disk if n not in known]
    leftovers = [n for n, _ in temp_leftovers(root)]
    report.orphans = candidates
    report.interrupted = leftovers
    for name in candidates + leftovers:
        try:
            age = now - (root / name).stat().st_mtime
        except FileNotFoundError:
            continue
        if age < grace_seconds:
            report.too_recent.append(name)  # may be an upload whose row is about to commit
        elif quarantine:
            if name in candidates and EvidenceFile.objects.filter(storage_name=name).exists():
                continue  # its row committed since the listing
            report.quarantined.append((name, _quarantine(root, name)))
    return report
