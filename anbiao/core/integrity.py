"""Integrity at rest (等保 三级 8.1.4.7b, security.md F2), behind ``ANBIAO_INTEGRITY_KEY``.

When the key is set, every new row of a sealed model gets an ``IntegritySeal``: HMAC-SHA256, keyed with
``ANBIAO_INTEGRITY_KEY``, over the canonical JSON of the row's sealed fields (keys sorted, no spaces, UTF-8,
JSON fields normalised by a round trip, datetimes in UTC with microseconds). The seal is written by a
``post_save`` signal in the transaction that writes the row, so a row never commits without its seal.

``manage.py anbiao_verify_integrity`` recomputes every seal; the report version page shows a warning when
its version's seal does not match. Sealed are the rows that must never change after they are written:

- ``core.AuditEvent`` (append-only already; the seal makes an edit in the database visible);
- ``reports.SubmissionVersion``: the figures as submitted. The review fields (decision, decided_by,
  decided_at, reason) are written later by the supervising unit and are not sealed; the review itself is
  an audit event, which is sealed. ``submitted_by`` is left out because deleting a user sets it to NULL;
  who submitted is sealed in the ``reports.submit`` audit event (actor name).

Rows written before the key was set have no seal and are reported as such; a row without a seal written
after sealing began (its id is above the first sealed id of its table) is reported as a failure.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import post_save

SEALED: dict[str, tuple[str, ...]] = {
    "core.auditevent": (
        "id",
        "at",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "org_path",
        "enterprise_id",
        "before",
        "after",
        "ip",
        "request_id",
        "source",
    ),
    "reports.submissionversion": (
        "id",
        "submission",
        "number",
        "values",
        "computed",
        "adjustments",
        "row_ids",
        "filler_name",
        "filler_phone",
        "note",
        "submitted_at",
    ),
}


def key() -> bytes:
    return (getattr(settings, "ANBIAO_INTEGRITY_KEY", "") or "").encode("utf-8")


def enabled() -> bool:
    return bool(key())


def key_id(k: bytes | None = None) -> str:
    return hashlib.sha256(k if k is not None else key()).hexdigest()[:16]


def label(obj_or_model) -> str:
    return obj_or_model._meta.label_lower


# --- canonical form ---------------------------------------------------------------------------------------
def _normalise(value):
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return str(value)


def _field_value(obj: models.Model, name: str):
    f = obj._meta.get_field(name)
    value = getattr(obj, f.attname)
    if isinstance(f, models.JSONField):
        # what the database gives back: encoded with the field's encoder, decoded as plain JSON
        return _normalise(json.loads(json.dumps(value, cls=f.encoder or DjangoJSONEncoder)))
    if isinstance(f, models.GenericIPAddressField):
        return f.get_prep_value(value)
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        value = f.to_python(value)
    return _normalise(value)


def canonical(obj: models.Model) -> bytes:
    lbl = label(obj)
    data = {"model": lbl, "fields": {name: _field_value(obj, name) for name in SEALED[lbl]}}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def mac(obj: models.Model, k: bytes | None = None) -> str:
    return hmac.new(k if k is not None else key(), canonical(obj), hashlib.sha256).hexdigest()


# --- writing ----------------------------------------------------------------------------------------------
def seal(obj: models.Model):
    """Write the seal of a newly created row (no-op without a key or for unsealed models)."""
    from anbiao.core.models import IntegritySeal

    if not enabled() or label(obj) not in SEALED:
        return None
    return IntegritySeal.objects.create(
        object_type=label(obj), object_id=str(obj.pk), mac=mac(obj), key_id=key_id()
    )


def _on_save(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        seal(instance)


def connect() -> None:
    """Called from CoreConfig.ready: seal every new row of the sealed models that are installed."""
    for lbl in SEALED:
        app_label, model_name = lbl.split(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        post_save.connect(_on_save, sender=model, dispatch_uid=f"anbiao-integrity-{lbl}")


# --- checking ---------------------------------------------------------------------------------------------
OK, TAMPERED, UNSEALED, OTHER_KEY = "ok", "tampered", "unsealed", "other_key"


def status(obj: models.Model) -> str:
    """``ok``, ``tampered``, ``unsealed`` (no seal) or ``other_key`` (sealed with a key not configured)."""
    from anbiao.core.models import IntegritySeal

    s = IntegritySeal.objects.filter(object_type=label(obj), object_id=str(obj.pk)).first()
    return _judge(obj, s)


def _judge(obj, s) -> str:
    if s is None:
        return UNSEALED
    if not enabled() or s.key_id != key_id():
        return OTHER_KEY
    return OK if hmac.compare_digest(s.mac, mac(obj)) else TAMPERED


@dataclass
class Report:
    model: str
    checked: int = 0
    ok: int = 0
    tampered: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # no seal although written after sealing began
    unsealed_before: int = 0  # written before the key was set
    other_key: list[str] = field(default_factory=list)
    orphan_seals: list[str] = field(default_factory=list)  # a seal whose row is gone

    @property
    def failed(self) -> bool:
        return bool(self.tampered or self.missing or self.other_key or self.orphan_seals)


def verify_model(lbl: str, chunk: int = 2000) -> Report:
    from anbiao.core.models import IntegritySeal

    app_label, model_name = lbl.split(".")
    model = apps.get_model(app_label, model_name)
    report = Report(model=lbl)
    seals = {s.object_id: s for s in IntegritySeal.objects.filter(object_type=lbl).iterator(chunk_size=chunk)}
    sealed_ids = [int(i) for i in seals if i.isdigit()]
    first_sealed = min(sealed_ids) if sealed_ids else None
    seen = set()
    for obj in model._base_manager.order_by("pk").iterator(chunk_size=chunk):
        report.checked += 1
        oid = str(obj.pk)
        seen.add(oid)
        verdict = _judge(obj, seals.get(oid))
        if verdict == OK:
            report.ok += 1
        elif verdict == TAMPERED:
            report.tampered.append(oid)
        elif verdict == OTHER_KEY:
            report.other_key.append(oid)
        elif first_sealed is not None and obj.pk > first_sealed:
            report.missing.append(oid)
        else:
            report.unsealed_before += 1
    report.orphan_seals = sorted(set(seals) - seen)
    return report


def verify_all() -> list[Report]:
    reports = []
    for lbl in SEALED:
        try:
            apps.get_model(*lbl.split("."))
        except LookupError:
            continue
        reports.append(verify_model(lbl))
    return reports
