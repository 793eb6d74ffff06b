"""The customer's purchases (unified-cashier sales) and callbacks on their page
(servicedesk.customer_records)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicedesk.amounts import yuan_text
from servicedesk.customer_records import CustomerRecord, day_start

PURCHASE_LABEL = _("Purchase")
CALLBACK_LABEL = _("Callback")


def sale_records(customer, limit):
    from .models import Sale

    sales = Sale.objects.filter(customer=customer).select_related("merchant", "booth").order_by("-paid_at", "-pk")
    return [
        CustomerRecord(
            kind="purchase",
            kind_label=PURCHASE_LABEL,
            when=s.paid_at,
            number=s.order_number,
            url="",
            summary=" · ".join(
                str(part)
                for part in (
                    s.booth.number if s.booth_id else "",
                    s.merchant.brand if s.merchant_id else "",
                    f"{s.goods} {s.model}".strip(),
                    yuan_text(s.amount),
                )
                if part
            ),
            status=_("delivered %(day)s") % {"day": s.delivery_date.isoformat()} if s.delivery_date else "",
            sale_id=s.pk,
        )
        for s in sales[:limit]
    ]


def callback_records(customer, limit):
    from .models import Callback

    callbacks = (
        Callback.objects.filter(customer=customer)
        .select_related("sale", "complaint")
        .order_by("-due_on", "-pk")[:limit]
    )
    records = []
    for c in callbacks:
        status = c.get_status_display()
        if c.outcome:
            status = f"{status} · {c.get_outcome_display()}"
        records.append(
            CustomerRecord(
                kind="callback",
                kind_label=CALLBACK_LABEL,
                when=c.finished_at or day_start(c.due_on),
                number=c.subject,
                url=reverse("followups:callback", args=[c.pk]),
                summary=c.get_kind_display(),
                status=status,
                is_open=c.is_open,
            )
        )
    return records
