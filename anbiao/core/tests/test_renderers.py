"""The form renderer writes every <select> exactly as Django's own templates would."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from anbiao.core.renderers import FormRenderer

CHOICES = [
    ("", "全部"),
    ("a&b", 'A <b>"1"</b>'),
    ("红", "红色"),
    ("组", [(1, "一"), (2, "二 & 三")]),
    (3, "三"),
]


class CustomOption(forms.Select):
    option_template_name = "django/forms/widgets/select_option.html"  # the default, named again


WIDGETS = [
    ("plain", forms.Select(choices=CHOICES), "a&b"),
    ("nothing chosen", forms.Select(choices=CHOICES), None),
    ("chosen in a group", forms.Select(choices=CHOICES), 2),
    (
        "attrs",
        forms.Select(attrs={"class": "form-select", "data-x": '"q"', "disabled": True}, choices=CHOICES),
        3,
    ),
    ("false attr", forms.Select(attrs={"required": False, "autofocus": True}, choices=CHOICES), "红"),
    ("multiple", forms.SelectMultiple(choices=CHOICES), ["a&b", "2"]),
    ("null boolean", forms.NullBooleanSelect(), True),
    ("empty", forms.Select(choices=[]), None),
]


@pytest.mark.parametrize("name,widget,value", WIDGETS, ids=[w[0] for w in WIDGETS])
def test_a_select_comes_out_character_for_character_as_djangos_templates_write_it(name, widget, value):
    ours = widget.render("field<1>", value, attrs={"id": "id_f"}, renderer=FormRenderer())
    django = widget.render("field<1>", value, attrs={"id": "id_f"}, renderer=DjangoTemplates())
    assert ours == django


def test_a_widget_whose_options_have_their_own_template_still_uses_it():
    class OwnOption(forms.Select):
        option_template_name = "django/forms/widgets/input.html"

    widget = OwnOption(choices=[("1", "一")])
    assert widget.render("f", "1", renderer=FormRenderer()) == widget.render(
        "f", "1", renderer=DjangoTemplates()
    )
    assert "<option" not in widget.render("f", "1", renderer=FormRenderer())
