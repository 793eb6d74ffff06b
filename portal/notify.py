"""The customer's SMS about a case: a fresh link each time, written with the case's event."""

from django.utils.translation import gettext as _
from django.utils.translation import override

from sms.events import get_event
from sms.services import sms_queue

from .cases import CASE_KINDS
from .services import case_type_of, link_issue, link_url


def case_sms(case, *, event, occasion, **extra):
    """Queue SMS `event` about `case` to its customer, once per `occasion`, with a new link.

    Called inside the service's transaction: a rolled-back action sends nothing.
    """
    customer = case.customer
    if not customer.mobile:
        return None
    case_type = case_type_of(case)
    token = link_issue(case=case, purpose=f"sms:{event}")
    with override("zh-hans"):  # the customer's SMS is in Chinese
        if case_type in CASE_KINDS:
            kind = CASE_KINDS[case_type].label
        else:
            kind = {"complaint": _("complaint"), "return": _("return"), "compensation": _("advance compensation")}[
                case_type
            ]
        params = {
            "kind": str(kind),
            "number": case.number,
            "link": link_url(token),
            "phone": case.mall.service_phone,
            **{name: str(value) for name, value in extra.items()},
        }
    wanted = get_event(event).params
    return sms_queue(
        mall=case.mall,
        mobile=customer.mobile,
        event=event,
        params={name: params.get(name, "") for name in wanted},
        key=f"{case_type}:{case.pk}:{occasion}",
    )
