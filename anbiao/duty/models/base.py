"""Shared pieces: the dated-period fields every counted history row carries (architecture §6a)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Dated(models.Model):
    """A half-open period [valid_from, valid_to); ``valid_to`` empty = still current.

    ``backdated`` marks a period typed in after the day it started (补录); ``recorded_at``/``recorded_by`` say
    when and by whom it was typed in, separately from the date it happened.
    """

    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    backdated = models.BooleanField(_("补录"), default=False)
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("截止日期须晚于起始日期。")})

    def is_current_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to > day)


def current_on(day, prefix: str = "") -> Q:
    """Rows whose period covers ``day`` (``prefix`` e.g. ``"holdings__"`` for a related model)."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )
