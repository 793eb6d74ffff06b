"""Exchanges (换货): a case of its own beside the no-reason return (DOMAIN.md §8b).

The customer asks to swap goods bought in the mall; the merchant confirms; the replacement and
any price difference are settled through the unified cashier; the driver takes the old goods
back and brings the new; the desk closes the case. A no-reason exchange keeps the mall's return
window (DOMAIN.md §3); a quality exchange follows the furniture warranty (§1).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from merchants.models import Booth, Merchant
from servicedesk.limits import AMOUNT_MAX, TEXT_MAX
from servicedesk.models import Customer, Mall, MallPolicy, MallScopedQuerySet
from servicedesk.roles import MERCHANT_PARTY, Role
from servicedesk.workflow import Transitions

price_validators = [MinValueValidator(Decimal("0.01")), MaxValueValidator(AMOUNT_MAX)]


class ExchangeStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Merchant confirmed")
    MERCHANT_REFUSED = "merchant_refused", _("Merchant refused, for the mall to decide")
    REFUSED = "refused", _("Refused")
    REPLACEMENT_AGREED = "replacement_agreed", _("Replacement agreed")
    SETTLED = "settled", _("Price difference settled")
    PICKED_UP = "picked_up", _("Old goods picked up")
    DELIVERED = "delivered", _("New goods delivered")
    CLOSED = "closed", _("Closed")


class ExchangeAction(models.TextChoices):
    CONFIRM = "confirm", _("Merchant confirms")
    MERCHANT_REFUSE = "merchant_refuse", _("Merchant refuses")
    OVERRIDE = "override", _("Override the merchant's refusal")
    REFUSE = "refuse", _("Refuse the exchange")
    RECORD_FREIGHT = "record_freight", _("Record the freight")
    AGREE_REPLACEMENT = "agree_replacement", _("Record the replacement")
    SETTLE = "settle", _("Settle the price difference")
    PICK_UP = "pick_up", _("Old goods picked up")
    DELIVER = "deliver", _("New goods delivered")
    CLOSE = "close", _("Close")


S, A = ExchangeStatus, ExchangeAction
DESK = (Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.MANAGER)
DECIDERS = (Role.SUPERVISOR, Role.MANAGER)

# (state, action) -> (new state, who may). The desk records the merchant's confirmation, or the
# merchant's own user gives it in the merchant portal; a refusal and money through the cashier are
# the supervisor's or the manager's, as for returns. The merchant may also refuse in its portal:
# a merchant refusing a valid claim is what the mall's own promise (and advance compensation)
# exists for, so the refusal only stops the case until the supervisor or manager decides: uphold
# it (refused, with the reason the customer is told) or override it (the mall treats the exchange
# as agreed, with a written reason). Freight is recorded before the money is settled, so the
# cashier takes it with the difference; recording it does not move the case.
EXCHANGE_TRANSITIONS = Transitions(
    {
        (S.REQUESTED, A.CONFIRM): (S.CONFIRMED, (*DESK, MERCHANT_PARTY)),
        (S.REQUESTED, A.MERCHANT_REFUSE): (S.MERCHANT_REFUSED, (MERCHANT_PARTY,)),
        (S.REQUESTED, A.REFUSE): (S.REFUSED, DECIDERS),
        (S.MERCHANT_REFUSED, A.REFUSE): (S.REFUSED, DECIDERS),
        (S.MERCHANT_REFUSED, A.OVERRIDE): (S.CONFIRMED, DECIDERS),
        (S.CONFIRMED, A.REFUSE): (S.REFUSED, DECIDERS),
        (S.CONFIRMED, A.RECORD_FREIGHT): (S.CONFIRMED, DESK),
        (S.CONFIRMED, A.AGREE_REPLACEMENT): (S.REPLACEMENT_AGREED, DESK),
        (S.REPLACEMENT_AGREED, A.RECORD_FREIGHT): (S.REPLACEMENT_AGREED, DESK),
        (S.REPLACEMENT_AGREED, A.SETTLE): (S.SETTLED, DECIDERS),
        # The driver records these two by marking its run's stop (drivers.services.stop_mark); the
        # exchange pages stay the desk's (the returns section has no driver).
        (S.SETTLED, A.PICK_UP): (S.PICKED_UP, (*DESK, Role.DRIVER)),
        (S.PICKED_UP, A.DELIVER): (S.DELIVERED, (*DESK, Role.DRIVER)),
        (S.DELIVERED, A.CLOSE): (S.CLOSED, DESK),
        (S.REFUSED, A.CLOSE): (S.CLOSED, DESK),
    },
    states=ExchangeStatus,
    actions=ExchangeAction,
)

OPEN_STATES = [s for s in ExchangeStatus if s != S.CLOSED]
# The customer's demand is not yet met (DOMAIN.md §1: more than 15 days [the mall's setting] is
# deliberate delay): delivered, refused and closed exchanges are handled.
UNHANDLED_STATES = [s for s in OPEN_STATES if s not in (S.DELIVERED, S.REFUSED)]


class ExchangePolicy(MallPolicy):
    """A mall's exchange settings (DOMAIN.md §1 default); edited by admins."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="exchange_policies", verbose_name=_("mall"))
    delay_days = models.PositiveSmallIntegerField(
        _("deliberate-delay line (days from the request)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("An exchange not delivered or refused this many days after the request is flagged."),
    )
    history = HistoricalRecords()

    class Meta(MallPolicy.Meta):
        verbose_name = _("exchange settings")
        verbose_name_plural = _("exchange settings")


class FreightPayer(models.TextChoices):
    CUSTOMER = "customer", _("the customer (no-reason exchange, both ways)")
    MERCHANT = "merchant", _("the merchant (quality exchange)")


class ExchangeKind(models.TextChoices):
    NO_REASON = "no_reason", _("No-reason exchange")
    QUALITY = "quality", _("Quality exchange")


class Direction(models.TextChoices):
    NONE = "none", _("No difference")
    CUSTOMER_PAYS = "customer_pays", _("Customer pays the difference")
    REFUND = "refund", _("Difference refunded to the customer")


class ExchangeQuerySet(MallScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATES)


class Exchange(models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    number = models.CharField(_("number"), max_length=32, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=ExchangeStatus.choices, default=S.REQUESTED)
    kind = models.CharField(
        _("exchange type"), max_length=12, choices=ExchangeKind.choices, default=ExchangeKind.NO_REASON
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="exchanges", verbose_name=_("customer")
    )
    requested_on = models.DateField(_("request date"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    # The sale the exchange is asked against
    voucher_number = models.CharField(_("unified-cashier voucher / order number"), max_length=40, blank=True)
    via_unified_cashier = models.BooleanField(_("paid through the unified cashier"), default=True)
    merchant = models.ForeignKey(
        Merchant, on_delete=models.PROTECT, related_name="exchanges", verbose_name=_("merchant")
    )
    booth = models.ForeignKey(
        Booth, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("booth")
    )
    goods = models.CharField(_("goods"), max_length=100)
    model = models.CharField(_("model"), max_length=60, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    price_paid = models.DecimalField(
        _("price paid (yuan)"), max_digits=12, decimal_places=2, validators=price_validators
    )
    payment_date = models.DateField(_("payment date"))
    delivery_date = models.DateField(_("delivery sign-off date"), null=True, blank=True)
    custom_made = models.BooleanField(_("custom-made"), default=False)
    sample = models.BooleanField(_("sample"), default=False)
    special_price = models.BooleanField(_("special price / clearance"), default=False)
    imported_special_order = models.BooleanField(_("imported special order"), default=False)
    installed = models.BooleanField(_("installed or built in"), default=False)

    # Why (a quality exchange: the defect and its repair history, read against the warranty)
    reason = models.TextField(_("reason or defect"), max_length=TEXT_MAX)
    failed_repairs = models.PositiveSmallIntegerField(_("failed repairs of this defect"), default=0)
    days_in_repair = models.PositiveSmallIntegerField(_("days in repair so far"), default=0)
    eligible = models.BooleanField(_("eligible"), default=False)
    eligibility_reasons = models.JSONField(_("eligibility"), default=list, blank=True)

    # The merchant's confirmation, or the refusal
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmation recorded by"),
    )
    confirmed_at = models.DateTimeField(_("merchant confirmed at"), null=True, blank=True)
    merchant_contact = models.CharField(_("merchant's contact who confirmed"), max_length=50, blank=True)
    refusal_reason = models.TextField(_("refusal reason"), max_length=TEXT_MAX, blank=True)
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    # The merchant's own refusal in its portal (internal: the customer reads only the mall's
    # decision), and the supervisor's or manager's override of it
    merchant_refusal_reason = models.TextField(_("merchant's reason for refusing"), max_length=TEXT_MAX, blank=True)
    merchant_refused_at = models.DateTimeField(_("merchant refused at"), null=True, blank=True)
    override_reason = models.TextField(_("reason for overriding the merchant"), max_length=TEXT_MAX, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overridden by"),
    )
    overridden_at = models.DateTimeField(_("overridden at"), null=True, blank=True)

    # The replacement goods and the price difference through the unified cashier
    new_goods = models.CharField(_("replacement goods"), max_length=100, blank=True)
    new_model = models.CharField(_("replacement model"), max_length=60, blank=True)
    new_quantity = models.PositiveIntegerField(_("replacement quantity"), null=True, blank=True)
    new_price = models.DecimalField(
        _("replacement price (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=price_validators,
    )
    difference_direction = models.CharField(_("price difference"), max_length=15, choices=Direction.choices, blank=True)
    difference_amount = models.DecimalField(
        _("difference (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.00")), MaxValueValidator(AMOUNT_MAX)],
    )
    freight_amount = models.DecimalField(
        _("freight both ways (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=price_validators,
    )
    freight_payer = models.CharField(_("freight paid by"), max_length=10, choices=FreightPayer.choices, blank=True)
    cashier_reference = models.CharField(_("unified-cashier reference"), max_length=60, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    # Pick-up of the old goods, delivery of the new
    picked_up_on = models.DateField(_("old goods picked up on"), null=True, blank=True)
    delivered_on = models.DateField(_("new goods delivered on"), null=True, blank=True)
    driver = models.CharField(_("driver"), max_length=50, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    delay_flagged = models.BooleanField(_("past the deliberate-delay line"), default=False)
    history = HistoricalRecords()

    objects = ExchangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        ordering = ["-requested_on", "-pk"]
        indexes = [
            models.Index(fields=["mall", "status", "requested_on"], name="exchange_mall_status_date"),
            models.Index(fields=["merchant", "status"], name="exchange_merchant_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(delivery_date__isnull=True) | Q(delivery_date__gte=models.F("payment_date")),
                name="exchange_delivery_after_payment",
                violation_error_message=_("Delivery cannot be before payment."),
            ),
            models.CheckConstraint(
                condition=Q(difference_direction="refund", difference_amount__lt=models.F("price_paid"))
                | ~Q(difference_direction="refund"),
                name="exchange_refund_below_price_paid",
                violation_error_message=_("The refund cannot be more than what was paid."),
            ),
            models.CheckConstraint(
                condition=Q(freight_amount__isnull=True) | Q(freight_amount__gt=0),
                name="exchange_freight_positive",
                violation_error_message=_("The freight must be more than zero."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.goods}"

    def get_absolute_url(self):
        return reverse("exchanges:detail", args=[self.pk])

    def policy(self):
        """The mall's exchange settings in force on the request day."""
        return ExchangePolicy.for_mall(self.mall_id, on=self.requested_on)

    @property
    def customer_pays_freight(self):
        return bool(self.freight_amount) and self.freight_payer == FreightPayer.CUSTOMER

    @property
    def difference(self):
        """New price less the price paid: above zero the customer pays, below zero the mall refunds."""
        if self.new_price is None:
            return None
        return self.new_price - self.price_paid
