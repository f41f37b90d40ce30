"""Departments, posts, people, who held which post when, and their certificates."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.core.scope import ScopedManager, ScopeSpec
from anbiao.duty.choices import CertificateKind, PostLevel
from anbiao.duty.models.base import Dated
from anbiao.orgs.models import phone_validator


class Department(models.Model):
    scope_spec = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField(_("部门名称"), max_length=60)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["enterprise", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="duty_department_unique")]

    def __str__(self):
        return self.name


class Person(models.Model):
    """A person working at (or for) an enterprise. Other apps (ledgers) point training records here."""

    scope_spec = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="people"
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    is_active = models.BooleanField(_("在职"), default=True)
    joined_on = models.DateField(_("入职日期"), null=True, blank=True)
    left_on = models.DateField(_("离职日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by services.person_anonymise: the personal data is erased; the row stays for the records that
    # count it.
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["enterprise", "name", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.department_id and self.department.enterprise_id != self.enterprise_id:
            errors["department"] = _("部门不属于该企业。")
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            errors["left_on"] = _("离职日期不能早于入职日期。")
        if errors:
            raise ValidationError(errors)


class Post(models.Model):
    """岗位: every post has people, a scope of responsibility and an assessment standard (Art. 22)."""

    scope_spec = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="posts"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    name = models.CharField(_("岗位名称"), max_length=60)
    level = models.CharField(_("岗位层级"), max_length=20, choices=PostLevel.choices)
    established_on = models.DateField(_("设立日期"))
    abolished_on = models.DateField(_("撤销日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["enterprise", "level", "name", "id"]
        indexes = [models.Index(fields=["enterprise", "level"])]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.abolished_on is None

    def clean(self):
        errors = {}
        if self.department_id and self.department.enterprise_id != self.enterprise_id:
            errors["department"] = _("部门不属于该企业。")
        if self.abolished_on and self.established_on and self.abolished_on <= self.established_on:
            errors["abolished_on"] = _("撤销日期须晚于设立日期。")
        if errors:
            raise ValidationError(errors)


class PostHolding(Dated):
    """Who held which post from when to when (任职)."""

    scope_spec = ScopeSpec(org_paths=("post__enterprise__unit__path",), enterprise="post__enterprise_id")

    post = models.ForeignKey(Post, verbose_name=_("岗位"), on_delete=models.CASCADE, related_name="holdings")
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="holdings"
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("任职记录")
        verbose_name_plural = _("任职记录")
        ordering = ["post", "-valid_from", "id"]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self):
        return f"{self.person} · {self.post}"

    def clean(self):
        super().clean()
        if self.post_id and self.person_id and self.post.enterprise_id != self.person.enterprise_id:
            raise ValidationError({"person": _("人员与岗位不属于同一企业。")})


class Certificate(models.Model):
    """A certificate the law wants for a post (考核合格证明, 特种作业操作证 …) and its expiry."""

    scope_spec = ScopeSpec(org_paths=("person__enterprise__unit__path",), enterprise="person__enterprise_id")

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="certificates"
    )
    kind = models.CharField(_("证书类别"), max_length=32, choices=CertificateKind.choices)
    operation_type = models.CharField(_("作业类别/项目"), max_length=80, blank=True)
    number = models.CharField(_("证书编号"), max_length=60)
    issuer = models.CharField(_("发证机关"), max_length=100)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    file = models.ForeignKey(
        "core.EvidenceFile",
        verbose_name=_("证书扫描件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["person", "kind", "-issued_on", "id"]
        indexes = [models.Index(fields=["expires_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def clean(self):
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            raise ValidationError({"expires_on": _("有效期至须晚于发证日期。")})

    def is_valid_on(self, day) -> bool:
        return self.issued_on <= day and (self.expires_on is None or self.expires_on >= day)
