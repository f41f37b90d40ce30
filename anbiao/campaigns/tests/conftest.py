import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anbiao.campaigns.seed import ensure_2025
from anbiao.core.scope import Scope
from anbiao.core.testing import png_bytes


@pytest.fixture
def campaign(db):
    return ensure_2025()


@pytest.fixture
def scope_of():
    return Scope.for_user


def scan(name="scan.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def docx_upload(name="方案.docx", text="方案"):
    from docx import Document

    doc = Document()
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def pdf_upload(name="scan.pdf"):
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")
