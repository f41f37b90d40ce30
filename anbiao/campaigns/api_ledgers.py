"""REST API of the letters, training, enforcement, showcase and 四项规范 ledgers."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from anbiao.api.parsers import ObjectJSONParser
from anbiao.campaigns import ledger_services, rules, xlsx_io
from anbiao.campaigns.api import ScopedFieldsMixin, _raise
from anbiao.campaigns.filters import (
    AttendanceFilter,
    EnforcementFilter,
    NormFilter,
    SessionFilter,
    ShowcaseFilter,
)
from anbiao.campaigns.models import (
    Attendance,
    EnforcementAction,
    NormDocument,
    ShowcaseEntry,
    TrainingSession,
)
from anbiao.core.api import PiiSerializerMixin, ScopedModelViewSet
from anbiao.orgs.models import Enterprise, Organization

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MULTIPART = [MultiPartParser, FormParser, ObjectJSONParser]


# --- Training, attendance -------------------------------------------------------------------------------
class SessionSerializer(ScopedFieldsMixin, serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    persons = serializers.SerializerMethodField()

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "unit",
            "kind",
            "level",
            "organizer",
            "held_on",
            "topic",
            "location",
            "targets",
            "note",
            "persons",
            "backdated",
            "recorded_at",
        ]
        read_only_fields = ["backdated", "recorded_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["unit"].read_only = True

    @extend_schema_field(serializers.IntegerField())
    def get_persons(self, obj):
        return getattr(obj, "n_persons", None) if hasattr(obj, "n_persons") else obj.attendances.count()

    def validate_targets(self, value):
        from anbiao.campaigns.choices import TraineeCategory

        if not isinstance(value, list):
            raise serializers.ValidationError('须为人员类别的列表，例如 ["principal"]。')
        bad = [v for v in value if v not in TraineeCategory.values]
        if bad:
            raise serializers.ValidationError(f"不是可选的人员类别：{'、'.join(map(str, bad))}")
        return value

    def create(self, data):
        unit = data.pop("unit")
        try:
            return ledger_services.session_create(actor=self.actor, scope=self.scope, unit=unit, data=data)
        except DjangoValidationError as exc:
            _raise(exc)

    def update(self, instance, data):
        data.pop("unit", None)
        try:
            return ledger_services.session_update(
                actor=self.actor, scope=self.scope, session=instance, data=data
            )
        except DjangoValidationError as exc:
            _raise(exc)


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()


class SessionViewSet(ScopedModelViewSet):
    """专题培训 and 现场观摩. ``attendance_import``: upload the attendees' xlsx (all rows or none)."""

    queryset = TrainingSession.objects.all()
    serializer_class = SessionSerializer
    permission = "campaign.view"
    write_permission = "campaign.file"
    filterset_class = SessionFilter
    parser_classes = MULTIPART

    def narrow(self, queryset):
        from django.db.models import Count

        return (
            queryset.select_related("unit")
            .annotate(n_persons=Count("attendances"))
            .order_by("-held_on", "-id")
        )

    @extend_schema(
        request=ImportSerializer,
        responses=inline_serializer(
            "AttendanceImport",
            {
                "created": serializers.IntegerField(),
                "errors": serializers.ListField(child=serializers.CharField()),
            },
        ),
    )
    @action(detail=True, methods=["get", "post"], url_path="import", url_name="import")
    def attendance_import(self, request, pk=None):
        """POST (multipart ``file``): import attendees; unmatched rows reported by row. GET: the session."""
        session = self.get_object()
        if request.method != "POST":
            return Response(SessionSerializer(session, context=self.get_serializer_context()).data)
        s = ImportSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        result = xlsx_io.import_attendance(
            actor=request.user, scope=self.scope, session=session, upload=s.validated_data["file"]
        )
        return Response(
            {"created": result.created, "errors": result.errors}, status=201 if result.ok else 400
        )


