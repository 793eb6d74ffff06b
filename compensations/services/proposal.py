"""The proposal (先行赔偿申请) from an escalated complaint."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from complaints.models import Complaint
from complaints.models import Status as ComplaintStatus
from merchants.services import deposit_balance
from servicedesk import texts
from servicedesk.amounts import amount_text
from servicedesk.numbering import issue_number
from servicedesk.services import save_by
from servicedesk.uploads import validate_document
from servicedesk.workflow import check

from ..models import (
    TIER_ROLES,
    TRANSITIONS,
    Action,
    Compensation,
    CompensationEvidence,
    CompensationPolicy,
    Reason,
    Status,
    Tier,
)
from .common import money, now, tell_roles, text


def validate_proposal(*, complaint, reason, loss_price, loss_costs, loss_penalties, amount):
    """The rules that need no database write: preconditions and the money. Returns the amounts."""
    if complaint.status != ComplaintStatus.ESCALATED:
        raise ValidationError(
            _(
                "Advance compensation can only be proposed for a complaint escalated to advance compensation; "
                "complaint %(number)s is “%(status)s”."
            )
            % {"number": complaint.number, "status": complaint.get_status_display()},
            code="not_escalated",
        )
    if not complaint.merchant_id:
        raise ValidationError(
            _("Complaint %(number)s names no merchant: the mall must know whom it recovers from.")
            % {"number": complaint.number},
            code="no_merchant",
        )
    if not complaint.paid_via_unified_cashier:
        raise ValidationError(
            _("The purchase was not paid through the unified cashier: the mall does not compensate in advance."),
            code="outside_cashier",
        )
    if reason not in Reason.values:
        raise ValidationError({"reason": _("Choose the reason for the compensation.")})
    price = money(loss_price, "loss_price", allow_zero=True)
    costs = money(loss_costs, "loss_costs", allow_zero=True)
    penalties = money(loss_penalties, "loss_penalties", allow_zero=True)
    amount = money(amount, "amount")
    loss = price + costs + penalties
    if amount > loss:
        raise ValidationError(
            {
                "amount": _("The compensation (%(amount)s yuan) cannot exceed the documented loss (%(loss)s yuan).")
                % {"amount": amount_text(amount), "loss": amount_text(loss)}
            },
            code="above_loss",
        )
    return price, costs, penalties, amount


@transaction.atomic
def compensation_propose(
    *,
    complaint,
    actor,
    reason,
    loss_price,
    loss_costs,
    loss_penalties,
    amount,
    merchant_position,
    paid_via_unified_cashier,
    proposal_note="",
    evidence=(),
):
    """An officer or supervisor proposes paying the customer now and recovering from the merchant."""
    # The complaint's row lock keeps two colleagues from proposing for it at the same moment.
    complaint = (
        Complaint.objects.select_for_update(of=("self",), no_key=True)
        .select_related("mall", "merchant")
        .get(pk=complaint.pk)
    )
    compensation = Compensation(mall=complaint.mall, complaint=complaint)
    check(TRANSITIONS, state=None, action=Action.PROPOSE, actor=actor, mall=compensation.mall)
    price, costs, penalties, amount = validate_proposal(
        complaint=complaint,
        reason=reason,
        loss_price=loss_price,
        loss_costs=loss_costs,
        loss_penalties=loss_penalties,
        amount=amount,
    )
    if not paid_via_unified_cashier:
        raise ValidationError(
            {"paid_via_unified_cashier": _("Check the unified cashier receipt or sales slip before proposing.")}
        )
    pending = complaint.compensations.exclude(status=Status.REJECTED).first()
    if pending is not None:
        raise ValidationError(
            _("Complaint %(number)s already has advance compensation %(pc)s.")
            % {"number": complaint.number, "pc": pending.number},
            code="duplicate",
        )
    position = text(merchant_position, "merchant_position", _("Write down the merchant's position."))
    note = text(proposal_note, "proposal_note", "", required=False)
    for upload in evidence:
        try:
            validate_document(upload)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from None

    policy = CompensationPolicy.for_mall(complaint.mall)
    chain = policy.chain_for(amount)
    moment = now()
    compensation = Compensation(
        mall=complaint.mall,
        number=issue_number("PC", complaint.mall),
        status=Status.PROPOSED,
        complaint=complaint,
        merchant=complaint.merchant,
        reason=reason,
        loss_price=price,
        loss_costs=costs,
        loss_penalties=penalties,
        amount=amount,
        merchant_position=position,
        paid_via_unified_cashier=True,
        deposit_balance_at_proposal=deposit_balance(complaint.merchant),
        proposal_note=note,
        proposed_by=actor,
        proposed_at=moment,
        tier=chain[-1],
        chain=[str(tier.value) for tier in chain],
        next_tier=chain[0],
        waiting_since=moment,
    )
    save_by(compensation, actor, reason=texts.event("action", action=Action.PROPOSE.label))
    for upload in evidence:
        attach_evidence(compensation, upload, actor)
    tell_roles(
        compensation,
        TIER_ROLES[Tier(chain[0])],
        event="step:1",
        title=texts.event("notice.compensation_waits", number=compensation.number, amount=amount_text(amount)),
        body=texts.event(
            "notice.compensation_proposed_body", complaint=complaint.number, merchant=complaint.merchant.brand
        ),
        exclude=[actor],
    )
    return compensation


def attach_evidence(compensation, upload, actor):
    # The type stored is the one determined from the bytes; the browser's claim is ignored.
    content_type = validate_document.content_type(upload)
    evidence = CompensationEvidence(
        compensation=compensation,
        token=secrets.token_hex(8),
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    evidence.file = upload
    return save_by(evidence, actor)
