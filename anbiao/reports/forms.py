from django import forms

from anbiao.core.forms import StyledForm


class SubmitForm(StyledForm):
    filler_name = forms.CharField(label="填表人", max_length=50)
    filler_phone = forms.CharField(label="联系电话", max_length=30)
    note = forms.CharField(label="报送说明（可选）", max_length=500, required=False)


class ReturnForm(StyledForm):
    reason = forms.CharField(label="退回原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AdjustmentForm(StyledForm):
    delta = forms.CharField(
        label="调整值（在计算值上增加，减少填负数）",
        max_length=20,
        help_text="例如 2 或 -1；金额可保留四位小数。",
    )
    reason = forms.CharField(
        label="原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="写明记录为什么不能反映这个数，例如尚未录入系统的外单位组织的活动。",
    )
    evidence = forms.FileField(
        label="佐证材料", required=False, help_text="照片、PDF、Word 或 Excel；修改已有调整时可不再上传。"
    )
