"""Nothing lost (security.md G4): durable evidence writes and the media reconcile command."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from anbiao.core import files, storage
from anbiao.core.models import EvidenceFile
from anbiao.core.testing import png_bytes

OLD = time.time() - 2 * 3600  # older than the default grace period


def _reconcile(*args) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("anbiao_media_reconcile", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def _media() -> Path:
    return Path(default_storage.location)


def _put(name: str, data: bytes, *, mtime: float | None = OLD) -> Path:
    path = _media() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def test_a_consistent_media_directory_passes(world):
    text, error = _reconcile()
    assert error is None
    assert "证据记录 2 条，文件 2 个" in text and "每条证据记录都有完好的文件" in text


def test_reconcile_finds_a_missing_file_an_orphan_and_checksum_and_size_mismatches(world):
    third = files.store(
        actor=None, upload=SimpleUploadedFile("c.png", png_bytes(color=(1, 2, 3))), enterprise=world.ent_a
    )
    (_media() / world.file_a.storage_name).unlink()  # data loss
    grown = _media() / world.file_b.storage_name
    grown.write_bytes(grown.read_bytes() + b"x")  # size differs
    flipped = _media() / third.storage_name
    data = bytearray(flipped.read_bytes())
    data[-1] ^= 0xFF
    flipped.write_bytes(bytes(data))  # same size, other bytes
    orphan = _put("evidence/2025/01/0123456789abcdef.png", png_bytes())

    text, error = _reconcile()

    assert error is not None and "1 条证据记录的文件缺失、2 条与登记不符" in str(error)
    assert f"缺失（数据丢失）：{world.file_a.storage_name}（记录 {world.file_a.pk}）" in text
    assert f"{world.file_b.storage_name}（记录 {world.file_b.pk}）：大小" in text
    assert f"{third.storage_name}（记录 {third.pk}）：sha256 与登记不符" in text
    assert "孤儿：evidence/2025/01/0123456789abcdef.png" in text
    assert orphan.exists()  # reporting moves nothing


def test_quarantine_moves_old_orphans_and_interrupted_writes_and_deletes_nothing(world):
    orphan = _put("evidence/2025/01/orphan.pdf", b"%PDF-1.4\n%%EOF\n")
    leftover = _put("evidence/2025/01/.upload-abc123", b"half a photo")
    young = _put("evidence/2025/02/young.png", png_bytes(), mtime=None)  # may be committing right now
    _put("quarantine/evidence/2025/01/orphan.pdf", b"an earlier one")

    text, error = _reconcile("--quarantine")

    assert error is None
    quarantine = _media() / "quarantine"
    assert not orphan.exists() and not leftover.exists()
    assert (quarantine / "evidence/2025/01/orphan.pdf.1").read_bytes() == b"%PDF-1.4\n%%EOF\n"
    assert (quarantine / "evidence/2025/01/orphan.pdf").read_bytes() == b"an earlier one"
    assert (quarantine / "evidence/2025/01/.upload-abc123").read_bytes() == b"half a photo"
    assert young.exists() and "暂不处理：evidence/2025/02/young.png" in text
    for row in (world.file_a, world.file_b):
        assert (_media() / row.storage_name).exists()

    text, error = _reconcile("--quarantine", "--grace-seconds", "0")
    assert error is None and not young.exists()
    text, error = _reconcile()
    assert "孤儿文件 0，中断的写入 0" in text  # quarantine/ itself is not scanned


# --- G4: the file is durable before the row; failures at each step leave no row without a file --------------


def test_the_file_and_its_directory_are_fsynced_before_the_row_is_written(world, monkeypatch):
    events = []
    real_fsync = os.fsync

    def fsync(fd):
        events.append((os.readlink(f"/proc/self/fd/{fd}"), EvidenceFile.objects.count()))
        real_fsync(fd)

    monkeypatch.setattr(storage.os, "fsync", fsync)
    before = EvidenceFile.objects.count()
    row = files.store(actor=None, upload=SimpleUploadedFile("p.png", png_bytes()), enterprise=world.ent_a)
    final = Path(default_storage.path(row.storage_name))

    temp_syncs = [n for path, n in events if Path(path).name.startswith(storage.TEMP_PREFIX)]
    dir_syncs = [n for path, n in events if Path(path) == final.parent]
    assert temp_syncs == [before]  # the bytes, before the row exists
    assert dir_syncs and dir_syncs[-1] == before  # the name, before the row exists
    assert not list(final.parent.glob(f"{storage.TEMP_PREFIX}*"))
    assert oct(final.stat().st_mode & 0o777) == "0o640"


def test_new_directories_are_made_durable_in_their_parents(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(storage.os, "fsync", lambda fd: synced.append(os.readlink(f"/proc/self/fd/{fd}")))
    storage.makedirs_durably(str(tmp_path / "evidence" / "2025" / "03"))
    assert synced == [str(tmp_path), str(tmp_path / "evidence"), str(tmp_path / "evidence" / "2025")]


def test_publishing_never_replaces_an_existing_file(tmp_path):
    existing = tmp_path / "a.png"
    existing.write_bytes(b"first")
    tmp = tmp_path / ".upload-x"
    tmp.write_bytes(b"second")
    with pytest.raises(FileExistsError):
        storage.publish(str(tmp), str(existing))
    assert existing.read_bytes() == b"first"


@pytest.mark.parametrize("step", ["write", "fsync", "publish", "row", "audit"])
def test_a_failure_at_any_step_leaves_no_row_and_no_temp_file(world, monkeypatch, step):
    class Boom(Exception):
        pass

    def boom(*args, **kwargs):
        raise Boom(step)

    target = {
        "write": (storage.tempfile, "mkstemp"),
        "fsync": (storage.os, "fsync"),
        "publish": (storage, "publish"),
        "row": (EvidenceFile.objects, "create"),
        "audit": (files.audit, "record"),
    }[step]
    monkeypatch.setattr(*target, boom)
    before = set(EvidenceFile.objects.values_list("pk", flat=True))
    with pytest.raises(Boom):
        files.store(actor=None, upload=SimpleUploadedFile("p.png", png_bytes()), enterprise=world.ent_a)
    monkeypatch.undo()
    assert set(EvidenceFile.objects.values_list("pk", flat=True)) == before
    assert not [p for p in _media().rglob("*") if p.name.startswith(storage.TEMP_PREFIX)]
    text, error = _reconcile()
    assert error is None and "孤儿文件 0" in text


def test_a_rollback_after_the_store_leaves_an_orphan_never_a_row_without_its_file(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        files.store(actor=None, upload=SimpleUploadedFile("p.png", png_bytes()), enterprise=world.ent_a)
        raise RuntimeError("the surrounding service failed after the upload")
    text, error = _reconcile()
    assert error is None
    assert "缺失 0，不符 0，孤儿文件 1" in text
