"""Duty API: safety."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from anbiao.core.api import PiiSerializerMixin, ScopedModelViewSet, ScopedReadOnlyViewSet
from anbiao.duty import rules, selectors, services
from anbiao.duty.api.base import READ_WRITE, EnterpriseField, ScopedPK, actor_scope
from anbiao.duty.choices import Employment, MemberRole
from anbiao.duty.filters import EnterpriseDutyFilter
from anbiao.duty.models import (
    Certificate,
    Person,
    RescueTeam,
    SafetyBody,
    SafetyOfficer,
)
from anbiao.orgs.models import Enterprise


# --- officers, bodies, teams, certificates --------------------------------------------------------------
class EndInput(serializers.Serializer):
    valid_to = serializers.DateField()


class OfficerSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseField()
    person = ScopedPK(Person)
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = SafetyOfficer
        fields = [
            "id",
            "enterprise",
            "person",
            "person_name",
            "employment",
            "appointment_document",
            "valid_from",
            "valid_to",
            "backdated",
            "note",
        ]
        read_only_fields = ["valid_to", "backdated"]

    def create(self, validated_data):
        actor, scope = actor_scope(self)
        return services.officer_appoint(
            actor=actor,
            scope=scope,
            enterprise=validated_data["enterprise"],
            person=validated_data["person"],
            employment=validated_data["employment"],
            valid_from=validated_data["valid_from"],
            document=validated_data.get("appointment_document", ""),
            note=validated_data.get("note", ""),
        )


class OfficerViewSet(ScopedModelViewSet):
    """专职/兼职 安全生产管理人员 appointments (dated). ``end`` closes one."""

    queryset = SafetyOfficer.objects.all()
    serializer_class = OfficerSerializer
    permission = "duty.view"
    write_permission = "duty.edit"
    http_method_names = READ_WRITE
    filterset_fields = ["enterprise", "employment"]

    def narrow(self, queryset):
        return queryset.select_related("person").order_by("enterprise_id", "-valid_from")

    @extend_schema(request=EndInput, responses=OfficerSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        officer = self.get_object()
        data = EndInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.officer_end(actor=request.user, scope=self.scope, officer=officer, **data.validated_data)
        return Response(OfficerSerializer(officer, context={"request": request}).data)


class BodySerializer(serializers.ModelSerializer):
    enterprise = EnterpriseField()

    class Meta:
        model = SafetyBody
        fields = ["id", "enterprise", "name", "document", "valid_from", "valid_to", "backdated", "note"]
        read_only_fields = ["valid_to", "backdated"]

    def create(self, validated_data):
        actor, scope = actor_scope(self)
        return services.body_create(actor=actor, scope=scope, **validated_data)


class BodyViewSet(ScopedModelViewSet):
    """安全生产管理机构 set up (dated)."""

    queryset = SafetyBody.objects.all()
    serializer_class = BodySerializer
    permission = "duty.view"
    write_permission = "duty.edit"
    http_method_names = READ_WRITE
    filterset_fields = ["enterprise"]

    def narrow(self, queryset):
        return queryset.order_by("enterprise_id", "-valid_from")


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField(source="person.name", read_only=True)
    role = serializers.ChoiceField(choices=MemberRole.choices)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(read_only=True)


class TeamSerializer(PiiSerializerMixin, serializers.ModelSerializer):
    pii_fields = {"contact_phone": "phone"}
    enterprise = EnterpriseField()
    members = MemberSerializer(many=True, read_only=True)
    employment = serializers.ChoiceField(choices=Employment.choices)

    class Meta:
        model = RescueTeam
        fields = [
            "id",
            "enterprise",
            "name",
            "employment",
            "contact_name",
            "contact_phone",
            "equipment",
            "note",
            "valid_from",
            "valid_to",
            "members",
        ]
        read_only_fields = ["valid_to"]

    def create(self, validated_data):
        actor, scope = actor_scope(self)
        enterprise = validated_data.pop("enterprise")
        valid_from = validated_data.pop("valid_from")
        return services.team_create(
            actor=actor, scope=scope, enterprise=enterprise, data=validated_data, valid_from=valid_from
        )


class MemberInput(serializers.Serializer):
    person = ScopedPK(Person)
    role = serializers.ChoiceField(choices=MemberRole.choices, default=MemberRole.MEMBER)
    valid_from = serializers.DateField()


class TeamViewSet(ScopedModelViewSet):
    """应急救援队伍 with their members (dated). ``members`` adds a member."""

    queryset = RescueTeam.objects.all()
    serializer_class = TeamSerializer
    permission = "duty.view"
    write_permission = "duty.edit"
    http_method_names = READ_WRITE
    filterset_fields = ["enterprise", "employment"]

    def narrow(self, queryset):
        return queryset.prefetch_related("members__person").order_by("enterprise_id", "name")

    @extend_schema(request=MemberInput, responses=MemberSerializer)
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        team = self.get_object()
        data = MemberInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        member = services.member_add(actor=request.user, scope=self.scope, team=team, **data.validated_data)
        return Response(MemberSerializer(member).data, status=201)


class CertificateSerializer(PiiSerializerMixin, serializers.ModelSerializer):
    pii_fields = {"number": "text"}
    person = ScopedPK(Person)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "person",
            "kind",
            "operation_type",
            "number",
            "issuer",
            "issued_on",
            "expires_on",
            "file",
        ]
        read_only_fields = ["file"]

    def create(self, validated_data):
        actor, scope = actor_scope(self)
        person = validated_data.pop("person")
        return services.certificate_add(actor=actor, scope=scope, person=person, data=validated_data)


class CertificateViewSet(ScopedModelViewSet):
    """Certificates of people (scans are uploaded on the person's page)."""

    queryset = Certificate.objects.all()
    serializer_class = CertificateSerializer
    permission = "duty.view"
    write_permission = "duty.edit"
    http_method_names = READ_WRITE
    filterset_fields = ["person", "kind"]

    def narrow(self, queryset):
        return queryset.order_by("person_id", "kind", "-issued_on")


# --- supervisor status -----------------------------------------------------------------------------------
class StatusSerializer(serializers.ModelSerializer):
    lists_complete = serializers.BooleanField()
    assessed_year = serializers.BooleanField()
    art24_ok = serializers.BooleanField()
    art24_reason = serializers.SerializerMethodField()
    has_body = serializers.BooleanField()
    full_time_n = serializers.IntegerField()
    part_time_n = serializers.IntegerField()
    teams_n = serializers.IntegerField()
    team_members_n = serializers.IntegerField()

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "unit",
            "employee_count",
            "handles_dangerous_goods",
            "lists_complete",
            "assessed_year",
            "art24_ok",
            "art24_reason",
            "has_body",
            "full_time_n",
            "part_time_n",
            "teams_n",
            "team_members_n",
        ]
        read_only_fields = fields

    def get_art24_reason(self, obj) -> str:
        rule = self.context.setdefault("rule", selectors.staffing_rule_on(selectors_today()))
        return rules.art24_check(
            dangerous_goods=obj.handles_dangerous_goods,
            employees=obj.employee_count,
            has_body=obj.has_body,
            full_time=obj.full_time_n,
            part_time=obj.part_time_n,
            rule=rule,
        ).reason


def selectors_today():
    from django.utils import timezone

    return timezone.localdate()


class StatusViewSet(ScopedReadOnlyViewSet):
    """Each enterprise's 全员责任制 status today: lists complete, Art. 24 (with the reason), officers, teams,
    annual assessment. Filters: q, unit, lists, assessed, art24, team (yes/no)."""

    queryset = Enterprise.objects.all()
    serializer_class = StatusSerializer
    permission = "duty.view"
    filterset_class = EnterpriseDutyFilter

    def narrow(self, queryset):
        return selectors.with_duty_status(queryset, selectors_today()).order_by("name", "id")
