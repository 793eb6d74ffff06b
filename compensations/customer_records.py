"""The customer's advance compensations on their page (servicedesk.customer_records)."""

from django.utils.translation import gettext_lazy as _

from servicedesk.amounts import amount_text
from servicedesk.customer_records import CustomerRecord

LABEL = _("Advance compensation")


def compensation_records(customer, limit):
    from .models import OPEN_STATES, Compensation

    compensations = (
        Compensation.objects.filter(complaint__customer=customer)
        .select_related("complaint")
        .order_by("-proposed_at", "-pk")[:limit]
    )
    return [
        CustomerRecord(
            kind="compensation",
            kind_label=LABEL,
            when=c.proposed_at,
            number=c.number,
            url=c.get_absolute_url(),
            summary=_("%(amount)s yuan · complaint %(complaint)s")
            % {"amount": amount_text(c.amount), "complaint": c.complaint.number},
            status=c.get_status_display(),
            is_open=c.status in OPEN_STATES,
        )
        for c in compensations
    ]
