from django.shortcuts import get_object_or_404

from servicedesk.navigation import require_section

from ..models import Callback, CallbackPolicy


def callback_for(request, pk):
    """Another mall's callback is 404; a role without the section is 403."""
    callback = get_object_or_404(
        Callback.objects.for_user(request.user).select_related(
            "mall", "customer", "sale__merchant", "sale__booth", "complaint", "assignee"
        ),
        pk=pk,
    )
    require_section(request.user, "followups")
    return callback


class _Blank(dict):
    def __missing__(self, key):
        return "……"


def script_for(callback, policy=None):
    """The mall's call script for this kind, with the customer's particulars filled in."""
    policy = policy or CallbackPolicy.for_mall(callback.mall)
    values = _Blank(mall=callback.mall.name, customer=callback.customer.name)
    if callback.sale_id:
        values.update(goods=callback.sale.goods, warranty_end=callback.sale.warranty_ends_on or "……")
    if callback.complaint_id:
        values.update(complaint=callback.complaint.number, goods=callback.complaint.goods or "……")
    try:
        return policy.script(callback.kind).format_map(values)
    except (ValueError, IndexError):  # an admin typed a stray brace into the script
        return policy.script(callback.kind)
