"""Reads of the compensations app: who must act next on a case, for its page."""

from django.utils.translation import gettext as _

from servicedesk.notifications import staff_of
from servicedesk.roles import Role

from .models import TIER_ROLES, Status, Tier
from .models.transitions import PAYERS

# What is waited for in each state, and which roles may do it.
WAITING = {
    Status.APPROVED: (lambda: _("pay the customer"), PAYERS),
    Status.PAID: (lambda: _("recover the money from the merchant"), PAYERS),
    Status.RECOVERING: (lambda: _("recover the money from the merchant"), PAYERS),
    Status.PARTLY_RECOVERED: (lambda: _("recover the rest or write it off"), (*PAYERS, Role.MANAGER)),
}


def next_actor(compensation, user):
    """Who must act next on the case, or None when nothing waits for anybody:
    {"task", "roles" (labels), "people" (names of those who may do it now), "me" (whether `user`
    is one of them), "why_not" (why `user`, holding the role, is not: proposer, already signed),
    "nobody" (no one may do it: the demo or the mall lacks a person)}."""
    proposer_id = compensation.proposed_by_id
    signed = {a.approver_id for a in compensation.approvals.all()}
    if compensation.status == Status.PROPOSED and compensation.next_tier:
        tier = Tier(compensation.next_tier)
        roles = TIER_ROLES[tier]
        task = _("sign step %(step)s of the approval chain (%(tier)s)") % {
            "step": compensation.next_step,
            "tier": tier.label,
        }
        excluded = {proposer_id, *signed}
    elif compensation.status in WAITING:
        label, roles = WAITING[compensation.status]
        task, excluded = label(), set()
    else:
        return None
    holders = list(staff_of(compensation.mall, *roles).order_by("first_name", "username"))
    people = [person for person in holders if person.pk not in excluded]
    why_not = ""
    if user.pk == proposer_id and compensation.status == Status.PROPOSED:
        why_not = _("You proposed this compensation: the proposer never approves it.")
    elif user.pk in signed and compensation.status == Status.PROPOSED:
        why_not = _("You have already signed an earlier step: each step needs a different approver.")
    return {
        "task": task,
        "roles": [Role(role).label for role in roles],
        "people": [str(person) for person in people],
        "me": any(person.pk == user.pk for person in people),
        "why_not": why_not,
        "nobody": not people,
    }
