"""May the customer exchange these goods? Every reason that applies, as sentences.

A no-reason exchange keeps the mall's no-reason return promise (window, voucher, exclusions:
returns.eligibility). A quality exchange follows the furniture warranty (knowledge.advisor):
within the full-remedy and exchange periods, or after two failed repairs or a month in repair.
Both need the unified cashier: the difference is settled there and the mall's promise covers
only its sales.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from knowledge.advisor import EXCHANGE, Facts, advise
from knowledge.models import WarrantyPolicy
from returns.eligibility import EXCLUSION_SENTENCES, assess
from returns.models import ReturnPolicy

from .models import ExchangeKind


@dataclass
class ExchangeEligibility:
    eligible: bool
    reasons: list = field(default_factory=list)  # why not, when not
    grounds: list = field(default_factory=list)  # the rule that gives it, when it does


def assess_exchange(
    *,
    mall,
    kind,
    request_date,
    payment_date,
    delivery_date,
    voucher_number,
    via_unified_cashier,
    flags,
    failed_repairs=0,
    days_in_repair=0,
):
    if kind == ExchangeKind.QUALITY:
        reasons, grounds = [], []
        if not via_unified_cashier:
            reasons.append(_("It was not paid through the unified cashier, so the mall's promise does not cover it."))
        if not (voucher_number or "").strip():
            reasons.append(_("There is no unified-cashier voucher or order/sales slip."))
        advice = advise(
            Facts(
                delivery_date=delivery_date,
                purchase_date=payment_date,
                found_on=request_date,
                failed_repairs=failed_repairs or 0,
                days_in_repair=days_in_repair or 0,
                custom_non_standard=bool(flags.get("custom_made")),
            ),
            WarrantyPolicy.for_mall(mall, on=request_date),
            today=request_date,
        )
        if EXCHANGE in advice.remedies:
            grounds = [f"{ground.text} ({ground.source})" for ground in advice.grounds]
        else:
            reasons.extend(f"{ground.text} ({ground.source})" for ground in advice.grounds)
            reasons.append(_("The furniture warranty does not give an exchange for this defect now."))
        return ExchangeEligibility(eligible=not reasons, reasons=reasons, grounds=grounds)
    result = assess(
        policy=ReturnPolicy.for_mall(mall, on=request_date),
        request_date=request_date,
        payment_date=payment_date,
        delivery_date=delivery_date,
        voucher_number=voucher_number,
        via_unified_cashier=via_unified_cashier,
        flags={flag: bool(flags.get(flag)) for flag in EXCLUSION_SENTENCES},
    )
    # The same promise and the same sentences as the no-reason return: the mall states it once.
    return ExchangeEligibility(eligible=result.eligible, reasons=result.reasons, grounds=result.notes)


def assess_case(exchange):
    e = exchange
    return assess_exchange(
        mall=e.mall,
        kind=e.kind,
        request_date=e.requested_on,
        payment_date=e.payment_date,
        delivery_date=e.delivery_date,
        voucher_number=e.voucher_number,
        via_unified_cashier=e.via_unified_cashier,
        flags={flag: getattr(e, flag) for flag in EXCLUSION_SENTENCES},
        failed_repairs=e.failed_repairs,
        days_in_repair=e.days_in_repair,
    )
