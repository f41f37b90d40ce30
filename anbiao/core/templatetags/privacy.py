"""Personal numbers on pages: ``{% load privacy %}``.

``{% pii value obj %}`` prints ``value`` in full when the viewer may see ``obj``'s personal data
(``privacy.sees_full``), masked otherwise; ``kind="id"`` masks an ID-like number, ``kind="text"`` masks the
numbers inside free text. ``{% pii_tel value obj %}`` is the same with a ``tel:`` link when shown in full.
Both accept ``as name`` to chain filters (``{% pii p.phone p as phone %}{{ phone|default:"—" }}``).
Without a scope in the context the value is masked (fail closed).
"""

from django import template
from django.utils.html import format_html

from anbiao.core import privacy

register = template.Library()


def _scope(context):
    scope = context.get("scope")
    if scope is None and context.get("request") is not None:
        from anbiao.core.middleware import get_scope

        scope = get_scope(context["request"])
    return scope


def _shown(context, value, obj, kind) -> tuple[str, bool]:
    if value is None or value == "":
        return "", False
    full = privacy.sees_full(_scope(context), obj)
    return (str(value), True) if full else (privacy.mask(value, kind), False)


@register.simple_tag(takes_context=True)
def pii(context, value, obj=None, kind="phone"):
    return _shown(context, value, obj, kind)[0]


@register.simple_tag(takes_context=True)
def pii_tel(context, value, obj=None):
    text, full = _shown(context, value, obj, "phone")
    if full:
        return format_html('<a href="tel:{}">{}</a>', text, text)
    return text


@register.simple_tag(takes_context=True)
def sees_pii(context, obj=None) -> bool:
    """``{% sees_pii obj as full %}``: for templates that choose what to show."""
    return privacy.sees_full(_scope(context), obj)
