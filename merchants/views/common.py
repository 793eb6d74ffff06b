from django.shortcuts import get_object_or_404

from servicedesk.access import has_role, require_role
from servicedesk.navigation import require_section

from ..models import MERCHANT_EDITORS, Merchant


def merchant_for(request, pk):
    """The merchant if the user may see it: another mall's merchant is 404, a role without the
    section is 403."""
    merchant = get_object_or_404(Merchant.objects.for_user(request.user).select_related("mall"), pk=pk)
    require_section(request.user, "merchants")
    return merchant


def can_edit(user, merchant):
    return has_role(user, merchant.mall_id, *MERCHANT_EDITORS)


def merchant_for_change(request, pk, *roles):
    """The merchant for a write page: 404 for another mall, then 403 unless the user holds a role.

    Checking the role before the form means a reader (head office, front desk) is refused at
    once instead of seeing a form whose submission the service would refuse.
    """
    merchant = merchant_for(request, pk)
    require_role(request.user, merchant.mall_id, *roles)
    return merchant
