"""The customer's complaints on their page (servicedesk.customer_records)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicedesk.customer_records import CustomerRecord

LABEL = _("Complaint")


def complaint_records(customer, limit):
    from .models import Complaint

    complaints = (
        Complaint.objects.filter(customer=customer).select_related("merchant").order_by("-received_at", "-pk")[:limit]
    )
    return [
        CustomerRecord(
            kind="complaint",
            kind_label=LABEL,
            when=c.received_at,
            number=c.number,
            url=reverse("complaints:detail", args=[c.pk]),
            summary=" · ".join(
                part
                for part in (str(c.merchant.brand if c.merchant_id else _("merchant unknown")), c.category_label)
                if part
            ),
            status=c.get_status_display(),
            is_open=c.is_open,
        )
        for c in complaints
    ]
