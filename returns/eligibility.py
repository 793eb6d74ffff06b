"""Is a return within the mall's no-reason promise? Every reason that applies, as a sentence.

Pure: takes dates, flags and the policy, reads nothing, so the form can show the answer while
the clerk is still typing and the service can store the same answer at check time.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.translation import gettext as _

from .models import ReturnPolicy

EXCLUSION_SENTENCES = {
    "custom_made": lambda: _("Custom-made goods cannot be returned without a reason."),
    "sample": lambda: _("Display samples cannot be returned without a reason."),
    "special_price": lambda: _("Special-price and clearance goods cannot be returned without a reason."),
    "imported_special_order": lambda: _("Imported special orders cannot be returned without a reason."),
    "installed": lambda: _("Installed or built-in goods cannot be returned without a reason."),
}


@dataclass
class Eligibility:
    eligible: bool
    window_days: int
    counted_from: object = None
    last_day: object = None
    days_elapsed: int | None = None
    reasons: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def assess(*, policy, request_date, payment_date, delivery_date, voucher_number, via_unified_cashier, flags):
    """`flags` maps EXCLUSION_SENTENCES keys to booleans."""
    reasons, notes = [], []
    count_from_payment = policy.count_from == ReturnPolicy.CountFrom.PAYMENT
    start = payment_date if count_from_payment else delivery_date
    last_day = days_elapsed = None
    if start is None:
        reasons.append(
            _("The delivery sign-off date is needed to count the %(days)d days.") % {"days": policy.window_days}
        )
    else:
        # Day 1 is the day after the event; the promise runs through day `window_days`.
        last_day = start + timedelta(days=policy.window_days)
        days_elapsed = (request_date - start).days
        if request_date > last_day:
            reasons.append(
                _("The %(days)d-day window ended on %(last)s; today is day %(elapsed)d.")
                % {"days": policy.window_days, "last": last_day.isoformat(), "elapsed": days_elapsed}
            )
        else:
            notes.append(
                _("Day %(elapsed)d of %(days)d; the window ends on %(last)s.")
                % {"elapsed": days_elapsed, "days": policy.window_days, "last": last_day.isoformat()}
            )
    if not via_unified_cashier:
        reasons.append(_("It was not paid through the unified cashier, so the mall's promise does not cover it."))
    if not (voucher_number or "").strip():
        reasons.append(_("There is no unified-cashier voucher or order/sales slip."))
    for flag, sentence in EXCLUSION_SENTENCES.items():
        if flags.get(flag):
            reasons.append(sentence())
    return Eligibility(
        eligible=not reasons,
        window_days=policy.window_days,
        counted_from=start,
        last_day=last_day,
        days_elapsed=days_elapsed,
        reasons=reasons,
        notes=notes,
    )


def assess_return(return_request, request_date=None):
    r = return_request
    return assess(
        policy=r.policy(),
        request_date=request_date or r.requested_on,
        payment_date=r.payment_date,
        delivery_date=r.delivery_date,
        voucher_number=r.voucher_number,
        via_unified_cashier=r.via_unified_cashier,
        flags={flag: getattr(r, flag) for flag in EXCLUSION_SENTENCES},
    )
