"""Evidence rows for the documents the counted records need (内部报告奖励制度, 盖章承诺书).

Only the rows are written: the bytes are not (a download of a synthetic file answers 404 文件不存在, as the
download view does for any missing file). Hazard photos are not generated.
"""

from __future__ import annotations

import uuid

from anbiao.core.models import EvidenceFile
from anbiao.perf.synth.context import Context

PLACEHOLDER_SHA256 = "0" * 64


def evidence(
    ctx: Context,
    rng,
    *,
    uploaded_by: int | None,
    enterprise_id=None,
    organization_id=None,
    owner_type="",
    owner_id="",
    title: str,
    name: str,
    kind=EvidenceFile.Kind.DOCUMENT,
    uploaded_at=None,
) -> uuid.UUID:
    pk = uuid.UUID(int=rng.getrandbits(128), version=4)
    ext = name.rsplit(".", 1)[-1]
    ctx.writer.add(
        EvidenceFile,
        id=pk,
        enterprise_id=enterprise_id,
        organization_id=organization_id,
        owner_type=owner_type,
        owner_id=str(owner_id),
        kind=kind,
        title=title[:200],
        storage_name=f"synth/{ctx.tag.lower()}/{pk.hex}.{ext}",
        original_name=name,
        content_type="application/pdf" if ext == "pdf" else "image/png",
        size=2048,
        sha256=PLACEHOLDER_SHA256,
        uploaded_by_id=uploaded_by,
        uploaded_at=uploaded_at or ctx.writer.now,
    )
    return pk
