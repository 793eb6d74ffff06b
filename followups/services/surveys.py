"""The satisfaction survey by link (DOMAIN.md §8a): when a service callback falls due the customer
gets an SMS with the complaint's link, where they rate the service (满意 / 基本满意 / 不满意 + a
comment). An answer is the callback's answer, source "survey": it goes through the same
`record_answer` as a call (the transition table, the attempt log, the complaint's callback and
reopening), so the figures (K', callback rate, satisfaction) count it as they count a call.

While the survey waits (`CallbackPolicy.survey_wait_days`, 2 days by default, from the moment
the SMS may go out), the call is off the officer's worklist; no answer by then puts it back.
It is back on the deadline day at the latest, so the desk can still call in time.
"""

import logging
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Status as ComplaintStatus
from complaints.services.customer import customer_link_user
from servicedesk.models import Mall

from ..models import (
    OPEN_CALLBACK_STATES,
    REACHED,
    AnswerSource,
    Callback,
    CallbackKind,
    CallbackPolicy,
    Outcome,
)
from .outcomes import record_answer

log = logging.getLogger("followups")
BATCH = 500


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def callbacks_send_surveys(*, now=None):
    """Send the survey for every service callback that is due today and has had none. Safe to
    run twice or at once: rows are claimed with SKIP LOCKED and marked sent in the same
    transaction, and the SMS itself is keyed by the callback. Returns the number sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    policies = CallbackPolicy.in_force(list(Mall.objects.active().values_list("pk", flat=True)))
    mall_ids = [mall_id for mall_id, policy in policies.items() if policy.survey_enabled]
    if not mall_ids:
        return 0
    sent = 0
    while True:
        with transaction.atomic():
            due = list(
                Callback.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
                .filter(
                    mall_id__in=mall_ids,
                    kind=CallbackKind.SERVICE,
                    survey_sent_at__isnull=True,
                    status__in=OPEN_CALLBACK_STATES,
                    due_on__lte=today,
                    deadline_on__gte=today,  # not for calls already late: the desk phones those
                    complaint__status=ComplaintStatus.RESOLVED,
                )
                .select_related("complaint__mall", "complaint__customer")
                .order_by("due_on", "pk")[:BATCH]
            )
            for callback in due:
                sent += survey_send(callback, policy=policies[callback.mall_id], now=now)
        if len(due) < BATCH:
            return sent


def survey_send(callback, *, policy, now):
    """Queue the survey SMS for one claimed callback and hold the call while it waits."""
    from servicedesk.customer_links import case_sms
    from sms.models import SmsMessage

    message = None
    try:
        with transaction.atomic():
            message = case_sms(callback.complaint, event="survey", occasion=f"survey:{callback.pk}")
    except ValidationError:
        log.warning("survey for callback %s not sent: the customer's mobile is not valid", callback.pk)
    wait_until = None
    if message is not None and message.status == SmsMessage.Status.QUEUED and policy.survey_wait_days:
        wait_until = min(message.not_before + timedelta(days=policy.survey_wait_days), _start_of(callback.deadline_on))
        if wait_until <= now:
            wait_until = None
    Callback.objects.filter(pk=callback.pk).update(survey_sent_at=now, survey_wait_until=wait_until)
    return 1 if message is not None and message.status == SmsMessage.Status.QUEUED else 0


def survey_for(complaint):
    """The service callback the complaint's customer may answer by link now, or None."""
    if complaint.status != ComplaintStatus.RESOLVED:
        return None
    return (
        Callback.objects.filter(
            kind=CallbackKind.SERVICE,
            complaint=complaint,
            round=complaint.reopen_count,
            status__in=OPEN_CALLBACK_STATES,
        )
        .only("pk")
        .first()
    )


@transaction.atomic
def callback_answer_survey(*, complaint, outcome, note=""):
    """The customer's answer through the complaint's link: a reached callback, source survey."""
    callback = (
        Callback.objects.select_for_update(of=("self",), no_key=True)
        .filter(kind=CallbackKind.SERVICE, complaint_id=complaint.pk)
        .select_related("mall", "complaint")
        .order_by("-round")
        .first()
    )
    if callback is None or not callback.is_open or callback.round != callback.complaint.reopen_count:
        raise ValidationError(_("There is nothing to rate now: thank you, we already have your answer."))
    errors = {}
    if outcome not in [o.value for o in REACHED]:
        errors["outcome"] = _("Choose how satisfied you are.")
    note = (note or "").strip()
    if len(note) > 2000:
        errors["note"] = _("At most %(max)d characters.") % {"max": 2000}
    elif outcome == Outcome.UNSATISFIED and not note:
        errors["note"] = _("Tell us what you are not satisfied with.")
    if errors:
        raise ValidationError(errors)
    return record_answer(
        callback,
        actor=customer_link_user(),
        outcome=outcome,
        note=note,
        source=AnswerSource.SURVEY,
        unhappy_note=_("Tell us what you are not satisfied with."),
    )
