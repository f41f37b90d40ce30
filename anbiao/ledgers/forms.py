"""Forms of the ledgers. They parse input only; services validate the rules and write."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anbiao.core.forms import DateInput, StyledForm, StyledModelForm
from anbiao.ledgers.choices import AccidentGrade
from anbiao.ledgers.models import Accident, AccidentRuleSet, EquipmentInspection, TrainingAttendance
from anbiao.orgs.models import Enterprise


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _date_widgets(model, names) -> dict:
    widgets = {}
    for name in names:
        f = model._meta.get_field(name)
        if isinstance(f, models.DateTimeField):
            widgets[name] = DateTimeInput()
        elif isinstance(f, models.DateField):
            widgets[name] = DateInput()
        elif isinstance(f, models.TextField):
            widgets[name] = forms.Textarea(attrs={"rows": 3})
    return widgets


class EnterpriseChoiceMixin:
    """The ``enterprise`` field lists only enterprises the user may keep ledgers for."""

    def set_enterprises(self, enterprises):
        if "enterprise" in self.fields:
            self.fields["enterprise"].queryset = enterprises
            self.fields["enterprise"].empty_label = None if enterprises.count() == 1 else "请选择企业"


def ledger_form_class(kind, *, creating: bool):
    fields = (["enterprise"] if creating else []) + kind.fields
    form_class = forms.modelform_factory(
        kind.model, form=LedgerForm, fields=fields, widgets=_date_widgets(kind.model, kind.fields)
    )
    if kind.has_file:
        form_class = type(
            form_class.__name__,
            (form_class,),
            {
                "upload": forms.FileField(
                    label=_("上传文件（PDF、Word、Excel 或照片）"),
                    required=False,
                )
            },
        )
    return form_class


class LedgerForm(EnterpriseChoiceMixin, StyledModelForm):
    def __init__(self, *args, enterprises=None, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprises is not None:
            self.set_enterprises(enterprises)
        if scope is not None:
            for name in ("plan", "team"):
                if name in self.fields:
                    model = self.fields[name].queryset.model
                    qs = model.objects.visible_to(scope).select_related("enterprise")
                    if name == "team":  # teams still standing (RescueTeam rows are dated)
                        current = getattr(self.instance, "team_id", None)
                        qs = qs.filter(Q(valid_to__isnull=True) | Q(pk=current))
                    if self.instance.pk:
                        qs = qs.filter(enterprise_id=self.instance.enterprise_id)
                    self.fields[name].queryset = qs
                    self.fields[name].label_from_instance = lambda o: f"{o}（{o.enterprise.name}）"

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in {"enterprise", "upload"}}


class InspectionForm(StyledModelForm):
    upload = forms.FileField(label=_("检验报告（可选）"), required=False)

    class Meta:
        model = EquipmentInspection
        fields = ["kind", "inspected_on", "agency", "report_number", "result", "next_due", "note"]
        widgets = {"inspected_on": DateInput(), "next_due": DateInput()}


class AttendanceForm(StyledModelForm):
    class Meta:
        model = TrainingAttendance
        fields = ["person", "hours", "exam_score", "passed"]
        widgets = {"passed": forms.NullBooleanSelect()}

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        Person = apps.get_model("duty", "Person")
        people = Person.objects.none()
        if session is not None:
            people = Person.objects.filter(enterprise_id=session.enterprise_id, is_active=True).order_by(
                "name"
            )
            self.fields["hours"].initial = session.hours
        self.fields["person"].queryset = people
        self.fields["passed"].widget.attrs["class"] = "form-select"


class PhotoForm(StyledForm):
    photo = forms.FileField(label=_("演练照片（JPG、PNG）"))
    title = forms.CharField(label=_("说明"), max_length=200, required=False)


ACCIDENT_FACTS = [
    "occurred_at",
    "place",
    "kind",
    "is_near_miss",
    "summary",
    "deaths",
    "serious_injuries",
    "minor_injuries",
    "direct_loss",
    "reported_at",
    "reported_to",
]
ACCIDENT_INVESTIGATION = [
    "causes",
    "responsibility",
    "measures",
    "education",
    "causes_found",
    "responsible_handled",
    "measures_done",
    "people_educated",
]


class AccidentForm(EnterpriseChoiceMixin, StyledModelForm):
    class Meta:
        model = Accident
        fields = ["enterprise", *ACCIDENT_FACTS]
        widgets = _date_widgets(Accident, ACCIDENT_FACTS)

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprises is not None:
            self.set_enterprises(enterprises)
        self.fields["direct_loss"].help_text = _("单位：元。")
        self.fields["serious_injuries"].help_text = _("含急性工业中毒。")

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "enterprise"}


class AccidentUpdateForm(AccidentForm):
    class Meta(AccidentForm.Meta):
        fields = [*ACCIDENT_FACTS, *ACCIDENT_INVESTIGATION]
        widgets = _date_widgets(Accident, ACCIDENT_FACTS + ACCIDENT_INVESTIGATION)


class TransitionForm(StyledForm):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RuleSetForm(StyledModelForm):
    class Meta:
        model = AccidentRuleSet
        fields = ["name", "source", "valid_from", "report_limit_hours", "investigation_limit_days"]
        widgets = {"valid_from": DateInput()}

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        rows = {r.grade: r for r in current.grades.all()} if current else {}
        for grade in AccidentGrade:
            row = rows.get(grade.value)
            for key, label, field in (
                ("min_deaths", "死亡人数下限", forms.IntegerField(min_value=0)),
                ("min_serious_injuries", "重伤人数下限", forms.IntegerField(min_value=0)),
                (
                    "min_direct_loss",
                    "直接经济损失下限（元）",
                    forms.DecimalField(min_value=0, decimal_places=2),
                ),
            ):
                field.label = f"{grade.label}：{label}"
                field.initial = getattr(row, key) if row else None
                field.widget.attrs["class"] = "form-control"
                self.fields[f"{grade.value}__{key}"] = field

    def grades(self) -> dict[str, dict]:
        ranks = {g.value: 4 - i for i, g in enumerate(AccidentGrade)}
        out: dict[str, dict] = {}
        for grade in AccidentGrade:
            out[grade.value] = {"rank": ranks[grade.value]}
            for key in ("min_deaths", "min_serious_injuries", "min_direct_loss"):
                out[grade.value][key] = self.cleaned_data[f"{grade.value}__{key}"]
        return out

    def rule_set_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in self._meta.fields}


def enterprises_for_edit(scope):
    return Enterprise.objects.visible_to(scope, "ledger.edit").exclude(status="closed").order_by("name")
