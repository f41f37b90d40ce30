from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已签收")


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("签收")
    RETURNED = "returned", _("退回")
