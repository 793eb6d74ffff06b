"""Webhook deliveries: signed, sent after commit, retried with exponential backoff, dead after
WEBHOOK_MAX_ATTEMPTS, swept up by beat when a message was lost, replayable from the admin.

Signature (docs/api.md): header `X-Servicedesk-Signature: t=<unix seconds>,v1=<hex>` where hex is
HMAC-SHA256(secret, "<t>.<body>"); `X-Servicedesk-Event-Id` carries the event id the receiver
drops duplicates by (delivery is at least once).
"""

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.access import has_role
from servicedesk.enqueue import enqueue
from servicedesk.roles import Role

from .models import DeliveryStatus, EventType, WebhookDelivery, WebhookSubscription

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Servicedesk-Signature"
EVENT_ID_HEADER = "X-Servicedesk-Event-Id"
EVENT_TYPE_HEADER = "X-Servicedesk-Event"


def sign(secret, timestamp, body):
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret, header, body, *, tolerance=300, now=None):
    """What a receiver does (and the tests' stand-in): the signature matches and is recent."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def backoff(attempts):
    """Wait after the n-th failed attempt: base x 2^(n-1), at most WEBHOOK_BACKOFF_MAX_SECONDS."""
    seconds = settings.WEBHOOK_BACKOFF_SECONDS * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, settings.WEBHOOK_BACKOFF_MAX_SECONDS))


def _post(url, body, headers):
    """(ok, short description of the answer)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 http(s) only
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            return 200 <= response.status < 300, f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        return False, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return False, f"{type(error).__name__}: {error}"[:300]


def webhook_deliver(delivery_id, now=None):
    """Send one due delivery. The row is claimed with SKIP LOCKED, so two workers (the task and
    the sweep) never send it twice at once, and a delivered or dead row is left alone."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
            .select_related("event", "subscription")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        now = now or timezone.now()
        if delivery is None or delivery.next_attempt_at > now:
            return None
        subscription = delivery.subscription
        if not subscription.is_active:
            delivery.status = DeliveryStatus.DEAD
            delivery.last_response = "subscription inactive"
            delivery.save(update_fields=["status", "last_response"])
            return delivery
        body = json.dumps(delivery.event.payload, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "servicedesk-webhooks/1",
            SIGNATURE_HEADER: sign(subscription.secret, int(time.time()), body),
            EVENT_ID_HEADER: str(delivery.event.event_id),
            EVENT_TYPE_HEADER: delivery.event.type,
        }
        ok, answer = _post(subscription.url, body, headers)
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.last_response = answer
        if ok:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = delivery.last_attempt_at
        elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.DEAD
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save(
            update_fields=["attempts", "last_attempt_at", "last_response", "status", "delivered_at", "next_attempt_at"]
        )
        if delivery.status == DeliveryStatus.PENDING:
            wait = (delivery.next_attempt_at - now).total_seconds()
            transaction.on_commit(lambda: _retry_later(delivery.pk, wait))
        return delivery


def _retry_later(delivery_id, seconds):
    from .tasks import send_webhook

    try:
        send_webhook.apply_async(args=(delivery_id,), countdown=seconds, retry=False)
    except Exception as error:  # the sweep sends it when it falls due
        log.warning("webhook retry not queued (the sweep will send it): %s", error)


def webhooks_sweep(now=None, batch=200):
    """Every minute (beat): send every delivery that is due and nobody sent, whether its message
    was lost, its worker died or its retry is due. Returns how many were attempted."""
    now = now or timezone.now()
    attempted = 0
    ids = list(WebhookDelivery.objects.due(now).order_by("next_attempt_at").values_list("pk", flat=True)[:batch])
    for pk in ids:
        if webhook_deliver(pk, now=now) is not None:
            attempted += 1
    return attempted


@transaction.atomic
def webhook_replay(*, delivery, actor):
    """The administrator sends a delivery again (a dead one, or a delivered one the receiver lost),
    with the same event id."""
    if not (actor.is_superuser or has_role(actor, None, Role.ADMIN)):
        raise PermissionDenied(_("Only an administrator may replay webhooks."))
    delivery = WebhookDelivery.objects.select_for_update(of=("self",), no_key=True).get(pk=delivery.pk)
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = timezone.now()
    if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.attempts = 0
    delivery.save(update_fields=["status", "next_attempt_at", "attempts"])
    from .tasks import send_webhook

    transaction.on_commit(lambda: enqueue(send_webhook, delivery.pk))
    return delivery


def _check_events(events):
    unknown = sorted(set(events) - set(EventType.values))
    if not events or unknown:
        raise ValidationError({"events": _("Choose events from the list: %(events)s") % {"events": ", ".join(unknown)}})
    return sorted(set(events))


@transaction.atomic
def webhook_subscribe(*, client, url, events):
    """(subscription, secret): the signing secret is shown to the client once."""
    subscription = WebhookSubscription.objects.create(
        client=client, url=url, events=_check_events(events), secret="whsec_" + secrets.token_urlsafe(32)
    )
    return subscription, subscription.secret


@transaction.atomic
def webhook_unsubscribe(*, subscription):
    """Stops new deliveries; the subscription and its log stay."""
    WebhookSubscription.objects.filter(pk=subscription.pk).update(is_active=False)
    subscription.is_active = False
    return subscription
