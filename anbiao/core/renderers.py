"""The form renderer: Django's, with ``<select>`` written in Python.

Django renders every ``<option>`` through two template includes (≈ 50 µs each). A list page's filter bar
for a city-wide scope offers every unit and township (hundreds of options), so option templates were the
largest single cost of rendering a list page. ``render_select`` writes the same markup as Django's
``select.html`` / ``select_option.html`` / ``attrs.html`` (a test compares the two on every kind of
select); a widget with its own templates still goes through them.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attr(name, value) -> str:
    return format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))


def _attrs(attrs: dict) -> str:
    """As ``attrs.html``: False leaves the attribute out, True writes its bare name."""
    return format_html_join("", "{}", ((_attr(n, v),) for n, v in attrs.items() if v is not False))


def render_select(widget: dict) -> str | None:
    """The ``<select>`` of a widget context, or None when an option has a template of its own. Every
    value goes through ``format_html`` (escaped), as the templates' autoescaping would."""
    parts = []
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            if option["template_name"] != OPTION:
                return None
            parts.append(  # (the option template file ends with a newline)
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    _attrs(option["attrs"]),
                    option["label"],
                )
            )
        if group_name:
            parts.append(format_html("\n  </optgroup>{}", ""))
    body = format_html_join("", "{}", ((part,) for part in parts))
    return format_html('<select name="{}"{}>{}\n</select>', widget["name"], _attrs(widget["attrs"]), body)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            html = render_select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
