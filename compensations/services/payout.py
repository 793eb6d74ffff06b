"""Payout, recovery from the merchant, write-off and closing.

The payout and the first recovery happen in one transaction: the customer is paid, and the
merchant's deposit is drawn at once through the merchants app's `deposit_deduct` (never below
zero; the shortfall becomes a receivable due within the mall's top-up period).
"""

import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from merchants.services import deposit_deduct
from servicedesk import texts
from servicedesk.amounts import amount_text
from servicedesk.customer_links import case_sms
from servicedesk.services import save_by
from servicedesk.uploads import validate_document
from servicedesk.workflow import check, lock, lock_and_check, pick

from ..models import TRANSITIONS, ZERO, Action, CompensationRecovery, PaymentMethod, RecoveryKind, Status, Tier
from ..models.transitions import PAYERS, WRITERS_OFF
from .common import LOCK_RELATED, money, now, tell, tell_roles, text


def recovery_state(compensation):
    """Where recovery stands, from the amounts (the table lists these as the possible outcomes)."""
    if compensation.outstanding == ZERO:
        return Status.RECOVERED
    if compensation.recovered_amount > ZERO:
        return Status.PARTLY_RECOVERED
    return Status.RECOVERING


def refuse_before_final_approval(compensation):
    if compensation.status == Status.PROPOSED:
        waiting = Tier(compensation.next_tier).label if compensation.next_tier else ""
        raise ValidationError(
            _("Nothing is paid before the final approval: %(number)s is still waiting for %(tier)s.")
            % {"number": compensation.number, "tier": waiting},
            code="not_approved",
        )
    if compensation.status == Status.REJECTED:
        raise ValidationError(
            _("%(number)s was rejected: nothing is paid.") % {"number": compensation.number}, code="rejected"
        )


@transaction.atomic
def compensation_pay(
    *, compensation, actor, paid_at, payment_method, payment_reference="", receipt=None, claim_assigned=False
):
    """The clerk records that the customer was paid; the deposit is drawn at once."""
    compensation = lock(compensation, *LOCK_RELATED)
    refuse_before_final_approval(compensation)
    outcomes = check(TRANSITIONS, state=compensation.status, action=Action.PAY, actor=actor, mall=compensation.mall)
    if not isinstance(paid_at, datetime):
        raise ValidationError({"paid_at": _("Enter when the customer was paid.")})
    if timezone.is_naive(paid_at):
        paid_at = timezone.make_aware(paid_at)
    if paid_at > now():
        raise ValidationError({"paid_at": _("The payment time cannot be in the future.")})
    # The form takes minutes: a payout in the same minute as the approval is not "earlier".
    if paid_at < compensation.approved_at.replace(second=0, microsecond=0):
        raise ValidationError({"paid_at": _("The payment cannot be earlier than the final approval.")})
    if payment_method not in PaymentMethod.values:
        raise ValidationError({"payment_method": _("Choose how the customer was paid.")})
    reference = (payment_reference or "").strip()[:60]
    if payment_method != PaymentMethod.CASH and not reference:
        raise ValidationError({"payment_reference": _("Enter the transfer or refund reference.")})
    if receipt is None:
        raise ValidationError({"receipt": _("Upload the customer's signed receipt (scan or photo).")})
    try:
        validate_document(receipt)
    except ValidationError as error:
        raise ValidationError({"receipt": error.messages}) from None
    if not claim_assigned:
        raise ValidationError(
            {
                "claim_assigned": _(
                    "The customer's signed receipt must assign the claim against the merchant to the mall."
                )
            }
        )

    compensation.status = outcomes
    compensation.paid_at = paid_at
    compensation.paid_by = actor
    compensation.payment_method = payment_method
    compensation.payment_reference = reference
    compensation.claim_assigned = True
    compensation.upload_token = secrets.token_hex(8)
    compensation.receipt = receipt
    save_by(
        compensation,
        actor,
        update_fields=[
            "status",
            "paid_at",
            "paid_by",
            "payment_method",
            "payment_reference",
            "claim_assigned",
            "upload_token",
            "receipt",
        ],
        reason=texts.event("action", action=Action.PAY.label),
    )
    _deduct_from_deposit(compensation, actor)
    with override("zh-hans"):  # the customer's SMS is in Chinese
        result = _("%(amount)s yuan paid to you") % {"amount": amount_text(compensation.amount)}
    case_sms(compensation, event="case_resolved", occasion="paid", result=result)
    tell(
        compensation,
        [compensation.proposed_by],
        event="paid",
        title=texts.event("notice.compensation_paid", number=compensation.number),
    )
    return compensation


