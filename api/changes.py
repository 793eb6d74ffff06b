"""Capture every save of a complaint, return, compensation or merchant for the change feed, and
turn the status changes outside parties care about into webhook events.

Connected to post_save in ApiConfig.ready(), so the rows are written inside the transaction of
whichever service saved the record (the base package and the apps import nothing from here): a
rolled-back action leaves no change, no event and no delivery behind.
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from servicedesk.enqueue import enqueue

from .models import (
    Change,
    ChangeKind,
    CurrentTxid,
    EventType,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)

# The event a record's arrival in a status fires (kind, status) -> event type.
EVENTS = {
    (ChangeKind.COMPLAINT, "registered"): EventType.COMPLAINT_REGISTERED,
    (ChangeKind.COMPLAINT, "with_merchant"): EventType.COMPLAINT_FORWARDED,
    (ChangeKind.COMPLAINT, "resolved"): EventType.COMPLAINT_RESOLVED,
    (ChangeKind.COMPLAINT, "closed"): EventType.COMPLAINT_CLOSED,
    (ChangeKind.RETURN, "refunded"): EventType.RETURN_REFUNDED,
    (ChangeKind.COMPENSATION, "paid"): EventType.COMPENSATION_PAID,
    (ChangeKind.MERCHANT, "exit_noticed"): EventType.MERCHANT_EXIT_NOTICED,
    (ChangeKind.MERCHANT, "exited"): EventType.MERCHANT_EXITED,
}


def tracked_models():
    from compensations.models import Compensation
    from complaints.models import Complaint
    from merchants.models import Merchant
    from returns.models import ReturnRequest

    return {
        Complaint: ChangeKind.COMPLAINT,
        ReturnRequest: ChangeKind.RETURN,
        Compensation: ChangeKind.COMPENSATION,
        Merchant: ChangeKind.MERCHANT,
    }


def connect():
    for model, kind in tracked_models().items():
        post_save.connect(_receiver(kind), sender=model, weak=False, dispatch_uid=f"api-change-{kind}")


def _receiver(kind):
    def on_save(sender, instance, created, update_fields=None, raw=False, **kwargs):
        if raw:  # loaddata
            return
        record_change(kind, instance, created=created, update_fields=update_fields)

    return on_save


def record_change(kind, instance, *, created, update_fields=None):
    status = getattr(instance, "status", "")
    entered = None
    if created:
        entered = status
    elif update_fields is not None:
        # The services save with update_fields; "status" is in it only when the status moved.
        if "status" in update_fields:
            entered = status
    else:
        last = (
            Change.objects.filter(kind=kind, object_id=instance.pk).order_by("-pk").values_list("status", flat=True)
        ).first()
        if last is not None and last != status:
            entered = status
    Change.objects.create(txid=CurrentTxid(), kind=kind, object_id=instance.pk, mall_id=instance.mall_id, status=status)
    event_type = EVENTS.get((kind, entered))
    if event_type is not None:
        event_emit(event_type, kind, instance)


def _reference(kind, instance):
    return getattr(instance, "number", None) or str(instance.pk)


def event_emit(event_type, kind, instance):
    """An event and one delivery row per subscription that wants it, in the caller's transaction;
    the sends go to Celery after commit (and to the sweep if that message is lost)."""
    subscriptions = [
        subscription
        for subscription in WebhookSubscription.objects.filter(
            is_active=True, client__revoked_at__isnull=True, client__malls=instance.mall_id
        ).select_related("client")
        if event_type in subscription.events and subscription.client.has_scope("webhooks")
    ]
    if not subscriptions:
        return None
    from .urls_helpers import resource_path

    reference = _reference(kind, instance)
    now = timezone.now()
    event = WebhookEvent(type=event_type, mall_id=instance.mall_id, created_at=now, payload={})
    event.payload = {
        "id": str(event.event_id),
        "type": str(event_type),
        "created_at": now.isoformat(),
        "data": {
            "kind": str(kind),
            "reference": reference,
            "status": instance.status,
            "mall": instance.mall.code,
            "path": resource_path(kind, reference),
        },
    }
    event.save()
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(event=event, subscription=subscription, next_attempt_at=now) for subscription in subscriptions]
    )
    ids = [delivery.pk for delivery in deliveries]
    from .tasks import send_webhook

    transaction.on_commit(lambda: [enqueue(send_webhook, pk) for pk in ids])
    return event
