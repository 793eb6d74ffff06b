"""Reads of the exchanges app: the period's line in the returns summary register, the next step."""

from django.db.models import Count, Q, Sum

from .models import Direction, ExchangeStatus


def period_exchanges(queryset, start, end):
    """Exchanges requested in [start, end] (dates, inclusive)."""
    return queryset.filter(requested_on__gte=start, requested_on__lte=end)


def exchange_summary(queryset):
    """One aggregate query: how many, how many refused and closed, the money either way."""
    settled = Q(settled_at__isnull=False)
    return queryset.aggregate(
        count=Count("pk"),
        quality=Count("pk", filter=Q(kind="quality")),
        refused=Count("pk", filter=~Q(refusal_reason="")),
        delivered=Count("pk", filter=Q(delivered_on__isnull=False)),
        closed=Count("pk", filter=Q(status=ExchangeStatus.CLOSED)),
        paid_in=Sum("difference_amount", filter=settled & Q(difference_direction=Direction.CUSTOMER_PAYS)),
        refunded=Sum("difference_amount", filter=settled & Q(difference_direction=Direction.REFUND)),
    )


def summary_line(user, mall, start, end):
    """The period's line in the returns summary register (returns.exchange_line), one query."""
    from .models import Exchange

    exchanges = Exchange.objects.for_user(user)
    if mall is not None:
        exchanges = exchanges.for_mall(mall)
    return exchange_summary(period_exchanges(exchanges, start, end))


def exchange_next_step(e):
    """What the exchange waits for and who must do it (its page); None once closed."""
    from django.utils.translation import gettext as _

    from servicedesk.next_step import next_step
    from servicedesk.roles import MERCHANT_PARTY, Role

    from .models import EXCHANGE_TRANSITIONS

    tasks = {
        ExchangeStatus.REQUESTED: _("record the merchant's confirmation, or refuse the exchange"),
        ExchangeStatus.MERCHANT_REFUSED: _(
            "decide on the merchant's refusal: uphold it (refuse, with the reason the customer is told) or override it"
        ),
        ExchangeStatus.CONFIRMED: _("record the replacement goods and their price (and the freight, if any)"),
        ExchangeStatus.REPLACEMENT_AGREED: _("settle the price difference at the unified cashier"),
        ExchangeStatus.SETTLED: _("pick up the old goods"),
        ExchangeStatus.PICKED_UP: _("deliver the new goods"),
        ExchangeStatus.DELIVERED: _("close the exchange"),
        ExchangeStatus.REFUSED: _("close the exchange"),
    }
    if e.status not in tasks:
        return None
    roles, party = [], ""
    for (state, _action), (_new, who) in EXCHANGE_TRANSITIONS.items():
        if state == e.status:
            roles.extend(role for role in who if role in Role.values and role not in roles)
            if MERCHANT_PARTY in who:
                party = str(e.merchant)  # the merchant may confirm in its portal
    return next_step(tasks[e.status], e.mall, roles, party=party)
