"""Evidence files: the bytes decide the type, images are re-encoded, downloads are scoped and inert."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from anbiao.core import files
from anbiao.core.models import EvidenceFile
from anbiao.core.testing import png_bytes


def _jpeg_with_exif_rotation() -> bytes:
    img = Image.new("RGB", (40, 20), (10, 200, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise on display
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


def _docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def test_a_photo_is_re_encoded_with_its_rotation_applied_and_exif_dropped(world):
    row = files.store(
        actor=world.principal_a,
        upload=SimpleUploadedFile("p.jpg", _jpeg_with_exif_rotation()),
        enterprise=world.ent_a,
        kind="photo",
    )
    with default_storage.open(row.storage_name, "rb") as fh:
        img = Image.open(fh)
        assert img.size == (20, 40)
        assert not img.getexif()
    assert row.content_type == "image/jpeg" and len(row.sha256) == 64


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "x.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "不支持的文件类型",
        ),
        ("x.jpg", b"<?php system($_GET['c']); ?>", "不支持的文件类型"),
        ("x.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, "不支持的文件类型"),
        ("x.png", png_bytes()[:40], "图片无法识别"),
        ("x.jpg", b"", "文件为空"),
    ],
)
def test_dangerous_or_broken_files_are_refused_and_nothing_is_stored(world, name, data, message):
    before = EvidenceFile.objects.count()
    with pytest.raises(ValidationError) as exc:
        files.store(actor=world.principal_a, upload=SimpleUploadedFile(name, data), enterprise=world.ent_a)
    assert message in " ".join(exc.value.messages)
    assert EvidenceFile.objects.count() == before


def test_an_oversized_upload_is_refused(world, settings):
    settings.ANBIAO_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as exc:
        files.store(
            actor=None,
            upload=SimpleUploadedFile("big.png", png_bytes() + b"0" * 2000),
            enterprise=world.ent_a,
        )
    assert "文件过大" in exc.value.messages[0]


def test_a_decompression_bomb_image_is_refused(world, settings):
    settings.ANBIAO_IMAGE_MAX_PIXELS = 10_000
    with pytest.raises(ValidationError):
        files.store(
            actor=None, upload=SimpleUploadedFile("bomb.png", png_bytes((500, 500))), enterprise=world.ent_a
        )


def test_pdf_and_word_documents_are_accepted_as_they_are(world):
    pdf = files.store(
        actor=None, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"), enterprise=world.ent_a
    )
    docx = files.store(actor=None, upload=SimpleUploadedFile("a.docx", _docx_bytes()), enterprise=world.ent_a)
    assert pdf.content_type == "application/pdf"
    assert docx.content_type.endswith("wordprocessingml.document")


def test_a_file_is_stored_under_a_random_name_not_the_uploaded_one(world):
    row = files.store(
        actor=None, upload=SimpleUploadedFile("../../etc/passwd.png", png_bytes()), enterprise=world.ent_a
    )
    assert "passwd" not in row.storage_name and ".." not in row.storage_name
    assert row.original_name.endswith("passwd.png")


def test_download_is_inline_for_images_with_nosniff_and_attachment_on_request(world, login):
    client = login(world.principal_a)
    url = reverse("core:file_download", args=[world.file_a.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == default_storage.open(world.file_a.storage_name).read()
    assert client.get(url, {"download": "1"})["Content-Disposition"].startswith("attachment")


def test_an_inspector_downloads_files_of_assigned_enterprises_only(world, login):
    client = login(world.inspector)
    assert client.get(reverse("core:file_download", args=[world.file_a.pk])).status_code == 404


def test_deleting_a_file_removes_the_bytes_only_after_commit(world, django_capture_on_commit_callbacks):
    name = world.file_a.storage_name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        files.delete(actor=None, evidence=world.file_a)
    assert default_storage.exists(name)
    for cb in callbacks:
        cb()
    assert not default_storage.exists(name)
