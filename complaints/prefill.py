"""Start a complaint from something the desk already has: a customer, or a return whose merchant
refused (DOMAIN.md §3: that case goes on to advance compensation).

`?customer=<id>` fills the customer; `?return=<id>` fills the customer and the purchase;
`?sale=<id>` (an imported unified-cashier sale) fills the customer and the purchase; with
`&callback=<id>` the facts start from what the unsatisfied customer said on the callback. Records
are looked up through `for_user`, so another mall's id simply fills nothing.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.models import Customer
from servicedesk.phone_access import full_phone_shown

from .models import Category, Demand
from .views.common import FULL_PHONE_ROLES


def intake_initial(request):
    initial = {}
    user = request.user
    customer_id = request.GET.get("customer", "")
    return_id = request.GET.get("return", "")
    customer = None
    if return_id.isdigit():
        from returns.models import ReturnRequest

        r = (
            ReturnRequest.objects.for_user(user)
            .select_related("customer", "booth", "merchant")
            .filter(pk=return_id)
            .first()
        )
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
    if customer is not None:
        # The form shows the full number; an unbound form (GET) is a showing, logged.
        shown = request.method == "GET" and full_phone_shown(request, customer, *FULL_PHONE_ROLES)
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
    from followups.models import Sale

    sale = (
        Sale.objects.for_user(request.user)
        .select_related("customer", "booth", "merchant")
        .filter(pk=request.GET["sale"])
        .first()
    )
    if sale is None:
        return None
    initial.update(
        {
            "purchase_date": timezone.localdate(sale.paid_at),
            "delivery_date": sale.delivery_date,
            "voucher_number": sale.order_number,
            "goods": sale.goods,
            "goods_model": sale.model,
            "purchase_amount": sale.amount,
            "paid_via_unified_cashier": "yes",
        }
    )
    booth = sale.booth or (sale.merchant.booths.first() if sale.merchant_id else None)
    if booth is not None:
        initial["booth"] = f"{booth.number} {sale.merchant or ''}".strip()
    return sale.customer


def _from_callback(request, initial):
    from followups.models import Callback

    callback_id = request.GET.get("callback", "")
    if not callback_id.isdigit():
        return
    callback = Callback.objects.for_user(request.user).filter(pk=callback_id).first()
    if callback is not None and callback.note:
        initial.setdefault(
            "facts",
            _("Unsatisfied at the %(kind)s: %(note)s") % {"kind": callback.get_kind_display(), "note": callback.note},
        )
