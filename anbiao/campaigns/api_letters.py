"""REST API of the 告知书 / 承诺书 per enterprise."""

from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from anbiao.api.parsers import ObjectJSONParser
from anbiao.campaigns import letters_docx, selectors, services
from anbiao.campaigns.api import _date, _raise
from anbiao.campaigns.filters import LetterFilter
from anbiao.campaigns.models import Campaign, EnterpriseLetter
from anbiao.core.api import ScopedReadOnlyViewSet
from anbiao.orgs.models import Enterprise

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- 告知书 / 承诺书 ---------------------------------------------------------------------------------
class LetterSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = EnterpriseLetter
        fields = [
            "id",
            "campaign",
            "enterprise",
            "enterprise_name",
            "deadline",
            "generated_at",
            "delivered_on",
            "delivery_method",
            "signed_on",
            "signer",
            "signed_scan",
            "posted_on",
        ]
        read_only_fields = fields


class GenerateSerializer(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all())
    enterprises = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    deadline = serializers.DateField()


class DeliverSerializer(serializers.Serializer):
    letters = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    delivered_on = serializers.DateField()
    delivery_method = serializers.ChoiceField(
        choices=EnterpriseLetter._meta.get_field("delivery_method").choices
    )


class SignSerializer(serializers.Serializer):
    signed_on = serializers.DateField()
    signer = serializers.CharField(max_length=50)
    scan = serializers.FileField()


class LetterPostSerializer(serializers.Serializer):
    posted_on = serializers.DateField()


class LetterViewSet(ScopedReadOnlyViewSet):
    """告知书 / 承诺书 per enterprise: generate, deliver, sign (with the stamped scan), post; docx."""

    queryset = EnterpriseLetter.objects.all()
    serializer_class = LetterSerializer
    permission = "campaign.view"
    write_permission = "campaign.file"
    filterset_class = LetterFilter
    parser_classes = [MultiPartParser, FormParser, ObjectJSONParser]

    def narrow(self, queryset):
        return queryset.select_related("enterprise").order_by("enterprise__name", "id")

    @extend_schema(request=GenerateSerializer, responses=LetterSerializer(many=True))
    @action(detail=False, methods=["post"])
    def generate(self, request):
        """Create (or re-date) the letters of these enterprises; fetch each docx from ``…/{id}/docx/``."""
        s = GenerateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        ids = s.validated_data["enterprises"]
        enterprises = list(Enterprise.objects.visible_to(self.scope, "campaign.file").filter(pk__in=ids))
        if len(enterprises) != len(set(ids)):
            raise ValidationError({"enterprises": "有企业不存在或不在您的管辖范围内。"})
        try:
            letters = services.letters_generate(
                actor=request.user,
                scope=self.scope,
                campaign=s.validated_data["campaign"],
                enterprises=enterprises,
                deadline=s.validated_data["deadline"],
            )
        except DjangoValidationError as exc:
            _raise(exc)
        return Response(LetterSerializer(letters, many=True).data, status=201)

    @extend_schema(
        request=DeliverSerializer,
        responses=inline_serializer("Delivered", {"delivered": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"])
    def deliver(self, request):
        s = DeliverSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        ids = set(s.validated_data["letters"])
        letters = list(
            EnterpriseLetter.objects.visible_to(self.scope, "campaign.file")
            .filter(pk__in=ids)
            .select_related("enterprise__unit")
        )
        if len(letters) != len(ids):
            raise ValidationError({"letters": "有告知书不存在或不在您的管辖范围内。"})
        try:
            n = services.letter_deliver(
                actor=request.user,
                scope=self.scope,
                letters=letters,
                on=s.validated_data["delivered_on"],
                method=s.validated_data["delivery_method"],
            )
        except DjangoValidationError as exc:
            _raise(exc)
        return Response({"delivered": n})

    @extend_schema(
        parameters=[],
        responses=inline_serializer(
            "LetterProgress",
            {
                "total": serializers.IntegerField(),
                "delivered": serializers.IntegerField(),
                "signed": serializers.IntegerField(),
                "not_delivered": serializers.ListField(child=serializers.DictField()),
                "not_signed": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    @action(detail=False)
    def progress(self, request):
        """函告企业数 / 签订承诺书企业数 in scope (``?campaign=&as_of=``), with who is missing."""
        campaign = selectors.pick_campaign(request.query_params.get("campaign"))
        if campaign is None:
            raise ValidationError({"campaign": "没有专项行动。"})
        as_of = _date(request.query_params.get("as_of") or timezone.localdate(), "as_of")
        p = selectors.letter_progress(scope=self.scope, campaign=campaign, as_of=as_of)
        return Response({**p, "campaign": campaign.pk, "as_of": as_of})

    @extend_schema(responses={(200, DOCX_MIME): OpenApiTypes.BINARY})
    @action(detail=True)
    def docx(self, request, pk=None):
        """The 告知书 and 承诺书 of this enterprise (docx, three copies each)."""
        from anbiao.campaigns.views.letters import issuer_name

        letter = self.get_object()
        data = letters_docx.render([letter], issuer=issuer_name(letter.campaign))
        resp = HttpResponse(data, content_type=DOCX_MIME)
        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(letter.enterprise.name)}.docx"
        return resp

    @extend_schema(request=SignSerializer, responses=LetterSerializer)
    @action(detail=True, methods=["get", "post"])
    def sign(self, request, pk=None):
        """POST (multipart): signed on, signer and the scan of the stamped 承诺书. GET: the letter."""
        letter = self.get_object()
        if request.method == "POST":
            s = SignSerializer(data=request.data)
            s.is_valid(raise_exception=True)
            try:
                letter = services.letter_sign(
                    actor=request.user,
                    scope=self.scope,
                    letter=letter,
                    on=s.validated_data["signed_on"],
                    signer=s.validated_data["signer"],
                    scan=s.validated_data["scan"],
                )
            except DjangoValidationError as exc:
                _raise(exc)
        return Response(LetterSerializer(letter).data)

    @extend_schema(request=LetterPostSerializer, responses=LetterSerializer)
    @action(detail=True, methods=["get", "post"], url_path="post", url_name="post")
    def posted(self, request, pk=None):
        """POST: the date the enterprise put its copy on the 公示栏. GET: the letter."""
        letter = self.get_object()
        if request.method == "POST":
            s = LetterPostSerializer(data=request.data)
            s.is_valid(raise_exception=True)
            try:
                letter = services.letter_post(
                    actor=request.user, scope=self.scope, letter=letter, on=s.validated_data["posted_on"]
                )
            except DjangoValidationError as exc:
                _raise(exc)
        return Response(LetterSerializer(letter).data)
