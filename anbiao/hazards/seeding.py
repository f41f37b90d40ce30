"""Seed the 重大事故隐患判定标准 catalogue from seed_data (the data migration and the demo use it)."""

from anbiao.hazards.seed_data import CRITERIA, SOURCES


def seed_criteria(model) -> int:
    """Create missing articles and refresh the seeded fields of existing ones; returns how many exist."""
    for order, c in enumerate(CRITERIA, start=1):
        model.objects.update_or_create(
            code=c["code"],
            defaults={
                "catalogue": c["catalogue"],
                "article": c["article"],
                "sector": c["sector"],
                "text": c["text"],
                "is_major": c["is_major"],
                "unverified": c["unverified"],
                "source": SOURCES.get(c["source"], c["source"])[:300],
                "sort_order": order,
            },
        )
    return model.objects.count()
