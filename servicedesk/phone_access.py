"""Full mobile numbers: shown only to the roles that call customers, and every showing logged.

Who sees them is declared once, `servicedesk.roles.FULL_PHONE_ROLES`. A page asks
`full_phone_shown(request, customer)`: a True answer leaves a PhoneViewLog row naming the viewer
and page.
Every other place that shows a full number (a form prefilled with the customer, the customer
edit page, a printed form, the callback worklist) logs it too (`full_phones_shown` for a list);
a role that may not see it gets the masked number.
"""

from .access import has_role
from .models import PhoneViewLog
from .roles import FULL_PHONE_ROLES


def full_phone_shown(request, customer):
    if customer is None or not has_role(request.user, customer.mall_id, *FULL_PHONE_ROLES):
        return False
    PhoneViewLog.objects.create(
        mall_id=customer.mall_id, customer=customer, viewer=request.user, page=request.get_full_path()[:300]
    )
    return True


def full_phones_shown(request, customers):
    """For a page listing several customers' full numbers: the ids shown in full (logged).
    `customers`: Customer instances or anything with their `pk` and `mall_id` (a list's rows)."""
    allowed = {}  # mall id -> whether the user's roles there show full numbers: asked once a mall
    shown = {}
    for c in customers:
        if c is None or c.pk in shown:
            continue
        if c.mall_id not in allowed:
            allowed[c.mall_id] = has_role(request.user, c.mall_id, *FULL_PHONE_ROLES)
        if allowed[c.mall_id]:
            shown[c.pk] = c
    page = request.get_full_path()[:300]
    PhoneViewLog.objects.bulk_create(
        PhoneViewLog(mall_id=c.mall_id, customer_id=c.pk, viewer=request.user, page=page) for c in shown.values()
    )
    return set(shown)


def recent_views(customer, limit=20):
    return PhoneViewLog.objects.filter(customer=customer).select_related("viewer")[:limit]
