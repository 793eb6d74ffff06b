"""The knowledge panel on a complaint's page: the remedy advisor's reading of its dates and the
articles and replies used on it."""

from urllib.parse import urlencode

from django import template
from django.core.exceptions import ValidationError
from django.urls import reverse

from servicedesk.access import has_role

from .. import advisor as remedy
from ..models import CITERS, WarrantyPolicy
from ..selectors import uses_on

register = template.Library()

FALSE_CLAIMS = "M"  # complaint category 虚假宣传: the fraud reference figure applies


def complaint_facts(complaint):
    from django.utils import timezone

    return remedy.Facts(
        purchase_date=complaint.purchase_date,
        delivery_date=complaint.delivery_date,
        found_on=timezone.localdate(complaint.received_at),
        price=complaint.purchase_amount,
        fraud=complaint.category == FALSE_CLAIMS and complaint.purchase_amount is not None,
    )


@register.inclusion_tag("knowledge/_complaint_panel.html", takes_context=True)
def knowledge_panel(context, complaint):
    request = context["request"]
    facts = complaint_facts(complaint)
    advice = None
    if facts.delivery_date or facts.purchase_date:
        policy = WarrantyPolicy.for_mall(complaint.mall_id, facts.found_on)
        try:
            advice = remedy.advise(facts, policy)
        except ValidationError:
            advice = None
    query = {
        key: value
        for key, value in {
            "purchase_date": facts.purchase_date.isoformat() if facts.purchase_date else "",
            "delivery_date": facts.delivery_date.isoformat() if facts.delivery_date else "",
            "found_on": facts.found_on.isoformat(),
            "price": facts.price or "",
            "fraud": "on" if facts.fraud else "",
        }.items()
        if value
    }
    return {
        "request": request,
        "complaint": complaint,
        "advice": advice,
        "advisor_url": reverse("knowledge:advisor") + "?" + urlencode(query),
        "uses": uses_on(complaint),
        "can_cite": has_role(request.user, complaint.mall_id, *CITERS),
    }
