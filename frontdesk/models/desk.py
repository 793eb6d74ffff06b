"""The desk's own log: shift handovers (交接班) and enquiries (咨询登记)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.limits import TEXT_MAX
from servicedesk.models import Customer, Mall, MallScopedQuerySet


class Shift(models.TextChoices):
    MORNING = "morning", _("Morning shift")
    EVENING = "evening", _("Evening shift")


class HandoverQuerySet(MallScopedQuerySet):
    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True)


class Handover(models.Model):
    """The outgoing shift's record of what it hands over; the incoming shift confirms it."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    shift = models.CharField(_("outgoing shift"), max_length=8, choices=Shift.choices)
    outgoing = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("handed over by")
    )
    handed_over_at = models.DateTimeField(_("handed over at"))
    open_matters = models.TextField(_("open matters"), max_length=TEXT_MAX, blank=True)
    keys_and_items = models.TextField(
        _("keys and items handed over"),
        max_length=TEXT_MAX,
        help_text=_("Keys, radios, petty cash, lost property, the broadcast microphone..."),
    )
    notes = models.TextField(_("notes"), max_length=TEXT_MAX, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    discrepancies = models.TextField(
        _("discrepancies found"),
        max_length=TEXT_MAX,
        blank=True,
        help_text=_("Anything missing or different from what was recorded."),
    )
    flagged_at = models.DateTimeField(_("flagged unconfirmed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift handover")
        verbose_name_plural = _("shift handovers")
        ordering = ["-handed_over_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=models.F("outgoing")),
                name="handover_confirmed_by_someone_else",
                violation_error_message=_("The incoming shift, not the outgoing one, confirms a handover."),
            ),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.handed_over_at):%Y-%m-%d %H:%M} {self.get_shift_display()}"


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")


class EnquiryTopic(models.TextChoices):
    DIRECTIONS = "directions", _("Finding a booth or facility")
    PRODUCT = "product", _("Goods and prices")
    PROMOTION = "promotion", _("Promotions and events")
    DELIVERY = "delivery", _("Delivery and installation")
    AFTER_SALES = "after_sales", _("After-sales and warranty")
    RETURN = "return", _("Returns")
    COMPLAINT = "complaint", _("Complaint")
    PARKING = "parking", _("Parking and transport")
    OTHER = "other", _("Other")


class ConversionKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    RETURN = "return", _("Return request")


class EnquiryQuerySet(MallScopedQuerySet):
    def on_day(self, day):
        return self.filter(received_on=day)


class Enquiry(models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.WALK_IN)
    received_at = models.DateTimeField(_("received at"))
    # The local date, kept so the daily counts are one indexed filter.
    received_on = models.DateField(_("date"), db_index=True)
    topic = models.CharField(_("topic"), max_length=12, choices=EnquiryTopic.choices)
    question = models.TextField(_("question"), max_length=TEXT_MAX)
    answer = models.TextField(_("answer"), max_length=TEXT_MAX, blank=True)
    minutes_taken = models.PositiveSmallIntegerField(
        _("minutes taken"), default=1, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enquiries",
        verbose_name=_("customer"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    converted_to = models.CharField(_("converted to"), max_length=10, choices=ConversionKind.choices, blank=True)
    converted_reference = models.CharField(_("case number"), max_length=40, blank=True)
    converted_at = models.DateTimeField(_("converted at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return f"{timezone.localtime(self.received_at):%Y-%m-%d %H:%M} {self.get_topic_display()}"
