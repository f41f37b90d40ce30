"""Forms parse input only; the services validate and write."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anbiao.core.forms import DateInput, StyledForm, StyledModelForm
from anbiao.duty.choices import Employment, MemberRole, Outcome
from anbiao.duty.models import Certificate, Person, Post, RescueTeam


def _today():
    return timezone.localdate()


class DepartmentForm(StyledForm):
    name = forms.CharField(label=_("部门名称"), max_length=60)


class PersonForm(StyledModelForm):
    class Meta:
        model = Person
        fields = ["name", "phone", "department", "joined_on", "left_on", "is_active", "note"]
        widgets = {"joined_on": DateInput(), "left_on": DateInput()}

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.enterprise = enterprise  # the model's clean() compares the department's enterprise
        self.fields["department"].queryset = enterprise.departments.filter(is_active=True)


class PostForm(StyledModelForm):
    class Meta:
        model = Post
        fields = ["name", "level", "department", "established_on", "note"]
        widgets = {"established_on": DateInput()}

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.enterprise = enterprise  # the model's clean() compares the department's enterprise
        self.fields["department"].queryset = enterprise.departments.filter(is_active=True)
        if self.instance.pk:
            del self.fields["established_on"]


class PersonChoiceForm(StyledForm):
    """A person of the enterprise, and the day something starts."""

    person = forms.ModelChoiceField(label=_("人员"), queryset=Person.objects.none())
    valid_from = forms.DateField(label=_("起始日期"), widget=DateInput(), initial=_today)

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = enterprise.people.filter(is_active=True).order_by("name")


class HoldingForm(PersonChoiceForm):
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class OfficerForm(PersonChoiceForm):
    employment = forms.ChoiceField(label=_("专兼职"), choices=Employment.choices)
    document = forms.CharField(label=_("任命文件"), max_length=100, required=False)


class MemberForm(PersonChoiceForm):
    role = forms.ChoiceField(label=_("职务"), choices=MemberRole.choices, initial=MemberRole.MEMBER)


class EndForm(StyledForm):
    valid_to = forms.DateField(label=_("截止日期"), widget=DateInput(), initial=_today)


class AnonymiseForm(StyledForm):
    reason = forms.CharField(
        label=_("匿名化原因"),
        max_length=500,
        help_text=_("例如：本人离职后申请删除个人信息；保存期限已满。"),
    )


class AbolishForm(StyledForm):
    on = forms.DateField(label=_("撤销日期"), widget=DateInput(), initial=_today)


class CertificateForm(StyledModelForm):
    upload = forms.FileField(label=_("证书扫描件（照片或 PDF）"), required=False)

    class Meta:
        model = Certificate
        fields = ["kind", "operation_type", "number", "issuer", "issued_on", "expires_on"]
        widgets = {"issued_on": DateInput(), "expires_on": DateInput()}


class AdoptForm(StyledForm):
    template = forms.ModelChoiceField(
        label=_("采用模板"), queryset=None, required=False, empty_label="（默认）"
    )

    def __init__(self, *args, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class DutyItemForm(StyledForm):
    text = forms.CharField(label=_("责任内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    basis = forms.CharField(label=_("依据"), max_length=200, required=False)


class AssessItemForm(StyledForm):
    content = forms.CharField(
        label=_("考核内容及标准"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    indicator = forms.CharField(label=_("指标"), max_length=100, required=False)
    full_marks = forms.DecimalField(
        label=_("满分"), max_digits=5, decimal_places=1, required=False, min_value=0
    )
    scoring_rule = forms.CharField(label=_("评分办法"), max_length=200, required=False)


DutyItemFormSet = formset_factory(DutyItemForm, extra=2, can_delete=True, max_num=60, validate_max=True)
AssessItemFormSet = formset_factory(AssessItemForm, extra=2, can_delete=True, max_num=60, validate_max=True)


def formset_rows(formset, key: str) -> list[dict]:
    """Rows kept (not deleted, not empty), in order."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not (data.get(key) or "").strip():
            continue
        rows.append({k: v for k, v in data.items() if k != "DELETE"})
    return rows


class ListNoteForm(StyledForm):
    note = forms.CharField(label=_("修订说明"), max_length=200, required=False)


class TemplateForm(StyledForm):
    title = forms.CharField(label=_("模板名称"), max_length=100)
    is_active = forms.BooleanField(label=_("启用"), required=False)


