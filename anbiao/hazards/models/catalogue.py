"""The checklist library (安全检查清单 / 网格员检查导则) and the 重大事故隐患判定标准 catalogue."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.core.scope import ScopedManager, ScopeSpec
from anbiao.hazards.choices import ItemCategory, TemplateKind


class HazardCriterion(models.Model):
    """One article of a 重大事故隐患判定标准. Shared reference data, edited by the county administrator."""

    catalogue = models.CharField(_("判定标准"), max_length=120)
    code = models.CharField(_("编号"), max_length=40, unique=True)
    article = models.CharField(_("条款"), max_length=60)
    sector = models.CharField(_("类别"), max_length=40)
    text = models.TextField(_("内容"))
    is_major = models.BooleanField(_("判定为重大事故隐患"), default=True)
    unverified = models.BooleanField(_("原文待核对"), default=False)
    source = models.CharField(_("出处"), max_length=300, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("隐患判定标准条款")
        verbose_name_plural = _("隐患判定标准条款")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.article} {self.text[:40]}"


class ChecklistTemplate(models.Model):
    """A checklist owned by a unit (inherited by every unit and enterprise below it) or by one enterprise.

    A template may ``extend`` an inherited one: inspecting with it uses the parent's published items plus
    its own. Items live in versions; publishing freezes the draft as a numbered version.
    """

    scope_spec = ScopeSpec(
        org_paths=("organization__path", "enterprise__unit__path"),
        enterprise="enterprise_id",
        inherited_path="organization__path",
    )

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checklists",
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("所属企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checklists",
    )
    kind = models.CharField(
        _("类别"), max_length=20, choices=TemplateKind.choices, default=TemplateKind.CHECKLIST
    )
    name = models.CharField(_("名称"), max_length=120)
    description = models.TextField(_("适用范围与说明"), blank=True)
    industries = models.ManyToManyField(
        "orgs.Industry", verbose_name=_("适用行业"), blank=True, related_name="+"
    )
    extends = models.ForeignKey(
        "self",
        verbose_name=_("在此清单基础上增补"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extensions",
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("检查清单")
        verbose_name_plural = _("检查清单")
        ordering = ["kind", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organization__isnull=False, enterprise__isnull=True)
                | models.Q(organization__isnull=True, enterprise__isnull=False),
                name="checklist_one_owner",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def owner(self):
        return self.organization or self.enterprise

    @property
    def owner_path(self) -> str:
        return self.organization.path if self.organization_id else self.enterprise.unit.path

    def clean(self):
        if self.extends_id and self.extends_id == self.pk:
            raise ValidationError({"extends": "清单不能增补自身。"})


class ChecklistVersion(models.Model):
    """A frozen (published) or editable (draft) set of items of a template. Inspections keep theirs."""

    scope_spec = ScopeSpec(
        org_paths=("template__organization__path", "template__enterprise__unit__path"),
        enterprise="template__enterprise_id",
        inherited_path="template__organization__path",
    )

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"), null=True, blank=True)  # None while a draft
    base = models.ForeignKey(
        "self",
        verbose_name=_("所增补清单的版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("检查清单版本")
        verbose_name_plural = _("检查清单版本")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="checklist_version_number_once"),
            models.UniqueConstraint(
                fields=["template"], condition=models.Q(number__isnull=True), name="checklist_one_draft"
            ),
        ]

    def __str__(self):
        return f"{self.template.name}（{self.label}）"

    @property
    def label(self) -> str:
        return f"第{self.number}版" if self.number else "草稿"

    @property
    def is_draft(self) -> bool:
        return self.number is None

    def all_items(self) -> list:
        """The items an inspection uses: the base version's items first, then this version's own."""
        prefetched = "items" in getattr(self, "_prefetched_objects_cache", {})
        own = list(self.items.all() if prefetched else self.items.select_related("criterion", "element"))
        if self.base_id is None:
            return own
        return [*self.base.all_items(), *own]


class ChecklistItem(models.Model):
    scope_spec = ScopeSpec(
        org_paths=("version__template__organization__path", "version__template__enterprise__unit__path"),
        enterprise="version__template__enterprise_id",
        inherited_path="version__template__organization__path",
    )

    version = models.ForeignKey(ChecklistVersion, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("序号"), default=0)
    category = models.CharField(_("类别"), max_length=20, choices=ItemCategory.choices)
    content = models.TextField(_("检查内容"))
    method = models.CharField(_("检查方法"), max_length=200, blank=True)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    criterion = models.ForeignKey(
        HazardCriterion,
        verbose_name=_("对应重大隐患判定条款"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    element = models.ForeignKey(
        "standards.StandardItem",
        verbose_name=_("对应标准化要素"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checklist_items",
        limit_choices_to={"level": 2},
        help_text=_("GB/T 33000 等标准的二级要素，自评时可据此引用检查记录。"),
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["version", "order", "id"]

    def __str__(self):
        return self.content[:60]
