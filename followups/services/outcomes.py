"""Working a callback: record each attempt's outcome, within the attempt limits, and carry an
unsatisfied customer back into a complaint (DOMAIN.md §6, §2 reopening rule)."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from complaints.models import CallbackResponse, ComplaintPolicy
from complaints.models import Status as ComplaintStatus
from complaints.services import complaint_mark_callback_failed, complaint_mark_called_back, complaint_reopen
from complaints.services.customer import complaint_customer_rate, complaint_customer_reopen
from servicedesk import texts
from servicedesk.access import has_role, require_role
from servicedesk.roles import Role
from servicedesk.services import save_by
from servicedesk.workflow import CUSTOMER, check, lock

from ..models import (
    CALLBACK_STAFF,
    CALLBACK_TRANSITIONS,
    REACHED,
    AnswerSource,
    Callback,
    CallbackAttempt,
    CallbackKind,
    CallbackPolicy,
    CallbackStatus,
    Outcome,
)

# What the customer said, in the complaint's own words for it.
COMPLAINT_RESPONSE = {
    Outcome.SATISFIED: CallbackResponse.SATISFIED,
    Outcome.MOSTLY_SATISFIED: CallbackResponse.MOSTLY_SATISFIED,
    Outcome.UNSATISFIED: CallbackResponse.UNSATISFIED,
}


@dataclass
class Recorded:
    callback: Callback
    # Where the desk goes next: the reopened complaint, or a new complaint's intake form.
    reopened: object = None
    new_complaint_url: str = ""


def check_worker(callback, actor):
    """Only the callback staff may work a callback (the table's roles, asked before the outcome is
    known), and of them only the assignee or a supervisor of the mall."""
    require_role(actor, callback.mall, *CALLBACK_STAFF)
    if callback.assignee_id not in (None, actor.pk) and not has_role(actor, callback.mall, Role.SUPERVISOR):
        raise PermissionDenied(_("This callback is assigned to someone else."))
    return callback


@transaction.atomic
def callback_record(*, callback, actor, outcome, note="", next_attempt_at=None):
    """One attempt. Reached: done. Not reached: again at `next_attempt_at`, until the attempts
    allowed (3) or their window (2 days from the first) run out: then unreachable. Wrong number:
    unreachable at once."""
    callback = check_worker(lock(callback, "mall"), actor)
    return record_answer(
        callback,
        actor=actor,
        outcome=outcome,
        note=note,
        next_attempt_at=next_attempt_at,
        source=AnswerSource.PHONE,
        unhappy_note=_("Write down what the customer is unhappy about."),
    )


def record_answer(callback, *, actor, outcome, note, source, unhappy_note, next_attempt_at=None):
    """One answer on a callback already locked (and, by phone, checked for the caller): the
    transition table, the attempt limits, the attempt log and the complaint follow it whatever
    the source, so a survey answer counts exactly as a call does."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose what came of the call.")})
    new_status = check(
        CALLBACK_TRANSITIONS,
        state=callback.status,
        action=outcome,
        # A survey answer is the customer's own, through their link: the state is checked, not a role.
        actor=actor if source == AnswerSource.PHONE else CUSTOMER,
        mall=callback.mall_id,
    )
    note = (note or "").strip()
    if outcome == Outcome.UNSATISFIED and not note:
        raise ValidationError({"note": unhappy_note})
    policy = CallbackPolicy.for_mall(callback.mall)
    now = timezone.now()
    first = callback.first_attempt_at or now
    window_ends = first + timedelta(days=policy.attempt_window_days)
    callback.attempts += 1
    callback.first_attempt_at = first
    callback.next_attempt_at = None
    if new_status == CallbackStatus.RETRY:
        if callback.attempts >= policy.max_attempts or now >= window_ends:
            new_status = CallbackStatus.UNREACHABLE
        else:
            next_attempt_at = next_attempt_at or min(now + timedelta(hours=2), window_ends)
            if next_attempt_at <= now:
                raise ValidationError({"next_attempt_at": _("The next attempt must be later than now.")})
            if next_attempt_at > window_ends:
                raise ValidationError(
                    {
                        "next_attempt_at": _("All attempts must fall within %(days)s days of the first (by %(end)s).")
                        % {
                            "days": policy.attempt_window_days,
                            "end": timezone.localtime(window_ends).strftime("%Y-%m-%d %H:%M"),
                        }
                    }
                )
            callback.next_attempt_at = next_attempt_at
    callback.status = new_status
    callback.outcome = outcome
    callback.source = source
    callback.survey_wait_until = None
    if note:
        callback.note = note
    if new_status in (CallbackStatus.DONE, CallbackStatus.UNREACHABLE):
        callback.finished_at = now
    if callback.assignee_id is None and source == AnswerSource.PHONE:
        callback.assignee = actor
    save_by(callback, actor, reason=texts.event("action", action=Outcome(outcome).label))
    save_by(
        CallbackAttempt(
            callback=callback,
            number=callback.attempts,
            made_at=now,
            made_by=actor,
            outcome=outcome,
            note=note,
            source=source,
        ),
        actor,
    )
    recorded = Recorded(callback=callback)
    if callback.complaint_id and callback.kind == CallbackKind.SERVICE:
        _carry_to_complaint(recorded, actor, outcome, note, source)
    elif outcome == Outcome.UNSATISFIED:
        recorded.new_complaint_url = new_complaint_url(callback, note)
    return recorded


