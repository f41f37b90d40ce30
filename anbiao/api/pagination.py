"""API list pagination: the list pages' limited count, said plainly in the response.

``count`` is exact while ``count_exact`` is true; above ``ANBIAO_LIST_COUNT_LIMIT`` rows it is the limit
plus one and ``count_exact`` is false. ``next`` leads through every row either way, so a client that pages
with ``next`` until it is null reads everything.
"""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from anbiao.core.views import LimitedCountPaginator


class ListPagination(PageNumberPagination):
    django_paginator_class = LimitedCountPaginator

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_exact": not paginator.more_than_limit,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        out = super().get_paginated_response_schema(schema)
        out["required"] = [*out["required"], "count_exact"]
        out["properties"] = {
            "count": {
                **out["properties"]["count"],
                "description": "行数；count_exact 为 false 时为“超过”的下限",
            },
            "count_exact": {
                "type": "boolean",
                "description": "行数是否精确（超过上限时为 false；翻页仍可用 next 读完）",
            },
            **{k: v for k, v in out["properties"].items() if k != "count"},
        }
        return out
