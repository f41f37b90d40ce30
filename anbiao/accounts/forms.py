from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.utils.translation import gettext_lazy as _

from anbiao.accounts.models import User
from anbiao.core.forms import StyledForm, StyledFormMixin, StyledModelForm
from anbiao.core.roles import ENTERPRISE_ROLES
from anbiao.orgs.models import Enterprise, Organization


class LoginForm(StyledFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续失败 5 次后账号将被锁定 15 分钟。"),
        "inactive": _("该账号已停用，请联系管理员。"),
    }


class OTPForm(StyledForm):
    code = forms.CharField(
        label=_("动态口令"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("手机验证器（如微信小程序“腾讯身份验证器”、Google Authenticator）显示的 6 位数字"),
    )


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(
        label=_("当前密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="".join(password_validators_help_texts()),
    )
    new_password2 = forms.CharField(
        label=_("再次输入新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("当前密码不正确。"))
        return value

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("new_password1"), data.get("new_password2")
        if p1 and p2 and p1 != p2:
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        elif p1:
            if data.get("old_password") and p1 == data["old_password"]:
                self.add_error("new_password1", _("新密码不能与当前密码相同。"))
            try:
                validate_password(p1, self.user)
            except forms.ValidationError as exc:
                self.add_error("new_password1", exc)
        return data


class MembershipFields(StyledForm):
    role = forms.ChoiceField(label=_("角色"))
    organization = forms.ModelChoiceField(
        label=_("所属单位"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("单位角色、网格员和专家填写"),
    )
    enterprise = forms.ModelChoiceField(
        label=_("所属企业"),
        queryset=Enterprise.objects.none(),
        required=False,
        help_text=_("企业主要负责人、企业安全管理员填写"),
    )

    def __init__(self, *args, roles=(), units=None, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles
        self.fields["organization"].queryset = units
        self.fields["enterprise"].queryset = enterprises

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in ENTERPRISE_ROLES:
            if not data.get("enterprise"):
                self.add_error("enterprise", _("企业角色须选择所属企业。"))
            data["organization"] = None
        elif role:
            if not data.get("organization"):
                self.add_error("organization", _("该角色须选择所属单位。"))
            data["enterprise"] = None
        return data


class UserCreateForm(MembershipFields):
    username = forms.RegexField(
        label=_("用户名"),
        max_length=150,
        regex=r"^[A-Za-z0-9_.@-]+$",
        error_messages={"invalid": _("用户名只能包含字母、数字和 _ . @ -。")},
    )
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)

    field_order = ["username", "full_name", "phone", "role", "organization", "enterprise"]


class UserUpdateForm(StyledModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "email", "is_active"]
