"""Every write of the SMS outbox. Other apps call `sms_queue(...)` inside their own transaction.

Sending exactly once: a row is claimed (queued -> sending) in a short transaction with
SKIP LOCKED, sent outside any transaction, then marked sent/failed/queued-again. Two workers, a
task delivered twice, or the task and the sweep at once: only one of them claims a row. A worker
that dies between the claim and the provider's answer leaves the row `sending`; the sweep marks
it `unknown` after SENDING_STALE and never sends it again (the provider may have delivered it:
a duplicate is worse than a gap the administrator can see and re-queue by hand).
"""

import logging
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from servicedesk.phones import mask_phone, normalise_mobile, validate_mobile

from .backends import PermanentSmsError, TransientSmsError, get_backend
from .events import get_event
from .models import SmsMessage, SmsOptOut, SmsPolicy

log = logging.getLogger("sms")

MAX_ATTEMPTS = 6
BACKOFF_BASE = timedelta(minutes=1)  # 1, 2, 4, 8, 16 minutes between attempts
SENDING_STALE = timedelta(minutes=10)
Status = SmsMessage.Status
# Final states whose row forgets the secrets (link token, code). A failed or unknown row keeps
# them so that the administrator can send it again (sms_requeue).
SCRUBBED = (Status.SENT, Status.OPTED_OUT, Status.DISABLED)


def backoff(attempts):
    return BACKOFF_BASE * (2 ** max(attempts - 1, 0))


def quiet_until(policy, now=None):
    """The first moment at or after `now` outside the mall's quiet hours (local time)."""
    now = now or timezone.now()
    start, end = policy.quiet_from, policy.quiet_until
    if start == end:
        return now
    local = timezone.localtime(now)
    t = local.time()
    quiet = (t >= start or t < end) if start > end else (start <= t < end)
    if not quiet:
        return now
    day = local.date() if t < end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, end))


def is_opted_out(mall, mobile):
    return SmsOptOut.objects.filter(mall=mall, mobile=mobile, ended_at__isnull=True).exists()


def sms_queue(*, mall, mobile, event, params, key, now=None):
    """Write one outbox row for `event` to `mobile`; send it after the caller's transaction commits.

    `key` names the occasion ("complaint:42:registered"); a second call with the same key returns
    the first row and sends nothing. Quiet hours delay it to the morning (urgent events excepted);
    an opted-out mobile or a mall with SMS off gets a row that records why it was not sent.
    Returns the row.
    """
    definition = get_event(event)
    mobile = normalise_mobile(mobile)
    validate_mobile(mobile)
    now = now or timezone.now()
    policy = SmsPolicy.for_mall(mall, on=timezone.localdate(now))
    status = Status.QUEUED
    if not policy.enabled and not definition.urgent:
        status = Status.DISABLED
    elif not definition.urgent and is_opted_out(mall, mobile):
        status = Status.OPTED_OUT
    params = {name: str(value) for name, value in params.items()}
    message, created = SmsMessage.objects.get_or_create(
        key=key[:150],
        defaults={
            "mall": mall,
            "mobile": mobile,
            "event": event,
            "params": params if status == Status.QUEUED else _scrubbed(definition, params),
            "text": _signed(policy, definition.render(params, masked=True)),
            "status": status,
            "not_before": now if definition.urgent else quiet_until(policy, now),
        },
    )
    if created and status == Status.QUEUED and message.not_before <= now:
        from servicedesk.enqueue import enqueue

        from .tasks import send_sms

        transaction.on_commit(lambda: enqueue(send_sms, [message.pk]))
    return message


def _signed(policy, text):
    return f"【{policy.sign_name}】{text}" if policy.sign_name else text


def _scrubbed(definition, params):
    from .events import mask_secret

    return {name: mask_secret(value) if name in definition.secret else value for name, value in params.items()}


