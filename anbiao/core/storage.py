"""File storage that never leaves a half-written file (security.md G4).

The bytes go to a temp file in the target directory, are flushed and fsynced, then linked under their final
name (atomic, and never over an existing file), and the directory is fsynced; directories created on the way
are made durable in their parents too. Only then does ``save`` return, so ``core.files.store`` commits the
row after the file is on disk. A crash leaves at most a ``.upload-*`` temp file, which
``manage.py anbiao_media_reconcile`` reports (and quarantines with ``--quarantine``).
"""

import contextlib
import errno
import os
import tempfile

from django.core.files.storage import FileSystemStorage

TEMP_PREFIX = ".upload-"
FILE_MODE = 0o640
# Filesystems without hard links: fall back to check-then-rename (names are random, so no race in practice).
_NO_LINK = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}


class DurableFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        makedirs_durably(directory)
        fd, tmp_path = tempfile.mkstemp(dir=directory, prefix=TEMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as tmp:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks() if hasattr(content, "chunks") else [content.read()]:
                    tmp.write(chunk)
                tmp.flush()
                os.fchmod(tmp.fileno(), FILE_MODE)
                os.fsync(tmp.fileno())
            publish(tmp_path, full_path)
            fsync_dir(directory)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_path)
            raise
        return name


def publish(tmp_path: str, full_path: str) -> None:
    """Give ``tmp_path`` the name ``full_path`` atomically; FileExistsError if that name is taken."""
    try:
        os.link(tmp_path, full_path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_LINK:
            raise
        if os.path.exists(full_path):
            raise FileExistsError(full_path) from exc
        os.replace(tmp_path, full_path)
        return
    os.unlink(tmp_path)


def makedirs_durably(directory: str) -> None:
    """``os.makedirs`` that also fsyncs the parent of every directory it had to create."""
    missing = []
    path = directory
    while path and not os.path.isdir(path):
        missing.append(path)
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    os.makedirs(directory, exist_ok=True)
    for created in reversed(missing):
        fsync_dir(os.path.dirname(created))


def fsync_dir(directory: str) -> None:
    dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