class PublishForm(StyledForm):
    effective_from = forms.DateField(label=_("生效日期"), widget=DateInput(), initial=_today)
    published_on = forms.DateField(label=_("公示日期"), widget=DateInput(), initial=_today)
    published_place = forms.CharField(label=_("公示地点"), max_length=100, initial="企业安全生产公示栏")


class SignForm(StyledForm):
    person = forms.ModelChoiceField(label=_("签署人"), queryset=Person.objects.none())
    signed_on = forms.DateField(label=_("签署日期"), widget=DateInput(), initial=_today)
    upload = forms.FileField(label=_("责任书扫描件（照片或 PDF）"))

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = enterprise.people.order_by("name")


class AssessmentStartForm(StyledForm):
    year = forms.IntegerField(label=_("考核年度"), min_value=2021)
    started_on = forms.DateField(label=_("开始日期"), widget=DateInput(), initial=_today)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class ScoreForm(StyledForm):
    """One row per assessment item: points deducted and the reason."""

    scored_on = forms.DateField(label=_("考核日期"), widget=DateInput(), initial=_today)
    assessor = forms.CharField(label=_("考核人"), max_length=50, required=False)

    def __init__(self, *args, items=(), existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = existing or {}
        self.items = list(items)
        for item in self.items:
            points, reason = existing.get(item.pk, (None, ""))
            self.fields[f"points_{item.pk}"] = forms.DecimalField(
                label=f"第{item.number}项扣分",
                required=False,
                min_value=0,
                max_value=item.full_marks,
                decimal_places=1,
                initial=points,
                widget=forms.NumberInput(attrs={"step": "0.5", "class": "form-control"}),
            )
            self.fields[f"reason_{item.pk}"] = forms.CharField(
                label=f"第{item.number}项扣分原因",
                required=False,
                max_length=200,
                initial=reason,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def rows(self):
        for item in self.items:
            yield item, self[f"points_{item.pk}"], self[f"reason_{item.pk}"]

    def deductions(self) -> dict:
        return {
            item.pk: (self.cleaned_data.get(f"points_{item.pk}"), self.cleaned_data.get(f"reason_{item.pk}"))
            for item in self.items
            if self.cleaned_data.get(f"points_{item.pk}")
        }


class OutcomeForm(StyledForm):
    outcome = forms.ChoiceField(label=_("奖惩决定"), choices=Outcome.choices)
    amount = forms.DecimalField(
        label=_("金额（元）"), max_digits=10, decimal_places=2, required=False, min_value=0
    )
    decided_on = forms.DateField(label=_("决定日期"), widget=DateInput(), required=False)
    paid_on = forms.DateField(label=_("兑现日期"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("奖惩说明"), max_length=200, required=False)


class CompleteForm(StyledForm):
    completed_on = forms.DateField(label=_("完成日期"), widget=DateInput(), initial=_today)


class BodyForm(StyledForm):
    name = forms.CharField(label=_("机构名称"), max_length=100, initial="安全生产管理部")
    document = forms.CharField(label=_("设立文件（文号）"), max_length=100, required=False)
    valid_from = forms.DateField(label=_("设立日期"), widget=DateInput(), initial=_today)
    upload = forms.FileField(label=_("设立文件扫描件"), required=False)


class TeamForm(StyledModelForm):
    valid_from = forms.DateField(label=_("成立日期"), widget=DateInput(), initial=_today)

    class Meta:
        model = RescueTeam
        fields = ["name", "employment", "contact_name", "contact_phone", "equipment", "note"]
        widgets = {"equipment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["valid_from"]


class RuleForm(StyledForm):
    headcount_threshold = forms.IntegerField(label=_("从业人员人数界限"), min_value=1, initial=100)
    strict_min_full_time = forms.IntegerField(label=_("严格情形最少专职人数"), min_value=1, initial=1)
    basic_min_officers = forms.IntegerField(label=_("一般情形最少专兼职人数"), min_value=1, initial=1)
    source = forms.CharField(label=_("依据"), max_length=200)
    valid_from = forms.DateField(label=_("起始日期"), widget=DateInput(), initial=_today)


class BandForm(StyledForm):
    label = forms.CharField(label=_("档次"), max_length=20, required=False)
    min_score = forms.DecimalField(label=_("最低得分"), max_digits=5, decimal_places=1, required=False)
    passed = forms.BooleanField(label=_("视为合格"), required=False)


BandFormSet = formset_factory(BandForm, extra=1, max_num=8, validate_max=True)


class BandsMetaForm(StyledForm):
    valid_from = forms.DateField(label=_("起始日期"), widget=DateInput(), initial=_today)
    source = forms.CharField(label=_("依据"), max_length=200)
