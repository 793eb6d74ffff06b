"""Full mobile numbers: shown only to the roles that call customers, and every showing logged.

A record page asks `full_phone_shown(request, customer, *roles)` instead of `has_role(...)`:
the answer is the same, and a True answer leaves a PhoneViewLog row naming the viewer and page.
"""

from .access import has_role
from .models import PhoneViewLog


def full_phone_shown(request, customer, *roles):
    if customer is None or not has_role(request.user, customer.mall_id, *roles):
        return False
    PhoneViewLog.objects.create(
        mall_id=customer.mall_id, customer=customer, viewer=request.user, page=request.get_full_path()[:300]
    )
    return True


def recent_views(customer, limit=20):
    return PhoneViewLog.objects.filter(customer=customer).select_related("viewer")[:limit]
