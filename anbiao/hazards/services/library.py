"""The starter checklist library (seed_data.TEMPLATES), loaded for a unit and published as version 1."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from anbiao.core.scope import Scope
from anbiao.hazards.models import ChecklistTemplate, HazardCriterion
from anbiao.hazards.seed_data import TEMPLATES
from anbiao.hazards.services.checklists import item_save, template_create, template_publish
from anbiao.orgs.models import Industry
from anbiao.standards.models import StandardItem

ELEMENT_STANDARD = "GB/T 33000-2016"


@transaction.atomic
def library_load(*, actor, scope: Scope, organization) -> list[ChecklistTemplate]:
    """Create the starter templates the unit does not have yet (matched by name); returns those created."""
    if not scope.can("checklist.manage", organization):
        raise PermissionDenied("只能为本单位载入清单库。")
    existing = set(ChecklistTemplate.objects.filter(organization=organization).values_list("name", flat=True))
    criteria = {c.code: c for c in HazardCriterion.objects.all()}
    industries = {i.code: i for i in Industry.objects.all()}
    elements = {
        e.code: e for e in StandardItem.objects.filter(standard__code=ELEMENT_STANDARD, level=2)
    }  # the starter items cite GB/T 33000-2016 二级要素 by number
    created = []
    for spec in TEMPLATES:
        if spec["name"] in existing:
            continue
        template = template_create(
            actor=actor,
            scope=scope,
            organization=organization,
            data={
                "kind": spec["kind"],
                "name": spec["name"],
                "description": spec["description"],
                "industries": [industries[c] for c in spec["industries"] if c in industries],
            },
        )
        for order, item in enumerate(spec["items"], start=1):
            item_save(
                actor=actor,
                scope=scope,
                template=template,
                data={
                    "order": order,
                    "category": item["category"],
                    "content": item["content"],
                    "method": item["method"],
                    "basis": item["basis"],
                    "criterion": criteria.get(item["criterion"]) if item["criterion"] else None,
                    "element": elements.get(item["element"]),
                },
            )
        template_publish(actor=actor, scope=scope, template=template, note="入门清单库")
        created.append(template)
    return created
