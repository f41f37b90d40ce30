"""Filter pieces every list shares."""

import django_filters
from django import forms


class AllYesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter's choices: 全部 (no filter), 是, 否 — not Django's 未知, which reads as a value."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "全部"), ("true", "是"), ("false", "否")]


class YesNoFilter(django_filters.BooleanFilter):
    """A boolean filter shown as 全部 / 是 / 否 (``?name=true`` and ``?name=false`` in links)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AllYesNoSelect())
        super().__init__(*args, **kwargs)
