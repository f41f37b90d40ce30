"""设备设施 (GB/T 33000-2016 §5.4.1): equipment ledger, special equipment and its inspections."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.core.scope import ScopedManager, ScopeSpec
from anbiao.ledgers.choices import (
    EquipmentCategory,
    EquipmentStatus,
    InspectionKind,
    InspectionResult,
    SpecialKind,
)
from anbiao.ledgers.models.base import EnterpriseRecord, file_field


class Equipment(EnterpriseRecord):
    """One piece of equipment or one facility. Special equipment carries its registration and inspections.

    ``next_inspection_due`` is the current due date (from the latest inspection, else ``first_due``); the
    due date on any past day comes from the dated ``EquipmentInspection`` rows (selectors).
    """

    audit_name = "equipment"

    category = models.CharField(_("类别"), max_length=20, choices=EquipmentCategory.choices)
    special_kind = models.CharField(_("特种设备种类"), max_length=30, choices=SpecialKind.choices, blank=True)
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("设备编号"), max_length=60, blank=True)
    model_spec = models.CharField(_("规格型号"), max_length=100, blank=True)
    location = models.CharField(_("安装（存放）位置"), max_length=150)
    responsible = models.CharField(_("责任人"), max_length=50)
    registration_number = models.CharField(_("使用登记证编号"), max_length=60, blank=True)
    commissioned_on = models.DateField(_("投用日期"))
    inspection_interval_months = models.PositiveSmallIntegerField(
        _("检验（检查）周期（月）"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("定期检验或检查的周期；以检验报告上的下次检验日期为准。"),
    )
    first_due = models.DateField(
        _("首次（登记时）下次检验日期"), null=True, blank=True, help_text=_("尚无检验记录时以此日期为准。")
    )
    next_inspection_due = models.DateField(_("下次检验日期"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=EquipmentStatus.choices, default=EquipmentStatus.IN_USE
    )
    retired_on = models.DateField(_("报废日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("设备设施")
        verbose_name_plural = _("设备设施")
        ordering = ["enterprise", "category", "name", "id"]
        indexes = [models.Index(fields=["category", "status", "next_inspection_due"])]

    def __str__(self):
        return f"{self.name}{f'（{self.code}）' if self.code else ''}"

    def clean(self):
        errors = {}
        if self.category == EquipmentCategory.SPECIAL:
            if not self.special_kind:
                errors["special_kind"] = _("特种设备须选择种类。")
            if not self.registration_number:
                errors["registration_number"] = _("特种设备须填写使用登记证编号。")
            if not self.first_due and not self.pk:
                errors["first_due"] = _("特种设备须填写下次检验日期。")
        elif self.special_kind:
            errors["special_kind"] = _("只有特种设备才选择特种设备种类。")
        if self.status == EquipmentStatus.SCRAPPED and not self.retired_on:
            errors["retired_on"] = _("报废的设备须填写报废日期。")
        if self.retired_on and self.commissioned_on and self.retired_on < self.commissioned_on:
            errors["retired_on"] = _("报废日期不能早于投用日期。")
        if errors:
            raise ValidationError(errors)

    def inspection_state(self, today: datetime.date, soon_days: int = 30) -> str:
        """'overdue' / 'due' / 'ok' / '' (no due date) for a piece of equipment in use."""
        if self.status == EquipmentStatus.SCRAPPED or not self.next_inspection_due:
            return ""
        if self.next_inspection_due < today:
            return "overdue"
        if self.next_inspection_due <= today + datetime.timedelta(days=soon_days):
            return "due"
        return "ok"


class EquipmentInspection(models.Model):
    """One dated inspection (检验/检查/维保) of a piece of equipment: append-only history."""

    scope_spec = ScopeSpec(
        org_paths=("equipment__enterprise__unit__path",), enterprise="equipment__enterprise_id"
    )
    audit_name = "inspection"

    equipment = models.ForeignKey(
        Equipment, verbose_name=_("设备"), on_delete=models.CASCADE, related_name="inspections"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=InspectionKind.choices)
    inspected_on = models.DateField(_("检验（检查）日期"))
    agency = models.CharField(_("检验机构或检查人"), max_length=100)
    report_number = models.CharField(_("报告编号"), max_length=60, blank=True)
    result = models.CharField(_("结论"), max_length=20, choices=InspectionResult.choices)
    next_due = models.DateField(_("下次检验（检查）日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    file = file_field(_("检验报告"))
    backdated = models.BooleanField(_("补录"), default=False)
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("检验检查记录")
        verbose_name_plural = _("检验检查记录")
        ordering = ["equipment", "-inspected_on", "-id"]
        indexes = [models.Index(fields=["equipment", "inspected_on"])]

    def __str__(self):
        return f"{self.equipment} {self.inspected_on} {self.get_result_display()}"

    def clean(self):
        if self.next_due and self.inspected_on and self.next_due <= self.inspected_on:
            raise ValidationError({"next_due": _("下次检验（检查）日期须晚于本次日期。")})
