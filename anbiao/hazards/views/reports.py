"""事故隐患内部报告奖励: the enterprise's mechanism page with its link and QR code, the public report form,
and verification / rewards."""

from __future__ import annotations

import io

import django_filters
import segno
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_POST

from anbiao.core import context
from anbiao.core.forms import StyledForm, apply_errors
from anbiao.core.views import ScopedDetailView, ScopedListView, ScopedObjectView
from anbiao.hazards.choices import ReportStatus
from anbiao.hazards.forms import ChannelForm, PublicReportForm, ReasonForm, RewardForm, VerifyForm
from anbiao.hazards.models import InternalReport, ReportingChannel
from anbiao.hazards.services import reports as services
from anbiao.hazards.services.common import photos_of
from anbiao.hazards.views.common import flash_errors
from anbiao.orgs.models import Enterprise

# Flood limits for the public form (per client address; per enterprise per day).
PER_IP_PER_HOUR = 5
PER_CHANNEL_PER_DAY = 50


class ReportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="核实结果", choices=ReportStatus.choices)
    enterprise_name = django_filters.CharFilter(
        label="企业", field_name="enterprise__name", lookup_expr="icontains"
    )

    class Meta:
        form = StyledForm
        model = InternalReport
        fields = ["status", "enterprise_name"]


class ReportListView(ScopedListView):
    model = InternalReport
    permission = "internal_report.view"
    filterset_class = ReportFilter
    template_name = "hazards/report_list.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise", "hazard")

    def get_context_data(self, **kwargs):
        own = Enterprise.objects.visible_to(self.scope, "internal_report.handle").filter(
            pk__in=self.scope.enterprise_ids
        )
        return super().get_context_data(own_enterprises=own, **kwargs)


class ReportDetailView(ScopedDetailView):
    model = InternalReport
    permission = "internal_report.view"
    template_name = "hazards/report_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise", "hazard", "handled_by")

    def get_context_data(self, **kwargs):
        r = self.object
        can_handle = self.scope.can("internal_report.handle", r)
        return super().get_context_data(
            photos=photos_of(r),
            can_handle=can_handle,
            verify_form=VerifyForm() if can_handle and r.status == ReportStatus.NEW else None,
            reason_form=ReasonForm() if can_handle and r.status == ReportStatus.NEW else None,
            reward_form=RewardForm() if can_handle and r.status == ReportStatus.VERIFIED else None,
            **kwargs,
        )


class _ReportStep(ScopedObjectView):
    model = InternalReport
    permission = "internal_report.view"
    object_permission = "internal_report.handle"
    form_class = None

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                "；".join(f"{form.fields[f].label}：{e}" for f, errs in form.errors.items() for e in errs),
            )
        else:
            try:
                message = self.act(form.cleaned_data)
            except ValidationError as exc:
                flash_errors(request, exc)
            else:
                messages.success(request, message)
        return redirect("hazards:report_detail", pk=self.object.pk)


@method_decorator(require_POST, name="dispatch")
class ReportVerifyView(_ReportStep):
    form_class = VerifyForm

    def act(self, data):
        report = services.report_verify(
            actor=self.request.user, scope=self.scope, report=self.object, data=data
        )
        return f"已核实属实，登记为隐患 {report.hazard.code}。"


@method_decorator(require_POST, name="dispatch")
class ReportRejectView(_ReportStep):
    form_class = ReasonForm

    def act(self, data):
        services.report_reject(
            actor=self.request.user, scope=self.scope, report=self.object, reason=data["reason"]
        )
        return "已标记为不属实。"


@method_decorator(require_POST, name="dispatch")
class ReportRewardView(_ReportStep):
    form_class = RewardForm

    def act(self, data):
        services.report_reward(actor=self.request.user, scope=self.scope, report=self.object, **data)
        return "已记录奖励兑现。"


def public_url(request, channel: ReportingChannel) -> str:
    return request.build_absolute_uri(reverse("hazards:public_report", args=[channel.token]))


