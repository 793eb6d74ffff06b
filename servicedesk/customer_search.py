"""Finding a customer by phone, as the desk types it: the whole mobile, or its last digits.

Like the complaint register's search: a whole mobile is an exact (indexed) lookup; four to ten
digits are the end of a mobile, found by the last-4-digits index and then narrowed.
"""

from django.db.models.functions import Right

from .phones import normalise_mobile

MOBILE_LENGTH = 11
SHORTEST = 4


def typed_digits(typed):
    """The digits of a phone search, or "" when it is not one (too short, letters, too long)."""
    digits = normalise_mobile(typed or "")
    if not digits.isdigit() or not SHORTEST <= len(digits) <= MOBILE_LENGTH:
        return ""
    return digits


def customers_by_phone(customers, typed):
    """`customers` narrowed to the typed mobile or mobile ending; None if nothing usable was typed."""
    digits = typed_digits(typed)
    if not digits:
        return None
    if len(digits) == MOBILE_LENGTH:
        return customers.filter(mobile=digits)
    return customers.annotate(last4=Right("mobile", SHORTEST)).filter(last4=digits[-SHORTEST:], mobile__endswith=digits)
