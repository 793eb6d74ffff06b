"""What the customer does on a complaint through the status link (portal/): no staff member acts,
the link's token is the authority (so the services pass `CUSTOMER` as the actor to
lock_and_check, which then checks the state only). The state machine still decides: an action not in the table
for the complaint's state is refused. The history and handling log name the customer-link user."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.notifications import notify, staff_of
from servicedesk.roles import Role
from servicedesk.texts import event
from servicedesk.workflow import CUSTOMER, lock_and_check, refusal

from ..models import TRANSITIONS, Action, CallbackResponse, EntryKind, Status
from .common import complaint_url, log_action, move, require_text

CUSTOMER_LINK_USERNAME = "customer-link"


def customer_link_user():
    """The account that stands for 'the customer, through the link' in history rows. It cannot log in."""
    user, created = get_user_model().objects.get_or_create(
        username=CUSTOMER_LINK_USERNAME, defaults={"first_name": "顾客", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _tell_officer(complaint, key, title):
    recipients = [complaint.assignee] if complaint.assignee_id else list(staff_of(complaint.mall, Role.SUPERVISOR))
    notify(recipients, key=key, title=title, url=complaint_url(complaint), mall=complaint.mall)


@transaction.atomic
def complaint_customer_accept(*, complaint):
    """The customer agrees to the proposal: recorded as the agreement; the officer then resolves."""
    complaint, _new = lock_and_check(complaint, TRANSITIONS, Action.RESOLVE, CUSTOMER)
    if complaint.status != Status.PROPOSED:
        raise refusal(TRANSITIONS, complaint.status, Action.REJECT_PROPOSAL)  # the usual message
    actor = customer_link_user()
    complaint.customer_agreement = event("complaint.customer_accepted", when=timezone.now())
    complaint.save(update_fields=["customer_agreement"])
    log_action(complaint, actor=actor, text=complaint.customer_agreement, kind=EntryKind.NOTE)
    _tell_officer(
        complaint,
        key=f"complaint:{complaint.pk}:customer-accepted:{complaint.proposed_at:%s}",
        title=event("complaint.customer_accepted_title", number=complaint.number),
    )
    return complaint


@transaction.atomic
def complaint_customer_reject(*, complaint, reason):
    complaint, new_status = lock_and_check(complaint, TRANSITIONS, Action.REJECT_PROPOSAL, CUSTOMER)
    reason = require_text(reason, "reason", _("Tell us why you do not agree."))
    complaint.customer_agreement = ""
    complaint.save(update_fields=["customer_agreement"])
    move(
        complaint,
        actor=customer_link_user(),
        action=Action.REJECT_PROPOSAL,
        new_status=new_status,
        log=event("complaint.customer_rejected", note=reason),
    )
    _tell_officer(
        complaint,
        key=f"complaint:{complaint.pk}:customer-rejected:{complaint.proposed_at:%s}",
        title=event("complaint.customer_rejected_title", number=complaint.number),
    )
    return complaint


@transaction.atomic
def complaint_customer_withdraw(*, complaint, reason):
    complaint, new_status = lock_and_check(complaint, TRANSITIONS, Action.WITHDRAW, CUSTOMER)
    reason = require_text(reason, "reason", _("Tell us why you withdraw the complaint."))
    complaint.decision_note = event("complaint.customer_withdrew", reason=reason)
    complaint.paused_since = None
    complaint.closed_at = timezone.now()
    from .clocks import clock_stop

    clock_stop(complaint, at=complaint.closed_at)
    move(
        complaint,
        actor=customer_link_user(),
        action=Action.WITHDRAW,
        new_status=new_status,
        fields=["decision_note", "paused_since", "closed_at"],
        log=complaint.decision_note,
    )
    _tell_officer(
        complaint,
        key=f"complaint:{complaint.pk}:customer-withdrew",
        title=event("complaint.customer_withdrew_title", number=complaint.number),
    )
    return complaint


@transaction.atomic
def complaint_customer_rate(*, complaint, response, note=""):
    """The customer's answer to the satisfaction survey, recorded on the service callback
    (followups.services.surveys): the complaint follows it as it follows a call, moved by the
    customer-link user."""
    from .endings import mark_called_back_locked

    complaint, new_status = lock_and_check(complaint, TRANSITIONS, Action.CALL_BACK, CUSTOMER)
    complaint = mark_called_back_locked(complaint, new_status, actor=customer_link_user(), response=response, note=note)
    if response == CallbackResponse.UNSATISFIED:
        _tell_officer(
            complaint,
            key=f"complaint:{complaint.pk}:customer-unsatisfied:{complaint.reopen_count}",
            title=event("complaint.customer_unsatisfied_title", number=complaint.number),
        )
    return complaint


@transaction.atomic
def complaint_customer_reopen(*, complaint, note):
    """An unsatisfied survey answer within the reopening window: reopened as the phone path does."""
    from .endings import reopen_locked

    complaint, new_status = lock_and_check(complaint, TRANSITIONS, Action.REOPEN, CUSTOMER)
    return reopen_locked(complaint, new_status, actor=customer_link_user(), note=note)
