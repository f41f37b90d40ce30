"""教育培训 inside the enterprise (GB/T 33000-2016 §5.3): sessions and who attended (duty.Person)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.core.scope import ScopedManager, ScopeSpec
from anbiao.ledgers.choices import TrainingKind
from anbiao.ledgers.models.base import EnterpriseRecord, file_field


class TrainingSession(EnterpriseRecord):
    """A planned or held training. ``held_on`` empty = still a plan (培训计划)."""

    audit_name = "training"

    kind = models.CharField(_("培训类别"), max_length=30, choices=TrainingKind.choices)
    title = models.CharField(_("培训主题"), max_length=200)
    planned_on = models.DateField(_("计划日期"))
    held_on = models.DateField(_("实施日期"), null=True, blank=True)
    hours = models.DecimalField(
        _("学时"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    trainer = models.CharField(_("授课人"), max_length=100, blank=True)
    location = models.CharField(_("地点"), max_length=150, blank=True)
    content = models.TextField(_("培训内容"), blank=True)
    file = file_field(_("签到表或资料"))

    class Meta:
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        ordering = ["enterprise", "-planned_on", "-id"]

    def __str__(self):
        return f"{self.planned_on} {self.title}"

    @property
    def is_held(self) -> bool:
        return self.held_on is not None


class TrainingAttendance(models.Model):
    """One person at one training session: hours, exam score and result."""

    scope_spec = ScopeSpec(
        org_paths=("session__enterprise__unit__path",), enterprise="session__enterprise_id"
    )
    audit_name = "attendance"

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("培训"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        "duty.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="trainings"
    )
    hours = models.DecimalField(
        _("学时"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )
    exam_score = models.DecimalField(
        _("考试成绩"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    passed = models.BooleanField(_("考核合格"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("参训人员")
        verbose_name_plural = _("参训人员")
        ordering = ["session", "person__name", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="ledgers_attendance_once")]

    def __str__(self):
        return f"{self.person} · {self.session}"

    def clean(self):
        if self.person_id and self.session_id and self.person.enterprise_id != self.session.enterprise_id:
            raise ValidationError({"person": _("该人员不属于本企业。")})
