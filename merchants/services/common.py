from django.utils.translation import gettext as _

from servicedesk.workflow import transition_for

from ..models import MERCHANT_ACTION_LABELS, MERCHANT_TRANSITIONS, Merchant, MerchantStatus


def locked(merchant):
    """Re-read the merchant under a row lock: the state we act on is the state that is saved."""
    return Merchant.objects.select_for_update(of=("self",), no_key=True).get(pk=merchant.pk)


def next_status(merchant, action, actor):
    return transition_for(
        MERCHANT_TRANSITIONS,
        state=merchant.status,
        action=action,
        actor=actor,
        mall=merchant.mall_id,
        labels=MERCHANT_ACTION_LABELS,
        state_label=MerchantStatus(merchant.status).label,
    )


def yuan_text(amount):
    """An amount written into a text: "12,800.00 元"."""
    return f"{amount:,.2f}" + _(" yuan")
