"""Audit trail: every write records one event in the same transaction (architecture.md §3.6)."""

from __future__ import annotations

import datetime
import decimal
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from anbiao.core import context
from anbiao.core.models import AuditEvent

_PLAIN = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    if type(value) in _PLAIN:  # most values: first, since a bulk import converts hundreds of thousands
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``obj`` as JSON-safe data (foreign keys as ids)."""
    data = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name in {"password"}:
            continue
        data[f.name] = jsonable(getattr(obj, f.attname))
    return data


def diff(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Keep only the keys that changed (both sides), so the log reads as a change."""
    if not before or not after:
        return before, after
    changed = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    org_path: str = "",
    enterprise_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """Write one audit event. Must run inside the transaction of the write it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the write's transaction")
    event = _event(actor, action, Event(obj, org_path, enterprise_id, before, after, object_repr))
    event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class Event:
    """What ``record`` is told about one write (for ``record_many``)."""

    obj: models.Model | None = None
    org_path: str = ""
    enterprise_id: int | None = None
    before: dict | None = None
    after: dict | None = None
    object_repr: str | None = None


def record_many(*, actor, action: str, events: list[Event]) -> list[AuditEvent]:
    """``record`` for many writes of one kind (a bulk import): the same events in one insert, each sealed
    as ``record``'s would be (post_save) when integrity sealing is on. Inside the writes' transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must be called inside the write's transaction")
    rows = [_event(actor, action, e) for e in events]
    AuditEvent.objects.bulk_create(rows, batch_size=1000)
    from anbiao.core import integrity

    if integrity.enabled():
        for row in rows:
            integrity.seal(row)
    return rows


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters shown escaped (``\\r``, ``\\n``, ``\\x00``):
    a label in the audit trail (a name somebody typed) never starts a forged line where it is read or
    exported (security.md C5)."""
    if text.isprintable():  # no Cc, Zl or Zp character (nor any other unprintable one): as it is
        return text
    return "".join(
        c.encode("unicode_escape").decode("ascii") if unicodedata.category(c) in {"Cc", "Zl", "Zp"} else c
        for c in text
    )


def _event(actor, action: str, e: Event) -> AuditEvent:
    obj, org_path, enterprise_id, object_repr = e.obj, e.org_path, e.enterprise_id, e.object_repr
    ctx = context.current()
    before, after = diff(jsonable(e.before), jsonable(e.after))
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=one_line(actor.get_username() if getattr(actor, "pk", None) else "系统")[:150],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=one_line(object_repr if object_repr is not None else str(obj) if obj is not None else "")[
            :255
        ],
        org_path=org_path,
        enterprise_id=enterprise_id,
        before=before,
        after=after,
        ip=ctx.ip,
        request_id=ctx.request_id,
        source=ctx.source,
    )


ACTION_LABELS = {
    "core.file_upload": "上传文件",
    "core.download": "下载/导出文件",
    "core.write_refused": "被拒绝的写操作",
    "core.file_delete": "删除文件",
    "core.remind": "生成提醒",
    "orgs.organization_create": "新增单位",
    "orgs.organization_update": "修改单位",
    "orgs.organization_move": "移动单位",
    "orgs.organization_activate": "启用单位",
    "orgs.organization_deactivate": "停用单位",
    "orgs.enterprise_create": "登记企业",
    "orgs.enterprise_update": "修改企业",
    "orgs.enterprise_import": "导入企业名录",
    "orgs.catalogue_create": "新增基础数据",
    "orgs.catalogue_update": "修改基础数据",
    "accounts.user_create": "新增用户",
    "accounts.user_update": "修改用户",
    "accounts.user_reset_password": "重置密码",
    "accounts.user_unlock": "解锁账号",
    "accounts.user_disable_dormant": "停用长期未登录账号",
    "accounts.password_change": "修改本人密码",
    "accounts.login": "登录",
    "accounts.logout": "退出登录",
    "accounts.login_failed": "登录失败",
    "accounts.otp_enrol": "绑定动态口令",
    "accounts.otp_failed": "动态口令错误",
    "accounts.otp_reset": "重置动态口令",
    "accounts.membership_add": "授予角色",
    "accounts.membership_end": "结束角色",
    "accounts.assignment_add": "分配包联",
    "accounts.assignment_end": "取消包联",
}


def action_label(action: str) -> str:
    from anbiao.core.registry import hooks

    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    for labels in hooks("ACTION_LABELS"):
        if action in labels:
            return labels[action]
    return action
