"""The integration API's own records: clients and their tokens, the change feed, referrals from
the 12315/12345 platforms, and webhook subscriptions, events and deliveries (the outbox)."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models.expressions import Func
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.models import Mall, MallScopedQuerySet
from servicedesk.tokens import token_digest


class Scope(models.TextChoices):
    SALES_WRITE = "sales:write", _("Push sales from the unified cashier")
    REFERRALS_WRITE = "referrals:write", _("Send 12315/12345 referrals and read their outcomes")
    CASES_READ = "cases:read", _("Read complaints, returns, compensations and merchants")
    PII_READ = "pii:read", _("See customers' full mobile numbers")
    WEBHOOKS = "webhooks", _("Manage webhook subscriptions")


TOKEN_PREFIX = "sdk_"  # noqa: S105 - a prefix, not a secret


hash_token = token_digest  # 256-bit random strings: only this digest is stored (servicedesk.tokens)


def new_token():
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiClientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiClient(models.Model):
    """One outside system (the unified cashier, a 12315/12345 connector, head office BI).

    The client acts through a user of its own (no password, never signs in to the desk) holding
    the "API client" role in each of its malls, so the services check it like any other actor
    and the audit history names it.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client", verbose_name=_("service user")
    )
    malls = models.ManyToManyField(Mall, related_name="api_clients", verbose_name=_("malls"))
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    token_hash = models.CharField(_("token digest"), max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("token begins"), max_length=12, editable=False)
    rate_per_minute = models.PositiveIntegerField(_("requests per minute"), default=600)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rotated_at = models.DateTimeField(_("token rotated at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def has_scope(self, scope):
        return scope in self.scopes

    def mall_ids(self):
        cached = getattr(self, "_mall_ids", None)
        if cached is None:
            cached = self._mall_ids = frozenset(self.malls.values_list("pk", flat=True))
        return cached


class CurrentTxid(Func):
    """The writing transaction's id on PostgreSQL (64-bit, never wraps); 0 elsewhere (SQLite
    has one writer at a time, so the row id alone orders the feed)."""

    output_field = models.BigIntegerField()
    template = "0"

    def as_postgresql(self, compiler, connection, **extra):
        return "pg_current_xact_id()::text::bigint", []


class ChangeKind(models.TextChoices):
    COMPLAINT = "complaint", _("complaint")
    RETURN = "return", _("return")
    COMPENSATION = "compensation", _("compensation")
    MERCHANT = "merchant", _("merchant")
    REFERRAL = "referral", _("referral")


class ChangeQuerySet(MallScopedQuerySet):
    pass


class Change(models.Model):
    """One row per save of a complaint, return, compensation or merchant, written in the saving
    transaction: the change feed (`?since=<cursor>`). Read in (txid, id) order and only below the
    oldest transaction still running, so a row committed late is never skipped (api.feed)."""

    txid = models.BigIntegerField(_("transaction"), default=0)  # written as CurrentTxid()
    kind = models.CharField(_("kind"), max_length=20, choices=ChangeKind.choices)
    object_id = models.BigIntegerField(_("record id"))
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    status = models.CharField(_("status"), max_length=20, blank=True)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [
            models.Index(fields=["kind", "txid", "id"], name="change_feed"),
            models.Index(fields=["kind", "object_id", "-id"], name="change_object_last"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} {self.status}"


class Platform(models.TextChoices):
    HOTLINE_12315 = "12315", "12315"
    HOTLINE_12345 = "12345", "12345"


class Referral(models.Model):
    """A complaint that came from the 12315/12345 platform through a connector: the platform's
    reference and deadline, and what goes back to it (acceptance, mediation result)."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="referral", verbose_name=_("complaint")
    )
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("client"))
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    platform = models.CharField(_("platform"), max_length=5, choices=Platform.choices)
    external_reference = models.CharField(_("platform reference"), max_length=64)
    platform_deadline = models.DateField(_("platform's deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MallScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(fields=["platform", "external_reference"], name="one_referral_per_reference"),
        ]

    def __str__(self):
        return f"{self.platform} {self.external_reference}"


class EventType(models.TextChoices):
    COMPLAINT_REGISTERED = "complaint.registered", _("Complaint registered")
    COMPLAINT_FORWARDED = "complaint.forwarded", _("Complaint forwarded to the merchant")
    COMPLAINT_RESOLVED = "complaint.resolved", _("Complaint resolved")
    COMPLAINT_CLOSED = "complaint.closed", _("Complaint closed")
    RETURN_REFUNDED = "return.refunded", _("Return refunded")
    COMPENSATION_PAID = "compensation.paid", _("Compensation paid")
    MERCHANT_EXIT_NOTICED = "merchant.exit_noticed", _("Merchant gave exit notice")
    MERCHANT_EXITED = "merchant.exited", _("Merchant exited")


class WebhookSubscription(models.Model):
    client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, related_name="subscriptions", verbose_name=_("client")
    )
    url = models.URLField(_("address"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    # Kept in clear: the desk must sign with it. Shown to the client once, when created.
    secret = models.CharField(_("signing secret"), max_length=80, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.client} → {self.url}"


class WebhookEvent(models.Model):
    """Something that happened, once: its id is what a receiver drops duplicates by."""

    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(_("event"), max_length=40, choices=EventType.choices)
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-pk"]

    def __str__(self):
        return f"{self.type} {self.event_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    DEAD = "dead", _("Given up")


class WebhookDeliveryQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now or timezone.now())


class WebhookDelivery(models.Model):
    """One event for one subscription: the outbox row, written in the event's transaction."""

    event = models.ForeignKey(WebhookEvent, on_delete=models.PROTECT, related_name="deliveries")
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.PROTECT, related_name="deliveries")
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_response = models.CharField(_("last answer"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription"], name="one_delivery_per_event_and_subscription")
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="webhook_delivery_due", condition=models.Q(status="pending")),
        ]

    def __str__(self):
        return f"{self.event} → {self.subscription.url}"
