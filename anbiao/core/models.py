import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.core.scope import ScopedManager, ScopedQuerySet, ScopeSpec


class AuditQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("审计记录只能追加，不能修改。")

    def delete(self):
        raise PermissionDenied("审计记录只能追加，不能删除。")


class AuditEvent(models.Model):
    """One write, recorded in the same transaction as the write. Append-only."""

    scope_spec = ScopeSpec(org_paths=("org_path",), enterprise="enterprise_id")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    org_path = models.CharField(_("所属单位路径"), max_length=255, blank=True, db_index=True)
    enterprise_id = models.BigIntegerField(_("所属企业"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    source = models.CharField(_("来源"), max_length=40, blank=True)

    objects = models.Manager.from_queryset(AuditQuerySet)()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("审计记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("审计记录只能追加，不能删除。")


class EvidenceFile(models.Model):
    """Every uploaded file: photos, signed letters, certificates, plans (architecture.md §5).

    Who may read it is decided by the row that owns it: an enterprise, or a unit when no enterprise owns it.
    """

    scope_spec = ScopeSpec(
        org_paths=("enterprise__unit__path", "organization__path"), enterprise="enterprise_id"
    )

    class Kind(models.TextChoices):
        BUSINESS_LICENCE = "business_licence", _("营业执照")
        CERTIFICATE = "certificate", _("证书")
        PHOTO = "photo", _("照片")
        DOCUMENT = "document", _("文件")
        OTHER = "other", _("其他")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="files",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="files",
    )
    owner_type = models.CharField(_("所属对象类型"), max_length=80, blank=True)
    owner_id = models.CharField(_("所属对象编号"), max_length=64, blank=True)
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices, default=Kind.DOCUMENT)
    title = models.CharField(_("说明"), max_length=200, blank=True)
    storage_name = models.CharField(max_length=255, unique=True)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("证据文件")
        verbose_name_plural = _("证据文件")
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(enterprise__isnull=False) | models.Q(organization__isnull=False),
                name="evidence_has_owner_scope",
            )
        ]
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self):
        return self.title or self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Notification(models.Model):
    """An in-app reminder for one user (deadline near, overdue, escalated, planned work not done).

    Created by ``manage.py anbiao_remind`` from every app's ``hooks.reminders``; one row per user and key, so
    a daily rerun never duplicates. A user only ever reads their own notifications.
    """

    class Level(models.TextChoices):
        INFO = "info", _("提醒")
        WARNING = "warning", _("临期")
        DANGER = "danger", _("逾期")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("去重键"), max_length=200)
    title = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, default=Level.INFO)
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    due = models.DateField(_("期限"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["read_at", "-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title


class IntegritySealQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("完整性校验值只能追加，不能修改。")

    def delete(self):
        raise PermissionDenied("完整性校验值只能追加，不能删除。")


class IntegritySeal(models.Model):
    """HMAC-SHA256 over the canonical JSON of one sealed row (等保 三级 数据完整性, F2; core.integrity).

    Written in the same transaction as the row when ``ANBIAO_INTEGRITY_KEY`` is set; append-only. The key
    is not in the database, so whoever can edit a row cannot make a matching seal.
    """

    object_type = models.CharField(_("对象类型"), max_length=80)
    object_id = models.CharField(_("对象编号"), max_length=64)
    mac = models.CharField(_("校验值"), max_length=64)
    key_id = models.CharField(_("密钥标识"), max_length=16)
    sealed_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = models.Manager.from_queryset(IntegritySealQuerySet)()

    class Meta:
        verbose_name = _("完整性校验值")
        verbose_name_plural = _("完整性校验值")
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="integrity_one_seal_per_row")
        ]

    def __str__(self):
        return f"{self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("完整性校验值只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("完整性校验值只能追加，不能删除。")
