"""File storage that never leaves a half-written file: temp file, fsync, atomic rename."""

import os
import tempfile

from django.core.files.storage import FileSystemStorage


class DurableFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        fd, tmp_path = tempfile.mkstemp(dir=directory, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as tmp:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks() if hasattr(content, "chunks") else [content.read()]:
                    tmp.write(chunk)
                tmp.flush()
                os.fsync(tmp.fileno())
            if os.path.exists(full_path):
                raise FileExistsError(full_path)
            os.replace(tmp_path, full_path)
            dir_fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except BaseException:
            if os.path.exists(tmp_path):
                os.unlink(tmp_path)
            raise
        os.chmod(full_path, 0o640)
        return name
