from django.shortcuts import get_object_or_404

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


def form_errors_from(form, error):
    """Put a service's ValidationError next to the fields it names (others at the top)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
