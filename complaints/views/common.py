from django.shortcuts import get_object_or_404

from servicedesk.navigation import require_section

from ..models import Complaint


def complaint_for(request, pk, queryset=None):
    """The complaint if the user's malls include it (else 404), and the user uses this section (else 403)."""
    queryset = queryset if queryset is not None else Complaint.objects.select_related("mall", "customer", "merchant")
    complaint = get_object_or_404(queryset.for_user(request.user), pk=pk)
    require_section(request.user, "complaints")
    return complaint
