"""Helpers for the hazard tests on top of ``factories`` (which stays as the app ships it)."""

from __future__ import annotations

import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anbiao.core.models import AuditEvent
from anbiao.core.scope import Scope
from anbiao.core.testing import png_bytes
from anbiao.hazards.choices import Source, State
from anbiao.hazards.models import HazardCriterion, HazardEvent
from anbiao.hazards.services import checklists, hazards
from anbiao.hazards.tests import factories

DAY = factories.DAY
TODAY = timezone.localdate()
PLAN = {
    "plan_goal": "消除隐患",
    "plan_method": "更换设备",
    "plan_resources": "资金2万元",
    "plan_organisation": "安全部",
    "plan_schedule": "30日内",
    "plan_safety": "停用并设警戒",
}


def scope(user) -> Scope:
    return Scope.for_user(user)


def photo(name="photo.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def text_file(name="note.txt", size=100):
    return SimpleUploadedFile(name, b"x" * size, content_type="text/plain")


def criterion(*, major=True, code=None) -> HazardCriterion:
    code = code or f"TEST-{'M' if major else 'G'}-{HazardCriterion.objects.count() + 1}"
    return HazardCriterion.objects.create(
        catalogue="测试判定标准",
        code=code,
        article=f"第{HazardCriterion.objects.count() + 1}条",
        sector="工贸",
        text="未按规定设置安全出口",
        is_major=major,
    )


def counts(hazard=None) -> tuple[int, int]:
    """(HazardEvent rows of ``hazard`` or all, AuditEvent rows)."""
    events = HazardEvent.objects.filter(hazard=hazard) if hazard else HazardEvent.objects.all()
    return events.count(), AuditEvent.objects.count()


def five(**over) -> dict:
    return {**factories.FIVE, **over}


def system_scope_for(hazard, verb):
    """A system actor holding the role that may make ``verb`` on ``hazard``."""
    from anbiao.core.testing import system_scope
    from anbiao.orgs.models import Organization

    if verb in {"start", "submit"} or (verb in {"accept", "reject"} and not hazard.accepted_by_supervisor):
        return factories.enterprise_scope(hazard.enterprise, role="ent_safety")
    return system_scope(Organization.objects.order_by("path").first())


def build(world, enterprise, state, *, rectifier=None, acceptor=None, source=Source.SELF, **kw):
    """A hazard of ``enterprise`` moved by the system (or ``rectifier``) into ``state``."""
    root = factories.root(world)
    h = factories.hazard(world, enterprise, source=source, **kw)
    if state == State.REGISTERED:
        return h
    if state == State.VOIDED:
        return hazards.hazard_void(actor=None, scope=root, hazard=h, reason="误报")
    day = datetime.timedelta(days=1)
    h = hazards.hazard_assign(actor=None, scope=root, hazard=h, data=five(), on=h.found_on + day)
    if state == State.PENDING:
        return h
    firm = system_scope_for(h, "start")
    h = hazards.hazard_start(actor=None, scope=firm, hazard=h, on=h.found_on + 2 * day)
    if state == State.RECTIFYING:
        return h
    h = hazards.hazard_submit(
        actor=rectifier,
        scope=scope(rectifier) if rectifier else firm,
        hazard=h,
        rectified_on=h.found_on + datetime.timedelta(days=5),
        note="已清理",
        photos=[photo()],
    )
    if state == State.AWAITING:
        return h
    return hazards.hazard_accept(
        actor=acceptor,
        scope=scope(acceptor) if acceptor else system_scope_for(h, "accept"),
        hazard=h,
        accepted_on=h.rectified_on + datetime.timedelta(days=1),
    )


def item_of(template, n=0):
    return checklists.current_version(template).all_items()[n]


def workbook(response):
    """The first sheet of an xlsx response."""
    assert response.status_code == 200, response.content[:300]
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def data_rows(ws, header_row=3):
    """Rows below the header up to the footer (the footer is one merged text cell)."""
    rows = []
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(row)
    return rows


def flashes(response) -> str:
    """The flash messages a (not followed) response queued, joined."""
    from django.contrib.messages import get_messages

    return " ".join(str(m) for m in get_messages(response.wsgi_request))
