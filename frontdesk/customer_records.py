"""The customer's enquiries on their page (servicedesk.customer_records)."""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from servicedesk.customer_records import CustomerRecord

LABEL = _("Enquiry")


def enquiry_records(customer, limit):
    from .models import Enquiry

    enquiries = Enquiry.objects.filter(customer=customer).order_by("-received_at", "-pk")[:limit]
    return [
        CustomerRecord(
            kind="enquiry",
            kind_label=LABEL,
            when=e.received_at,
            number=e.converted_reference,
            url=f"{reverse('frontdesk:enquiries')}?date={e.received_on.isoformat()}#enquiry-{e.pk}",
            summary=f"{e.get_topic_display()} · {Truncator(e.question).chars(60)}",
            status=e.get_converted_to_display() if e.converted_to else "",
        )
        for e in enquiries
    ]