class SessionAttendanceSerializer(PiiSerializerMixin, ScopedFieldsMixin, serializers.ModelSerializer):
    pii_fields = {"phone": "phone"}
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.none(), allow_null=True, required=False
    )
    session = serializers.PrimaryKeyRelatedField(queryset=TrainingSession.objects.none())

    class Meta:
        model = Attendance
        fields = ["id", "session", "enterprise", "person_name", "category", "position", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["session"].queryset = TrainingSession.objects.visible_to(self.scope, "campaign.file")

    def create(self, data):
        session = data.pop("session")
        try:
            return ledger_services.attendance_add(
                actor=self.actor, scope=self.scope, session=session, data=data
            )
        except DjangoValidationError as exc:
            _raise(exc)


class AttendanceViewSet(ScopedModelViewSet):
    """Attendance by enterprise and person. Filters: session, enterprise."""

    queryset = Attendance.objects.all()
    serializer_class = SessionAttendanceSerializer
    permission = "campaign.view"
    write_permission = "campaign.file"
    filterset_class = AttendanceFilter
    http_method_names = ["get", "post", "head", "options"]

    def narrow(self, queryset):
        return queryset.order_by("session", "id")


# --- Enforcement, showcase, 四项规范 -------------------------------------------------------------------
class EnforcementSerializer(ScopedFieldsMixin, serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    amount_wan = serializers.SerializerMethodField()

    class Meta:
        model = EnforcementAction
        fields = [
            "id",
            "enterprise",
            "kind",
            "authority",
            "action_on",
            "basis",
            "document_no",
            "amount",
            "amount_wan",
            "persons",
            "description",
            "backdated",
            "recorded_at",
        ]
        read_only_fields = ["backdated", "recorded_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_amount_wan(self, obj):
        """罚款金额（万元，四位小数）."""
        return None if obj.amount is None else rules.format_wan(obj.amount)

    def create(self, data):
        try:
            return ledger_services.enforcement_create(actor=self.actor, scope=self.scope, data=data)
        except DjangoValidationError as exc:
            _raise(exc)

    def update(self, instance, data):
        try:
            return ledger_services.enforcement_update(
                actor=self.actor, scope=self.scope, action=instance, data=data
            )
        except DjangoValidationError as exc:
            _raise(exc)


class EnforcementViewSet(ScopedModelViewSet):
    """执法与约束激励台账 (amounts in 元; ``amount_wan`` in 万元). Filters: q, unit, kind, dates."""

    queryset = EnforcementAction.objects.all()
    serializer_class = EnforcementSerializer
    permission = "campaign.view"
    write_permission = "campaign.file"
    filterset_class = EnforcementFilter

    def narrow(self, queryset):
        return queryset.select_related("enterprise").order_by("-action_on", "-id")


class ShowcaseSerializer(ScopedFieldsMixin, serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.none(), allow_null=True, required=False
    )

    class Meta:
        model = ShowcaseEntry
        fields = [
            "id",
            "unit",
            "category",
            "level",
            "recognised_on",
            "title",
            "township",
            "enterprise",
            "size_class",
            "post_type",
            "write_up",
            "backdated",
        ]
        read_only_fields = ["size_class", "backdated"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["unit"].read_only = True

    def create(self, data):
        unit = data.pop("unit")
        try:
            return ledger_services.showcase_create(actor=self.actor, scope=self.scope, unit=unit, data=data)
        except DjangoValidationError as exc:
            _raise(exc)

    def update(self, instance, data):
        data.pop("unit", None)
        try:
            return ledger_services.showcase_update(
                actor=self.actor, scope=self.scope, entry=instance, data=data
            )
        except DjangoValidationError as exc:
            _raise(exc)


class ShowcaseViewSet(ScopedModelViewSet):
    """十佳乡镇案例 / 百优企业案例 / 千企达标评审 / 万岗达标. Filters: q, unit, category, level, post_type."""

    queryset = ShowcaseEntry.objects.all()
    serializer_class = ShowcaseSerializer
    permission = "campaign.view"
    write_permission = "campaign.file"
    filterset_class = ShowcaseFilter

    def narrow(self, queryset):
        return queryset.order_by("-recognised_on", "-id")


class NormSerializer(ScopedFieldsMixin, serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.none(), allow_null=True, required=False
    )
    upload = serializers.FileField(write_only=True, required=False)

    class Meta:
        model = NormDocument
        fields = [
            "id",
            "unit",
            "enterprise",
            "kind",
            "title",
            "version",
            "issued_on",
            "is_revision",
            "note",
            "file",
            "upload",
            "backdated",
        ]
        read_only_fields = ["file", "backdated"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["unit"].read_only = True

    def create(self, data):
        unit = data.pop("unit")
        upload = data.pop("upload", None)
        try:
            return ledger_services.norm_create(
                actor=self.actor, scope=self.scope, unit=unit, data=data, upload=upload
            )
        except DjangoValidationError as exc:
            _raise(exc)

    def update(self, instance, data):
        data.pop("unit", None)
        upload = data.pop("upload", None)
        try:
            return ledger_services.norm_update(
                actor=self.actor, scope=self.scope, norm=instance, data=data, upload=upload
            )
        except DjangoValidationError as exc:
            _raise(exc)


class NormViewSet(ScopedModelViewSet):
    """四项规范 registry (POST multipart with ``upload``). Filters: q, unit, kind, dates."""

    queryset = NormDocument.objects.all()
    serializer_class = NormSerializer
    permission = "campaign.view"
    write_permission = "campaign.file"
    filterset_class = NormFilter
    parser_classes = MULTIPART

    def narrow(self, queryset):
        return queryset.order_by("-issued_on", "-id")


def register_ledgers(router):
    from anbiao.campaigns.api_letters import LetterViewSet

    router.register("campaign-letters", LetterViewSet, basename="campaign-letter")
    router.register("campaign-sessions", SessionViewSet, basename="campaign-session")
    router.register("campaign-attendances", AttendanceViewSet, basename="campaign-attendance")
    router.register("campaign-enforcement", EnforcementViewSet, basename="campaign-enforcement")
    router.register("campaign-showcase", ShowcaseViewSet, basename="campaign-showcase")
    router.register("campaign-norms", NormViewSet, basename="campaign-norm")
