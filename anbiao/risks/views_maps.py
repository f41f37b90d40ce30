"""Pages for the four-colour site maps: upload a plan, draw risk points on it, download or print it."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from anbiao.core.views import ScopedDetailView, ScopedObjectView
from anbiao.orgs.models import Enterprise
from anbiao.risks import drawing, selectors, services
from anbiao.risks.choices import COLOUR_HEX, PointStatus
from anbiao.risks.forms import ShapesForm, SiteMapForm
from anbiao.risks.models import RiskPoint, SiteMap
from anbiao.risks.views import apply_errors, legend


# --- Site maps -------------------------------------------------------------------------------------------
class SiteMapCreateView(ScopedObjectView):
    model = Enterprise
    permission = "risk.manage"
    object_permission = "risk.manage"
    template_name = "risks/sitemap_form.html"

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": SiteMapForm(), "enterprise": self.object})

    def post(self, request, *args, **kwargs):
        form = SiteMapForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                site_map = services.sitemap_create(
                    actor=request.user,
                    scope=self.scope,
                    enterprise=self.object,
                    title=form.cleaned_data["title"],
                    upload=form.cleaned_data["plan"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "平面图已上传。请在图上为每个风险点画出区域或放置标记。")
                return redirect("risks:sitemap_detail", pk=site_map.pk)
        return render(request, self.template_name, {"form": form, "enterprise": self.object}, status=400)


class SiteMapDetailView(ScopedObjectView):
    """The map in SVG over the plan; the enterprise's own users edit the shapes here (risks/mapedit.js)."""

    model = SiteMap
    permission = "risk.view"
    template_name = "risks/sitemap_detail.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise", "plan")

    def context(self, error=None):
        m = self.object
        shapes = selectors.map_shapes(m)
        points = list(
            RiskPoint.objects.filter(enterprise=m.enterprise, status=PointStatus.ACTIVE).order_by("name")
        )
        data = [{"risk_point": s.risk_point_id, "kind": s.kind, "points": s.points} for s in shapes]
        palette = {str(p.pk): {"name": p.name, "colour": COLOUR_HEX.get(p.level, "#6c757d")} for p in points}
        placed = {s.risk_point_id for s in shapes}
        return {
            "object": m,
            "shapes": drawing.svg_shapes(m, shapes),
            "marker_r": drawing.marker_radius(m),
            "label_size": drawing.label_size(m),
            "points": points,
            "unplaced": [p for p in points if p.pk not in placed],
            "shapes_data": data,
            "palette_data": palette,
            "can_manage": self.scope.can("risk.manage", m),
            "legend": legend(),
            "today": timezone.localdate(),
            "error": error,
        }

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.context())

    def post(self, request, *args, **kwargs):
        if not self.scope.can("risk.manage", self.object):
            raise PermissionDenied("您的角色不能修改四色分布图。")
        form = ShapesForm(request.POST)
        if not form.is_valid():
            return render(
                request, self.template_name, self.context("图形数据格式不正确，未保存。"), status=400
            )
        try:
            services.sitemap_save_shapes(
                actor=request.user, scope=self.scope, site_map=self.object, shapes=form.cleaned_data["shapes"]
            )
        except ValidationError as exc:
            return render(request, self.template_name, self.context("；".join(exc.messages)), status=400)
        messages.success(request, "四色分布图已保存。")
        return redirect("risks:sitemap_detail", pk=self.object.pk)


class SiteMapPngView(ScopedObjectView):
    model = SiteMap
    permission = "risk.view"

    def narrow(self, queryset):
        return queryset.select_related("enterprise", "plan")

    def get(self, request, *args, **kwargs):
        m = self.object
        png = drawing.render_png(
            m, selectors.map_shapes(m), enterprise_name=m.enterprise.name, on=timezone.localdate()
        )
        response = HttpResponse(png, content_type="image/png")
        name = f"四色安全风险空间分布图-{m.enterprise.name}-{m.title}.png"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class SiteMapPrintView(ScopedDetailView):
    model = SiteMap
    permission = "risk.view"
    template_name = "risks/sitemap_print.html"

    def narrow(self, queryset):
        return queryset.select_related("enterprise", "plan")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            shapes=drawing.svg_shapes(self.object, selectors.map_shapes(self.object)),
            marker_r=drawing.marker_radius(self.object),
            label_size=drawing.label_size(self.object),
            legend=legend(),
            today=timezone.localdate(),
            **kwargs,
        )
