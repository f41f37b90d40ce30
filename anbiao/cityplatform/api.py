"""REST API of the 泉州 platform export (/api/v1/city-platform/…): the same JSON as the download.

- ``GET /api/v1/city-platform/enterprises/{id}/`` — one enterprise;
- ``GET /api/v1/city-platform/units/{id}/`` — every enterprise of the unit's subtree (not those 注销).

Out of the caller's scope (or without ``cityplatform.export`` there) is 404; the keys are in
docs/city-platform.md.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from anbiao.cityplatform import export
from anbiao.cityplatform.hooks import PERM
from anbiao.core.api import ScopedViewSetMixin
from anbiao.orgs.models import Enterprise, Organization


class _ExportViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    permission = PERM
    pagination_class = None
    filter_backends: list = []

    def narrow(self, queryset):
        # Visible is not enough: the export counts only grants that carry the export permission.
        return queryset.filter(self.scope.q(queryset.model.scope_spec, PERM))

    def retrieve(self, request, *args, **kwargs):
        subject = self.get_object()
        return Response(export.json_document(export.build(scope=self.scope, subject=subject)))


@extend_schema(tags=["city-platform"])
class EnterpriseExportViewSet(_ExportViewSet):
    queryset = Enterprise.objects.all()

    @extend_schema(
        summary="一家企业的泉州平台数据项（JSON）",
        description=(
            "按泉州市安全生产标准化智慧管理平台的11类数据项导出该企业的记录；键见 docs/city-platform.md。"
        ),
        responses=OpenApiTypes.OBJECT,
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["city-platform"])
class UnitExportViewSet(_ExportViewSet):
    queryset = Organization.objects.all()

    @extend_schema(
        summary="一个单位及其下级单位所监管企业的泉州平台数据项（JSON）",
        description="不含已注销企业；键见 docs/city-platform.md。",
        responses=OpenApiTypes.OBJECT,
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


def register(router) -> None:
    router.register("city-platform/enterprises", EnterpriseExportViewSet, basename="cityplatform-enterprise")
    router.register("city-platform/units", UnitExportViewSet, basename="cityplatform-unit")
