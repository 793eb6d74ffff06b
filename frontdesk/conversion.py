"""An enquiry that turns into a complaint or a return: the case page passes `?enquiry=<id>` on,
and when the case is saved the enquiry records what it became."""

from .models import Enquiry
from .services import enquiry_mark_converted


def enquiry_from(request):
    """The enquiry named in the request, if the user may see it and it is not converted yet."""
    enquiry_id = request.GET.get("enquiry", "")
    if not enquiry_id.isdigit():
        return None
    return Enquiry.objects.for_user(request.user).filter(pk=enquiry_id, converted_at__isnull=True).first()


def mark_converted(request, kind, reference):
    enquiry = enquiry_from(request)
    if enquiry is not None:
        enquiry_mark_converted(enquiry=enquiry, kind=kind, reference=reference, actor=request.user)
