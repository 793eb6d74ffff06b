"""The remedy advisor (处理建议): what the furniture warranty and the consumer law give a
customer, from the purchase and delivery dates, the defect and the repair history.

Numbers of the mall's warranty come from its `WarrantyPolicy` (DOMAIN.md §1 marks them
[mall/default]); the law's numbers are constants here, each with its article. Periods are
calendar days counted from the day after acceptance (delivery sign-off): a defect found on the
90th day after delivery is "within 90 days", on the 91st it is not.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.amounts import amount_text

# [law: 消费者权益保护法 Art 23 ¶3] durable goods: a defect found within 6 months of delivery is
# presumed the operator's, who bears the burden of proving otherwise.
PRESUMPTION_MONTHS = 6
# [law: 消费者权益保护法 Art 55] fraud: extra compensation of three times the price, at least 500 yuan.
FRAUD_MULTIPLE = Decimal(3)
FRAUD_MINIMUM = Decimal("500.00")

LAW_ART_23 = gettext_lazy("Consumer Rights Protection Law, Art 23 ¶3")
LAW_ART_24 = gettext_lazy("Consumer Rights Protection Law, Art 24")
LAW_ART_55 = gettext_lazy("Consumer Rights Protection Law, Art 55 ¶1")
MALL_WARRANTY = gettext_lazy("the mall's furniture warranty")

RETURN, EXCHANGE, REPAIR, PAID_REPAIR = "return", "exchange", "repair", "paid_repair"
REMEDY_LABELS = {
    RETURN: gettext_lazy("Return (退货)"),
    EXCHANGE: gettext_lazy("Exchange (换货)"),
    REPAIR: gettext_lazy("Free repair (免费维修)"),
    PAID_REPAIR: gettext_lazy("Repair at the customer's cost"),
}


@dataclass
class Facts:
    delivery_date: date | None = None
    purchase_date: date | None = None
    found_on: date | None = None  # when the defect was found (default: today)
    failed_repairs: int = 0  # earlier repairs of the same defect that did not fix it
    days_in_repair: int = 0  # days the goods have spent in repair in all
    custom_non_standard: bool = False  # a custom-made piece's non-standard part
    price: Decimal | None = None
    fraud: bool = False


@dataclass
class Ground:
    code: str
    text: str
    source: str


@dataclass
class Advice:
    remedies: list
    grounds: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    day: int | None = None
    acceptance: date | None = None
    warranty_end: date | None = None
    presumed_operators: bool | None = None
    fraud_figure: Decimal | None = None

    @property
    def remedy_labels(self):
        return [str(REMEDY_LABELS[r]) for r in self.remedies]


def check_facts(facts, today=None):
    """Every problem with the facts at once, as a ValidationError keyed by field."""
    today = today or timezone.localdate()
    errors = {}
    for name in ("purchase_date", "delivery_date", "found_on"):
        value = getattr(facts, name)
        if value is not None and value > today:
            errors[name] = _("The date cannot be in the future.")
    if facts.delivery_date is None and facts.purchase_date is None:
        errors["delivery_date"] = _("Give the delivery date (or at least the purchase date).")
    if facts.purchase_date and facts.delivery_date and facts.delivery_date < facts.purchase_date:
        errors["delivery_date"] = _("Delivery cannot come before the purchase.")
    start = facts.delivery_date or facts.purchase_date
    if start and facts.found_on and facts.found_on < start and "found_on" not in errors:
        errors["found_on"] = _("The defect cannot be found before the goods were delivered.")
    if facts.failed_repairs < 0:
        errors["failed_repairs"] = _("Cannot be negative.")
    if facts.days_in_repair < 0:
        errors["days_in_repair"] = _("Cannot be negative.")
    if facts.price is not None and facts.price <= 0:
        errors["price"] = _("The price must be more than zero.")
    if facts.fraud and facts.price is None:
        errors["price"] = _("Give the price to work out the fraud reference figure.")
    if errors:
        raise ValidationError(errors)


def fraud_figure(price):
    """Art 55: max(3 x price, 500 yuan), in yuan with two places."""
    figure = (Decimal(price) * FRAUD_MULTIPLE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return max(figure, FRAUD_MINIMUM)


def advise(facts, policy, today=None):
    """What the customer may ask for, with the rule behind each conclusion."""
    today = today or timezone.localdate()
    check_facts(facts, today)
    found_on = facts.found_on or today
    acceptance = facts.delivery_date or facts.purchase_date
    day = (found_on - acceptance).days
    warranty_end = acceptance + relativedelta(months=policy.warranty_months)
    advice = Advice(remedies=[], day=day, acceptance=acceptance, warranty_end=warranty_end)
    warranty = str(MALL_WARRANTY)
    if facts.delivery_date is None:
        advice.notes.append(_("No delivery date: the periods are counted from the purchase date."))

    in_warranty = found_on <= warranty_end
    if facts.custom_non_standard and in_warranty:
        advice.remedies = [REPAIR]
        advice.grounds.append(
            Ground(
                "custom_repair_first",
                _("A custom piece's non-standard part is repaired first."),
                warranty,
            )
        )
    elif day <= policy.full_remedy_days:
        advice.remedies = [RETURN, EXCHANGE, REPAIR]
        advice.grounds.append(
            Ground(
                "within_full_remedy",
                _(
                    "Defect found on day %(day)s after acceptance, within %(limit)s days: "
                    "free return, exchange or repair."
                )
                % {"day": day, "limit": policy.full_remedy_days},
                warranty,
            )
        )
    elif day <= policy.exchange_days:
        advice.remedies = [EXCHANGE, REPAIR]
        advice.grounds.append(
            Ground(
                "within_exchange",
                _(
                    "Defect found on day %(day)s after acceptance: past %(full)s days, within %(limit)s days: "
                    "exchange or free repair."
                )
                % {"day": day, "full": policy.full_remedy_days, "limit": policy.exchange_days},
                warranty,
            )
        )
    elif in_warranty:
        advice.remedies = [REPAIR]
        advice.grounds.append(
            Ground(
                "within_warranty",
                _("Past %(limit)s days, within the %(months)s-month warranty (until %(end)s): free repair.")
                % {"limit": policy.exchange_days, "months": policy.warranty_months, "end": warranty_end.isoformat()},
                warranty,
            )
        )
    else:
        advice.remedies = [PAID_REPAIR]
        advice.grounds.append(
            Ground(
                "warranty_over",
                _("The %(months)s-month warranty ended on %(end)s: repair at the customer's cost.")
                % {"months": policy.warranty_months, "end": warranty_end.isoformat()},
                warranty,
            )
        )

    if in_warranty and facts.failed_repairs >= policy.failed_repairs:
        advice.grounds.append(
            Ground(
                "failed_repairs",
                _("%(count)s failed repairs of the same defect (the limit is %(limit)s): exchange or return.")
                % {"count": facts.failed_repairs, "limit": policy.failed_repairs},
                warranty,
            )
        )
    if in_warranty and facts.days_in_repair > policy.repair_days:
        advice.grounds.append(
            Ground(
                "repair_too_long",
                _("%(days)s days in repair, more than %(limit)s: exchange or return.")
                % {"days": facts.days_in_repair, "limit": policy.repair_days},
                warranty,
            )
        )
    if any(g.code in ("failed_repairs", "repair_too_long") for g in advice.grounds):
        advice.remedies = [RETURN, EXCHANGE] + [r for r in advice.remedies if r not in (RETURN, EXCHANGE)]

    presumption_end = acceptance + relativedelta(months=PRESUMPTION_MONTHS)
    advice.presumed_operators = found_on <= presumption_end
    if advice.presumed_operators:
        advice.grounds.append(
            Ground(
                "presumption",
                _(
                    "Found within 6 months of delivery (until %(end)s): the defect is presumed the operator's; "
                    "the merchant must prove otherwise."
                )
                % {"end": presumption_end.isoformat()},
                str(LAW_ART_23),
            )
        )
    else:
        advice.notes.append(
            _("Found more than 6 months after delivery: the customer must show the defect (a quality test may help).")
        )
    if advice.remedies != [PAID_REPAIR]:
        advice.grounds.append(
            Ground(
                "operator_pays_costs",
                _("For a quality remedy the operator pays transport and the other necessary costs."),
                str(LAW_ART_24),
            )
        )
    if facts.fraud:
        advice.fraud_figure = fraud_figure(facts.price)
        advice.grounds.append(
            Ground(
                "fraud_reference",
                _(
                    "If fraud is established: extra compensation of 3 times the price (%(price)s yuan), "
                    "at least 500 yuan: reference figure %(figure)s yuan, beyond the refund."
                )
                % {"price": amount_text(facts.price), "figure": amount_text(advice.fraud_figure)},
                str(LAW_ART_55),
            )
        )
    return advice
