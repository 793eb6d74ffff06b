"""The periodic scan: payment due and overdue, approvals waiting, receivables overdue.

Every notice carries a key per case and event, so running the scan twice (or two beat
instances at once) tells nobody twice. The scan changes no case; it only reminds.
"""

from django.utils import timezone

from servicedesk import texts
from servicedesk.amounts import amount_text
from servicedesk.roles import Role
from servicedesk.workdays import add_working_days

from ..models import TIER_ROLES, Compensation, Status, Tier
from ..models.transitions import PAYERS
from .common import tell_roles


def compensations_remind(today=None):
    """Returns how many notices were created."""
    today = today or timezone.localdate()
    sent = 0
    due = Compensation.objects.filter(status=Status.APPROVED, payment_due_on__lte=today).select_related("mall")
    for compensation in due:
        facts = {
            "number": compensation.number,
            "amount": amount_text(compensation.amount),
            "due": compensation.payment_due_on,
        }
        sent += len(
            tell_roles(
                compensation,
                PAYERS,
                event=f"payment-due:{compensation.payment_due_on}",
                title=texts.event("notice.compensation_pay_due", **facts),
            )
        )
        if compensation.payment_due_on < today:
            sent += len(
                tell_roles(
                    compensation,
                    (Role.MANAGER,),
                    event="payment-overdue",
                    title=texts.event("notice.compensation_pay_late", **facts),
                )
            )
    waiting = Compensation.objects.filter(status=Status.PROPOSED, waiting_since__isnull=False).select_related(
        "mall", "proposed_by"
    )
    for compensation in waiting:
        if add_working_days(timezone.localdate(compensation.waiting_since), 1) > today:
            continue
        step = compensation.chain.index(compensation.next_tier) + 1
        sent += len(
            tell_roles(
                compensation,
                TIER_ROLES[Tier(compensation.next_tier)],
                event=f"step:{step}:reminder",
                title=texts.event("notice.compensation_reminder", number=compensation.number),
                exclude=[compensation.proposed_by],
            )
        )
    owing = (
        Compensation.objects.owing()
        .filter(receivable__due_on__lt=today)
        .select_related("mall", "merchant", "receivable")
    )
    for compensation in owing:
        sent += len(
            tell_roles(
                compensation,
                (*PAYERS,),
                event="receivable-overdue",
                title=texts.event(
                    "notice.merchant_not_repaid",
                    merchant=compensation.merchant.brand,
                    amount=amount_text(compensation.outstanding),
                    number=compensation.number,
                    due=compensation.receivable.due_on,
                ),
            )
        )
    return sent
