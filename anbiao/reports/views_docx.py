"""Downloads of the docx drafts: a unit's 季度工作总结 (?quarter=2025Q3) and 年度工作总结 (?year=2025)."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.utils import timezone

from anbiao.core import privacy
from anbiao.core.views import ScopedDetailView
from anbiao.reports import docx_drafts, figures
from anbiao.reports.context import Quarter, ReportContext
from anbiao.reports.views import _UnitReportMixin

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(document, filename: str) -> HttpResponse:
    """The document as an attachment, its name UTF-8 encoded as for the xlsx downloads (core/xlsx.py)."""
    buf = io.BytesIO()
    document.save(buf)
    resp = HttpResponse(buf.getvalue(), content_type=DOCX_MIME)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


def _filler(user) -> str:
    return getattr(user, "display_name", "") or user.get_username()


def year_from(request) -> int:
    """The ``year`` parameter: a year whose fourth quarter has finished; default the last such year."""
    today = timezone.localdate()
    raw = request.GET.get("year", "").strip()
    if not raw:
        return today.year - 1  # a year's fourth quarter ends on its last day
    if not raw.isdigit() or Quarter(int(raw), 4) not in Quarter.finished(today):
        raise Http404("年度无效：只能生成第四季度已结束的年度的工作总结，例如 2025。")
    return int(raw)


class QuarterSummaryDocxView(_UnitReportMixin, ScopedDetailView):
    """GET reports/units/<pk>/summary.docx?quarter=2025Q3"""

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        ctx = self.report_context()
        document = docx_drafts.quarterly_summary(
            self.object,
            self.quarter,
            figures.report_values(ctx),
            filler=_filler(request.user),
            phone=privacy.shown(self.scope, self.object.contact_phone, self.object),
        )
        return docx_response(document, f"季度工作总结_{self.object.name}_{self.quarter.code}.docx")


class AnnualSummaryDocxView(_UnitReportMixin, ScopedDetailView):
    """GET reports/units/<pk>/annual.docx?year=2025 (a year whose fourth quarter has finished)."""

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        year = year_from(request)
        finished = Quarter.finished(timezone.localdate())
        values_by_quarter = {
            quarter: figures.report_values(
                ReportContext(scope=self.scope, unit=self.object, as_of=quarter.end)
            )
            for quarter in (Quarter(year, q) for q in (1, 2, 3, 4))
            if quarter in finished
        }
        document = docx_drafts.annual_summary(
            self.object,
            year,
            values_by_quarter,
            filler=_filler(request.user),
            phone=privacy.shown(self.scope, self.object.contact_phone, self.object),
        )
        return docx_response(document, f"年度工作总结_{self.object.name}_{year}.docx")
