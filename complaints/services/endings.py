"""Ending a complaint or taking it off the main path: not accepted, withdrawn, paused, escalated,
referred outside, called back, reopened, closed. Same pattern as handling.py."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from merchants.accounts import merchants_own
from servicedesk import mall_settings
from servicedesk.notifications import notify, staff_of
from servicedesk.roles import Role
from servicedesk.texts import event
from servicedesk.workflow import lock_and_check

from .. import callbacks
from ..models import (
    TRANSITIONS,
    Action,
    CallbackResponse,
    ComplaintPause,
    ComplaintPolicy,
    DeadlineKind,
    ExternalBody,
    MerchantReply,
    NotAcceptedReason,
)
from .clocks import clock_start, clock_stop, clocks_shift
from .common import LOCK_RELATED, complaint_url, move, require_text


@transaction.atomic
def complaint_not_accept(*, complaint, actor, reason, note=""):
    """The supervisor declines the complaint for one of the reasons of DOMAIN.md §2."""
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.NOT_ACCEPT, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    if reason not in NotAcceptedReason.values:
        raise ValidationError({"reason": _("Choose why the complaint is not accepted.")})
    complaint.not_accepted_reason = reason
    complaint.decision_note = (note or "").strip()
    _end(complaint)
    complaint.closed_at = timezone.now()  # ended here: counts as closed in the reports
    return move(
        complaint,
        actor=actor,
        action=Action.NOT_ACCEPT,
        new_status=new_status,
        fields=["not_accepted_reason", "decision_note", "paused_since", "closed_at"],
        log=event("complaint.not_accepted", reason=NotAcceptedReason(reason).label),
    )


@transaction.atomic
def complaint_withdraw(*, complaint, actor, note):
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.WITHDRAW, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    complaint.decision_note = require_text(note, "note", _("Write down why the customer withdrew."))
    _end(complaint)
    complaint.closed_at = timezone.now()  # ended here: counts as closed in the reports
    return move(
        complaint,
        actor=actor,
        action=Action.WITHDRAW,
        new_status=new_status,
        fields=["decision_note", "paused_since", "closed_at"],
        log=event("complaint.withdrawn", note=complaint.decision_note),
    )


@transaction.atomic
def complaint_pause(*, complaint, actor, reason):
    """Stop the clocks while a quality test runs."""
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.PAUSE, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    if complaint.paused_since:
        raise ValidationError(_("The clock is already paused."))
    reason = require_text(reason, "reason", _("Say which quality test the clock waits for."))
    now = timezone.now()
    complaint.paused_since = now
    ComplaintPause.objects.create(complaint=complaint, started_at=now, reason=reason[:200], started_by=actor)
    return move(
        complaint,
        actor=actor,
        action=Action.PAUSE,
        new_status=new_status,
        fields=["paused_since"],
        log=event("complaint.paused", reason=reason),
    )


@transaction.atomic
def complaint_resume(*, complaint, actor):
    """Restart the clocks; every running deadline moves later by the length of the pause."""
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.RESUME, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    if not complaint.paused_since:
        raise ValidationError(_("The clock is not paused."))
    now = timezone.now()
    paused_for = now - complaint.paused_since
    clocks_shift(complaint, paused_for)
    complaint.pauses.filter(ended_at__isnull=True).update(ended_at=now, ended_by=actor)
    complaint.paused_since = None
    days = paused_for.total_seconds() / 86400
    return move(
        complaint,
        actor=actor,
        action=Action.RESUME,
        new_status=new_status,
        fields=["paused_since"],
        log=event("complaint.resumed", days=days),
    )


def escalation_grounds(complaint, now=None):
    """Why the complaint may go to advance compensation review (empty: it may not yet)."""
    now = now or timezone.now()
    grounds = []
    policy = ComplaintPolicy.for_mall(complaint.mall)
    if complaint.received_at <= now - timedelta(days=policy.deliberate_delay_days):
        grounds.append(event("complaint.ground.open_days", days=policy.deliberate_delay_days))
    if complaint.merchant_reply == MerchantReply.REFUSES:
        grounds.append(event("complaint.ground.refuses"))
    if complaint.merchant_has_exited:
        grounds.append(event("complaint.ground.exited"))
    return grounds


@transaction.atomic
def complaint_escalate(*, complaint, actor, note=""):
    """To advance compensation review: open more than 15 days, merchant refuses, or exited."""
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.ESCALATE, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    grounds = escalation_grounds(complaint)
    if not grounds:
        raise ValidationError(
            _("Escalate only when the complaint is open more than %(days)s days, the merchant refuses, or has exited.")
            % {"days": ComplaintPolicy.for_mall(complaint.mall).deliberate_delay_days}
        )
    complaint.decision_note = (note or "").strip()
    complaint.needs_escalation = False
    _end(complaint)
    complaint.closed_at = timezone.now()  # ended here: counts as closed in the reports
    move(
        complaint,
        actor=actor,
        action=Action.ESCALATE,
        new_status=new_status,
        fields=["decision_note", "needs_escalation", "paused_since", "closed_at"],
        log=event("complaint.escalated", grounds=grounds),
    )
    notify(
        staff_of(complaint.mall, Role.MANAGER, Role.SUPERVISOR),
        key=f"complaint:{complaint.pk}:escalated",
        title=event("notice.complaint_escalated", number=complaint.number),
        body=event("complaint.escalated", grounds=grounds),
        url=complaint_url(complaint),
        mall=complaint.mall,
    )
    return complaint


@transaction.atomic
def complaint_refer(*, complaint, actor, body, note=""):
    """The case goes to 12315, the consumer council or a court; our clocks stop."""
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.REFER, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    if body not in ExternalBody.values:
        raise ValidationError({"body": _("Choose where the complaint was referred.")})
    complaint.external_body = body
    complaint.referred_at = timezone.now()  # the weekly report counts the referral in this week
    complaint.decision_note = (note or "").strip()
    _end(complaint)
    return move(
        complaint,
        actor=actor,
        action=Action.REFER,
        new_status=new_status,
        fields=["external_body", "referred_at", "decision_note", "paused_since"],
        log=event("complaint.referred", body=ExternalBody(body).label),
    )


@transaction.atomic
def complaint_call_back(*, complaint, actor, response, note=""):
    """A call from the complaint's page that reached the customer. The call is recorded on the
    complaint's one callback record, the service callback (complaints.callbacks, kept by the
    follow-ups app), whose service then moves the complaint (`complaint_mark_called_back`), as a
    call recorded from the callback worklist does. Refused here first by the complaint's table."""
    complaint, _new_status = lock_and_check(
        complaint, TRANSITIONS, Action.CALL_BACK, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    if response not in CallbackResponse.values:
        raise ValidationError({"response": _("Choose what the customer said.")})
    callbacks.record_call(complaint=complaint, actor=actor, response=response, note=note)
    complaint.refresh_from_db()
    return complaint


@transaction.atomic
def complaint_callback_failed(*, complaint, actor, note=""):
    """A call from the complaint's page that did not reach the customer: an attempt on the
    service callback (the attempts allowed and their window are the callback's rules)."""
    complaint, _new_status = lock_and_check(
        complaint, TRANSITIONS, Action.CALLBACK_FAILED, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    callbacks.record_call(complaint=complaint, actor=actor, response="", note=note)
    complaint.refresh_from_db()
    return complaint


@transaction.atomic
def complaint_mark_called_back(*, complaint, actor, response, note=""):
    """The complaint follows its service callback, which reached the customer (the follow-ups
    service calls this once the call is recorded there): called back, the callback clock met."""
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.CALL_BACK, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    return mark_called_back_locked(complaint, new_status, actor=actor, response=response, note=note)


def mark_called_back_locked(complaint, new_status, *, actor, response, note=""):
    """`complaint_mark_called_back` on a complaint already locked and checked (by the survey
    link: the customer, complaints.services.customer)."""
    if response not in CallbackResponse.values:
        raise ValidationError({"response": _("Choose what the customer said.")})
    clock_stop(complaint, DeadlineKind.CALLBACK, at=timezone.now())
    return move(
        complaint,
        actor=actor,
        action=Action.CALL_BACK,
        new_status=new_status,
        log=event("complaint.called_back", response=CallbackResponse(response).label, note=note),
    )


@transaction.atomic
def complaint_mark_callback_failed(*, complaint, actor, failed, note=""):
    """The complaint follows its service callback: the `failed`-th call did not reach the customer."""
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.CALLBACK_FAILED, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    return move(
        complaint,
        actor=actor,
        action=Action.CALLBACK_FAILED,
        new_status=new_status,
        log=event("complaint.callback_failed", n=failed, note=note),
    )


@transaction.atomic
def complaint_reopen(*, complaint, actor, note):
    """An unsatisfied callback within 30 days of resolution: back to the assignee."""
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.REOPEN, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    return reopen_locked(complaint, new_status, actor=actor, note=note)


def reopen_locked(complaint, new_status, *, actor, note):
    """Reopening a complaint already locked and checked: the rules of the 30-day window."""
    callback = callbacks.service_callback(complaint)
    if callback is None or callback.response != CallbackResponse.UNSATISFIED:
        raise ValidationError(_("Only a complaint whose customer was unsatisfied at the callback can be reopened."))
    policy = ComplaintPolicy.for_mall(complaint.mall)
    if timezone.now() > complaint.resolved_at + timedelta(days=policy.reopen_days):
        raise ValidationError(
            _("More than %(days)s days have passed since the resolution; register a new complaint.")
            % {"days": policy.reopen_days}
        )
    note = require_text(note, "note", _("Write down what the customer is still unhappy about."))
    # The next round: its own service callback once the complaint is resolved again.
    complaint.reopen_count += 1
    complaint.result = ""
    now = timezone.now()
    clock_start(complaint, DeadlineKind.RESOLUTION, now, policy)
    return move(
        complaint,
        actor=actor,
        action=Action.REOPEN,
        new_status=new_status,
        fields=["reopen_count", "result"],
        log=event("complaint.reopened", note=note),
    )


@transaction.atomic
def complaint_close(*, complaint, actor, note=""):
    """Needs a result and the service callback finished: the customer reached (their response),
    or given up as unreachable, or as many failed attempts as the mall's callback setting allows."""
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.CLOSE, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    if not complaint.result:
        raise ValidationError(_("A complaint without a result cannot be closed."))
    # The service callback decides: reached, given up as unreachable, or the failed attempts
    # the mall's callback setting allows; a callback still on the worklist is worked there first.
    callback = callbacks.service_callback(complaint)
    if callback is None:
        raise ValidationError(
            _("Call the customer back first (or record %(n)s failed attempts) before closing.")
            % {"n": mall_settings.value("callback_attempts", complaint.mall)}
        )
    attempts = mall_settings.value("callback_attempts", complaint.mall)
    if not (callback.response or callback.finished or callback.failed_attempts >= attempts):
        raise ValidationError(
            _("The service callback (due %(due)s) is not done yet: record its outcome in the callback worklist.")
            % {"due": callback.due_on}
        )
    now = timezone.now()
    complaint.closed_at = now
    clock_stop(complaint, at=now)
    return move(
        complaint,
        actor=actor,
        action=Action.CLOSE,
        new_status=new_status,
        fields=["closed_at"],
        log=event("complaint.closed_note", note=note.strip()) if note.strip() else event("complaint.closed"),
    )


def _end(complaint):
    """The complaint leaves the desk's hands: every clock stops, a pause ends with it."""
    now = timezone.now()
    clock_stop(complaint, at=now)
    if complaint.paused_since:
        complaint.pauses.filter(ended_at__isnull=True).update(ended_at=now)
        complaint.paused_since = None
