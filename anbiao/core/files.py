"""Evidence files: sniff, sanitise, store, and attach to a scoped owner (architecture.md §5)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import secrets
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from PIL import Image, ImageOps

from anbiao.core import audit
from anbiao.core.models import EvidenceFile
from anbiao.core.xlsx import XlsxError, inspect_package

IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif"}
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
OOXML_MARKERS = {"word/": "docx", "xl/": "xlsx"}


@dataclass(frozen=True)
class CleanFile:
    data: bytes
    content_type: str
    extension: str


def sniff_and_clean(raw: bytes, *, images_only: bool = False) -> CleanFile:
    """Decide the real type from the bytes; re-encode images; refuse anything else."""
    if not raw:
        raise ValidationError("文件为空。")
    if len(raw) > settings.ANBIAO_UPLOAD_MAX_BYTES:
        raise ValidationError(f"文件过大：不能超过 {settings.ANBIAO_UPLOAD_MAX_BYTES // (1024 * 1024)} MB。")
    kind = filetype.guess(raw)
    mime = kind.mime if kind else ""
    if mime in IMAGE_TYPES:
        return _reencode_image(raw)
    if images_only:
        raise ValidationError("只能上传照片（JPG、PNG、WEBP、GIF）。")
    if mime == "application/pdf":
        return CleanFile(raw, mime, "pdf")
    if mime in {"application/zip", *DOCUMENT_TYPES}:
        ext = _ooxml_kind(raw)
        if ext:
            ctype = next(k for k, v in DOCUMENT_TYPES.items() if v == ext)
            return CleanFile(raw, ctype, ext)
    raise ValidationError(
        "不支持的文件类型：只接受照片（JPG、PNG、WEBP、GIF）、PDF、Word（docx）和 Excel（xlsx）。"
    )


def check(upload, *, images_only: bool = False) -> CleanFile:
    """Sniff and clean an upload without storing it (``store`` reuses the result).

    A service taking several files checks them all first, so that a refused file stops the request before
    the bytes of any other file are written (they would stay behind as orphans when the transaction rolls
    back)."""
    cached = getattr(upload, "_anbiao_clean", None)
    if cached is not None and (not images_only or cached.content_type.startswith("image/")):
        return cached
    if callable(getattr(upload, "seek", None)):
        upload.seek(0)
    clean = sniff_and_clean(upload.read(settings.ANBIAO_UPLOAD_MAX_BYTES + 1), images_only=images_only)
    with contextlib.suppress(AttributeError):  # an object that takes no attributes: nothing to reuse
        upload._anbiao_clean = clean
    return clean


def _reencode_image(raw: bytes) -> CleanFile:
    Image.MAX_IMAGE_PIXELS = settings.ANBIAO_IMAGE_MAX_PIXELS
    try:
        with Image.open(io.BytesIO(raw)) as img:
            if img.width * img.height > settings.ANBIAO_IMAGE_MAX_PIXELS:
                raise ValidationError("图片像素过多，请压缩后再上传。")
            img.load()
            source_format = img.format
            img = ImageOps.exif_transpose(img)
            out = io.BytesIO()
            if source_format in ("PNG", "GIF") or img.mode in ("RGBA", "LA", "P"):
                img.convert("RGBA").save(out, "PNG", optimize=True)
                return CleanFile(out.getvalue(), "image/png", "png")
            img.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            return CleanFile(out.getvalue(), "image/jpeg", "jpg")
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise ValidationError("图片像素过多，请压缩后再上传。") from exc
    except Exception as exc:  # crafted files make Pillow raise more than OSError (SyntaxError, struct.error…)
        raise ValidationError("图片无法识别或已损坏。") from exc


def _ooxml_kind(raw: bytes) -> str | None:
    """``docx`` or ``xlsx`` for a clean Office package; None when it is no Office file at all. Zip bombs,
    macros, embedded programs and XML entity declarations are refused with their own message."""
    try:
        names = inspect_package(raw)
    except XlsxError as exc:
        if exc.code in {"not_office", "damaged"}:
            return None
        raise ValidationError(str(exc)) from exc
    for marker, ext in OOXML_MARKERS.items():
        if any(n.startswith(marker) for n in names):
            return ext
    return None


def store(
    *,
    actor,
    upload,
    enterprise=None,
    organization=None,
    owner: models.Model | None = None,
    kind: str = EvidenceFile.Kind.DOCUMENT,
    title: str = "",
    images_only: bool = False,
) -> EvidenceFile:
    """Store an uploaded file and its row. The file is durable before the row commits.

    If the surrounding transaction rolls back after this returns, the bytes stay on disk without a row;
    such orphans are harmless (random names, never served) and are found by the media reconcile check.
    """
    clean = check(upload, images_only=images_only)
    now = timezone.now()
    name = f"evidence/{now:%Y/%m}/{secrets.token_hex(16)}.{clean.extension}"
    with transaction.atomic():
        stored_name = default_storage.save(name, ContentFile(clean.data))
        try:
            row = EvidenceFile.objects.create(
                enterprise=enterprise,
                organization=organization,
                owner_type=owner._meta.label_lower if owner is not None else "",
                owner_id=str(owner.pk) if owner is not None else "",
                kind=kind,
                title=title[:200],
                storage_name=stored_name,
                original_name=(getattr(upload, "name", "") or f"upload.{clean.extension}")[-255:],
                content_type=clean.content_type,
                size=len(clean.data),
                sha256=hashlib.sha256(clean.data).hexdigest(),
                uploaded_by=actor,
            )
            audit.record(
                actor=actor,
                action="core.file_upload",
                obj=row,
                org_path=_org_path(enterprise, organization),
                enterprise_id=enterprise.pk if enterprise else None,
                after={"original_name": row.original_name, "sha256": row.sha256, "size": row.size},
            )
        except BaseException:
            default_storage.delete(stored_name)
            raise
    return row


def delete(*, actor, evidence: EvidenceFile, personal: bool = False) -> None:
    """Delete the row now and the bytes only after the deleting transaction commits.

    ``personal``: the file is erased as someone's personal data (duty.services.person_anonymise), so its
    name and title, which may carry the person's name, are not written into the audit event."""
    with transaction.atomic():
        name = evidence.storage_name
        audit.record(
            actor=actor,
            action="core.file_delete",
            obj=evidence,
            org_path=_org_path(evidence.enterprise, evidence.organization),
            enterprise_id=evidence.enterprise_id,
            before={"sha256": evidence.sha256}
            if personal
            else {"original_name": evidence.original_name, "sha256": evidence.sha256},
            object_repr=f"个人信息文件 {evidence.pk}" if personal else None,
        )
        evidence.delete()
        transaction.on_commit(lambda: default_storage.delete(name))


def _org_path(enterprise, organization) -> str:
    if enterprise is not None:
        return enterprise.unit.path
    return organization.path if organization is not None else ""
