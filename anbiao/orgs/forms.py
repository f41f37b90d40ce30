from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anbiao.core.concurrency import RevisionFormMixin
from anbiao.core.forms import DateInput, StyledForm, StyledModelForm
from anbiao.orgs import uscc
from anbiao.orgs.models import Enterprise, Organization


class OrganizationForm(StyledModelForm):
    class Meta:
        model = Organization
        fields = ["kind", "name", "code", "contact_person", "contact_phone", "address", "sort_order"]


class OrganizationCreateForm(OrganizationForm):
    parent = forms.ModelChoiceField(label=_("上级单位"), queryset=Organization.objects.none())

    class Meta(OrganizationForm.Meta):
        fields = ["parent", *OrganizationForm.Meta.fields]

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        self.fields["parent"].widget.attrs["class"] = "form-select"
        self.order_fields(["parent"])


class OrganizationMoveForm(StyledForm):
    new_parent = forms.ModelChoiceField(
        label=_("移动到（新的上级单位）"), queryset=Organization.objects.none()
    )

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents


ENTERPRISE_FIELDS = [
    "unit",
    "name",
    "uscc",
    "size_class",
    "industry",
    "township",
    "address",
    "legal_representative",
    "principal_name",
    "principal_phone",
    "safety_officer_name",
    "safety_officer_phone",
    "employee_count",
    "tag_new",
    "tag_trade",
    "tag_micro",
    "nine_small_kind",
    "is_rental_outlet",
    "landlord_unit",
    "handles_dangerous_goods",
    "status",
    "registered_on",
    "longitude",
    "latitude",
]
PROFILE_FIELDS = [
    "address",
    "legal_representative",
    "principal_name",
    "principal_phone",
    "safety_officer_name",
    "safety_officer_phone",
    "employee_count",
    "longitude",
    "latitude",
]


class EnterpriseForm(RevisionFormMixin, StyledModelForm):
    effective = forms.DateField(
        label=_("变更生效日期"),
        required=False,
        widget=DateInput(),
        help_text=_("监管单位、企业规模或经营状态发生变化时，从哪一天起生效；留空为今天。"),
    )

    class Meta:
        model = Enterprise
        fields = ENTERPRISE_FIELDS
        widgets = {"registered_on": DateInput()}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
            self.fields["landlord_unit"].queryset = units
        self.fields["industry"].queryset = self.fields["industry"].queryset.filter(is_active=True)
        self.fields["township"].queryset = self.fields["township"].queryset.filter(is_active=True)
        if self.instance.pk is None:
            del self.fields["effective"]

    def clean_uscc(self):
        return uscc.normalize(self.cleaned_data["uscc"])

    def clean_effective(self):
        value = self.cleaned_data.get("effective")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("生效日期不能晚于今天。"))
        return value


class EnterpriseProfileForm(RevisionFormMixin, StyledModelForm):
    """What an enterprise's own principal or safety officer may correct."""

    class Meta:
        model = Enterprise
        fields = PROFILE_FIELDS


class EnterpriseCloseForm(StyledForm):
    on = forms.DateField(label=_("注销日期"), widget=DateInput(), initial=timezone.localdate)

    def clean_on(self):
        value = self.cleaned_data["on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("注销日期不能晚于今天。"))
        return value


class ImportForm(StyledForm):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class EvidenceUploadForm(StyledForm):
    kind = forms.ChoiceField(label=_("类别"))
    title = forms.CharField(label=_("说明"), max_length=200, required=False)
    file = forms.FileField(label=_("文件"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from anbiao.core.models import EvidenceFile

        self.fields["kind"].choices = EvidenceFile.Kind.choices
