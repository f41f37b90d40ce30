"""Safety management body, officers (Art. 24) and emergency rescue teams — all with dated history."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from anbiao.core.scope import ScopedManager, ScopeSpec
from anbiao.duty.choices import Employment, MemberRole
from anbiao.duty.models.base import Dated
from anbiao.orgs.models import phone_validator


class SafetyBody(Dated):
    """安全生产管理机构: set up on ``valid_from`` (by ``document``), dissolved on ``valid_to``."""

    scope_spec = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="safety_bodies"
    )
    name = models.CharField(_("机构名称"), max_length=100)
    document = models.CharField(_("设立文件"), max_length=100, blank=True)
    file = models.ForeignKey(
        "core.EvidenceFile",
        verbose_name=_("设立文件扫描件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("安全生产管理机构")
        verbose_name_plural = _("安全生产管理机构")
        ordering = ["enterprise", "-valid_from"]

    def __str__(self):
        return self.name


class SafetyOfficer(Dated):
    """A 专职/兼职 安全生产管理人员 appointment."""

    scope_spec = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="safety_officers"
    )
    person = models.ForeignKey(
        "duty.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="officer_terms"
    )
    employment = models.CharField(_("专兼职"), max_length=10, choices=Employment.choices)
    appointment_document = models.CharField(_("任命文件"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("安全生产管理人员")
        verbose_name_plural = _("安全生产管理人员")
        ordering = ["enterprise", "-valid_from"]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self):
        return f"{self.person}（{self.get_employment_display()}）"

    def clean(self):
        super().clean()
        if self.person_id and self.enterprise_id and self.person.enterprise_id != self.enterprise_id:
            raise ValidationError({"person": _("人员不属于该企业。")})


class RescueTeam(Dated):
    """应急救援队伍 (专职/兼职). Drills are recorded by the ledgers app (``team.drills``)."""

    scope_spec = ScopeSpec(org_paths=("enterprise__unit__path",), enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="rescue_teams"
    )
    name = models.CharField(_("队伍名称"), max_length=100)
    employment = models.CharField(_("专兼职"), max_length=10, choices=Employment.choices)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    equipment = models.TextField(_("装备概况"), blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("应急救援队伍")
        verbose_name_plural = _("应急救援队伍")
        ordering = ["enterprise", "name"]

    def __str__(self):
        return self.name


class RescueTeamMember(Dated):
    scope_spec = ScopeSpec(org_paths=("team__enterprise__unit__path",), enterprise="team__enterprise_id")

    team = models.ForeignKey(
        RescueTeam, verbose_name=_("队伍"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        "duty.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="team_memberships"
    )
    role = models.CharField(_("职务"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("救援队员")
        verbose_name_plural = _("救援队员")
        ordering = ["team", "role", "id"]

    def __str__(self):
        return f"{self.person} · {self.team}"

    def clean(self):
        super().clean()
        if self.person_id and self.team_id and self.person.enterprise_id != self.team.enterprise_id:
            raise ValidationError({"person": _("人员不属于该企业。")})
