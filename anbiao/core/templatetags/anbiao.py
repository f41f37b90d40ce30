from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def action_label(action):
    from anbiao.core.audit import action_label as label

    return label(action)
