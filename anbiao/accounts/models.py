import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anbiao.core.roles import ASSIGNED_ROLES, ENTERPRISE_ROLES, UNIT_ROLES, Role
from anbiao.core.scope import ScopedQuerySet, ScopeSpec
from anbiao.orgs.models import phone_validator


class UserQuerySet(ScopedQuerySet):
    def visible_to(self, scope, perm=None):
        """A user is visible where one of their memberships is (or they are the viewer)."""
        if scope.user is None:
            return self.none()
        memberships = Membership.objects.visible_to(scope, perm).values("user_id")
        return self.filter(Q(pk__in=memberships) | Q(pk=scope.user.pk))


class AnbiaoUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who logs in. What they see is decided by their memberships, never by flags on the user."""

    scope_spec = ScopeSpec(
        org_paths=("memberships__organization__path", "memberships__enterprise__unit__path"),
        enterprise="memberships__enterprise_id",
    )

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True, validators=[phone_validator])
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    objects = AnbiaoUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username


class MembershipQuerySet(ScopedQuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gt=on))


class Membership(models.Model):
    """A user's role at a unit or an enterprise, dated (who held which post when)."""

    scope_spec = ScopeSpec(
        org_paths=("organization__path", "enterprise__unit__path"), enterprise="enterprise_id"
    )

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    valid_from = models.DateField(_("起始日期"), default=datetime.date.today)
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = models.Manager.from_queryset(MembershipQuerySet)()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["user", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False, enterprise__isnull=True))
                | (Q(organization__isnull=True, enterprise__isnull=False)),
                name="membership_unit_xor_enterprise",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organization or self.enterprise}"

    @property
    def place(self):
        return self.organization or self.enterprise

    def clean(self):
        if self.role in ENTERPRISE_ROLES and not self.enterprise_id:
            raise ValidationError({"enterprise": _("企业角色须选择企业。")})
        if (self.role in UNIT_ROLES or self.role in ASSIGNED_ROLES) and not self.organization_id:
            raise ValidationError({"organization": _("该角色须选择所属单位。")})
        if self.valid_to and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("截止日期须晚于起始日期。")})


class AssignmentQuerySet(ScopedQuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gt=on))


class Assignment(models.Model):
    """A grid inspector or expert assigned to an enterprise, dated."""

    scope_spec = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")

    user = models.ForeignKey(
        User, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="assignments"
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(
        _("角色"), max_length=20, choices=[(r.value, r.label) for r in Role if r in ASSIGNED_ROLES]
    )
    valid_from = models.DateField(_("起始日期"), default=datetime.date.today)
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = models.Manager.from_queryset(AssignmentQuerySet)()

    class Meta:
        verbose_name = _("包联分配")
        verbose_name_plural = _("包联分配")
        ordering = ["enterprise", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "enterprise", "role"],
                condition=Q(valid_to__isnull=True),
                name="one_open_assignment",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.enterprise}"


class OTPDevice(models.Model):
    """A user's TOTP authenticator (动态口令, RFC 6238: 6 digits, 30 s step), used when ANBIAO_MFA_REQUIRED.

    ``last_used_step`` makes every code single-use: a code is accepted only for a time step later than the
    last accepted one (a conditional UPDATE, so two workers cannot both accept it). ``failures`` and
    ``locked_until`` stop guessing. ``api_token_digest`` is the sha256 of the one API token issued after an
    OTP check; older tokens of the user are refused while MFA is required.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="otp_device")
    secret = models.CharField(_("密钥"), max_length=64)
    confirmed_at = models.DateTimeField(_("绑定时间"), null=True, blank=True)
    last_used_step = models.BigIntegerField(_("最近使用的时间片"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近验证时间"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(_("连续错误次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    api_token_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("动态口令设备")
        verbose_name_plural = _("动态口令设备")

    def __str__(self):
        return f"{self.user} · 动态口令"


class PasswordHistory(models.Model):
    """One password hash a user has had (等保 定期更换: the last ANBIAO_PASSWORD_HISTORY cannot be reused).

    A row is written each time a password is set through the services (``passwords.remember``), so the
    newest row is the current password; older rows beyond the setting are deleted. Hashes only, never text.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("密码摘要"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["user", "-created_at", "-id"]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"
