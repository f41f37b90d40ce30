from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from anbiao.core.api import PiiSerializerMixin, ScopedModelViewSet, revision_field
from anbiao.core.middleware import get_scope
from anbiao.orgs import services, uscc
from anbiao.orgs.filters import EnterpriseFilter, OrganizationFilter
from anbiao.orgs.forms import ENTERPRISE_FIELDS
from anbiao.orgs.models import Enterprise, Organization


class OrganizationSerializer(PiiSerializerMixin, serializers.ModelSerializer):
    pii_fields = {"contact_phone": "phone"}
    parent = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none(), allow_null=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "parent",
            "path",
            "depth",
            "kind",
            "name",
            "code",
            "contact_person",
            "contact_phone",
            "address",
            "is_active",
            "sort_order",
        ]
        read_only_fields = ["path", "depth", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["parent"].queryset = Organization.objects.visible_to(get_scope(request), "org.manage")
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["parent"].read_only = True

    def create(self, validated_data):
        request = self.context["request"]
        parent = validated_data.pop("parent")
        return services.organization_create(
            actor=request.user, scope=get_scope(request), parent=parent, **validated_data
        )

    def update(self, instance, validated_data):
        request = self.context["request"]
        validated_data.pop("parent", None)
        return services.organization_update(
            actor=request.user, scope=get_scope(request), org=instance, **validated_data
        )


class OrganizationViewSet(ScopedModelViewSet):
    """Supervising units visible to the caller (their subtree)."""

    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    permission = "org.view"
    write_permission = "org.manage"
    filterset_class = OrganizationFilter
    ordering_fields = ["path", "name", "code"]

    def narrow(self, queryset):
        return queryset.order_by("path")


class EnterpriseSerializer(PiiSerializerMixin, serializers.ModelSerializer):
    pii_fields = {"principal_phone": "phone", "safety_officer_phone": "phone"}
    unit = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    landlord_unit = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), allow_null=True, required=False
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    industry_name = serializers.CharField(source="industry.name", read_only=True)
    township_name = serializers.SerializerMethodField()
    revision = revision_field()

    class Meta:
        model = Enterprise
        fields = [
            "id",
            *ENTERPRISE_FIELDS,
            "unit_name",
            "industry_name",
            "township_name",
            "status_since",
            "revision",
        ]
        read_only_fields = ["status_since"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            units = Organization.objects.visible_to(get_scope(request), "enterprise.manage").filter(
                is_active=True
            )
            self.fields["unit"].queryset = units
            self.fields["landlord_unit"].queryset = units

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_township_name(self, obj):
        return obj.township.name if obj.township_id else None

    def validate_uscc(self, value):
        return uscc.normalize(value)

    def create(self, validated_data):
        request = self.context["request"]
        validated_data.pop("revision", None)
        return services.enterprise_create(actor=request.user, scope=get_scope(request), data=validated_data)

    def update(self, instance, validated_data):
        request = self.context["request"]
        return services.enterprise_update(
            actor=request.user, scope=get_scope(request), enterprise=instance, data=validated_data
        )


class EnterpriseViewSet(ScopedModelViewSet):
    """Enterprises in the caller's scope.

    Filters: q, unit (subtree), township, size_class, industry, tag, status.
    """

    queryset = Enterprise.objects.all()
    serializer_class = EnterpriseSerializer
    permission = "enterprise.view"
    write_permission = "enterprise.manage"
    filterset_class = EnterpriseFilter
    ordering_fields = ["name", "registered_on", "employee_count"]

    def narrow(self, queryset):
        return queryset.select_related("unit", "industry", "township").order_by("name", "id")
