"""Forms of the hazard module: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from anbiao.core.concurrency import RevisionFormMixin
from anbiao.core.forms import DateInput, MultipleFileField, StyledForm, StyledModelForm
from anbiao.hazards.choices import HazardKind, InspectionKind, Level, Outcome, Source, TemplateKind
from anbiao.hazards.models import (
    ChecklistItem,
    ChecklistTemplate,
    Hazard,
    HazardCriterion,
    HazardListing,
    InspectionPlan,
    ReportingChannel,
)
from anbiao.risks.models import RiskPoint

ENTERPRISE_SOURCES = [Source.SELF, Source.TIP_OFF]
SUPERVISOR_SOURCES = [Source.SUPERVISOR, Source.ENFORCEMENT, Source.GRID, Source.TIP_OFF]


def _criteria():
    return HazardCriterion.objects.filter(is_active=True)


class HazardRegisterForm(StyledModelForm):
    photos = MultipleFileField(label="整改前照片", photos=True, help_text="可一次选择多张，手机可直接拍照。")

    class Meta:
        model = Hazard
        fields = [
            "enterprise",
            "source",
            "kind",
            "location",
            "description",
            "found_on",
            "level",
            "criterion",
            "level_reason",
            "risk_point",
            "found_by_name",
        ]
        widgets = {"found_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, enterprises, supervisor: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["enterprise"].empty_label = None if enterprises.count() == 1 else "请选择"
        sources = SUPERVISOR_SOURCES if supervisor else ENTERPRISE_SOURCES
        self.fields["source"].choices = [(s, Source(s).label) for s in sources]
        self.fields["criterion"].queryset = _criteria()
        self.fields["criterion"].help_text = "引用重大事故隐患判定标准条款时，默认定为重大隐患。"
        self.fields["level"].required = False
        self.fields["level"].choices = [("", "按判定标准自动"), *Level.choices]
        self.fields["level_reason"].help_text = "引用重大隐患条款却定为一般隐患时必填。"
        self.fields["found_on"].initial = timezone.localdate()
        points = RiskPoint.objects.filter(enterprise__in=enterprises, status="active").select_related(
            "enterprise"
        )
        self.fields["risk_point"].queryset = points
        self.fields["risk_point"].label_from_instance = lambda p: f"{p.enterprise.name} · {p.name}"
        self.fields["risk_point"].help_text = "隐患所在的风险点（可不选）。"


class HazardAssignForm(RevisionFormMixin, StyledModelForm):
    assigned_on = forms.DateField(
        label="定级日期",
        widget=DateInput(),
        initial=timezone.localdate,
        help_text="补录历史隐患时填写实际日期。",
    )

    class Meta:
        model = Hazard
        fields = [
            "level",
            "criterion",
            "level_reason",
            "responsible_person",
            "measures",
            "deadline",
            "funds",
            "acceptor_name",
            "stop_scope",
            "reported_on",
            "plan_goal",
            "plan_method",
            "plan_resources",
            "plan_organisation",
            "plan_schedule",
            "plan_safety",
        ]
        widgets = {
            "deadline": DateInput(),
            "reported_on": DateInput(),
            "measures": forms.Textarea(attrs={"rows": 2}),
            **{
                f: forms.Textarea(attrs={"rows": 2})
                for f in [
                    "plan_goal",
                    "plan_method",
                    "plan_resources",
                    "plan_organisation",
                    "plan_schedule",
                    "plan_safety",
                ]
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = _criteria()
        for name in ["responsible_person", "measures", "deadline", "acceptor_name"]:
            self.fields[name].required = True
        self.fields["acceptor_name"].help_text = "验收人不能是整改责任人。"


class HazardSubmitForm(StyledForm):
    rectified_on = forms.DateField(label="整改完成日期", widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(label="整改后照片", photos=True, required=True)


class HazardAcceptForm(StyledForm):
    accepted_on = forms.DateField(label="验收日期", widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label="验收意见", required=False, max_length=300)


class ReasonForm(StyledForm):
    reason = forms.CharField(label="原因", max_length=300)


class ListingForm(StyledModelForm):
    class Meta:
        model = HazardListing
        fields = ["organization", "document_no", "listed_on", "deadline", "requirements"]
        widgets = {
            "listed_on": DateInput(),
            "deadline": DateInput(),
            "requirements": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units
        self.fields["listed_on"].initial = timezone.localdate()


class DelistForm(StyledForm):
    delisted_on = forms.DateField(label="摘牌日期", widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label="摘牌意见", max_length=300)


class InspectionStartForm(StyledForm):
    enterprise = forms.ModelChoiceField(label="受检企业", queryset=None)
    kind = forms.ChoiceField(label="检查类型")
    template = forms.ModelChoiceField(
        label="检查清单", queryset=None, required=False, help_text="不选清单时，可直接记录发现的问题。"
    )
    inspected_on = forms.DateField(label="检查日期", widget=DateInput(), initial=timezone.localdate)
    inspectors = forms.CharField(label="检查人员", max_length=200)

    def __init__(self, *args, enterprises, templates, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["template"].queryset = templates
        self.fields["kind"].choices = [(k, InspectionKind(k).label) for k in kinds]


class FindingForm(StyledForm):
    """One extra finding that is not on the checklist."""

    location = forms.CharField(label="部位", max_length=120, required=False)
    note = forms.CharField(label="发现的问题", max_length=500, required=False)
    photos = MultipleFileField(label="照片", photos=True)


class InspectionCompleteForm(StyledForm):
    summary = forms.CharField(label="检查情况小结", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    deadline = forms.DateField(
        label="整改期限",
        widget=DateInput(),
        required=False,
        help_text="监管方检查发现隐患时必填，写入整改通知单。",
    )


class PlanForm(StyledModelForm):
    class Meta:
        model = InspectionPlan
        fields = ["organization", "enterprise", "kind", "planned_on", "assignee", "template", "note"]
        widgets = {"planned_on": DateInput()}

    def __init__(self, *args, units, enterprises, users, templates, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units
        self.fields["enterprise"].queryset = enterprises
        self.fields["assignee"].queryset = users
        self.fields["template"].queryset = templates
        self.fields["kind"].choices = [(k, InspectionKind(k).label) for k in kinds]


class TemplateForm(StyledModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = ["kind", "name", "description", "industries", "extends"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "industries": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, parents, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extends"].queryset = parents
        self.fields["kind"].choices = TemplateKind.choices
        self.fields["industries"].help_text = "不选表示适用所有行业。"
        if owners is not None:
            self.fields["owner"] = forms.ChoiceField(label="所属", choices=owners)
            self.order_fields(["owner"])


class ItemForm(StyledModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["order", "category", "content", "method", "basis", "criterion", "element"]
        widgets = {"content": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = _criteria()
        self.fields["order"].required = False


class PublishForm(StyledForm):
    note = forms.CharField(label="修订说明", max_length=200, required=False)


class CriterionForm(StyledModelForm):
    class Meta:
        model = HazardCriterion
        fields = [
            "catalogue",
            "code",
            "article",
            "sector",
            "text",
            "is_major",
            "unverified",
            "source",
            "is_active",
            "sort_order",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class ChannelForm(StyledModelForm):
    document = forms.FileField(label="制度文件（PDF/Word/图片）", required=False)

    class Meta:
        model = ReportingChannel
        fields = ["is_open", "established_on", "rule"]
        widgets = {"established_on": DateInput(), "rule": forms.Textarea(attrs={"rows": 3})}


class PublicReportForm(forms.Form):
    location = forms.CharField(label="在哪里", max_length=120)
    description = forms.CharField(
        label="发现了什么问题", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    photo = forms.ImageField(label="照片（可拍照）", required=False)
    reporter_name = forms.CharField(label="您的姓名（可不填）", max_length=50, required=False)
    reporter_phone = forms.CharField(label="联系电话（可不填，便于发放奖励）", max_length=20, required=False)
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # honeypot: people leave it empty

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "website":
                field.widget.attrs["class"] = "form-control"
        self.fields["photo"].widget.attrs["accept"] = "image/*"


class VerifyForm(StyledForm):
    kind = forms.ChoiceField(label="隐患类型", choices=HazardKind.choices)
    level = forms.ChoiceField(label="隐患等级", choices=Level.choices, initial=Level.GENERAL)
    level_reason = forms.CharField(label="定级说明", required=False, max_length=300)


class RewardForm(StyledForm):
    amount = forms.DecimalField(label="奖励金额（元）", min_value=0, max_digits=10, decimal_places=2)
    paid_on = forms.DateField(label="兑现日期", widget=DateInput(), initial=timezone.localdate)
    paid_by = forms.CharField(label="经办人", max_length=50)


OUTCOME_CHOICES = Outcome.choices
