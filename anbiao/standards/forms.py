"""Forms of the standards pages: they parse input; the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anbiao.core.forms import DateInput, StyledForm
from anbiao.orgs.models import Enterprise, Organization
from anbiao.standards.choices import GradeLevel, GradeType, ImprovementSource, PassMode, SiteKind
from anbiao.standards.models import Standard


class EnterpriseChoiceForm(StyledForm):
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=Enterprise.objects.none())

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = (
            enterprises if enterprises is not None else Enterprise.objects.none()
        )
        self.order_fields(["enterprise"])


class AssessmentCreateForm(EnterpriseChoiceForm):
    year = forms.IntegerField(label=_("年度"), min_value=2021, max_value=2100)
    standard = forms.ModelChoiceField(
        label=_("对标标准"),
        queryset=Standard.objects.filter(is_active=True),
        required=False,
        empty_label="按企业规模自动选择",
    )
    leader_name = forms.CharField(label=_("自评组组长（主要负责人）"), max_length=50)
    team_members = forms.CharField(
        label=_("自评组成员"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("每行一人：姓名 职务"),
    )
    method = forms.CharField(
        label=_("自评方式"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        initial="对照标准逐项查阅文件记录、现场检查、询问从业人员",
    )
    started_on = forms.DateField(label=_("开始日期"), widget=DateInput(), initial=timezone.localdate)


class AssessmentHeaderForm(StyledForm):
    leader_name = forms.CharField(label=_("自评组组长（主要负责人）"), max_length=50)
    team_members = forms.CharField(
        label=_("自评组成员"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    method = forms.CharField(label=_("自评方式"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    started_on = forms.DateField(label=_("开始日期"), widget=DateInput())


class SubmitForm(StyledForm):
    assessed_on = forms.DateField(label=_("完成日期"), widget=DateInput(), initial=timezone.localdate)
    conclusion = forms.CharField(label=_("自评结论"), widget=forms.Textarea(attrs={"rows": 3}))


class AnnounceForm(StyledForm):
    announced_on = forms.DateField(label=_("通报日期"), widget=DateInput(), initial=timezone.localdate)
    method = forms.CharField(label=_("通报方式"), max_length=200, initial="职工大会通报并在信息公示栏公示")


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}))


class BulkImprovementForm(StyledForm):
    responsible_name = forms.CharField(label=_("整改责任人"), max_length=50)
    deadline = forms.DateField(label=_("整改时限"), widget=DateInput())


class OwnerForm(StyledForm):
    owner = forms.ChoiceField(label=_("所属企业 / 单位"))

    def __init__(self, *args, enterprises=(), organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = (
            [("", "请选择")]
            + [(f"e{e.pk}", f"企业：{e.name}") for e in enterprises]
            + [(f"o{o.pk}", f"单位：{o.name}") for o in organizations]
        )
        self._enterprises = {f"e{e.pk}": e for e in enterprises}
        self._organizations = {f"o{o.pk}": o for o in organizations}

    def owner_objects(self) -> tuple[Enterprise | None, Organization | None]:
        key = self.cleaned_data["owner"]
        return self._enterprises.get(key), self._organizations.get(key)


class ImprovementForm(OwnerForm):
    source = forms.ChoiceField(label=_("来源"), choices=ImprovementSource.choices)
    problem = forms.CharField(label=_("问题（不符合项）"), widget=forms.Textarea(attrs={"rows": 2}))
    measure = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible_name = forms.CharField(label=_("整改责任人"), max_length=50)
    found_on = forms.DateField(label=_("发现日期"), widget=DateInput(), initial=timezone.localdate)
    deadline = forms.DateField(label=_("整改时限"), widget=DateInput())


class ImprovementActionForm(StyledForm):
    action = forms.ChoiceField(
        choices=[("complete", "complete"), ("accept", "accept"), ("reject", "reject"), ("cancel", "cancel")],
        widget=forms.HiddenInput,
    )
    on = forms.DateField(label=_("日期"), widget=DateInput(), initial=timezone.localdate, required=False)
    acceptor_name = forms.CharField(label=_("验收人"), max_length=50, required=False)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    photo = forms.FileField(label=_("整改照片"), required=False)


class LookbackForm(OwnerForm):
    title = forms.CharField(
        label=_("报告标题"), max_length=200, initial="落实全员责任制和标准化提升“回头看”评估报告"
    )
    period_start = forms.DateField(label=_("评估起始"), widget=DateInput(), initial="2021-08-01")
    reported_on = forms.DateField(label=_("报告日期"), widget=DateInput(), initial=timezone.localdate)
    signed_by = forms.CharField(label=_("审核签字（主要负责人）"), max_length=50)
    summary = forms.CharField(label=_("主要问题和薄弱环节"), widget=forms.Textarea(attrs={"rows": 4}))
    document = forms.FileField(label=_("签字盖章的报告（PDF/Word/照片）"), required=False)


class GradeForm(EnterpriseChoiceForm):
    grade_type = forms.ChoiceField(label=_("达标类型"), choices=GradeType.choices)
    level = forms.TypedChoiceField(
        label=_("等级"),
        choices=[("", "不分级（地标）"), *GradeLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reviewing_body = forms.CharField(label=_("评审（定级）单位"), max_length=120)
    certificate_no = forms.CharField(label=_("证书编号"), max_length=80, required=False)
    certified_on = forms.DateField(label=_("发证（公告）日期"), widget=DateInput())
    valid_from = forms.DateField(
        label=_("有效期起"), widget=DateInput(), required=False, help_text=_("留空为发证日期")
    )
    valid_to = forms.DateField(
        label=_("有效期至"), widget=DateInput(), required=False, help_text=_("留空为起始日期后3年")
    )
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RevokeForm(StyledForm):
    revoked_on = forms.DateField(label=_("撤销日期"), widget=DateInput(), initial=timezone.localdate)
    revoke_reason = forms.CharField(label=_("撤销原因"), widget=forms.Textarea(attrs={"rows": 2}))


class StarForm(StyledForm):
    stars = forms.TypedChoiceField(
        label=_("评定星级"), choices=[(n, f"{n}星") for n in range(5, 0, -1)], coerce=int
    )
    rated_on = forms.DateField(label=_("评定日期"), widget=DateInput(), initial=timezone.localdate)
    rater_name = forms.CharField(label=_("评定人 / 单位"), max_length=100)
    basis = forms.CharField(label=_("评定依据"), widget=forms.Textarea(attrs={"rows": 3}))


class SiteHeaderForm(StyledForm):
    assessed_on = forms.DateField(label=_("检查日期"), widget=DateInput(), initial=timezone.localdate)
    assessor_name = forms.CharField(label=_("检查人"), max_length=100)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CatalogueImportForm(StyledForm):
    file = forms.FileField(label=_("标准目录文件（.xlsx 或 .json）"))


class StandardSettingsForm(StyledForm):
    level1_min = forms.DecimalField(
        label=_("一级分数线"), max_digits=5, decimal_places=1, min_value=0, max_value=100
    )
    level2_min = forms.DecimalField(
        label=_("二级分数线"), max_digits=5, decimal_places=1, min_value=0, max_value=100
    )
    level3_min = forms.DecimalField(
        label=_("三级分数线"), max_digits=5, decimal_places=1, min_value=0, max_value=100
    )
    is_active = forms.BooleanField(label=_("启用"), required=False)


class ChecklistForm(StyledForm):
    pass_mode = forms.ChoiceField(label=_("达标规则"), choices=PassMode.choices)
    pass_threshold = forms.DecimalField(
        label=_("阈值（分）"),
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
    )


SITE_KINDS = dict(SiteKind.choices)
