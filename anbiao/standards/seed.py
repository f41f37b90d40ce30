"""Load the seeded catalogues, rule sets and checklists (used by migration 0002 and tests)."""

from decimal import Decimal

from anbiao.standards import catalogue_io, seed_data


def seed(models) -> None:
    """``models``: a callable name → model (``apps.get_model`` bound to this app). Adds what is missing."""
    Standard, StandardItem = models("Standard"), models("StandardItem")
    for order, data in enumerate(seed_data.CATALOGUES):
        if Standard.objects.filter(code=data["standard"]["code"]).exists():
            continue
        cat = catalogue_io.from_dict(data)
        if not cat.ok:
            raise ValueError("; ".join(cat.errors))
        standard = catalogue_io.write(Standard, StandardItem, cat)
        standard.sort_order = order
        standard.save(update_fields=["sort_order"])
    RuleSet, Rule = models("RuleSet"), models("Rule")
    for data in seed_data.RULESETS:
        if RuleSet.objects.filter(kind=data["kind"]).exists():
            continue
        rs = RuleSet.objects.create(
            kind=data["kind"], version=1, title=data["title"], source=data["source"], is_active=True
        )
        for order, fact, op, threshold, effect, result, reason, unverified in data["rules"]:
            Rule.objects.create(
                ruleset=rs,
                order=order,
                fact=fact,
                op=op,
                threshold=Decimal(threshold),
                effect=effect,
                result=result,
                reason=reason,
                unverified=unverified,
            )
    Checklist, Item = models("SiteChecklist"), models("SiteChecklistItem")
    for data in seed_data.SITE_CHECKLISTS:
        if Checklist.objects.filter(kind=data["kind"]).exists():
            continue
        cl = Checklist.objects.create(
            kind=data["kind"],
            version=1,
            title=data["title"],
            pass_mode=data["pass_mode"],
            pass_threshold=Decimal(data["pass_threshold"]),
            source=data["source"],
            unverified=data["unverified"],
            is_active=True,
        )
        for order, (label, guidance) in enumerate(data["items"], start=1):
            Item.objects.create(
                checklist=cl, order=order, label=label, guidance=guidance, unverified=data["unverified"]
            )
