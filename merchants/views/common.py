from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from servicedesk.access import has_role
from servicedesk.navigation import require_section

from ..models import MERCHANT_EDITORS, Merchant


def merchant_for(request, pk):
    """The merchant if the user may see it: another mall's merchant is 404, a role without the
    section is 403."""
    merchant = get_object_or_404(Merchant.objects.for_user(request.user).select_related("mall"), pk=pk)
    require_section(request.user, "merchants")
    return merchant


def working_mall(request, *roles):
    """The mall the user works in now, if they hold one of `roles` there."""
    mall = request.mall
    if mall is None or not has_role(request.user, mall, *roles):
        raise PermissionDenied(_("Choose a mall where your role may do this."))
    return mall


def can_edit(user, merchant):
    return has_role(user, merchant.mall_id, *MERCHANT_EDITORS)
