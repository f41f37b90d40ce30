"""Builders for hazard-module rows, through the services (so the rows are what the app would write)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from anbiao.core.testing import png_bytes, system_scope
from anbiao.hazards.choices import HazardKind, InspectionKind, ItemCategory, Outcome, Source
from anbiao.hazards.services import checklists, hazards, inspections, reports

DAY = datetime.date(2025, 3, 10)


def photo(name="photo.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def root(world):
    return system_scope(world.county)


def enterprise_scope(enterprise, role="ent_principal"):
    from anbiao.core.scope import Grant, Scope
    from anbiao.core.testing import SystemActor

    return Scope(user=SystemActor(), grants=[Grant(role=role, enterprise_id=enterprise.pk)])


def template(world, *, organization=None, enterprise=None, name="仓库检查清单", items=2, publish=True):
    scope = root(world)
    t = checklists.template_create(
        actor=None, scope=scope, organization=organization, enterprise=enterprise, data={"name": name}
    )
    for n in range(items):
        checklists.item_save(
            actor=None,
            scope=scope,
            template=t,
            data={
                "category": ItemCategory.SITE,
                "content": f"{name}检查项{n + 1}：疏散通道畅通",
                "method": "现场查看",
            },
        )
    if publish:
        checklists.template_publish(actor=None, scope=scope, template=t)
    return t


def hazard(world, enterprise, *, source=Source.SELF, found_on=DAY, description="消防通道堆放杂物", **data):
    return hazards.hazard_register(
        actor=None,
        scope=root(world),
        enterprise=enterprise,
        data={
            "source": source,
            "kind": HazardKind.THING,
            "location": "一号仓库",
            "description": description,
            "found_on": found_on,
            **data,
        },
    )


FIVE = {
    "responsible_person": "张三",
    "measures": "清理杂物，划定禁放区",
    "deadline": DAY + datetime.timedelta(days=10),
    "funds": 200,
    "acceptor_name": "李四",
}


def assigned(world, enterprise, **kw):
    h = hazard(world, enterprise, **kw)
    return hazards.hazard_assign(
        actor=None, scope=root(world), hazard=h, data=dict(FIVE), on=h.found_on + datetime.timedelta(days=1)
    )


def kind_scope(world, enterprise, kind):
    """A system actor holding the role that records ``kind`` inspections of ``enterprise``."""
    from anbiao.core.scope import Grant, Scope
    from anbiao.core.testing import SystemActor

    grant = {
        InspectionKind.SELF: Grant(role="ent_safety", enterprise_id=enterprise.pk),
        InspectionKind.UNIT: Grant(role="unit_admin", org_path=enterprise.unit.path),
        InspectionKind.ENFORCEMENT: Grant(role="unit_admin", org_path=enterprise.unit.path),
        InspectionKind.COUNTY: Grant(role="county_admin", org_path=world.county.path),
        InspectionKind.GRID: Grant(role="inspector", enterprise_id=enterprise.pk),
        InspectionKind.EXPERT: Grant(role="expert", enterprise_id=enterprise.pk),
    }[kind]
    return Scope(user=SystemActor(), grants=[grant])


def inspection(world, enterprise, *, kind=InspectionKind.UNIT, t=None, fail=1, complete=True):
    scope = kind_scope(world, enterprise, kind)
    t = t or template(world, organization=world.county, name=f"检查清单{enterprise.pk}{kind}")
    i = _start(enterprise, kind, t)
    items = i.version.all_items()
    findings = [
        {
            "item": item,
            "outcome": Outcome.FAIL if n < fail else Outcome.PASS,
            "location": "仓库",
            "note": "通道堵塞",
        }
        for n, item in enumerate(items)
    ]
    inspections.inspection_record(actor=None, scope=scope, inspection=i, findings=findings)
    if complete:
        inspections.inspection_complete(
            actor=None, scope=scope, inspection=i, summary="", deadline=DAY + datetime.timedelta(days=15)
        )
    return i


def _start(enterprise, kind, t):
    """Start an inspection as the system (bypassing the per-role kinds, which tests check separately)."""
    from anbiao.hazards.models import Inspection
    from anbiao.hazards.services.checklists import current_version

    return Inspection.objects.create(
        enterprise=enterprise,
        kind=kind,
        inspected_on=DAY,
        inspectors="王检查",
        version=current_version(t),
        organization=None if kind == InspectionKind.SELF else enterprise.unit,
    )


def channel(world, enterprise, *, established=True):
    upload = SimpleUploadedFile("rule.png", png_bytes(), content_type="image/png") if established else None
    return reports.channel_save(
        actor=None,
        scope=enterprise_scope(enterprise),
        enterprise=enterprise,
        data={"established_on": DAY if established else None, "rule": "核实属实的奖励 50–500 元"},
        document=upload,
    )


def internal_report(world, enterprise):
    return reports.report_submit(
        channel=channel(world, enterprise), data={"location": "冷库门口", "description": "应急灯不亮"}
    )
