from django.utils.translation import gettext_lazy as _

LABEL = _("Complaints")
ALL_LABEL = _("All complaints against this merchant")


def merchant_complaints_url(merchant):
    from django.urls import reverse

    return reverse("complaints:merchant", args=[merchant.pk])


def open_complaints_of(merchant):
    from .models import Complaint

    return Complaint.objects.open().filter(merchant=merchant).order_by("received_at")
