"""The limits of DOMAIN.md §9 (bad input), defined once for every app and the API."""

from decimal import Decimal

# Texts at most 2,000 characters.
TEXT_MAX = 2000
# Amounts > 0, two decimals, at most 10,000,000 yuan.
AMOUNT_MAX = Decimal("10000000.00")
