"""Forms: parse input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anbiao.core.concurrency import RevisionFormMixin
from anbiao.core.forms import DateInput, StyledForm, StyledModelForm
from anbiao.risks.choices import FACTOR_NAMES, METHOD_FACTORS, AccidentType, HazardFactor, Level
from anbiao.risks.models import BandSet, RiskPoint
from anbiao.risks.services import POINT_FIELDS


class RiskPointForm(RevisionFormMixin, StyledModelForm):
    hazard_factors = forms.MultipleChoiceField(
        label=_("危险有害因素（GB/T 13861）"),
        choices=HazardFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accident_types = forms.MultipleChoiceField(
        label=_("可能导致的事故类型（GB 6441）"),
        choices=AccidentType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = RiskPoint
        fields = POINT_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in (
                "hazard_description",
                "check_content",
                "measures_engineering",
                "measures_management",
                "measures_training",
                "measures_ppe",
                "measures_emergency",
            )
        }
        help_texts = {"control_level": _("留空则按风险等级的默认管控层级（见“风险评价标准”页）。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("hazard_factors", "accident_types"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class AssessmentForm(StyledForm):
    """Factor values are chosen from the band set's tables (labels shown, not bare numbers)."""

    band_set = forms.ModelChoiceField(
        label=_("评价方法与分级标准"), queryset=BandSet.objects.none(), empty_label=None
    )
    assessed_on = forms.DateField(label=_("评估日期"), widget=DateInput(), initial=timezone.localdate)
    next_review_on = forms.DateField(
        label=_("下次复评日期"),
        widget=DateInput(),
        required=False,
        help_text=_("留空则按风险等级的复评周期计算。"),
    )
    controls_effective = forms.BooleanField(label=_("现有管控措施落实有效"), required=False, initial=True)
    raised_level = forms.ChoiceField(
        label=_("从严调高等级（可选）"),
        choices=[("", "不调整"), *Level.choices],
        required=False,
        help_text=_("只能调高，不能调低；须填写理由。"),
    )
    raise_reason = forms.CharField(label=_("调高理由"), max_length=200, required=False)
    assessor = forms.CharField(label=_("评估人"), max_length=60, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, band_sets=None, **kwargs):
        super().__init__(*args, **kwargs)
        band_sets = list(band_sets or [])
        self.band_sets = band_sets
        self.fields["band_set"].queryset = BandSet.objects.filter(pk__in=[b.pk for b in band_sets])
        self.fields["band_set"].label_from_instance = lambda b: (
            f"{b.get_method_display()} · {b.name}（第{b.version}版）"
        )
        self.fields["band_set"].widget.attrs["data-method-select"] = "1"
        if band_sets:
            self.fields["band_set"].initial = band_sets[0].pk
        # One select per (method, factor), filled from the default band set of that method.
        self.factor_fields: dict[str, list[str]] = {}
        seen = set()
        for b in band_sets:
            if b.method in seen:
                continue
            seen.add(b.method)
            options = {}
            for opt in b.factors.all():
                options.setdefault(opt.factor, []).append(opt)
            for factor in METHOD_FACTORS[b.method]:
                name = f"{b.method}_{factor}"
                choices = [("", "请选择")] + [
                    (f"{o.value.normalize():f}", f"{o.value.normalize():f} — {o.label}")
                    for o in sorted(options.get(factor, []), key=lambda o: o.value, reverse=True)
                ]
                self.fields[name] = forms.ChoiceField(
                    label=FACTOR_NAMES[(b.method, factor)], choices=choices, required=False
                )
                self.fields[name].widget.attrs.update({"class": "form-select", "data-method": b.method})
                self.factor_fields.setdefault(b.method, []).append(name)

    def method_fields(self):
        """[(method code, [bound fields])] for the template's fieldsets."""
        return [(m, [self[n] for n in names]) for m, names in self.factor_fields.items()]

    def other_fields(self):
        return [
            self[n]
            for n in ("assessed_on", "next_review_on", "raised_level", "raise_reason", "assessor", "note")
        ]

    def factor_values(self) -> dict:
        band_set = self.cleaned_data["band_set"]
        return {f: self.cleaned_data.get(f"{band_set.method}_{f}") for f in METHOD_FACTORS[band_set.method]}

    def clean_assessed_on(self):
        value = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("评估日期不能晚于今天。"))
        return value


