"""The customer's return requests on their page (servicedesk.customer_records)."""

from django.utils.translation import gettext_lazy as _

from servicedesk.customer_records import CustomerRecord

LABEL = _("Return request")


def return_records(customer, limit):
    from .models import OPEN_STATES, ReturnRequest

    returns = (
        ReturnRequest.objects.filter(customer=customer)
        .select_related("merchant")
        .order_by("-registered_at", "-pk")[:limit]
    )
    return [
        CustomerRecord(
            kind="return",
            kind_label=LABEL,
            when=r.registered_at,
            number=r.number,
            url=r.get_absolute_url(),
            summary=f"{r.merchant.brand if r.merchant_id else ''} · {r.goods} · {r.price_paid}",
            status=r.get_status_display(),
            is_open=r.status in OPEN_STATES,
        )
        for r in returns
    ]
