from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from servicedesk.access import has_role
from servicedesk.navigation import require_section

from ..models import Complaint

FULL_PHONE_ROLES = (
    "front_desk",
    "complaint_officer",
    "supervisor",
    "manager",
)


def complaint_for(request, pk, queryset=None):
    """The complaint if the user's malls include it (else 404), and the user uses this section (else 403)."""
    queryset = queryset if queryset is not None else Complaint.objects.select_related("mall", "customer", "merchant")
    complaint = get_object_or_404(queryset.for_user(request.user), pk=pk)
    require_section(request.user, "complaints")
    return complaint


def desk_mall(request, *roles):
    """The mall the user works in now, if they hold one of `roles` there (else 403)."""
    mall = request.mall
    if mall is None or not has_role(request.user, mall, *roles):
        raise PermissionDenied(_("Choose a mall where your role may do this."))
    return mall