class RaiseForm(StyledForm):
    level = forms.ChoiceField(label=_("调高为"), choices=Level.choices)
    reason = forms.CharField(label=_("理由"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=_("调整日期"), widget=DateInput(), initial=timezone.localdate)


class RetireForm(StyledForm):
    on = forms.DateField(label=_("撤销日期"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("撤销原因"), max_length=200)


class SiteMapForm(StyledForm):
    title = forms.CharField(label=_("图名"), max_length=100, initial="厂区平面图")
    plan = forms.ImageField(label=_("平面图（JPG/PNG 图片）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].widget.attrs["accept"] = "image/*"


class ShapesForm(forms.Form):
    shapes = forms.JSONField(label=_("图形"))


class OverrideForm(StyledForm):
    level = forms.ChoiceField(label=_("调整为"), choices=Level.choices)
    reason = forms.CharField(label=_("调整理由"), max_length=200)
    until = forms.DateField(label=_("有效期至"), widget=DateInput())


class BandRevisionForm(StyledForm):
    """Edit a band set: a line per band ("等级 下限 是/否 含义") and per factor value ("因子 分值 说明")."""

    bands = forms.CharField(
        label=_("分级区间（每行：等级代码 下限 含下限[是/否] 含义）"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    factors = forms.CharField(
        label=_("因子取值（每行：因子 分值 说明）"), widget=forms.Textarea(attrs={"rows": 12})
    )
    note = forms.CharField(label=_("修订说明（依据或原因）"), max_length=200)

    def clean_bands(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["bands"].splitlines(), start=1):
            parts = line.split(maxsplit=3)
            if not parts:
                continue
            if len(parts) < 3 or parts[0] not in Level.values or parts[2] not in ("是", "否"):
                raise forms.ValidationError(
                    f"第{n}行格式不正确：应为“等级代码 下限 是/否 含义”，等级代码为 {'/'.join(Level.values)}。"  # noqa: E501
                )
            try:
                lower = float(parts[1])
            except ValueError as exc:
                raise forms.ValidationError(f"第{n}行的下限“{parts[1]}”不是数字。") from exc
            rows.append(
                {
                    "level": parts[0],
                    "lower": lower,
                    "inclusive": parts[2] == "是",
                    "meaning": parts[3] if len(parts) > 3 else "",
                }
            )
        return rows

    def clean_factors(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["factors"].splitlines(), start=1):
            parts = line.split(maxsplit=2)
            if not parts:
                continue
            if len(parts) < 3:
                raise forms.ValidationError(f"第{n}行格式不正确：应为“因子 分值 说明”。")
            try:
                value = float(parts[1])
            except ValueError as exc:
                raise forms.ValidationError(f"第{n}行的分值“{parts[1]}”不是数字。") from exc
            rows.append({"factor": parts[0].upper(), "value": value, "label": parts[2]})
        return rows


class RuleRevisionForm(StyledForm):
    rules = forms.CharField(
        label=_("规则（每行：事实 比较[gte/gt/eq/lte/lt] 阈值 颜色代码 启用[是/否] 理由模板）"),
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    default_level = forms.ChoiceField(label=_("未触发任何规则时"), choices=Level.choices, initial=Level.LOW)
    note = forms.CharField(label=_("修订说明（依据或原因）"), max_length=200)

    def clean_rules(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["rules"].splitlines(), start=1):
            parts = line.split(maxsplit=5)
            if not parts:
                continue
            if len(parts) < 6 or parts[4] not in ("是", "否"):
                raise forms.ValidationError(
                    f"第{n}行格式不正确：应为“事实 比较 阈值 颜色代码 是/否 理由模板”。"
                )
            try:
                threshold = float(parts[2])
            except ValueError as exc:
                raise forms.ValidationError(f"第{n}行的阈值“{parts[2]}”不是数字。") from exc
            rows.append(
                {
                    "fact": parts[0],
                    "comparison": parts[1],
                    "threshold": threshold,
                    "result": parts[3],
                    "is_active": parts[4] == "是",
                    "reason": parts[5],
                }
            )
        if not rows:
            raise forms.ValidationError("至少需要一条规则。")
        return rows


class PolicyForm(StyledForm):
    control_level = forms.ChoiceField(label=_("默认管控层级"))
    review_months = forms.IntegerField(label=_("复评周期（月）"), min_value=1, max_value=60)
    responsible = forms.CharField(label=_("管控责任人"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from anbiao.risks.choices import ControlLevel

        self.fields["control_level"].choices = ControlLevel.choices