def _deduct_from_deposit(compensation, actor):
    outcomes = check(TRANSITIONS, state=compensation.status, action=Action.DEDUCT, actor=actor, mall=compensation.mall)
    entry, receivable = deposit_deduct(
        compensation.merchant,
        compensation.amount,
        compensation,
        actor,
        reason=texts.event("compensation.deposit_reference", number=compensation.number),
        shortfall="receivable",
    )
    taken = entry.amount if entry is not None else ZERO
    if taken > ZERO:
        recovery = CompensationRecovery(
            compensation=compensation,
            kind=RecoveryKind.DEPOSIT,
            amount=taken,
            received_on=timezone.localdate(),
            reference=texts.event("compensation.deposit_ledger"),
            recorded_by=actor,
        )
        save_by(recovery, actor)
    compensation.recovered_amount = taken
    compensation.receivable = receivable
    compensation.status = pick(recovery_state(compensation), outcomes)
    save_by(
        compensation,
        actor,
        update_fields=["recovered_amount", "receivable", "status"],
        reason=texts.event("action", action=Action.DEDUCT.label),
    )
    if receivable is not None:
        tell_roles(
            compensation,
            PAYERS,
            event="receivable",
            title=texts.event(
                "notice.merchant_owes",
                merchant=compensation.merchant.brand,
                amount=amount_text(receivable.amount),
                number=compensation.number,
                due=receivable.due_on,
            ),
            body=texts.event("notice.merchant_owes_body", taken=amount_text(taken)),
        )


@transaction.atomic
def compensation_record_recovery(*, compensation, actor, amount, received_on, reference=""):
    """The merchant paid (part of) what it owes for this case."""
    compensation, outcomes = lock_and_check(
        compensation, TRANSITIONS, Action.RECORD_RECOVERY, actor, related=LOCK_RELATED
    )
    amount = money(amount, "amount")
    if amount > compensation.outstanding:
        raise ValidationError(
            {
                "amount": _("The merchant owes only %(owed)s yuan for this case.")
                % {"owed": amount_text(compensation.outstanding)}
            }
        )
    if received_on is None or received_on > timezone.localdate():
        raise ValidationError({"received_on": _("Enter the day the money arrived (not in the future).")})
    recovery = CompensationRecovery(
        compensation=compensation,
        kind=RecoveryKind.PAYMENT,
        amount=amount,
        received_on=received_on,
        reference=(reference or "").strip()[:60],
        recorded_by=actor,
    )
    save_by(recovery, actor)
    compensation.recovered_amount += amount
    compensation.status = pick(recovery_state(compensation), outcomes)
    save_by(
        compensation,
        actor,
        update_fields=["recovered_amount", "status"],
        reason=texts.event("action", action=Action.RECORD_RECOVERY.label),
    )
    if compensation.outstanding == ZERO:
        _settle_receivable(compensation, actor, received_on)
    return compensation


@transaction.atomic
def compensation_write_off(*, compensation, actor, reason):
    """The manager gives up what the merchant still owes (absconded, insolvent), with a reason."""
    compensation, outcomes = lock_and_check(compensation, TRANSITIONS, Action.WRITE_OFF, actor, related=LOCK_RELATED)
    reason = text(reason, "reason", _("Say why the rest cannot be recovered."))
    compensation.written_off_amount = compensation.outstanding
    compensation.write_off_reason = reason
    compensation.written_off_by = actor
    compensation.written_off_at = now()
    compensation.status = outcomes
    save_by(
        compensation,
        actor,
        update_fields=["written_off_amount", "write_off_reason", "written_off_by", "written_off_at", "status"],
        reason=texts.event("action", action=Action.WRITE_OFF.label),
    )
    # The mall no longer claims it: the merchant's page stops listing it as owed.
    _settle_receivable(compensation, actor, timezone.localdate())
    tell_roles(
        compensation,
        (*PAYERS, *WRITERS_OFF),
        event="written-off",
        title=texts.event(
            "notice.written_off", amount=amount_text(compensation.written_off_amount), number=compensation.number
        ),
        body=reason,
        exclude=[actor],
    )
    return compensation


def _settle_receivable(compensation, actor, day):
    receivable = compensation.receivable
    if receivable is not None and receivable.settled_on is None:
        receivable.settled_on = day
        save_by(receivable, actor, update_fields=["settled_on"], reason=compensation.number)


@transaction.atomic
def compensation_close(*, compensation, actor):
    compensation, outcomes = lock_and_check(compensation, TRANSITIONS, Action.CLOSE, actor, related=LOCK_RELATED)
    compensation.status = outcomes
    compensation.closed_at = now()
    save_by(
        compensation,
        actor,
        update_fields=["status", "closed_at"],
        reason=texts.event("action", action=Action.CLOSE.label),
    )
    return compensation
