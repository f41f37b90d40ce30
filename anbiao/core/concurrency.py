"""Optimistic concurrency for records people edit (security.md G5): two people open the same record, the
first save wins, the second is told and nothing is silently lost.

A model carries ``revision`` (incremented on every edit). Forms and the API send back the revision they
were shown; the service locks the row, calls ``claim`` and saves. Leaving the revision out (old API
clients, imports) keeps last-writer-wins for that caller only.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

STALE = (
    "保存失败：您打开此页面后，该记录已被他人修改（您看到的是第 {seen} 版，当前为第 {now} 版）。"
    "请刷新页面查看最新内容后重新修改；您本次填写的内容尚未保存。"
)


def revision_field():
    return models.PositiveIntegerField(_("修订号"), default=0, editable=False)


def claim(obj, data: dict) -> None:
    """Check the revision the editor saw (``data["revision"]``, removed from ``data``) against the locked
    row and count this edit. Call after ``select_for_update`` and before ``save``."""
    seen = data.pop("revision", None)
    if seen not in (None, "") and int(seen) != obj.revision:
        raise ValidationError(STALE.format(seen=int(seen), now=obj.revision))
    obj.revision += 1


class RevisionFormMixin:
    """On an edit form, a hidden ``revision`` field carrying the version the form was opened on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.fields["revision"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, min_value=0
            )
            self.initial.setdefault("revision", instance.revision)
