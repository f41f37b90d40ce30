from django import template

from anbiao.core import integrity

register = template.Library()


@register.simple_tag
def integrity_status(obj) -> str:
    """The seal verdict of a sealed row (``ok``/``tampered``/``unsealed``/``other_key``); "" when off."""
    if obj is None or not integrity.enabled() or integrity.label(obj) not in integrity.SEALED:
        return ""
    return integrity.status(obj)
