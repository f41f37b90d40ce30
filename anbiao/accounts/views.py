import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.http import require_POST

from anbiao.accounts import mfa, passwords, selectors, services
from anbiao.accounts.forms import (
    LoginForm,
    MembershipFields,
    OTPForm,
    PasswordChangeForm,
    UserCreateForm,
    UserUpdateForm,
)
from anbiao.accounts.models import Membership, User
from anbiao.core.filters import YesNoFilter
from anbiao.core.forms import StyledForm
from anbiao.core.roles import Role
from anbiao.core.views import ScopedDetailView, ScopedListView, ScopedObjectView, ScopedPageView
from anbiao.orgs.models import Enterprise, Organization


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if mfa.required_for(user):
            # the password is right, but an administrator gets no session before the second factor
            mfa.begin(self.request, user, self.get_success_url())
            return redirect("otp_verify" if mfa.confirmed_device(user) else "otp_setup")
        return super().form_valid(form)


class OTPVerifyView(View):
    """Second step of an administrator's login: a code from their authenticator app."""

    template_name = "accounts/otp_verify.html"

    def dispatch(self, request, *args, **kwargs):
        self.user, self.pending = mfa.pending(request)
        if self.user is None:
            messages.info(request, "请先输入用户名和密码。")
            return redirect("login")
        self.device = mfa.confirmed_device(self.user)
        if self.device is None:
            return redirect("otp_setup")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": OTPForm(), "locked": mfa.is_locked(self.device)})

    def post(self, request):
        form = OTPForm(request.POST)
        if form.is_valid() and mfa.verify(self.device, form.cleaned_data["code"]):
            mfa.complete(request, self.user, self.pending)
            return redirect(_safe_next(request, self.pending.get("next")))
        locked = mfa.is_locked(self.device)
        form.add_error(
            None,
            "动态口令错误次数过多，已锁定 15 分钟，或请管理员重置。"
            if locked
            else "动态口令不正确或已使用过，请等待下一个口令后重试。",
        )
        return render(request, self.template_name, {"form": form, "locked": locked})


class OTPSetupView(View):
    """Bind an authenticator app: scan the QR code, confirm with one code.

    Reached half-way through an administrator's first login when MFA is required, or by any signed-in user
    who wants a second factor before it is required (only while they have no confirmed device).
    """

    template_name = "accounts/otp_setup.html"

    def dispatch(self, request, *args, **kwargs):
        self.user, self.pending = mfa.pending(request)
        if self.user is None and request.user.is_authenticated:
            self.user = request.user
        if self.user is None:
            return redirect_to_login(request.get_full_path())
        if mfa.confirmed_device(self.user) is not None:
            if self.pending:
                return redirect("otp_verify")
            messages.info(request, "已绑定动态口令；如需更换，请联系管理员重置。")
            return redirect("home")
        if not request.session.get(mfa.SECRET_KEY):
            request.session[mfa.SECRET_KEY] = mfa.new_secret()
        self.secret = request.session[mfa.SECRET_KEY]
        return super().dispatch(request, *args, **kwargs)

    def _render(self, form):
        uri = mfa.provisioning_uri(self.user, self.secret)
        return render(
            self.request,
            self.template_name,
            {"form": form, "qr": mfa.qr_data_uri(uri), "secret": self.secret, "account": self.user},
        )

    def get(self, request):
        return self._render(OTPForm())

    def post(self, request):
        form = OTPForm(request.POST)
        if form.is_valid() and mfa.enrol(self.user, self.secret, form.cleaned_data["code"]):
            request.session.pop(mfa.SECRET_KEY, None)
            if self.pending:
                mfa.complete(request, self.user, self.pending)
                return redirect(_safe_next(request, self.pending.get("next")))
            request.session[mfa.VERIFIED_KEY] = self.user.pk
            messages.success(request, "动态口令已绑定。")
            return redirect("home")
        form.add_error(None, "动态口令不正确，请核对手机时间后输入当前显示的 6 位数字。")
        return self._render(form)


def _safe_next(request, target) -> str:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return "/"


class PasswordChangeView(LoginRequiredMixin, View):
    template_name = "accounts/password_change.html"

    def _render(self, request, form):
        expired = not request.user.must_change_password and passwords.password_expired(request.user)
        return render(
            request,
            self.template_name,
            {"form": form, "expired_notice": passwords.expired_message() if expired else ""},
        )

    def get(self, request):
        return self._render(request, PasswordChangeForm(request.user))

    def post(self, request):
        form = PasswordChangeForm(request.user, request.POST)
        if form.is_valid():
            services.password_change(user=request.user, new_password=form.cleaned_data["new_password1"])
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = "/"
            return redirect(target or "/")
        return self._render(request, form)


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="搜索", method="search", widget=forms.TextInput(attrs={"placeholder": "用户名、姓名、手机号…"})
    )
    role = django_filters.ChoiceFilter(label="角色", choices=Role.choices, method="with_role")
    is_active = YesNoFilter(label="启用")
    locked = YesNoFilter(label="已锁定", method="with_lock")

    class Meta:
        form = StyledForm
        model = User
        fields = ["q", "role", "is_active", "locked"]

    def with_lock(self, queryset, name, value):
        if value is None:
            return queryset
        locked = Q(username__in=selectors.locked_usernames())
        return queryset.filter(locked if value else ~locked)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(username__icontains=value) | Q(full_name__icontains=value) | Q(phone__icontains=value)
        )

    def with_role(self, queryset, name, value):
        return (
            queryset.filter(pk__in=Membership.objects.active().filter(role=value).values("user_id"))
            if value
            else queryset
        )


def _active_memberships():
    return Prefetch(
        "memberships",
        queryset=Membership.objects.active().select_related("organization", "enterprise"),
        to_attr="active_memberships",
    )


