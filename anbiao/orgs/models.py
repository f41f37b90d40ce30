import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anbiao.core.concurrency import revision_field
from anbiao.core.scope import ScopedManager, ScopeSpec
from anbiao.orgs import uscc
from anbiao.orgs.choices import NineSmallKind, OrgKind, SizeClass, Status

PATH_SEGMENT_WIDTH = 6
phone_validator = RegexValidator(r"^[0-9+\-() ]{5,20}$", _("电话号码格式不正确。"))


def validate_uscc(value: str) -> None:
    problem = uscc.problem(uscc.normalize(value))
    if problem:
        raise ValidationError(_("统一社会信用代码%(problem)s。"), params={"problem": problem}, code="uscc")


class Organization(models.Model):
    """A supervising unit: the county federation, a 基层社, a company or centre. Any depth."""

    scope_spec = ScopeSpec(org_paths=("path",))

    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    kind = models.CharField(_("单位类型"), max_length=20, choices=OrgKind.choices)
    name = models.CharField(_("单位名称"), max_length=100)
    code = models.CharField(
        _("单位编码"),
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$", _("单位编码只能包含字母、数字、下划线和连字符。"))],
    )
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]

    def __str__(self):
        return self.name

    @staticmethod
    def segment(pk: int) -> str:
        return f"{pk:0{PATH_SEGMENT_WIDTH}d}."

    def is_descendant_of(self, other: "Organization") -> bool:
        return self.path.startswith(other.path) and self.path != other.path


class Industry(models.Model):
    """行业 as editable reference data."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("行业")
        verbose_name_plural = _("行业")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class Township(models.Model):
    """乡镇/街道/园区 as editable reference data."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("乡镇（街道）")
        verbose_name_plural = _("乡镇（街道）")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class Enterprise(models.Model):
    """An enterprise (including 出租经营网点 and 九小场所) under exactly one supervising unit.

    ``unit``, ``size_class`` and ``status`` are the current values; their dated history is kept in
    ``EnterpriseState`` so that counts can be taken as of any date (architecture.md §6a).
    """

    scope_spec = ScopeSpec(org_paths=("unit__path",), enterprise="pk")

    unit = models.ForeignKey(
        Organization, verbose_name=_("监管单位"), on_delete=models.PROTECT, related_name="enterprises"
    )
    name = models.CharField(_("企业名称"), max_length=120)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    principal_name = models.CharField(_("主要负责人"), max_length=50, blank=True)
    principal_phone = models.CharField(
        _("主要负责人电话"), max_length=20, blank=True, validators=[phone_validator]
    )
    safety_officer_name = models.CharField(_("安全管理员"), max_length=50, blank=True)
    safety_officer_phone = models.CharField(
        _("安全管理员电话"), max_length=20, blank=True, validators=[phone_validator]
    )
    address = models.CharField(_("经营地址"), max_length=200, blank=True)
    township = models.ForeignKey(
        Township,
        verbose_name=_("乡镇（街道）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    industry = models.ForeignKey(Industry, verbose_name=_("行业"), on_delete=models.PROTECT, related_name="+")
    size_class = models.CharField(_("企业规模"), max_length=20, choices=SizeClass.choices)
    tag_new = models.BooleanField(_("新办企业"), default=False)
    tag_trade = models.BooleanField(_("商贸企业"), default=False)
    tag_micro = models.BooleanField(_("小微企业"), default=False)
    nine_small_kind = models.CharField(
        _("九小场所类别"), max_length=20, choices=NineSmallKind.choices, blank=True
    )
    is_rental_outlet = models.BooleanField(_("出租经营网点"), default=False)
    landlord_unit = models.ForeignKey(
        Organization,
        verbose_name=_("出租单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rented_outlets",
    )
    employee_count = models.PositiveIntegerField(_("从业人员数"), default=0)
    handles_dangerous_goods = models.BooleanField(_("危险物品生产经营储存"), default=False)
    status = models.CharField(_("经营状态"), max_length=20, choices=Status.choices, default=Status.OPERATING)
    status_since = models.DateField(_("状态日期"), default=datetime.date.today)
    registered_on = models.DateField(_("纳入名录日期"), default=datetime.date.today)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    revision = revision_field()

    objects = ScopedManager()

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["size_class"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self):
        return self.name

    @property
    def is_nine_small(self) -> bool:
        return bool(self.nine_small_kind)

    def market_tags(self) -> list[str]:
        tags = [
            str(f.verbose_name)
            for f in (self._meta.get_field(n) for n in ("tag_new", "tag_trade", "tag_micro"))
            if getattr(self, f.name)
        ]
        if self.nine_small_kind:
            tags.append(f"九小场所（{self.get_nine_small_kind_display()}）")
        return tags

    def clean(self):
        errors = {}
        if self.is_rental_outlet and not self.landlord_unit_id:
            errors["landlord_unit"] = _("出租经营网点须填写出租单位。")
        if not self.is_rental_outlet and self.landlord_unit_id:
            errors["landlord_unit"] = _("只有出租经营网点才填写出租单位。")
        if (self.longitude is None) != (self.latitude is None):
            errors["latitude"] = _("经度和纬度须同时填写或同时留空。")
        if self.status_since and self.status_since > timezone.localdate():
            errors["status_since"] = _("状态日期不能晚于今天。")
        if errors:
            raise ValidationError(errors)


class EnterpriseState(models.Model):
    """Dated history of the facts about an enterprise that are counted: unit, size class, status.

    Exactly one row per enterprise has ``valid_to`` empty (the current state). The state on a date D is the
    row with ``valid_from <= D`` and (``valid_to`` empty or ``valid_to > D``).
    """

    scope_spec = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="states")
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    unit = models.ForeignKey(
        Organization, verbose_name=_("监管单位"), on_delete=models.PROTECT, related_name="+"
    )
    size_class = models.CharField(_("企业规模"), max_length=20, choices=SizeClass.choices)
    status = models.CharField(_("经营状态"), max_length=20, choices=Status.choices)
    employee_count = models.PositiveIntegerField(_("从业人员数"), default=0)
    handles_dangerous_goods = models.BooleanField(_("危险物品生产经营储存"), default=False)
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    backdated = models.BooleanField(_("补录"), default=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("企业状态历史")
        verbose_name_plural = _("企业状态历史")
        ordering = ["enterprise", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"], condition=models.Q(valid_to__isnull=True), name="one_current_state"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
                name="state_period_positive",
            ),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self):
        return f"{self.enterprise_id} {self.valid_from}–{self.valid_to or ''}"
