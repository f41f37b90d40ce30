"""The campaign (专项行动) and the supervisors' ledgers of the 2025 notice (惠供联〔2025〕7号 四、五).

Campaigns, phases and deliverables are county-edited data (a 2026 campaign needs no code). Unit-level
records are scoped by the unit's path; per-enterprise records by the enterprise. Every counted record keeps
the date it happened (``*_on``) apart from when it was typed (``recorded_at``); entries dated before the day
they were typed are marked ``backdated`` (补录).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.campaigns.choices import (
    DeliveryMethod,
    EnforcementKind,
    FilingStatus,
    Level,
    NormKind,
    PostType,
    SessionKind,
    ShowcaseCategory,
    TaskStatus,
    TraineeCategory,
)
from anbiao.core.scope import ScopedManager, ScopeSpec
from anbiao.orgs.choices import SizeClass

USER = settings.AUTH_USER_MODEL


class Recorded(models.Model):
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    backdated = models.BooleanField(_("补录"), default=False)

    class Meta:
        abstract = True


# --- Campaign data (county-edited, readable by every supervisor) ---------------------------------------
class Campaign(models.Model):
    """A campaign such as 2025 持续深化, organised by a unit (the county federation) for its subtree."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("组织单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空表示全系统（顶级单位组织，各下级单位报送）。"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=120)
    document_no = models.CharField(_("文号"), max_length=60, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    letter_deadline = models.DateField(
        _("告知书/承诺书默认自评截止日期"),
        help_text=_("生成告知书、承诺书时默认填入的“年度自评完成日期”，单位可改为本单位的日期。"),
    )
    is_active = models.BooleanField(_("进行中"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="campaign_name_unique_in_year")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("阶段"), max_length=40)
    deadline = models.DateField(_("截止日期"))
    description = models.TextField(_("工作要求"), blank=True)

    class Meta:
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        ordering = ["campaign", "order"]
        constraints = [models.UniqueConstraint(fields=["campaign", "order"], name="phase_order_unique")]

    def __str__(self):
        return f"{self.name}（{self.deadline:%Y-%m-%d}前）"


class Requirement(models.Model):
    """A deliverable every unit files (方案备案, 评估报告, 季度报表, 年度总结 …) with its own due date."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="requirements")
    phase = models.ForeignKey(
        Phase, verbose_name=_("阶段"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("报送事项"), max_length=120)
    due = models.DateField(_("报送期限"), help_text=_("当日报送仍为按时。"))
    needs_scan = models.BooleanField(_("须盖章扫描件"), default=True)
    needs_editable = models.BooleanField(_("须电子文档（可编辑）"), default=True)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("报送事项")
        verbose_name_plural = _("报送事项")
        ordering = ["campaign", "due", "order"]
        constraints = [models.UniqueConstraint(fields=["campaign", "order"], name="requirement_order_unique")]

    def __str__(self):
        return self.title


# --- Unit-level records ------------------------------------------------------------------------------
class Filing(Recorded):
    """One submission of a deliverable by a unit. A returned filing stays; the unit files again."""

    scope_spec = ScopeSpec(org_paths=("unit__path",))

    requirement = models.ForeignKey(
        Requirement, verbose_name=_("报送事项"), on_delete=models.PROTECT, related_name="filings"
    )
    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+"
    )
    filed_on = models.DateField(_("报送日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=FilingStatus.choices, default=FilingStatus.SUBMITTED
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    scan = models.ForeignKey(
        "core.EvidenceFile",
        verbose_name=_("盖章扫描件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    editable = models.ForeignKey(
        "core.EvidenceFile",
        verbose_name=_("电子文档"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("报送材料")
        verbose_name_plural = _("报送材料")
        ordering = ["-filed_on", "-id"]
        indexes = [models.Index(fields=["requirement", "unit", "status"])]

    def __str__(self):
        return f"{self.unit} · {self.requirement}"


class WorkTask(models.Model):
    """年度工作任务清单: one line of a unit's annual task list."""

    scope_spec = ScopeSpec(org_paths=("unit__path",))

    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("专项行动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("任务"), max_length=200)
    owner = models.CharField(_("责任人"), max_length=50)
    due = models.DateField(_("完成期限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.TextField(_("进展情况"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("年度工作任务")
        verbose_name_plural = _("年度工作任务清单")
        ordering = ["due", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.status == TaskStatus.DONE and not self.done_on:
            raise ValidationError({"done_on": _("已完成的任务须填写完成日期。")})
        if self.status != TaskStatus.DONE and self.done_on:
            raise ValidationError({"done_on": _("未完成的任务不填写完成日期。")})


class TrainingSession(Recorded):
    """专题培训 or 现场观摩 recorded by a unit (the organiser may be a city or county body)."""

    scope_spec = ScopeSpec(org_paths=("unit__path",))

    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("登记单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=SessionKind.choices)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    organizer = models.CharField(_("组织单位"), max_length=100)
    held_on = models.DateField(_("日期"))
    topic = models.CharField(_("主题"), max_length=200)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    targets = models.JSONField(_("培训对象（五类人员）"), default=list, blank=True)
    note = models.TextField(_("内容摘要"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("培训观摩")
        verbose_name_plural = _("培训观摩")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["kind", "held_on"])]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    def target_labels(self) -> list[str]:
        labels = dict(TraineeCategory.choices)
        return [str(labels.get(t, t)) for t in self.targets]


class Attendance(models.Model):
    """One person at one session, from an enterprise (or from a unit when ``enterprise`` is empty)."""

    scope_spec = ScopeSpec(
        org_paths=("session__unit__path", "enterprise__unit__path"), enterprise="enterprise_id"
    )

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person_name = models.CharField(_("姓名"), max_length=50)
    category = models.CharField(_("人员类别"), max_length=20, choices=TraineeCategory.choices)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("参训人员")
        verbose_name_plural = _("参训人员")
        ordering = ["session", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enterprise", "person_name"], name="attendance_once_per_person"
            )
        ]

    def __str__(self):
        return self.person_name


class ShowcaseEntry(Recorded):
    """十佳乡镇案例 / 百优企业案例 / 千企达标评审 / 万岗达标 (domain.md appendix 4)."""

    scope_spec = ScopeSpec(org_paths=("unit__path",))

    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("登记单位"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("类别"), max_length=20, choices=ShowcaseCategory.choices)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    recognised_on = models.DateField(_("认定日期"))
    title = models.CharField(_("名称"), max_length=200)
    township = models.ForeignKey(
        "orgs.Township", verbose_name=_("乡镇（街道、园区）"), null=True, blank=True, on_delete=models.PROTECT
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    size_class = models.CharField(
        _("企业规模（认定时）"), max_length=20, choices=SizeClass.choices, blank=True
    )
    post_type = models.CharField(_("岗位类型"), max_length=10, choices=PostType.choices, blank=True)
    write_up = models.TextField(_("事迹简介"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("示范创建")
        verbose_name_plural = _("十百千万示范创建")
        ordering = ["-recognised_on", "-id"]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if (
            self.category in (ShowcaseCategory.ENTERPRISE_CASE, ShowcaseCategory.THOUSAND)
            and not self.enterprise_id
        ):
            errors["enterprise"] = _("百优企业案例和千企达标评审须选择企业。")
        if self.category == ShowcaseCategory.POST and not self.post_type:
            errors["post_type"] = _("万岗达标须选择岗位类型。")
        if self.category != ShowcaseCategory.POST and self.post_type:
            errors["post_type"] = _("只有万岗达标填写岗位类型。")
        if self.category == ShowcaseCategory.TOWN_CASE and not self.township_id:
            errors["township"] = _("十佳乡镇案例须选择乡镇（街道、园区）。")
        if errors:
            raise ValidationError(errors)


class NormDocument(Recorded):
    """四项规范: a document a unit (or one of its enterprises) compiled or revised."""

    scope_spec = ScopeSpec(org_paths=("unit__path",))

    unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("编制企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("由企业编制时选择；单位自己编制则留空。"),
    )
    kind = models.CharField(_("类别"), max_length=12, choices=NormKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    version = models.CharField(_("版本"), max_length=30)
    issued_on = models.DateField(_("编制（修订）日期"))
    is_revision = models.BooleanField(_("修订"), default=False)
    file = models.ForeignKey(
        "core.EvidenceFile",
        verbose_name=_("文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("四项规范")
        verbose_name_plural = _("四项规范")
        ordering = ["-issued_on", "-id"]

    def __str__(self):
        return f"{self.title}（{self.version}）"


# --- Per-enterprise records --------------------------------------------------------------------------
class EnterpriseLetter(models.Model):
    """告知书 (附件1) and 承诺书 (附件2) for one enterprise in one campaign.

    Tracks generated, delivered, signed (with the stamped scan) and posted on the 公示栏.
    """

    scope_spec = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项行动"), on_delete=models.PROTECT, related_name="letters"
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("自评截止日期"))
    generated_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    delivery_method = models.CharField(
        _("送达方式"), max_length=12, choices=DeliveryMethod.choices, blank=True
    )
    signed_on = models.DateField(_("承诺书签订日期"), null=True, blank=True)
    signer = models.CharField(_("签名人（法定代表人）"), max_length=50, blank=True)
    signed_scan = models.ForeignKey(
        "core.EvidenceFile",
        verbose_name=_("盖章承诺书扫描件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    posted_on = models.DateField(_("公示栏公示日期"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("告知书/承诺书")
        verbose_name_plural = _("告知书/承诺书")
        ordering = ["enterprise__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "enterprise"], name="one_letter_per_campaign")
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.campaign}"


class LetterEvent(Recorded):
    """The timeline of a letter (append-only): generated, delivered, signed, posted."""

    scope_spec = ScopeSpec(org_paths=("letter__enterprise__unit__path",), enterprise="letter__enterprise_id")

    class Kind(models.TextChoices):
        GENERATED = "generated", _("生成")
        DELIVERED = "delivered", _("送达")
        SIGNED = "signed", _("签订承诺书")
        POSTED = "posted", _("公示栏公示")

    letter = models.ForeignKey(EnterpriseLetter, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=12, choices=Kind.choices)
    on = models.DateField(_("日期"))
    detail = models.CharField(_("说明"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("告知书记录")
        verbose_name_plural = _("告知书记录")
        ordering = ["letter", "on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on}"


class EnforcementAction(Recorded):
    """执法与约束激励台账: one action against an enterprise by a unit or an enforcement body."""

    scope_spec = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("措施"), max_length=12, choices=EnforcementKind.choices)
    authority = models.CharField(_("实施主体"), max_length=100, help_text=_("如：惠安县应急管理局、本单位"))
    action_on = models.DateField(_("日期"))
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    document_no = models.CharField(_("文书编号"), max_length=60, blank=True)
    amount = models.DecimalField(
        _("罚款金额（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    persons = models.PositiveIntegerField(_("移送人数（人）"), null=True, blank=True)
    description = models.TextField(_("情况说明"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("执法与约束激励")
        verbose_name_plural = _("执法与约束激励台账")
        ordering = ["-action_on", "-id"]
        indexes = [models.Index(fields=["kind", "action_on"])]

    def __str__(self):
        return f"{self.enterprise} · {self.get_kind_display()}"

    def clean(self):
        errors = {}
        if self.kind == EnforcementKind.FINE and not self.amount:
            errors["amount"] = _("罚款须填写金额（元）。")
        if self.kind != EnforcementKind.FINE and self.amount:
            errors["amount"] = _("只有罚款填写金额。")
        if self.kind == EnforcementKind.JUDICIAL and not self.persons:
            errors["persons"] = _("移送司法机关须填写人数。")
        if self.kind != EnforcementKind.JUDICIAL and self.persons:
            errors["persons"] = _("只有移送司法机关填写人数。")
        if errors:
            raise ValidationError(errors)