class UserListView(ScopedListView):
    model = User
    permission = "user.view"
    filterset_class = UserFilter
    template_name = "accounts/user_list.html"

    def narrow(self, queryset):
        locked = selectors.locked_usernames().filter(username=OuterRef("username"))
        return (
            queryset.prefetch_related(_active_memberships())
            .annotate(is_locked=Exists(locked))
            .order_by("username")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_manage=self.scope.has_perm("user.manage"), **kwargs)


def _choices(scope):
    units = Organization.objects.visible_to(scope, "user.manage").filter(is_active=True).order_by("path")
    enterprises = (
        Enterprise.objects.visible_to(scope, "user.manage").exclude(status="closed").order_by("name")
    )
    return {"roles": services.grantable_roles(scope), "units": units, "enterprises": enterprises}


class UserCreateView(ScopedPageView):
    model = User
    permission = "user.manage"
    template_name = "accounts/user_form.html"

    def get(self, request, *args, **kwargs):
        initial = {
            k: request.GET.get(k) for k in ("role", "organization", "enterprise") if request.GET.get(k)
        }
        return render(
            request, self.template_name, {"form": UserCreateForm(initial=initial, **_choices(self.scope))}
        )

    def post(self, request, *args, **kwargs):
        form = UserCreateForm(request.POST, **_choices(self.scope))
        if form.is_valid():
            try:
                user, password = services.user_create(
                    actor=request.user, scope=self.scope, **form.cleaned_data
                )
            except ValidationError as exc:
                for field, errs in getattr(exc, "message_dict", {None: exc.messages}).items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                return render(request, "accounts/user_created.html", {"created": user, "password": password})
        return render(request, self.template_name, {"form": form})


class UserDetailView(ScopedDetailView):
    model = User
    permission = "user.view"
    template_name = "accounts/user_detail.html"

    def get_context_data(self, **kwargs):
        user = self.object
        memberships = (
            Membership.objects.visible_to(self.scope)
            .filter(user=user)
            .select_related("organization", "enterprise")
            .order_by("-valid_from")
        )
        can_manage = services.may_manage(self.scope, user)
        return super().get_context_data(
            memberships=memberships,
            can_manage=can_manage,
            can_secure=services.may_manage(self.scope, user, "account.secure"),
            locked=selectors.locked_usernames().filter(username=user.username).exists(),
            otp_device=mfa.confirmed_device(user),
            membership_form=MembershipFields(**_choices(self.scope)) if can_manage else None,
            **kwargs,
        )


class UserUpdateView(ScopedObjectView):
    model = User
    permission = "user.manage"
    visibility_permission = "user.manage"
    template_name = "accounts/user_edit.html"

    def get(self, request, *args, **kwargs):
        if not services.may_manage(self.scope, self.object):
            raise PermissionDenied("没有权限管理该用户。")
        return render(
            request, self.template_name, {"form": UserUpdateForm(instance=self.object), "object": self.object}
        )

    def post(self, request, *args, **kwargs):
        form = UserUpdateForm(request.POST, instance=User.objects.get(pk=self.object.pk))
        if form.is_valid():
            try:
                services.user_update(
                    actor=request.user, scope=self.scope, user=self.object, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, "已保存。")
                return redirect("accounts:user_detail", pk=self.object.pk)
        return render(request, self.template_name, {"form": form, "object": self.object})


@method_decorator(require_POST, name="dispatch")
class UserResetPasswordView(ScopedObjectView):
    model = User
    permission = "account.secure"
    visibility_permission = "account.secure"

    def post(self, request, *args, **kwargs):
        password = services.user_reset_password(actor=request.user, scope=self.scope, user=self.object)
        return render(
            request,
            "accounts/user_created.html",
            {"created": self.object, "password": password, "reset": True},
        )


@method_decorator(require_POST, name="dispatch")
class UserUnlockView(ScopedObjectView):
    model = User
    permission = "account.secure"
    visibility_permission = "account.secure"

    def post(self, request, *args, **kwargs):
        services.user_unlock(actor=request.user, scope=self.scope, user=self.object)
        messages.success(request, "账号已解锁。")
        return redirect("accounts:user_detail", pk=self.object.pk)


@method_decorator(require_POST, name="dispatch")
class UserOTPResetView(ScopedObjectView):
    model = User
    permission = "account.secure"
    visibility_permission = "account.secure"

    def post(self, request, *args, **kwargs):
        services.user_otp_reset(actor=request.user, scope=self.scope, user=self.object)
        messages.success(request, "已重置动态口令，该用户下次登录时重新绑定。")
        return redirect("accounts:user_detail", pk=self.object.pk)


@method_decorator(require_POST, name="dispatch")
class MembershipAddView(ScopedObjectView):
    model = User
    permission = "user.manage"
    visibility_permission = "user.manage"

    def post(self, request, *args, **kwargs):
        form = MembershipFields(request.POST, **_choices(self.scope))
        if form.is_valid():
            try:
                services.membership_add(
                    actor=request.user, scope=self.scope, user=self.object, **form.cleaned_data
                )
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, "已添加角色。")
        else:
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("accounts:user_detail", pk=self.object.pk)


@method_decorator(require_POST, name="dispatch")
class MembershipEndView(ScopedObjectView):
    model = Membership
    permission = "user.manage"
    visibility_permission = "user.manage"

    def narrow(self, queryset):
        return queryset.select_related("organization", "enterprise__unit", "user")

    def post(self, request, *args, **kwargs):
        try:
            services.membership_end(actor=request.user, scope=self.scope, membership=self.object)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已结束该角色。")
        return redirect("accounts:user_detail", pk=self.object.user_id)
