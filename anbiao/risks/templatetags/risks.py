from django import template

from anbiao.risks.choices import COLOUR_NAME, Level

register = template.Library()
LABELS = dict(Level.choices)


@register.inclusion_tag("risks/_level.html")
def level_badge(level, short=False):
    """A coloured badge: 红/橙/黄/蓝 and the level's name."""
    return {
        "level": level,
        "name": COLOUR_NAME.get(level, ""),
        "label": LABELS.get(level, ""),
        "short": short,
    }
