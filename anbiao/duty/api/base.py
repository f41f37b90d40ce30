"""Shared pieces of the duty API."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from anbiao.core.middleware import get_scope
from anbiao.orgs.models import Enterprise

READ_WRITE = ["get", "post", "head", "options"]


def actor_scope(serializer):
    request = serializer.context["request"]
    return request.user, get_scope(request)


class EnterpriseField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Enterprise.objects.none()
        return Enterprise.objects.visible_to(get_scope(request))


@extend_schema_field(OpenApiTypes.INT)
class ScopedPK(serializers.PrimaryKeyRelatedField):
    """A related object chosen by id among those the caller may see."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.model.objects.none()
        return self.model.objects.visible_to(get_scope(request))