def _carry_to_complaint(recorded, actor, outcome, note, source=AnswerSource.PHONE):
    """The service callback is the complaint's one callback record (complaints.callbacks reads
    it): the complaint's state follows it, and an unsatisfied customer within the reopening
    window gets the complaint reopened. An answer through the survey link is the customer's own:
    the complaint is moved by the customer-link user."""
    complaint = recorded.callback.complaint
    if complaint.status != ComplaintStatus.RESOLVED:
        return  # ended or reopened meanwhile: the callback still counts in the figures
    by_survey = source == AnswerSource.SURVEY
    if outcome in REACHED and by_survey:
        complaint = complaint_customer_rate(complaint=complaint, response=COMPLAINT_RESPONSE[outcome], note=note)
    elif outcome in REACHED:
        complaint = complaint_mark_called_back(
            complaint=complaint, actor=actor, response=COMPLAINT_RESPONSE[outcome], note=note
        )
    else:
        complaint_mark_callback_failed(
            complaint=complaint,
            actor=actor,
            failed=recorded.callback.attempts,
            note=note or Outcome(outcome).label,
        )
        return
    if outcome != Outcome.UNSATISFIED:
        return
    reopen_days = ComplaintPolicy.for_mall(complaint.mall).reopen_days
    if timezone.now() <= complaint.resolved_at + timedelta(days=reopen_days):
        if by_survey:
            recorded.reopened = complaint_customer_reopen(complaint=complaint, note=note)
        else:
            recorded.reopened = complaint_reopen(complaint=complaint, actor=actor, note=note)
    else:
        recorded.new_complaint_url = new_complaint_url(recorded.callback, note)


@transaction.atomic
def callback_record_for_complaint(*, complaint, actor, response, note=""):
    """A call made from the complaint's page (complaints.callbacks.record_call): one attempt on
    the complaint's service callback of this round, made now if the daily scheduling has not
    made it yet (due from the day after resolution, by the complaint policy's callback days).
    `response` is what the customer said, or "" when the call did not reach them. The callback's
    rules apply as on the worklist, and the complaint follows the callback."""
    outcome = response or Outcome.NOT_REACHED
    resolved_on = timezone.localdate(complaint.resolved_at or timezone.now())
    callback, _created = Callback.objects.get_or_create(
        kind=CallbackKind.SERVICE,
        complaint=complaint,
        round=complaint.reopen_count,
        defaults={
            "mall_id": complaint.mall_id,
            "customer_id": complaint.customer_id,
            "due_on": resolved_on + timedelta(days=1),
            "deadline_on": resolved_on + timedelta(days=ComplaintPolicy.for_mall(complaint.mall).callback_days),
        },
    )
    return callback_record(callback=callback, actor=actor, outcome=outcome, note=note)


def new_complaint_url(callback, note):
    """The intake form, prefilled with the sale (or the customer) and what the customer said."""
    params = {"sale": callback.sale_id} if callback.sale_id else {"customer": callback.customer_id}
    params["callback"] = callback.pk
    return f"{reverse('complaints:intake')}?{urlencode(params)}"


@transaction.atomic
def callback_reassign(*, callback, actor, assignee):
    """The supervisor moves a callback to another of the mall's callback staff."""
    callback = lock(callback, "mall")
    require_role(actor, callback.mall, Role.SUPERVISOR)
    if not has_role(assignee, callback.mall, *CALLBACK_STAFF):
        raise ValidationError({"assignee": _("Choose a complaint officer or supervisor of this mall.")})
    if not callback.is_open:
        raise ValidationError(_("A finished callback cannot be reassigned."))
    callback.assignee = assignee
    return save_by(callback, actor, update_fields=["assignee"], reason=texts.event("callback.reassigned"))


# One call to a customer: either it reached them (each callback gets what they said about it) or
# it did not (every callback of the call gets the same "not reached" or "wrong number").
UNREACHED = (Outcome.NOT_REACHED, Outcome.WRONG_NUMBER)


@transaction.atomic
def callbacks_record_call(*, callbacks, actor, outcomes, notes=None, next_attempt_at=None):
    """One phone call to a customer settles all of their callbacks that are due: each is recorded
    as its own attempt (the attempt log, the figures and the complaints follow each of them).

    `outcomes` maps a callback's id to what came of it; `notes` its note. All or nothing: one
    refused callback (finished meanwhile, someone else's, unhappy without a note) saves none.
    Returns the `Recorded` of each callback, in the order given.
    """
    notes = notes or {}
    callbacks = list(callbacks)
    if not callbacks:
        raise ValidationError(_("There is nothing to record: no callback of this customer is due."))
    if len({(c.mall_id, c.customer_id) for c in callbacks}) != 1:
        raise ValidationError(_("One call is to one customer: these callbacks are for different customers."))
    missing = [c for c in callbacks if outcomes.get(c.pk) not in Outcome.values]
    if missing:
        raise ValidationError(
            {f"outcome_{c.pk}": _("Choose what the customer said about this callback.") for c in missing}
        )
    reached = {outcomes[c.pk] not in UNREACHED for c in callbacks}
    if len(reached) > 1 or len({outcomes[c.pk] for c in callbacks if outcomes[c.pk] in UNREACHED}) > 1:
        raise ValidationError(
            _("One call either reached the customer or did not: record it the same for every callback.")
        )
    errors = {}
    recorded = []
    for callback in callbacks:
        try:
            recorded.append(
                callback_record(
                    callback=callback,
                    actor=actor,
                    outcome=outcomes[callback.pk],
                    note=notes.get(callback.pk, ""),
                    next_attempt_at=next_attempt_at,
                )
            )
        except ValidationError as error:
            by_field = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
            for field, messages in by_field.items():
                key = f"{field}_{callback.pk}" if field in ("note", "outcome") else field
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return recorded
