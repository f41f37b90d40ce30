"""Standards API: catalogue."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from anbiao.core.middleware import get_scope
from anbiao.standards import catalogue_io, services
from anbiao.standards.api.common import StandardsMoveInfoSerializer, _ctx, _move_info  # noqa: F401
from anbiao.standards.models import (
    Standard,
    StandardItem,
)


# --- catalogue (shared reference data: list and import only) ----------------------------------------------
class StandardItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = StandardItem
        fields = ["id", "parent", "level", "code", "title", "score", "scoring_rule", "is_veto", "unverified"]


class StandardSerializer(serializers.ModelSerializer):
    items = StandardItemSerializer(many=True, read_only=True)

    class Meta:
        model = Standard
        fields = [
            "id",
            "code",
            "title",
            "version",
            "source",
            "grade_type",
            "applies_to",
            "is_graded",
            "level1_min",
            "level2_min",
            "level3_min",
            "is_active",
            "items",
        ]


class CataloguePermission(permissions.BasePermission):
    message = "您的角色不能使用此功能。"

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated or request.user.must_change_password:
            return False
        scope = get_scope(request)
        return scope.has_perm(
            "standards.view" if request.method in permissions.SAFE_METHODS else "catalog.manage"
        )


class StandardViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Standards catalogues with their items. POST a catalogue in the export format (anbiao.standard/1) to
    import it; any error answers 400 with every error and writes nothing."""

    queryset = Standard.objects.prefetch_related("items").order_by("sort_order", "code")
    serializer_class = StandardSerializer
    permission_classes = [CataloguePermission]
    filterset_fields = ["code", "is_active", "grade_type"]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: StandardSerializer})
    def create(self, request, *args, **kwargs):
        cat = catalogue_io.from_dict(request.data)
        standard = services.catalogue_import(
            actor=request.user, scope=get_scope(request), catalogue=cat, filename="api"
        )
        return Response(StandardSerializer(standard).data, status=status.HTTP_201_CREATED)
