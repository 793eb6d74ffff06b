"""The SMS outbox: one row per message to a customer, written in the transaction of the event.

A row is the record that the message must go out; the Celery task only sends it sooner. Status:

    queued --claim--> sending --provider accepted--> sent
       ^                 |--provider refused-------> failed
       |                 |--transient error--------> queued again (not_before = now + backoff)
       |                 '--worker died mid-send---> unknown (the sweep never re-sends these:
       |                                             the provider may have delivered it)
    opted_out: the customer asked for no SMS (never sent)
"""

from datetime import time

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.models import Mall, MallPolicy
from servicedesk.phones import mask_phone, validate_mobile


class SmsPolicy(MallPolicy):
    """A mall's SMS settings (DOMAIN.md §8a defaults); edited by admins as dated versions."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="sms_policies", verbose_name=_("mall"))
    enabled = models.BooleanField(
        _("send SMS to customers"),
        default=True,
        help_text=_("Off: messages are still written to the outbox but marked as not sent."),
    )
    quiet_from = models.TimeField(_("no SMS from"), default=time(21, 0))
    quiet_until = models.TimeField(
        _("no SMS until"),
        default=time(8, 0),
        help_text=_("Messages that fall due in these hours wait until this time. Equal times: no quiet hours."),
    )
    sign_name = models.CharField(
        _("SMS signature"),
        max_length=20,
        blank=True,
        help_text=_("The approved signature (签名) shown as 【…】; empty: the one in SMS_URL."),
    )
    templates = models.JSONField(
        _("provider template ids"),
        default=dict,
        blank=True,
        help_text=_('Template id at the SMS provider for each event, e.g. {"case_registered": "1234567"}.'),
    )
    history = HistoricalRecords()

    class Meta(MallPolicy.Meta):
        verbose_name = _("SMS settings")
        verbose_name_plural = _("SMS settings")

    def clean(self):
        super().clean()
        from .events import EVENTS

        if not isinstance(self.templates, dict):
            raise ValidationError({"templates": _("Enter an object of event code to template id.")})
        unknown = sorted(set(self.templates) - set(EVENTS))
        if unknown:
            raise ValidationError({"templates": _("Unknown event codes: %(codes)s.") % {"codes": ", ".join(unknown)}})
        bad = sorted(code for code, value in self.templates.items() if not str(value).strip().isdigit())
        if bad:
            raise ValidationError({"templates": _("Template ids are digits: %(codes)s.") % {"codes": ", ".join(bad)}})


class SmsMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        UNKNOWN = "unknown", _("outcome unknown")
        OPTED_OUT = "opted_out", _("not sent: customer opted out")
        DISABLED = "disabled", _("not sent: SMS off for the mall")

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    mobile = models.CharField(_("mobile"), max_length=11, validators=[validate_mobile])
    event = models.CharField(_("event"), max_length=40)
    key = models.CharField(
        _("event key"),
        max_length=150,
        unique=True,
        help_text=_("One message per key: queuing the same event twice sends it once."),
    )
    params = models.JSONField(_("parameters"), default=dict)
    text = models.TextField(
        _("text (secrets masked)"), validators=[MaxLengthValidator(500)], help_text=_("Links and codes shown masked.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    not_before = models.DateTimeField(_("not before"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    provider_ref = models.CharField(_("provider reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS outbox")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["not_before"], name="sms_due", condition=Q(status="queued")),
            models.Index(fields=["claimed_at"], name="sms_sending", condition=Q(status="sending")),
            models.Index(fields=["mall", "mobile", "created_at"], name="sms_by_mobile"),
        ]

    def __str__(self):
        return f"{self.event} → {self.masked_mobile}"

    @property
    def masked_mobile(self):
        return mask_phone(self.mobile)


class SmsOptOut(models.Model):
    """A customer's mobile that gets no SMS from this mall (urgent codes they ask for excepted).

    Opting in again ends the row (`ended_at`); the history stays.
    """

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    mobile = models.CharField(_("mobile"), max_length=11, validators=[validate_mobile])
    source = models.CharField(_("asked through"), max_length=20)
    created_at = models.DateTimeField(_("opted out at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("opted in again at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS opt-out")
        verbose_name_plural = _("SMS opt-outs")
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "mobile"], condition=Q(ended_at__isnull=True), name="one_open_sms_opt_out"
            )
        ]

    def __str__(self):
        return mask_phone(self.mobile)