class ChannelView(ScopedObjectView):
    """An enterprise's 内部报告奖励机制: 制度, reward rule, the reporting link and its printable QR code."""

    model = Enterprise
    permission = "internal_report.view"
    template_name = "hazards/channel.html"

    def context(self, form=None):
        enterprise = self.object
        channel = ReportingChannel.objects.filter(enterprise=enterprise).select_related("document").first()
        can_handle = self.scope.can("internal_report.handle", enterprise)
        return {
            "object": enterprise,
            "channel": channel,
            "link": public_url(self.request, channel) if channel else "",
            "form": (form or ChannelForm(instance=channel)) if can_handle else None,
        }

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.context())

    def post(self, request, *args, **kwargs):
        if not self.scope.can("internal_report.handle", self.object):
            raise PermissionDenied("只有企业负责人或安全管理员可以设置。")
        channel = ReportingChannel.objects.filter(enterprise=self.object).first()
        form = ChannelForm(request.POST, request.FILES, instance=channel)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("is_open", "established_on", "rule")}
            try:
                services.channel_save(
                    actor=request.user,
                    scope=self.scope,
                    enterprise=self.object,
                    data=data,
                    document=form.cleaned_data.get("document"),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存内部报告奖励机制。")
                return redirect("hazards:channel", pk=self.object.pk)
        return render(request, self.template_name, self.context(form))


class ChannelQrView(ScopedObjectView):
    """The reporting link as an SVG QR code (printable poster for the 公示栏)."""

    model = Enterprise
    permission = "internal_report.view"

    def get(self, request, *args, **kwargs):
        channel = ReportingChannel.objects.filter(enterprise=self.object).first()
        if channel is None:
            raise Http404("尚未设置内部报告渠道")
        buf = io.BytesIO()
        segno.make(public_url(request, channel), error="m").save(buf, kind="svg", scale=8, border=2)
        response = HttpResponse(buf.getvalue(), content_type="image/svg+xml")
        response["Content-Disposition"] = f'inline; filename="report-qr-{self.object.pk}.svg"'
        return response


def _over_limit(key: str, limit: int, seconds: int) -> bool:
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, seconds)
        count = 1
    return count > limit


class PublicReportView(View):
    """No login: an employee reports a hazard from a phone. Rate-limited and size-limited."""

    template_name = "hazards/public_report.html"

    def channel(self, token):
        channel = ReportingChannel.objects.filter(token=token).select_related("enterprise").first()
        if channel is None or not channel.is_open:
            raise Http404("链接无效或已关闭")
        return channel

    def get(self, request, token):
        channel = self.channel(token)
        return render(
            request,
            self.template_name,
            {"channel": channel, "form": PublicReportForm(), "sent": request.GET.get("sent") == "1"},
        )

    def post(self, request, token):
        channel = self.channel(token)
        form = PublicReportForm(request.POST, request.FILES)
        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.ANBIAO_UPLOAD_MAX_BYTES + 64 * 1024:
            form.add_error(
                None, f"照片过大：不能超过 {settings.ANBIAO_UPLOAD_MAX_BYTES // (1024 * 1024)} MB。"
            )
            return render(request, self.template_name, {"channel": channel, "form": form}, status=413)
        ip = context.current().ip or "unknown"
        if _over_limit(f"report-ip:{ip}", PER_IP_PER_HOUR, 3600) or _over_limit(
            f"report-channel:{channel.pk}", PER_CHANNEL_PER_DAY, 86400
        ):
            form.add_error(None, "提交过于频繁，请稍后再试，或直接向安全管理员报告。")
            return render(request, self.template_name, {"channel": channel, "form": form}, status=429)
        if form.is_valid():
            if form.cleaned_data["website"]:
                return redirect(reverse("hazards:public_report", args=[token]) + "?sent=1")
            data = {
                k: form.cleaned_data[k]
                for k in ("location", "description", "reporter_name", "reporter_phone")
            }
            try:
                services.report_submit(channel=channel, data=data, photo=form.cleaned_data.get("photo"))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect(reverse("hazards:public_report", args=[token]) + "?sent=1")
        return render(request, self.template_name, {"channel": channel, "form": form}, status=400)
