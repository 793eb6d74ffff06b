"""Webhooks: a delivery row in the event's transaction, sent after commit, signed, retried with
backoff, dead after N tries, delivered once per event id, swept up after a lost message,
replayed by the administrator."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from api import webhooks
from api.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from complaints.models import Status
from tests.api.receiver import Receiver
from tests.complaints.factories import ComplaintFactory
from tests.factories import CustomerFactory
from tests.workers import real_worker

pytestmark = pytest.mark.django_db
EVENTS = ["complaint.registered", "complaint.resolved", "complaint.closed"]


@pytest.fixture
def receiver():
    with Receiver() as stand_in:
        yield stand_in


@pytest.fixture
def subscribed(make_client, receiver):
    """A client subscribed to complaint events at the receiver, which knows the secret."""
    _client, http = make_client(scopes=["webhooks", "cases:read"])
    answer = http.post("/api/v1/webhooks/", {"url": receiver.url, "events": EVENTS}, format="json")
    assert answer.status_code == 201, answer.json()
    receiver.secret = answer.json()["secret"]
    assert "secret" not in http.get(f"/api/v1/webhooks/{answer.json()['id']}/").json()
    return http


def register(mall, n=1):
    customer = CustomerFactory(mall=mall, mobile=f"1381234{n:04d}")
    return ComplaintFactory(mall=mall, customer=customer, number=f"TS-{mall.code}-20261126-{n:04d}")


def test_an_event_is_signed_and_delivered_after_commit(subscribed, receiver, mall, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        complaint = register(mall)
        assert WebhookDelivery.objects.count() == 1, "the delivery row is written with the event"
        assert receiver.received == [], "nothing is sent before the commit"
    assert callbacks
    event_id, event_type, payload, signature_ok = receiver.received[0]
    assert signature_ok and event_type == "complaint.registered"
    assert payload["id"] == event_id and payload["data"]["reference"] == complaint.number
    assert payload["data"]["path"] == f"/api/v1/complaints/{complaint.number}/"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1


def test_a_rolled_back_action_sends_nothing(subscribed, receiver, mall, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                register(mall)
                raise RuntimeError("the service failed")
        except RuntimeError:
            pass
    assert not WebhookEvent.objects.exists() and not WebhookDelivery.objects.exists()
    assert receiver.received == []


def test_a_tampered_secret_fails_the_receivers_check(subscribed, receiver, mall, django_capture_on_commit_callbacks):
    receiver.secret = "whsec_wrong"
    with django_capture_on_commit_callbacks(execute=True):
        register(mall)
    assert receiver.received[0][3] is False


def test_a_failed_delivery_is_retried_with_backoff_then_delivered(
    subscribed, receiver, mall, django_capture_on_commit_callbacks, settings, monkeypatch
):
    queued = []
    monkeypatch.setattr(webhooks, "_retry_later", lambda pk, seconds: queued.append(seconds))
    receiver.answers = [500, 503]
    with django_capture_on_commit_callbacks(execute=True):
        register(mall)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response) == (DeliveryStatus.PENDING, 1, "HTTP 500")
    assert queued == [settings.WEBHOOK_BACKOFF_SECONDS]
    assert webhooks.webhooks_sweep() == 0, "not due yet"
    later = delivery.next_attempt_at
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.webhooks_sweep(now=later) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at == later + timedelta(
        seconds=2 * settings.WEBHOOK_BACKOFF_SECONDS
    )
    webhooks.webhooks_sweep(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 3
    assert len(set(receiver.event_ids())) == 1 and len(receiver.received) == 3, "one event id, three tries"


def test_a_delivery_is_dead_after_the_last_try_and_replayed_by_the_administrator(
    subscribed, receiver, mall, settings, monkeypatch, admin_user, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    monkeypatch.setattr(webhooks, "_retry_later", lambda pk, seconds: None)
    receiver.answers = [500] * 3
    with django_capture_on_commit_callbacks(execute=True):
        register(mall)
    for day in (1, 2, 3):  # each try a day after the last: past any backoff
        webhooks.webhooks_sweep(now=timezone.now() + timedelta(days=day))
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DEAD, 3)
    assert webhooks.webhooks_sweep(now=timezone.now() + timedelta(days=9)) == 0, "a dead delivery stays dead"
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.webhook_replay(delivery=delivery, actor=admin_user)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert len(set(receiver.event_ids())) == 1, "the replay carries the same event id"


def test_each_event_is_delivered_once_however_often_it_is_sent(
    subscribed, receiver, mall, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("api.changes.enqueue", lambda task, *args: False)  # the broker lost it
    register(mall, 1)
    register(mall, 2)
    ids = list(WebhookDelivery.objects.values_list("pk", flat=True))
    for pk in ids * 2:
        webhooks.webhook_deliver(pk)
    webhooks.webhooks_sweep()
    assert sorted(receiver.event_ids()) == sorted(
        str(e) for e in WebhookEvent.objects.values_list("event_id", flat=True)
    )


def test_a_lost_broker_message_is_swept_up(subscribed, receiver, mall, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("api.changes.enqueue", lambda task, *args: False)
    with django_capture_on_commit_callbacks(execute=True):
        register(mall)
    assert receiver.received == []
    assert webhooks.webhooks_sweep() == 1
    assert len(receiver.received) == 1


def test_only_subscribed_events_of_the_clients_malls_are_sent(
    subscribed, receiver, mall, other_mall, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(other_mall, 5)  # another mall
        complaint = register(mall, 6)
        complaint.status = Status.ASSIGNED  # not subscribed
        complaint.save(update_fields=["status"])
        complaint.status = Status.RESOLVED
        complaint.save(update_fields=["status"])
        complaint.save(update_fields=["facts"])  # no status change: no event
    assert [item[1] for item in receiver.received] == ["complaint.registered", "complaint.resolved"]


def test_an_unsubscribed_or_revoked_client_gets_nothing(
    subscribed, receiver, mall, admin_user, django_capture_on_commit_callbacks
):
    from api.clients import api_client_revoke
    from api.models import ApiClient

    api_client_revoke(client=ApiClient.objects.get(), actor=admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        register(mall)
    assert receiver.received == [] and not WebhookDelivery.objects.exists()


def test_a_receiver_that_does_not_answer_is_a_failed_try(subscribed, mall, monkeypatch, settings):
    from api.models import WebhookSubscription

    monkeypatch.setattr(webhooks, "_retry_later", lambda pk, seconds: None)
    WebhookSubscription.objects.update(url="http://127.0.0.1:9/closed")
    register(mall)
    webhooks.webhooks_sweep()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.last_response


def test_subscriptions_are_the_clients_own(make_client, receiver):
    _a, first = make_client(scopes=["webhooks"])
    _b, second = make_client(scopes=["webhooks"])
    made = first.post("/api/v1/webhooks/", {"url": receiver.url, "events": EVENTS[:1]}, format="json").json()
    assert second.get(f"/api/v1/webhooks/{made['id']}/").status_code == 404
    assert second.delete(f"/api/v1/webhooks/{made['id']}/").status_code == 404
    assert first.delete(f"/api/v1/webhooks/{made['id']}/").json()["is_active"] is False
    bad = first.post("/api/v1/webhooks/", {"url": "ftp://x", "events": ["nope"]}, format="json")
    assert bad.status_code == 400 and {"url", "events.0"} <= set(bad.json()["fields"])


def test_the_signature_helper_matches_the_receivers_rule():
    header = webhooks.sign("s3cret", 1_700_000_000, b'{"a":1}')
    assert webhooks.verify("s3cret", header, b'{"a":1}', now=1_700_000_100)
    assert not webhooks.verify("s3cret", header, b'{"a":2}', now=1_700_000_100)
    assert not webhooks.verify("s3cret", header, b'{"a":1}', now=1_700_010_000), "too old: a replay"


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_delivery_through_redis(postgres, redis_url, subscribed, receiver, mall, monkeypatch):
    """The task runs in a Celery worker process of its own (not eagerly in the test): it claims the
    row in PostgreSQL, signs and posts to the receiver, and marks the row delivered."""
    monkeypatch.setattr("api.changes.enqueue", lambda task, *args: False)
    register(mall)
    delivery = WebhookDelivery.objects.get()
    with real_worker(redis_url) as worker:
        worker.send("api.send_webhook", delivery_id=delivery.pk)
        assert worker.wait_for(
            lambda: WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.DELIVERED).exists()
        ), "not delivered within 60 s"
    assert len(receiver.received) == 1 and receiver.received[0][3], "signed, and checked by the receiver"


def test_the_administrator_sees_the_delivery_log_and_sends_again(
    client, subscribed, receiver, mall, admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    monkeypatch.setattr("api.changes.enqueue", lambda task, *args: False)
    register(mall)
    delivery = WebhookDelivery.objects.get()
    get_user_model().objects.filter(pk=admin_user.pk).update(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    page = client.get(reverse("admin:api_webhookdelivery_changelist"))
    assert page.status_code == 200 and str(delivery.event.event_id).encode() in page.content
    assert client.get(reverse("admin:api_webhookdelivery_change", args=[delivery.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:api_webhookdelivery_changelist"), {"action": "replay", "_selected_action": [delivery.pk]}
        )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and len(receiver.received) == 1
