"""Duty API: people."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from anbiao.core.api import PiiSerializerMixin, ScopedModelViewSet, ScopedReadOnlyViewSet
from anbiao.duty import services
from anbiao.duty.api.base import READ_WRITE, EnterpriseField, ScopedPK, actor_scope
from anbiao.duty.models import (
    DutyList,
    DutyTemplate,
    Person,
    Post,
    PostHolding,
)


# --- people and posts ------------------------------------------------------------------------------------
class PersonSerializer(PiiSerializerMixin, serializers.ModelSerializer):
    pii_fields = {"phone": "phone", "note": "text"}
    enterprise = EnterpriseField()
    is_active = serializers.BooleanField(default=True)  # a form post without the box keeps people active

    class Meta:
        model = Person
        fields = [
            "id",
            "enterprise",
            "name",
            "phone",
            "department",
            "is_active",
            "joined_on",
            "left_on",
            "note",
        ]

    def create(self, validated_data):
        actor, scope = actor_scope(self)
        enterprise = validated_data.pop("enterprise")
        return services.person_create(actor=actor, scope=scope, enterprise=enterprise, data=validated_data)

    def update(self, instance, validated_data):
        actor, scope = actor_scope(self)
        validated_data.pop("enterprise", None)
        return services.person_update(actor=actor, scope=scope, person=instance, data=validated_data)


class AnonymiseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class PersonViewSet(ScopedModelViewSet):
    """People of the enterprises in the caller's scope. Phones are masked for roles without ``pii.view``;
    ``anonymise`` erases a departed person's personal data (docs/privacy.md)."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    permission = "duty.view"
    write_permission = "duty.edit"
    filterset_fields = ["enterprise", "is_active"]

    def narrow(self, queryset):
        return queryset.order_by("enterprise_id", "name", "id")

    @extend_schema(request=AnonymiseInput, responses=PersonSerializer)
    @action(detail=True, methods=["post"])
    def anonymise(self, request, pk=None):
        person = self.get_object()
        data = AnonymiseInput(data=request.data)
        data.is_valid(raise_exception=True)
        person = services.person_anonymise(
            actor=request.user, scope=self.scope, person=person, reason=data.validated_data["reason"]
        )
        return Response(PersonSerializer(person, context=self.get_serializer_context()).data)


class HoldingSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = PostHolding
        fields = ["id", "post", "person", "person_name", "valid_from", "valid_to", "backdated", "note"]
        read_only_fields = fields


class PostSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseField()
    holders = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "enterprise",
            "department",
            "name",
            "level",
            "established_on",
            "abolished_on",
            "note",
            "holders",
        ]
        read_only_fields = ["abolished_on"]

    @extend_schema_field(HoldingSerializer(many=True))
    def get_holders(self, obj):
        return HoldingSerializer([h for h in obj.holdings.all() if h.valid_to is None], many=True).data

    def create(self, validated_data):
        actor, scope = actor_scope(self)
        enterprise = validated_data.pop("enterprise")
        return services.post_create(actor=actor, scope=scope, enterprise=enterprise, data=validated_data)


class HoldingInput(serializers.Serializer):
    person = ScopedPK(Person)
    valid_from = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AdoptInput(serializers.Serializer):
    template = serializers.PrimaryKeyRelatedField(
        queryset=DutyTemplate.objects.all(), required=False, allow_null=True
    )


class DutyItemSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True)
    text = serializers.CharField()
    basis = serializers.CharField(required=False, allow_blank=True, default="")


class AssessItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    content = serializers.CharField()
    indicator = serializers.CharField(required=False, allow_blank=True, default="")
    full_marks = serializers.DecimalField(max_digits=5, decimal_places=1)
    scoring_rule = serializers.CharField(required=False, allow_blank=True, default="")


class DutyListSerializer(serializers.ModelSerializer):
    duty_items = DutyItemSerializer(many=True, read_only=True)
    assess_items = AssessItemSerializer(many=True, read_only=True)

    class Meta:
        model = DutyList
        fields = [
            "id",
            "post",
            "version",
            "status",
            "template",
            "effective_from",
            "superseded_on",
            "published_on",
            "published_place",
            "backdated",
            "note",
            "duty_items",
            "assess_items",
        ]
        read_only_fields = fields


class PostViewSet(ScopedModelViewSet):
    """Posts (岗位) with current holders. POST ``holders`` records a holding; ``adopt`` starts a list."""

    queryset = Post.objects.all()
    serializer_class = PostSerializer
    permission = "duty.view"
    write_permission = "duty.edit"
    http_method_names = READ_WRITE
    filterset_fields = ["enterprise", "level"]

    def narrow(self, queryset):
        return queryset.prefetch_related("holdings__person").order_by("enterprise_id", "level", "name", "id")

    @extend_schema(request=HoldingInput, responses=HoldingSerializer)
    @action(detail=True, methods=["post"])
    def holders(self, request, pk=None):
        post = self.get_object()
        data = HoldingInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        holding = services.holding_add(actor=request.user, scope=self.scope, post=post, **data.validated_data)
        return Response(HoldingSerializer(holding).data, status=201)

    @extend_schema(request=AdoptInput, responses=DutyListSerializer)
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        post = self.get_object()
        data = AdoptInput(data=request.data)
        data.is_valid(raise_exception=True)
        dl = services.duty_list_adopt(
            actor=request.user, scope=self.scope, post=post, template=data.validated_data.get("template")
        )
        return Response(DutyListSerializer(dl).data, status=201)


class ItemsInput(serializers.Serializer):
    duty_items = DutyItemSerializer(many=True)
    assess_items = AssessItemSerializer(many=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PublishInput(serializers.Serializer):
    effective_from = serializers.DateField()
    published_on = serializers.DateField()
    published_place = serializers.CharField(max_length=100)


class DutyListViewSet(ScopedReadOnlyViewSet):
    """Versions of each post's 责任清单 + 考核清单. Drafts are adapted with ``items`` and put in force with
    ``publish``."""

    queryset = DutyList.objects.all()
    serializer_class = DutyListSerializer
    permission = "duty.view"
    write_permission = "duty.edit"
    filterset_fields = ["post", "status"]

    def narrow(self, queryset):
        return queryset.prefetch_related("duty_items", "assess_items").order_by("post_id", "-version")

    @extend_schema(request=ItemsInput, responses=DutyListSerializer)
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        dl = self.get_object()
        data = ItemsInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.duty_list_save(actor=request.user, scope=self.scope, duty_list=dl, **data.validated_data)
        return Response(DutyListSerializer(DutyList.objects.get(pk=dl.pk)).data)

    @extend_schema(request=PublishInput, responses=DutyListSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        dl = self.get_object()
        data = PublishInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.duty_list_publish(actor=request.user, scope=self.scope, duty_list=dl, **data.validated_data)
        return Response(DutyListSerializer(DutyList.objects.get(pk=dl.pk)).data)