def _claim(ids=None, now=None, limit=500):
    """queued -> sending for due rows (all due ones, or those in `ids`); returns the claimed rows."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = SmsMessage.objects.select_for_update(skip_locked=True, of=("self",), no_key=True).filter(
            status=Status.QUEUED, not_before__lte=now
        )
        if ids is not None:
            rows = rows.filter(pk__in=ids)
        claimed = list(rows.order_by("not_before", "pk")[:limit])
        for message in claimed:
            message.status = Status.SENDING
            message.claimed_at = now
            message.attempts += 1
        SmsMessage.objects.bulk_update(claimed, ["status", "claimed_at", "attempts"])
    return claimed


def _finish(message, **fields):
    """Record the outcome; a final state scrubs the secrets (link tokens, codes) from the row."""
    for name, value in fields.items():
        setattr(message, name, value)
    update = list(fields)
    if message.status in SCRUBBED:
        message.params = _scrubbed(get_event(message.event), message.params)
        update.append("params")
    SmsMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(**{f: getattr(message, f) for f in update})


class SendResult(NamedTuple):
    claimed: int
    sent: int
    retry: list  # ids put back with `not_before` moved on by the backoff


def sms_send(ids=None, now=None, limit=500):
    """Send the due queued rows (or those of `ids`) once each; see SendResult."""
    now = now or timezone.now()
    claimed = _claim(ids, now=now, limit=limit)
    if not claimed:
        return SendResult(0, 0, [])
    backend = get_backend()
    policies = SmsPolicy.in_force({m.mall_id for m in claimed}, on=timezone.localdate(now))
    opted_out = set(
        SmsOptOut.objects.filter(
            mall_id__in={m.mall_id for m in claimed}, mobile__in={m.mobile for m in claimed}, ended_at__isnull=True
        ).values_list("mall_id", "mobile")
    )
    sent, retry = 0, []
    for message in claimed:
        event = get_event(message.event)
        policy = policies[message.mall_id]
        if not event.urgent:
            if (message.mall_id, message.mobile) in opted_out:
                _finish(message, status=Status.OPTED_OUT)
                continue
            if not policy.enabled:
                _finish(message, status=Status.DISABLED)
                continue
            morning = quiet_until(policy, now)
            if morning > now:  # a retry that fell into the night waits for the morning
                _finish(message, status=Status.QUEUED, not_before=morning, attempts=message.attempts - 1)
                continue
        try:
            reference = backend.send(message, event, policy)
        except TransientSmsError as error:
            log.warning(
                "SMS %s to %s: attempt %s failed: %s", message.key, message.masked_mobile, message.attempts, error
            )
            if message.attempts >= MAX_ATTEMPTS:
                _finish(message, status=Status.FAILED, last_error=str(error)[:300])
            else:
                _finish(
                    message,
                    status=Status.QUEUED,
                    not_before=timezone.now() + backoff(message.attempts),
                    last_error=str(error)[:300],
                )
                retry.append(message.pk)
            continue
        except PermanentSmsError as error:
            log.warning("SMS %s to %s refused: %s", message.key, message.masked_mobile, error)
            _finish(message, status=Status.FAILED, last_error=str(error)[:300])
            continue
        _finish(message, status=Status.SENT, sent_at=timezone.now(), provider_ref=str(reference)[:100], last_error="")
        sent += 1
    return SendResult(len(claimed), sent, retry)


def sms_sweep(now=None, batch=500):
    """Beat, every minute: mark rows stuck in `sending` unknown, then send every due queued row
    (the broker lost the task's message, a backoff or quiet hours ended). Returns how many went."""
    now = now or timezone.now()
    stale = SmsMessage.objects.filter(status=Status.SENDING, claimed_at__lt=now - SENDING_STALE)
    for message in stale.only("pk", "key", "mobile"):
        log.error("SMS %s to %s: worker stopped mid-send; not re-sent", message.key, mask_phone(message.mobile))
    stale.update(status=Status.UNKNOWN, last_error="worker stopped between claim and provider answer")
    total = 0
    while True:
        result = sms_send(now=now, limit=batch)
        total += result.sent
        if result.claimed < batch:
            return total


@transaction.atomic
def sms_requeue(message):
    """The administrator sends a failed or unknown message again: a deliberate second send."""
    row = SmsMessage.objects.select_for_update(of=("self",), no_key=True).get(pk=message.pk)
    if row.status not in (Status.FAILED, Status.UNKNOWN):
        raise ValueError("only failed or unknown messages can be sent again")
    row.status, row.not_before, row.attempts, row.last_error = Status.QUEUED, timezone.now(), 0, ""
    row.save(update_fields=["status", "not_before", "attempts", "last_error"])
    from servicedesk.enqueue import enqueue

    from .tasks import send_sms

    transaction.on_commit(lambda: enqueue(send_sms, [row.pk]))
    return row


@transaction.atomic
def sms_opt_out(*, mall, mobile, source):
    """The customer asks for no more SMS from this mall (from a case page or at the desk)."""
    mobile = normalise_mobile(mobile)
    validate_mobile(mobile)
    existing = (
        SmsOptOut.objects.select_for_update(of=("self",), no_key=True)
        .filter(mall=mall, mobile=mobile, ended_at__isnull=True)
        .first()
    )
    if existing:
        return existing
    return SmsOptOut.objects.create(mall=mall, mobile=mobile, source=source[:20])


@transaction.atomic
def sms_opt_in(*, mall, mobile):
    mobile = normalise_mobile(mobile)
    return SmsOptOut.objects.filter(mall=mall, mobile=mobile, ended_at__isnull=True).update(ended_at=timezone.now())
