"""Start a complaint from something the desk already has: a customer, or a return whose merchant
refused (DOMAIN.md §3: that case goes on to advance compensation).

`?customer=<id>` fills the customer (`?mobile=` only the mobile: a caller not known yet);
`?return=<id>` fills the customer and the purchase; `?sale=<id>` (an imported unified-cashier
sale) fills the customer and the purchase; with `&callback=<id>` the facts start from what the
unsatisfied customer said on the callback. Records are looked up through `for_user`, so another
mall's id simply fills nothing.

The returns and the sales are kept by apps above complaints: they are read through
`complaints.return_requests` (returns), `servicedesk.sales` and `complaints.callbacks`
(follow-ups), which those apps fill when they start.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk import sales
from servicedesk.models import Customer
from servicedesk.phone_access import full_phone_shown
from servicedesk.phones import normalise_mobile

from . import callbacks, return_requests
from .models import Category, Demand


def intake_initial(request):
    initial = {}
    user = request.user
    customer_id = request.GET.get("customer", "")
    return_id = request.GET.get("return", "")
    customer = None
    if return_id.isdigit():
        r = return_requests.return_for(user, return_id)
        if r is not None:
            customer = r.customer
            initial.update(
                {
                    "purchase_date": r.payment_date,
                    "delivery_date": r.delivery_date,
                    "voucher_number": r.voucher_number,
                    "goods": r.goods,
                    "goods_model": r.model,
                    "purchase_amount": r.price_paid,
                    "paid_via_unified_cashier": "yes" if r.via_unified_cashier else "no",
                    "category": Category.RETURNS,
                    "demand": Demand.RETURN,
                    "facts": _("The merchant refused the eligible no-reason return %(number)s: %(reply)s")
                    % {"number": r.number, "reply": r.merchant_reply or "—"},
                }
            )
            booth = r.booth or r.merchant.booths.first()
            if booth is not None:
                initial["booth"] = f"{booth.number} {r.merchant}"
    elif request.GET.get("sale", "").isdigit():
        customer = _from_sale(request, initial)
    elif customer_id.isdigit():
        customer = Customer.objects.for_user(user).filter(pk=customer_id).first()
    _from_callback(request, initial)
    if customer is None and request.GET.get("mobile"):
        # From the navbar's phone search: a caller the desk does not know yet.
        initial["customer_mobile"] = normalise_mobile(request.GET["mobile"])[:11]
    if customer is not None:
        # The form shows the full number; an unbound form (GET) is a showing, logged.
        shown = request.method == "GET" and full_phone_shown(request, customer)
        initial.update(
            {
                "customer_mobile": customer.mobile if shown else "",
                "customer_name": customer.name,
                "customer_address": customer.address,
                "customer_other_phone": customer.other_phone if shown else "",
            }
        )
    return initial


def _from_sale(request, initial):
    sale = sales.sale_for(request.user, request.GET["sale"])
    if sale is None:
        return None
    initial.update(sale_fields(sale))
    if not sale.booth_id and sale.merchant_id:
        booth = sale.merchant.booths.first()
        if booth is not None:
            initial["booth"] = f"{booth.number} {sale.merchant.brand}"
    return sale.customer


def sale_fields(sale):
    """The intake fields an imported unified-cashier sale fills (needs booth and merchant loaded)."""
    fields = {
        "purchase_date": timezone.localdate(sale.paid_at),
        "delivery_date": sale.delivery_date,
        "voucher_number": sale.order_number,
        "goods": sale.goods,
        "goods_model": sale.model,
        "purchase_amount": sale.amount,
        "paid_via_unified_cashier": "yes",
    }
    if sale.booth_id:
        fields["booth"] = f"{sale.booth.number} {sale.merchant.brand if sale.merchant_id else ''}".strip()
    return fields


def purchases_of(customer, limit=20):
    """The customer's unified-cashier sales for the intake's lookup, newest first (one query):
    what the clerk sees, and the fields each fills."""
    purchases = []
    for sale in sales.purchases_of(customer, limit):
        fill = {name: "" if value is None else str(value) for name, value in sale_fields(sale).items()}
        purchases.append(
            {
                "id": sale.pk,
                "order_number": sale.order_number,
                "paid": timezone.localdate(sale.paid_at).isoformat(),
                "goods": f"{sale.goods} {sale.model}".strip(),
                "amount": str(sale.amount),
                "merchant": sale.merchant.brand if sale.merchant_id else "",
                "fill": fill,
            }
        )
    return purchases


def returns_of(customer, limit=10):
    """The customer's return requests for the intake's lookup, newest first (one query)."""
    return return_requests.returns_of(customer, limit)


def _from_callback(request, initial):
    callback_id = request.GET.get("callback", "")
    if not callback_id.isdigit():
        return
    said = callbacks.callback_note(request.user, callback_id)
    if said is not None:
        kind, note = said
        initial.setdefault("facts", _("Unsatisfied at the %(kind)s: %(note)s") % {"kind": kind, "note": note})
