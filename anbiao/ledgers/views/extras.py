"""Actions inside a ledger row's page: inspections of equipment, training attendees, drill photos."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse

from anbiao.core.views import ScopedObjectView
from anbiao.ledgers import services
from anbiao.ledgers.forms import AttendanceForm, InspectionForm, PhotoForm
from anbiao.ledgers.models import Drill, Equipment, TrainingAttendance, TrainingSession


def _errors(form) -> str:
    return "；".join(
        f"{form.fields[f].label if f in form.fields else ''}：{e}".lstrip("：")
        for f, errs in form.errors.items()
        for e in errs
    )


class PostOnObject(ScopedObjectView):
    permission = "ledger.edit"
    object_permission = "ledger.edit"
    http_method_names = ["post"]
    anchor = ""

    def back(self):
        return HttpResponseRedirect(reverse(self.detail_name, args=[self.object.pk]) + self.anchor)


class InspectionAddView(PostOnObject):
    model = Equipment
    detail_name = "ledgers:equipment_detail"
    anchor = "#inspections"

    def post(self, request, *args, **kwargs):
        form = InspectionForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "检验记录未保存：" + _errors(form))
            return self.back()
        data = {k: v for k, v in form.cleaned_data.items() if k != "upload"}
        try:
            services.equipment_inspection_add(
                actor=request.user,
                scope=self.scope,
                equipment=self.object,
                data=data,
                upload=form.cleaned_data.get("upload"),
            )
        except ValidationError as exc:
            messages.error(request, "检验记录未保存：" + "；".join(exc.messages))
        else:
            messages.success(request, "已登记检验（检查）记录，下次检验日期已更新。")
        return self.back()


class AttendanceAddView(PostOnObject):
    model = TrainingSession
    detail_name = "ledgers:training_detail"
    anchor = "#attendees"

    def post(self, request, *args, **kwargs):
        form = AttendanceForm(request.POST, session=self.object)
        if not form.is_valid():
            messages.error(request, "参训人员未添加：" + _errors(form))
            return self.back()
        data = {k: v for k, v in form.cleaned_data.items() if k != "person"}
        try:
            services.training_attendance_add(
                actor=request.user,
                scope=self.scope,
                session=self.object,
                person=form.cleaned_data["person"],
                data=data,
            )
        except ValidationError as exc:
            messages.error(request, "参训人员未添加：" + "；".join(exc.messages))
        else:
            messages.success(request, f"已添加参训人员 {form.cleaned_data['person']}。")
        return self.back()


class AttendanceRemoveView(PostOnObject):
    model = TrainingAttendance
    detail_name = "ledgers:training_detail"
    anchor = "#attendees"

    def narrow(self, queryset):
        return queryset.select_related("session__enterprise__unit", "person")

    def post(self, request, *args, **kwargs):
        session_id = self.object.session_id
        services.training_attendance_remove(actor=request.user, scope=self.scope, attendance=self.object)
        messages.success(request, f"已移除参训人员 {self.object.person}。")
        return HttpResponseRedirect(reverse(self.detail_name, args=[session_id]) + self.anchor)


class DrillPhotoView(PostOnObject):
    model = Drill
    detail_name = "ledgers:drills_detail"
    anchor = "#photos"

    def post(self, request, *args, **kwargs):
        form = PhotoForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "照片未上传：" + _errors(form))
            return self.back()
        try:
            services.drill_photo_add(
                actor=request.user,
                scope=self.scope,
                drill=self.object,
                upload=form.cleaned_data["photo"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            messages.error(request, "照片未上传：" + "；".join(exc.messages))
        else:
            messages.success(request, "照片已上传。")
        return self.back()
