"""Helpers shared by the standards API modules."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.response import Response

from anbiao.core.middleware import get_scope


def _ctx(view):
    return view.request.user, get_scope(view.request)


class StandardsMoveInfoSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField()
    allowed = serializers.BooleanField()


def _move_info(request, obj, table, name, label=""):
    """GET on a workflow action: may the caller perform it on this object now."""
    from anbiao.standards import workflow

    scope = get_scope(request)
    move = (
        next((m for m in workflow.available(table, obj.status) if m.action == name), None) if table else None
    )
    allowed = bool(move and scope.can(move.perm, obj))
    return Response(
        {"action": name, "label": move.label if move else label, "status": obj.status, "allowed": allowed}
    )
