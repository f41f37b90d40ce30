"""Guarded base viewsets: the API reads through the same scope as the pages (architecture.md §4)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from rest_framework import permissions, viewsets

from anbiao.core.middleware import get_scope

SAFE = permissions.SAFE_METHODS


class ScopePermission(permissions.BasePermission):
    """Page-level: the role must carry the view's permission somewhere. Object-level: on the object."""

    message = "您的角色不能使用此功能。"

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        if request.user.must_change_password:
            self.message = "首次登录须先修改密码。"
            return False
        # On one object, a write is judged on the object (has_object_permission) after the scoped lookup, so
        # an object outside the scope is 404 whatever the role; creates need the write permission here.
        on_object = view.lookup_url_kwarg in view.kwargs if view.lookup_url_kwarg else "pk" in view.kwargs
        perm = view.permission if request.method in SAFE or on_object else view.write_permission
        return bool(perm) and get_scope(request).has_perm(perm)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE:
            return True
        return get_scope(request).can(view.write_permission, obj)


class ScopedViewSetMixin:
    permission: str = ""
    write_permission: str | None = None
    permission_classes = [ScopePermission]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in ("get_queryset", "get_object"):
            if name in cls.__dict__:
                raise ImproperlyConfigured(
                    f"{cls.__name__} must not override {name}; implement narrow() instead"
                )

    @property
    def scope(self):
        return get_scope(self.request)

    def narrow(self, queryset):
        return queryset

    def get_queryset(self):
        return self.narrow(self.queryset.model.objects.visible_to(self.scope))

    def get_object(self):
        queryset = self.filter_queryset(self.get_queryset())
        try:
            obj = get_object_or_404(queryset, pk=self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        except (ValueError, DjangoValidationError) as exc:  # an id that is not an id: no such object
            raise Http404("没有这个对象。") from exc
        self.check_object_permissions(self.request, obj)
        return obj


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]


def revision_field():
    """The ``revision`` of an editable record (core.concurrency): sent back on a change, checked."""
    from rest_framework import serializers

    return serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="修订号：修改时传回读取到的值；若他人已先修改，返回 400 且不覆盖（不传则直接覆盖）。",
    )


class PiiSerializerMixin:
    """Masks personal numbers for callers who may not see them on the row (core/privacy.py).

    ``pii_fields = {"phone": "phone", "number": "id"}`` (field name → mask kind). A masked value sent back
    unchanged on an update keeps the stored number, so a client may PATCH what it read.
    """

    pii_fields: dict[str, str] = {}

    def _pii_scope(self):
        request = self.context.get("request")
        return get_scope(request) if request is not None else None

    def to_representation(self, instance):
        from anbiao.core import privacy

        data = super().to_representation(instance)
        if self.pii_fields and not privacy.sees_full(self._pii_scope(), instance):
            for name, kind in self.pii_fields.items():
                if data.get(name):
                    data[name] = privacy.mask(data[name], kind)
        return data

    def to_internal_value(self, data):
        from anbiao.core import privacy

        instance = getattr(self, "instance", None)
        masked_for_caller = (
            self.pii_fields
            and hasattr(instance, "_meta")
            and hasattr(data, "get")
            and not privacy.sees_full(self._pii_scope(), instance)
        )
        if masked_for_caller:
            data = data.copy() if hasattr(data, "copy") else dict(data)
            for name, kind in self.pii_fields.items():
                stored = getattr(instance, name, "") or ""
                if stored and data.get(name) == privacy.mask(stored, kind):
                    data[name] = stored
        return super().to_internal_value(data)
