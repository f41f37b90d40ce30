from django import template

from anbiao.campaigns import rules

register = template.Library()


@register.filter
def wan(yuan):
    """元 → '1.2345' 万元 (4 decimals); empty for no amount."""
    return "" if yuan is None else rules.format_wan(yuan)
