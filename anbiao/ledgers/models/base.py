"""What every ledger row shares: the owning enterprise, who typed it in and when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.core.scope import ScopedManager, ScopeSpec

ENTERPRISE_SCOPE = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")


class EnterpriseRecord(models.Model):
    """A row of one enterprise's ledger. Scoped through the enterprise's supervising unit."""

    scope_spec = ENTERPRISE_SCOPE

    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager()

    class Meta:
        abstract = True


def file_field(label=None):
    return models.ForeignKey(
        "core.EvidenceFile",
        verbose_name=label or _("附件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
