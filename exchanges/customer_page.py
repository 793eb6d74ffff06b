"""The customer's side of an exchange: its status page at /c/<token>/ (the portal shows it
through `portal.cases.register_case_kind`) and the wording of its SMS.

Only what the customer may read: the state (a merchant's refusal reads "under review" until the
mall decides), the dates, the goods, the replacement, the price difference and the freight the
customer pays. Never the merchant's own reason or contact, the override's reason, the cashier's
reference, the driver or any staff name.
"""

from django.utils.translation import gettext as _

from portal.cases import Step
from servicedesk.amounts import yuan_text
from servicedesk.texts import join_names

from .models import Direction, Exchange, ExchangeStatus, FreightPayer

S = ExchangeStatus


def load(case_id):
    return Exchange.objects.select_related("mall", "customer").filter(pk=case_id).first()


def ended_at(e):
    return e.closed_at or (e.refused_at if e.status == S.REFUSED else None)


def status(e):
    if e.status == S.MERCHANT_REFUSED:
        return _("Under review")  # the merchant's refusal is not the mall's answer
    return e.get_status_display()


def difference_text(e):
    """The price difference as the customer reads it ("" before the replacement is agreed)."""
    if not e.difference_direction:
        return ""
    if e.difference_direction == Direction.CUSTOMER_PAYS:
        return _("you pay %(amount)s") % {"amount": yuan_text(e.difference_amount)}
    if e.difference_direction == Direction.REFUND:
        return _("%(amount)s refunded to you") % {"amount": yuan_text(e.difference_amount)}
    return _("no price difference")


def freight_text(e):
    if not e.freight_amount:
        return ""
    if e.freight_payer == FreightPayer.CUSTOMER:
        return _("%(amount)s, paid by you (both ways)") % {"amount": yuan_text(e.freight_amount)}
    return _("borne by the merchant")


def replacement_text(e):
    if not e.new_goods:
        return ""
    goods = " ".join(part for part in (e.new_goods, e.new_model) if part)
    text = f"{goods} × {e.new_quantity or 1}"
    return f"{text} · {yuan_text(e.new_price)}" if e.new_price is not None else text


def view(e):
    """(timeline, next step, actions) for the customer."""
    steps = [Step(_("Exchange requested"), e.registered_at)]
    if not e.eligible:
        steps.append(Step(_("Not covered by the mall's exchange promise"), None, " ".join(e.eligibility_reasons)))
    if e.confirmed_at:
        steps.append(Step(_("Exchange agreed"), e.confirmed_at))
    if e.status in (S.REFUSED, S.CLOSED) and e.refusal_reason:
        steps.append(Step(_("Exchange refused"), e.refused_at, e.refusal_reason))
    if e.new_goods:
        steps.append(Step(_("Replacement agreed"), None, f"{replacement_text(e)} · {difference_text(e)}"))
    if e.settled_at:
        steps.append(Step(_("Price difference settled"), e.settled_at, difference_text(e)))
    if e.picked_up_on:
        steps.append(Step(_("Old goods picked up"), None, e.picked_up_on.isoformat()))
    if e.delivered_on:
        steps.append(Step(_("New goods delivered"), None, e.delivered_on.isoformat()))
    if e.closed_at:
        steps.append(Step(_("Closed"), e.closed_at))
    next_step = {
        S.REQUESTED: _("The service desk is asking the merchant and will tell you the decision."),
        S.MERCHANT_REFUSED: _("The service desk is asking the merchant and will tell you the decision."),
        S.CONFIRMED: _("The service desk will agree the replacement goods and their price with you."),
        S.SETTLED: _("We will contact you to pick up the old goods."),
        S.PICKED_UP: _("The new goods will be delivered; we will call you before."),
    }.get(e.status, "")
    if e.status == S.REPLACEMENT_AGREED:
        next_step = _money_step(e)
    return steps, next_step, {"message": e.status not in (S.REFUSED, S.CLOSED)}


def _money_step(e):
    to_pay = []
    if e.difference_direction == Direction.CUSTOMER_PAYS:
        to_pay.append(e.difference_amount)
    if e.customer_pays_freight:
        to_pay.append(e.freight_amount)
    if to_pay:
        return _("Please pay %(amount)s at the mall's unified cashier; then we arrange the pick-up.") % {
            "amount": yuan_text(sum(to_pay))
        }
    if e.difference_direction == Direction.REFUND:
        return _("%(amount)s will be refunded to you through the mall's unified cashier.") % {
            "amount": yuan_text(e.difference_amount)
        }
    return _("There is nothing to pay; we will contact you to pick up the old goods.")


def facts(e):
    """(label, value) lines: the goods, the replacement, the money, the dates."""
    lines = [
        (_("Goods"), " ".join(part for part in (e.goods, e.model) if part) + f" × {e.quantity}"),
        (_("Amount paid"), yuan_text(e.price_paid)),
        (_("Type"), e.get_kind_display()),
        (_("Request date"), e.requested_on.isoformat()),
    ]
    if e.new_goods:
        lines.append((_("Replacement goods"), replacement_text(e)))
        lines.append((_("Price difference"), difference_text(e)))
    if e.freight_amount:
        lines.append((_("Freight"), freight_text(e)))
    return lines


def sms_texts(e):
    """Parameters of the replacement SMS: the goods and the money in one short phrase."""
    parts = [difference_text(e)]
    if e.customer_pays_freight:
        parts.append(_("freight %(amount)s") % {"amount": yuan_text(e.freight_amount)})
    return {"goods": e.new_goods, "money": join_names([part for part in parts if part], "semi")}
