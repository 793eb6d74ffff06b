"""Tiered approval. A decision is final once made: two approvers acting at once produce one.

Each decision re-reads the case under a row lock (SELECT ... FOR UPDATE), so the second of two
simultaneous approvers waits for the first to commit and then sees its decision; the unique
(case, step) constraint stops a second signature even if the lock were bypassed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from servicedesk import texts
from servicedesk.access import require_role
from servicedesk.amounts import amount_text
from servicedesk.customer_links import case_sms
from servicedesk.services import save_by
from servicedesk.workdays import add_working_days
from servicedesk.workflow import check, lock, pick

from ..models import (
    TIER_ROLES,
    TRANSITIONS,
    Action,
    CompensationApproval,
    CompensationPolicy,
    Decision,
    Status,
    Tier,
)
from ..models.transitions import PAYERS
from .common import LOCK_RELATED, now, tell, tell_roles, text


class AlreadyDecided(ValidationError):
    """Somebody else signed this step first; the message says who and when."""


def already_decided(approval):
    when = date_format(timezone.localtime(approval.decided_at), "Y-m-d H:i")
    who = approval.approver.get_full_name() or approval.approver.username
    return AlreadyDecided(
        _("Already decided by %(name)s at %(time)s (%(decision)s).")
        % {"name": who, "time": when, "decision": approval.get_decision_display()},
        code="already_decided",
    )


def can_decide(user, compensation):
    """Whether `user` may sign the step waiting now (for showing the buttons; the service decides)."""
    if compensation.status != Status.PROPOSED or not compensation.next_tier:
        return False
    if user.pk == compensation.proposed_by_id:
        return False
    if any(a.approver_id == user.pk for a in compensation.approvals.all()):
        return False
    from servicedesk.access import has_role

    return has_role(user, compensation.mall, *TIER_ROLES[Tier(compensation.next_tier)])


@transaction.atomic
def compensation_decide(*, compensation, actor, decision, comment="", step=None):
    """Sign the waiting step of the chain: approve or reject.

    `step` is the step the approver saw on the page; if somebody signed it meanwhile the
    approver is told who and when instead of signing again.
    """
    compensation = lock(compensation, *LOCK_RELATED)
    decided = list(compensation.approvals.select_related("approver").order_by("step"))
    if step is not None and 1 <= int(step) <= len(decided):
        raise already_decided(decided[int(step) - 1])
    if compensation.status != Status.PROPOSED and decided:
        raise already_decided(decided[-1])
    action = Action.APPROVE if decision == Decision.APPROVED else Action.REJECT
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Approve or reject.")})
    outcomes = check(TRANSITIONS, state=compensation.status, action=action, actor=actor, mall=compensation.mall)

    current = len(decided) + 1
    tier = Tier(compensation.chain[current - 1])
    require_role(actor, compensation.mall, *TIER_ROLES[tier])
    if actor.pk == compensation.proposed_by_id:
        raise PermissionDenied(_("The proposer never approves their own proposal."))
    if any(a.approver_id == actor.pk for a in decided):
        raise PermissionDenied(_("You have signed an earlier step; another approver must sign this one."))
    comment = text(
        comment,
        "comment",
        _("Say why the compensation is rejected."),
        required=decision == Decision.REJECTED,
    )

    moment = now()
    approval = CompensationApproval(
        compensation=compensation,
        step=current,
        tier=tier,
        decision=decision,
        approver=actor,
        decided_at=moment,
        comment=comment,
    )
    save_by(approval, actor)
    last = current == len(compensation.chain)
    if decision == Decision.REJECTED:
        _rejected(compensation, actor, moment, outcomes, comment)
    elif last:
        _approved(compensation, actor, moment, outcomes)
    else:
        _next_step(compensation, actor, moment, current + 1)
    return compensation


def compensation_approve(*, compensation, actor, comment="", step=None):
    return compensation_decide(
        compensation=compensation, actor=actor, decision=Decision.APPROVED, comment=comment, step=step
    )


def compensation_reject(*, compensation, actor, comment, step=None):
    return compensation_decide(
        compensation=compensation, actor=actor, decision=Decision.REJECTED, comment=comment, step=step
    )


def _next_step(compensation, actor, moment, step):
    tier = Tier(compensation.chain[step - 1])
    compensation.next_tier = tier
    compensation.waiting_since = moment
    save_by(
        compensation,
        actor,
        update_fields=["next_tier", "waiting_since"],
        reason=texts.event("action", action=Action.APPROVE.label),
    )
    tell_roles(
        compensation,
        TIER_ROLES[tier],
        event=f"step:{step}",
        title=texts.event(
            "notice.compensation_waits", number=compensation.number, amount=amount_text(compensation.amount)
        ),
        body=texts.event(
            "notice.compensation_step", n=step - 1, name=actor.get_full_name() or actor.username, tier=tier.label
        ),
        exclude=[actor, compensation.proposed_by],
    )


def _approved(compensation, actor, moment, outcomes):
    policy = CompensationPolicy.for_mall(compensation.mall)
    compensation.status = pick(Status.APPROVED, outcomes)
    compensation.approved_at = moment
    compensation.next_tier = ""
    compensation.waiting_since = None
    compensation.payment_due_on = add_working_days(timezone.localdate(moment), policy.payment_working_days)
    save_by(
        compensation,
        actor,
        update_fields=["status", "approved_at", "next_tier", "waiting_since", "payment_due_on"],
        reason=texts.event("action", action=Action.APPROVE.label),
    )
    title = texts.event(
        "notice.compensation_approved",
        number=compensation.number,
        amount=amount_text(compensation.amount),
        due=compensation.payment_due_on,
    )
    tell_roles(compensation, PAYERS, event="approved", title=title, exclude=[actor])
    tell(compensation, [compensation.proposed_by], event="approved:proposer", title=title)
    case_sms(
        compensation,
        event="compensation_approved",
        occasion="approved",
        amount=amount_text(compensation.amount),
        due=compensation.payment_due_on.isoformat(),
    )


def _rejected(compensation, actor, moment, outcomes, comment):
    compensation.status = pick(Status.REJECTED, outcomes)
    compensation.rejected_at = moment
    compensation.next_tier = ""
    compensation.waiting_since = None
    save_by(
        compensation,
        actor,
        update_fields=["status", "rejected_at", "next_tier", "waiting_since"],
        reason=texts.event("action", action=Action.REJECT.label),
    )
    tell(
        compensation,
        [compensation.proposed_by],
        event="rejected",
        title=texts.event("notice.compensation_rejected", number=compensation.number),
        body=comment,
    )
    case_sms(compensation, event="compensation_rejected", occasion="rejected")
