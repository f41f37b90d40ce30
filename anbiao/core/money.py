"""Money as the 季报表 show it: amounts are entered in 元 and reported in 万元 to four decimals (half up)."""

from decimal import ROUND_HALF_UP, Decimal

TEN_THOUSAND = Decimal(10000)
WAN_PLACES = Decimal("0.0001")


def wan_yuan(yuan: Decimal | int | None) -> Decimal:
    """元 → 万元 to 4 decimal places, rounding half up (12344.50 元 → 1.2345 万元)."""
    value = Decimal(yuan or 0) / TEN_THOUSAND
    return value.quantize(WAN_PLACES, rounding=ROUND_HALF_UP)
