from django.utils.translation import gettext_lazy as _

LABEL = _("Complaints")


def open_complaints_of(merchant):
    from .models import Complaint

    return Complaint.objects.open().filter(merchant=merchant).order_by("received_at")
