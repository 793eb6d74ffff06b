"""The customer's exchanges on their page (servicedesk.customer_records)."""

from django.utils.translation import gettext_lazy as _

from servicedesk.customer_records import CustomerRecord

LABEL = _("Exchange")


def exchange_records(customer, limit):
    from .models import OPEN_STATES, Exchange

    exchanges = (
        Exchange.objects.filter(customer=customer).select_related("merchant").order_by("-registered_at", "-pk")[:limit]
    )
    return [
        CustomerRecord(
            kind="exchange",
            kind_label=LABEL,
            when=e.registered_at,
            number=e.number,
            url=e.get_absolute_url(),
            summary=f"{e.merchant.brand} · {e.goods} · {e.price_paid}",
            status=e.get_status_display(),
            is_open=e.status in OPEN_STATES,
        )
        for e in exchanges
    ]
