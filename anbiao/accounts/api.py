from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from anbiao.accounts.models import Membership, User
from anbiao.core.api import ScopedReadOnlyViewSet
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


class UserSerializer(serializers.ModelSerializer):
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "phone", "email", "is_active", "memberships"]

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
        data = UserSerializer(request.user).data
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
            "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
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
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
