from django.shortcuts import get_object_or_404

from servicedesk.navigation import require_section

from ..models import Compensation


def compensation_for(request, pk, queryset=None):
    """The case if the user's malls include it (else 404), and the user uses this section (else 403)."""
    queryset = queryset if queryset is not None else Compensation.objects.select_related("mall", "merchant")
    compensation = get_object_or_404(queryset.for_user(request.user), pk=pk)
    require_section(request.user, "compensations")
    return compensation
