"""Forms of the campaign pages. They parse input; services do the writing."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anbiao.campaigns.choices import DeliveryMethod, TraineeCategory
from anbiao.campaigns.models import (
    Attendance,
    Campaign,
    EnforcementAction,
    NormDocument,
    Phase,
    Requirement,
    ShowcaseEntry,
    TrainingSession,
    WorkTask,
)
from anbiao.core.forms import DateInput, StyledForm, StyledModelForm
from anbiao.orgs.models import Enterprise, Organization


def _dates(*names):
    return dict.fromkeys(names, DateInput())


class ScopedChoicesMixin:
    """Limit the unit / enterprise choices to what the caller may write to."""

    def __init__(self, *args, units=None, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "unit" in self.fields:
            self.fields["unit"].queryset = units if units is not None else Organization.objects.none()
        if "enterprise" in self.fields:
            self.fields["enterprise"].queryset = (
                enterprises if enterprises is not None else Enterprise.objects.none()
            )


class CampaignForm(StyledModelForm):
    copy_from = forms.ModelChoiceField(
        label=_("复制阶段和报送事项自"),
        queryset=Campaign.objects.all(),
        required=False,
        help_text=_("日期按年度差自动顺延，可再逐项修改。"),
    )

    class Meta:
        model = Campaign
        fields = ["year", "name", "document_no", "starts_on", "ends_on", "letter_deadline", "is_active"]
        widgets = _dates("starts_on", "ends_on", "letter_deadline")


class CampaignEditForm(CampaignForm):
    class Meta(CampaignForm.Meta):
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["copy_from"]


class PhaseForm(StyledModelForm):
    class Meta:
        model = Phase
        fields = ["order", "name", "deadline", "description"]
        widgets = {**_dates("deadline"), "description": forms.Textarea(attrs={"rows": 2})}


class RequirementForm(StyledModelForm):
    class Meta:
        model = Requirement
        fields = ["phase", "order", "title", "due", "needs_scan", "needs_editable", "description"]
        widgets = {**_dates("due"), "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = campaign.phases.all() if campaign else Phase.objects.none()
        self.fields["phase"].empty_label = "（不属于某一阶段，如季度报送）"


class FilingForm(StyledForm):
    requirement = forms.ModelChoiceField(label=_("报送事项"), queryset=Requirement.objects.none())
    unit = forms.ModelChoiceField(label=_("报送单位"), queryset=Organization.objects.none())
    filed_on = forms.DateField(label=_("报送日期"), widget=DateInput(), initial=timezone.localdate)
    scan = forms.FileField(label=_("盖章扫描件（PDF 或照片）"), required=False)
    editable = forms.FileField(label=_("电子文档（Word / Excel）"), required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, requirements=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = (
            requirements if requirements is not None else Requirement.objects.none()
        )
        self.fields["unit"].queryset = units if units is not None else Organization.objects.none()


class ReturnForm(StyledForm):
    reason = forms.CharField(label=_("退回原因"), max_length=300)


class WorkTaskForm(ScopedChoicesMixin, StyledModelForm):
    evidence = forms.FileField(label=_("佐证材料"), required=False)

    class Meta:
        model = WorkTask
        fields = ["unit", "campaign", "year", "title", "owner", "due", "status", "done_on", "note"]
        widgets = {**_dates("due", "done_on"), "note": forms.Textarea(attrs={"rows": 2})}


class WorkTaskEditForm(WorkTaskForm):
    class Meta(WorkTaskForm.Meta):
        fields = ["campaign", "year", "title", "owner", "due", "status", "done_on", "note"]


class LetterGenerateForm(StyledForm):
    campaign = forms.ModelChoiceField(label=_("专项行动"), queryset=Campaign.objects.all())
    deadline = forms.DateField(
        label=_("自评截止日期（填入告知书、承诺书）"),
        widget=DateInput(),
        help_text=_("本单位规定的年度自评完成日期。"),
    )
    kinds = forms.MultipleChoiceField(
        label=_("生成文书"),
        choices=[("notice", _("告知书（附件1）")), ("commitment", _("承诺书（附件2）"))],
        initial=["notice", "commitment"],
        widget=forms.CheckboxSelectMultiple,
    )
    enterprises = forms.ModelMultipleChoiceField(
        label=_("企业"), queryset=Enterprise.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].queryset = (
            enterprises if enterprises is not None else Enterprise.objects.none()
        )
        for name in ("kinds", "enterprises"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class LetterDeliverForm(StyledForm):
    delivered_on = forms.DateField(label=_("送达日期"), widget=DateInput(), initial=timezone.localdate)
    method = forms.ChoiceField(label=_("送达方式"), choices=DeliveryMethod.choices)


class LetterSignForm(StyledForm):
    signed_on = forms.DateField(label=_("签订日期"), widget=DateInput(), initial=timezone.localdate)
    signer = forms.CharField(label=_("签名人（法定代表人）"), max_length=50)
    scan = forms.FileField(label=_("盖章承诺书扫描件或照片"), required=False)


class LetterPostForm(StyledForm):
    posted_on = forms.DateField(label=_("公示栏公示日期"), widget=DateInput(), initial=timezone.localdate)


class SessionForm(ScopedChoicesMixin, StyledModelForm):
    targets = forms.MultipleChoiceField(
        label=_("培训对象（五类人员）"),
        choices=TraineeCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    materials = forms.FileField(label=_("培训材料（课件、签到表、照片）"), required=False)

    class Meta:
        model = TrainingSession
        fields = ["unit", "kind", "level", "organizer", "held_on", "topic", "location", "targets", "note"]
        widgets = {**_dates("held_on"), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].widget.attrs["class"] = "form-check-input"


class SessionEditForm(SessionForm):
    class Meta(SessionForm.Meta):
        fields = ["kind", "level", "organizer", "held_on", "topic", "location", "targets", "note"]


class AttendanceForm(ScopedChoicesMixin, StyledModelForm):
    class Meta:
        model = Attendance
        fields = ["enterprise", "person_name", "category", "position", "phone"]


class ImportForm(StyledForm):
    file = forms.FileField(label=_("参训人员名单（.xlsx）"))


class EnforcementForm(ScopedChoicesMixin, StyledModelForm):
    document = forms.FileField(label=_("文书（决定书、通报等）"), required=False)

    class Meta:
        model = EnforcementAction
        fields = [
            "enterprise",
            "kind",
            "authority",
            "action_on",
            "basis",
            "document_no",
            "amount",
            "persons",
            "description",
        ]
        widgets = {**_dates("action_on"), "description": forms.Textarea(attrs={"rows": 2})}


class ShowcaseForm(ScopedChoicesMixin, StyledModelForm):
    document = forms.FileField(label=_("材料（事迹、证书照片）"), required=False)

    class Meta:
        model = ShowcaseEntry
        fields = [
            "unit",
            "category",
            "level",
            "recognised_on",
            "title",
            "township",
            "enterprise",
            "post_type",
            "write_up",
        ]
        widgets = {**_dates("recognised_on"), "write_up": forms.Textarea(attrs={"rows": 3})}


class ShowcaseEditForm(ShowcaseForm):
    class Meta(ShowcaseForm.Meta):
        fields = [f for f in ShowcaseForm.Meta.fields if f != "unit"]


class NormForm(ScopedChoicesMixin, StyledModelForm):
    upload = forms.FileField(label=_("文件"), required=False)

    class Meta:
        model = NormDocument
        fields = ["unit", "enterprise", "kind", "title", "version", "issued_on", "is_revision", "note"]
        widgets = _dates("issued_on")


class NormEditForm(NormForm):
    class Meta(NormForm.Meta):
        fields = [f for f in NormForm.Meta.fields if f != "unit"]
