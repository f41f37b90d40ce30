"""Guarded base views: every list, detail and form reads through the one scope (architecture.md §4).

Subclasses may not override ``get_queryset`` or ``get_object``; they narrow with ``narrow(qs)``.
Outside the scope is 404 (same as a missing id); inside the scope without the role is 403.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView, TemplateView, View

from anbiao.core.middleware import get_scope

GUARDED = ("get_queryset", "get_object")


class ScopedViewMixin(LoginRequiredMixin):
    model = None
    permission: str = ""  # needed somewhere to open the page at all
    object_permission: str | None = None  # needed on the object itself
    visibility_permission: str | None = None  # rows are visible through grants carrying this permission

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in GUARDED:
            if name in cls.__dict__:
                raise ImproperlyConfigured(
                    f"{cls.__name__} must not override {name}; implement narrow() instead"
                )

    @property
    def scope(self):
        return get_scope(self.request)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.permission:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no permission")
        if not self.scope.has_perm(self.permission):
            raise PermissionDenied("您的角色不能使用此功能。")
        return super().dispatch(request, *args, **kwargs)

    def narrow(self, queryset):
        return queryset

    def scoped_queryset(self):
        return self.narrow(self.model.objects.visible_to(self.scope, self.visibility_permission))

    def get_queryset(self):
        return self.scoped_queryset()

    def get_object(self, queryset=None):
        obj = get_object_or_404(self.scoped_queryset(), pk=self.kwargs["pk"])
        if self.object_permission and not self.scope.can(self.object_permission, obj):
            raise PermissionDenied("您的角色不能对此对象执行该操作。")
        return obj


class _PageWithMore(Page):
    """A page past the counted rows: whether a next page exists is known from one extra row fetched."""

    def __init__(self, rows, number, paginator, has_more: bool):
        super().__init__(rows, number, paginator)
        self.has_more = has_more

    def has_next(self):
        return self.has_more


class LimitedCountPaginator(Paginator):
    """Counts at most ``limit`` rows (``SELECT COUNT(*) FROM (… LIMIT limit + 1)``): exact below the limit,
    "more than" above it, so a city-wide list does not pay for counting every row on every page. Above the
    limit every page can still be reached with "next" (each page fetches one row more than it shows)."""

    def __init__(self, object_list, per_page, limit: int | None = None):
        super().__init__(object_list, per_page)
        self.limit = settings.ANBIAO_LIST_COUNT_LIMIT if limit is None else limit

    @cached_property
    def count(self):
        if hasattr(self.object_list, "query"):  # unordered: any limit + 1 rows will do
            return self.object_list.order_by()[: self.limit + 1].count()
        return len(self.object_list[: self.limit + 1])

    @property
    def more_than_limit(self) -> bool:
        return self.count > self.limit

    @property
    def count_text(self) -> str:
        if self.more_than_limit:
            return f"超过 {self.limit} 条（可用筛选条件缩小范围）"
        return f"共 {self.count} 条"

    def page(self, number):
        if not self.more_than_limit:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("没有更多记录。")
        return _PageWithMore(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)

    def get_page(self, number):
        try:
            return super().get_page(number)
        except EmptyPage:  # a hand-typed page past the last row: the last counted page
            return self.page(self.num_pages)

    def validate_number(self, number):
        if not self.more_than_limit:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("页码不是整数。") from None
        if number < 1:
            raise EmptyPage("页码小于 1。")
        return number


class ScopedListView(ScopedViewMixin, ListView):
    """A list filtered by the model's FilterSet (the same one the API and export use)."""

    filterset_class = None
    paginate_by = 25

    def get_filterset(self):
        return self.filterset_class(
            self.request.GET or None, queryset=self.scoped_queryset(), request=self.request
        )

    def get_context_data(self, **kwargs):
        filterset = self.get_filterset()
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        paginator = LimitedCountPaginator(qs, self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            "view": self,
            "filter": filterset,
            "page_obj": page,
            "object_list": page.object_list,
            "paginator": paginator,
            "querystring": query.urlencode(),
            "filter_active": any(v for k, v in query.items() if k not in {"q", "ordering"}),
            **kwargs,
        }

    def get(self, request, *args, **kwargs):
        self.object_list = []
        return self.render_to_response(self.get_context_data())


class ScopedDetailView(ScopedViewMixin, DetailView):
    pass


class ScopedObjectView(ScopedViewMixin, View):
    """A form or action on one scoped object (``self.object`` is set before the handler runs)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.permission and self.scope.has_perm(self.permission):
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)


class ScopedPageView(ScopedViewMixin, TemplateView):
    """A page that is not about one object (forms that create, dashboards)."""


def save_in_scope(visible_scope, write, /, **kwargs):
    """Run a create/move service and roll it back unless its result is still visible to the actor."""
    with transaction.atomic():
        obj = write(**kwargs)
        if not type(obj).objects.visible_to(visible_scope).filter(pk=obj.pk).exists():
            raise PermissionDenied("不能在您的管辖范围以外创建或移动对象。")
        return obj
