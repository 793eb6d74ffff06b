"""What the complaint intake reads of the returns (complaints.return_requests, provided in
returns.apps): a refused return that starts a complaint, and the customer's return requests."""

from .models import OPEN_STATES, ReturnRequest


def return_for(user, pk):
    return ReturnRequest.objects.for_user(user).select_related("customer", "booth", "merchant").filter(pk=pk).first()


def returns_of(customer, limit=10):
    returns = ReturnRequest.objects.filter(customer=customer).select_related("merchant").order_by("-registered_at")
    return [
        {
            "number": r.number,
            "requested": r.requested_on.isoformat(),
            "status": str(r.get_status_display()),
            "merchant": r.merchant.brand if r.merchant_id else "",
            "goods": r.goods,
            "voucher": r.voucher_number,
            "open": r.status in OPEN_STATES,
        }
        for r in returns[:limit]
    ]
