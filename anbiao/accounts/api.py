from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from anbiao.accounts import mfa, passwords
from anbiao.accounts.models import Membership, User
from anbiao.core.api import PiiSerializerMixin, ScopedReadOnlyViewSet
from anbiao.core.middleware import get_scope


class MembershipSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    place = serializers.CharField(read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "role",
            "role_display",
            "organization",
            "enterprise",
            "place",
            "valid_from",
            "valid_to",
        ]


class UserSerializer(PiiSerializerMixin, serializers.ModelSerializer):
    """A user; the phone masked for callers without ``pii.view`` on them (their own shown in full)."""

    memberships = serializers.SerializerMethodField()
    pii_fields = {"phone": "phone"}

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "phone", "email", "is_active", "memberships"]

    def to_representation(self, instance):
        request = self.context.get("request")
        if request is not None and request.user.pk == instance.pk:
            return serializers.ModelSerializer.to_representation(self, instance)
        return super().to_representation(instance)

    @extend_schema(responses=MembershipSerializer(many=True))
    def get_memberships(self, obj) -> list[dict]:
        rows = getattr(obj, "active_memberships", None)
        if rows is None:
            rows = Membership.objects.active().filter(user=obj).select_related("organization", "enterprise")
        return MembershipSerializer(rows, many=True).data


class UserViewSet(ScopedReadOnlyViewSet):
    queryset = User.objects.all()
    serializer_class = UserSerializer
    permission = "user.view"

    def narrow(self, queryset):
        from anbiao.accounts.views import _active_memberships

        return queryset.prefetch_related(_active_memberships()).order_by("username")


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UserSerializer)
    def get(self, request):
        scope = get_scope(request)
        data = UserSerializer(request.user, context={"request": request}).data
        data["permissions"] = sorted({p for g in scope.grants for p in _perms(g.role)})
        data["must_change_password"] = request.user.must_change_password
        return Response(data)


def _perms(role):
    from anbiao.core.roles import permission_table

    return permission_table().get(role, ())


class TokenView(APIView):
    """Exchange a username and password for an API token (``Authorization: Token …``)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {
                "username": serializers.CharField(),
                "password": serializers.CharField(),
                "otp": serializers.CharField(
                    required=False, help_text="动态口令：启用管理员双因素认证时，管理员必须提供。"
                ),
            },
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request):
        username = str(request.data.get("username", ""))
        password = str(request.data.get("password", ""))
        if not username or not password:
            return Response({"detail": "请提供用户名和密码。"}, status=status.HTTP_400_BAD_REQUEST)
        user = authenticate(request._request, username=username, password=password)
        if user is None:
            return Response(
                {"detail": "用户名或密码不正确，或账号已被锁定。"}, status=status.HTTP_401_UNAUTHORIZED
            )
        if user.must_change_password:
            return Response({"detail": "首次登录须先在网页上修改密码。"}, status=status.HTTP_403_FORBIDDEN)
        if passwords.password_expired(user):
            return Response({"detail": passwords.expired_message()}, status=status.HTTP_403_FORBIDDEN)
        if mfa.required_for(user):
            return self._issue_after_otp(user, str(request.data.get("otp", "")))
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    def _issue_after_otp(self, user, code):
        """An administrator's token needs a code; it replaces their older tokens (which stop working)."""
        device = mfa.confirmed_device(user)
        if device is None:
            return Response({"detail": "须先在网页上登录并绑定动态口令。"}, status=status.HTTP_403_FORBIDDEN)
        if not mfa.verify(device, code):
            return Response({"detail": "动态口令不正确或已使用过。"}, status=status.HTTP_401_UNAUTHORIZED)
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        device.api_token_digest = mfa.token_digest(token.key)
        device.save(update_fields=["api_token_digest"])
        return Response({"token": token.key})
