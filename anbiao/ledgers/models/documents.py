"""制度化管理 (GB/T 33000-2016 §5.2): 法规标准识别, 规章制度, 操作规程."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.ledgers.choices import DocumentKind, DocumentStatus, RegulationCategory
from anbiao.ledgers.models.base import EnterpriseRecord, file_field


class RegulationItem(EnterpriseRecord):
    """One law, regulation or standard the enterprise has identified as applying to it (法规标准识别)."""

    audit_name = "regulation"

    category = models.CharField(_("类别"), max_length=20, choices=RegulationCategory.choices)
    title = models.CharField(_("名称"), max_length=200)
    number = models.CharField(_("文号或标准号"), max_length=100, blank=True)
    issued_by = models.CharField(_("发布机关"), max_length=100, blank=True)
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    clauses = models.TextField(_("适用条款"), blank=True)
    reviewed_on = models.DateField(_("识别（评审）日期"))
    next_review_on = models.DateField(_("下次评审日期"), null=True, blank=True)
    is_current = models.BooleanField(_("现行适用"), default=True)

    class Meta:
        verbose_name = _("法规标准识别")
        verbose_name_plural = _("法规标准识别")
        ordering = ["enterprise", "category", "title", "id"]

    def __str__(self):
        return f"{self.title}{f'（{self.number}）' if self.number else ''}"

    def clean(self):
        if self.next_review_on and self.reviewed_on and self.next_review_on <= self.reviewed_on:
            raise ValidationError({"next_review_on": _("下次评审日期须晚于识别（评审）日期。")})


class RuleDocument(EnterpriseRecord):
    """A 规章制度 or 操作规程 of the enterprise, one row per version."""

    audit_name = "document"

    kind = models.CharField(_("类别"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    code = models.CharField(_("编号"), max_length=60, blank=True)
    version = models.CharField(_("版本"), max_length=30, default="1.0")
    applies_to = models.CharField(_("适用岗位或设备"), max_length=200, blank=True)
    approved_by = models.CharField(_("批准人"), max_length=50, blank=True)
    approved_on = models.DateField(_("批准发布日期"))
    next_review_on = models.DateField(_("下次评审修订日期"))
    status = models.CharField(
        _("状态"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.EFFECTIVE
    )
    file = file_field(_("文件"))

    class Meta:
        verbose_name = _("规章制度和操作规程")
        verbose_name_plural = _("规章制度和操作规程")
        ordering = ["enterprise", "kind", "title", "-approved_on", "id"]
        indexes = [models.Index(fields=["status", "next_review_on"])]

    def __str__(self):
        return f"{self.title}（{self.version}）"

    def clean(self):
        if self.next_review_on and self.approved_on and self.next_review_on <= self.approved_on:
            raise ValidationError({"next_review_on": _("下次评审修订日期须晚于批准发布日期。")})
