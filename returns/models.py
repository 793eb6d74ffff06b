"""Seven-day no-reason returns (七天无理由退货): the request, its eligibility, the flow to refund."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
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

money_validators = [MinValueValidator(Decimal("0.00")), MaxValueValidator(AMOUNT_MAX)]


class ReturnPolicy(MallPolicy):
    """A mall's promise and limits (DOMAIN.md §3 defaults); edited by admins."""

    class CountFrom(models.TextChoices):
        DELIVERY = "delivery", _("the day after delivery sign-off")
        PAYMENT = "payment", _("the day after payment")

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="return_policies", verbose_name=_("mall"))
    window_days = models.PositiveSmallIntegerField(
        _("return window (days)"), default=7, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    count_from = models.CharField(
        _("window counted from"), max_length=10, choices=CountFrom.choices, default="delivery"
    )
    manager_above = models.DecimalField(
        _("manager approves above (yuan)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("20000.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    refund_days = models.PositiveSmallIntegerField(
        _("refund within (days of receiving the goods)"), default=7, validators=[MinValueValidator(1)]
    )
    delay_days = models.PositiveSmallIntegerField(_("deliberate-delay line (days)"), default=15)
    max_repackaging_percent = models.DecimalField(
        _("repackaging fee at most (percent of price)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("3.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    history = HistoricalRecords()

    class Meta(MallPolicy.Meta):
        verbose_name = _("return policy")
        verbose_name_plural = _("return policies")

    @property
    def repackaging_percent_text(self):
        """3.00 -> "3", 10.00 -> "10", 2.50 -> "2.5" (as printed on the slip)."""
        return f"{self.max_repackaging_percent:f}".rstrip("0").rstrip(".")

    def clean(self):
        super().clean()
        if self.refund_days and self.delay_days is not None and self.delay_days <= self.refund_days:
            raise ValidationError({"delay_days": _("The deliberate-delay line must come after the refund deadline.")})


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CHECKED = "checked", _("Checked")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    GOODS_RECEIVED = "goods_received", _("Goods received")
    INTACT = "intact", _("Intact")
    NOT_INTACT = "not_intact", _("Not intact")
    REFUNDED = "refunded", _("Refunded")
    CLOSED = "closed", _("Closed")


class ReturnAction(models.TextChoices):
    CHECK = "check", _("Check eligibility")
    APPROVE = "approve", _("Approve the return")
    REFUSE = "refuse", _("Refuse the return")
    RECEIVE_GOODS = "receive_goods", _("Goods received")
    INSPECT_INTACT = "inspect_intact", _("Goods intact")
    INSPECT_NOT_INTACT = "inspect_not_intact", _("Goods not intact")
    REFUND = "refund", _("Record refund")
    CLOSE = "close", _("Close")


S = ReturnStatus
A = ReturnAction
DESK = (Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.MANAGER)
DECIDERS = (Role.SUPERVISOR, Role.MANAGER)
INSPECTORS = (Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.MANAGER)

# (state, action) -> (new state, who may). Approval amounts and "never the registrar" are
# further rules checked by the service.
RETURN_TRANSITIONS = Transitions(
    {
        (S.REQUESTED, A.CHECK): (S.CHECKED, DESK),
        (S.CHECKED, A.APPROVE): (S.APPROVED, DECIDERS),
        (S.CHECKED, A.REFUSE): (S.REFUSED, DECIDERS),
        # The goods usually go back to the merchant: its own user records them in the merchant
        # portal; or the mall's driver picks them up from the customer (drivers app).
        (S.APPROVED, A.RECEIVE_GOODS): (S.GOODS_RECEIVED, (*DESK, Role.DRIVER, MERCHANT_PARTY)),
        (S.GOODS_RECEIVED, A.INSPECT_INTACT): (S.INTACT, (*INSPECTORS, MERCHANT_PARTY)),
        (S.GOODS_RECEIVED, A.INSPECT_NOT_INTACT): (S.NOT_INTACT, (*INSPECTORS, MERCHANT_PARTY)),
        (S.INTACT, A.REFUND): (S.REFUNDED, DECIDERS),
        (S.NOT_INTACT, A.REFUND): (S.REFUNDED, DECIDERS),
        (S.NOT_INTACT, A.CLOSE): (S.CLOSED, DECIDERS),
        (S.REFUNDED, A.CLOSE): (S.CLOSED, (*DECIDERS, Role.FRONT_DESK, Role.COMPLAINT_OFFICER)),
        (S.REFUSED, A.CLOSE): (S.CLOSED, (*DECIDERS, Role.FRONT_DESK, Role.COMPLAINT_OFFICER)),
    },
    states=S,
    actions=A,
)

OPEN_STATES = [s for s in ReturnStatus if s not in (S.CLOSED,)]


class ReturnKind(models.TextChoices):
    NO_REASON = "no_reason", _("No-reason return")
    QUALITY = "quality", _("Quality return")


class NotIntactReason(models.TextChoices):
    LABELS_REMOVED = "labels_removed", _("Labels removed")
    STAINED = "stained", _("Stained")
    DAMAGED = "damaged", _("Damaged")
    SEAL_BROKEN = "seal_broken", _("Seal broken")
    PARTS_MISSING = "parts_missing", _("Accessories or parts missing")


class RefundMethod(models.TextChoices):
    ORIGINAL = "original", _("Back to the original payment")
    BANK = "bank", _("Bank transfer")
    CASH = "cash", _("Cash at the unified cashier")


class CostPayer(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    OPERATOR = "operator", _("Merchant / mall")


class ReturnQuerySet(MallScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATES)


class ReturnRequest(models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    number = models.CharField(_("number"), max_length=32, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=ReturnStatus.choices, default=S.REQUESTED)
    kind = models.CharField(_("return type"), max_length=12, choices=ReturnKind.choices, default=ReturnKind.NO_REASON)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="returns", verbose_name=_("customer"))
    requested_on = models.DateField(_("request date"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    # The sale
    voucher_number = models.CharField(
        _("unified-cashier voucher / order number"),
        max_length=40,
        blank=True,
        help_text=_("From the stamped receipt or the order/sales slip. Leave empty if the customer has none."),
    )
    via_unified_cashier = models.BooleanField(_("paid through the unified cashier"), default=True)
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="returns", verbose_name=_("merchant"))
    booth = models.ForeignKey(
        Booth, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("booth")
    )
    goods = models.CharField(_("goods"), max_length=100)
    model = models.CharField(_("model"), max_length=60, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    price_paid = models.DecimalField(
        _("price paid (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(AMOUNT_MAX)],
    )
    payment_date = models.DateField(_("payment date"))
    delivery_date = models.DateField(_("delivery sign-off date"), null=True, blank=True)

    # What excludes a no-reason return
    custom_made = models.BooleanField(_("custom-made"), default=False)
    sample = models.BooleanField(_("sample"), default=False)
    special_price = models.BooleanField(_("special price / clearance"), default=False)
    imported_special_order = models.BooleanField(_("imported special order"), default=False)
    installed = models.BooleanField(_("installed or built in"), default=False)
    gifts = models.CharField(_("gifts received"), max_length=200, blank=True)

    # Eligibility as assessed at check, and a manager's override
    eligible = models.BooleanField(_("eligible"), null=True, blank=True)
    ineligibility_reasons = models.JSONField(_("reasons not eligible"), default=list, blank=True)
    override_reason = models.TextField(_("override reason"), max_length=TEXT_MAX, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overridden by"),
    )

    # Merchant's confirmation
    merchant_agrees = models.BooleanField(_("merchant agrees"), null=True, blank=True)
    merchant_reply = models.CharField(_("merchant's reply"), max_length=500, blank=True)
    merchant_replied_at = models.DateTimeField(_("merchant replied at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("sent to advance compensation"), null=True, blank=True)

    # Decision
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.TextField(_("refusal reason"), max_length=TEXT_MAX, blank=True)

    # Pick-up
    pickup_date = models.DateField(_("pick-up date"), null=True, blank=True)
    pickup_address = models.CharField(_("pick-up address"), max_length=200, blank=True)
    driver = models.CharField(_("driver"), max_length=50, blank=True)

    # Goods back and inspection
    goods_received_on = models.DateField(_("goods received on"), null=True, blank=True)
    not_intact_reasons = models.JSONField(_("why not intact"), default=list, blank=True)
    inspection_note = models.CharField(_("inspection note"), max_length=500, blank=True)
    gifts_returned = models.BooleanField(_("gifts returned"), default=True)

    # Costs and refund
    freight_payer = models.CharField(_("freight paid by"), max_length=10, choices=CostPayer.choices, blank=True)
    freight_fee = models.DecimalField(
        _("freight charged to customer"), max_digits=10, decimal_places=2, default=0, validators=money_validators
    )
    installation_fee = models.DecimalField(
        _("installation charged to customer"), max_digits=10, decimal_places=2, default=0, validators=money_validators
    )
    repackaging_fee = models.DecimalField(
        _("repackaging fee"), max_digits=10, decimal_places=2, default=0, validators=money_validators
    )
    gift_deduction = models.DecimalField(
        _("deduction for gifts kept"), max_digits=10, decimal_places=2, default=0, validators=money_validators
    )
    refund_amount = models.DecimalField(
        _("refund amount"), max_digits=12, decimal_places=2, null=True, blank=True, validators=money_validators
    )
    refund_method = models.CharField(_("refund method"), max_length=10, choices=RefundMethod.choices, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    refund_reference = models.CharField(_("refund reference"), max_length=60, blank=True)
    delay_flagged = models.BooleanField(_("refund overdue past the delay line"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ReturnQuerySet.as_manager()

    class Meta:
        verbose_name = _("no-reason return")
        verbose_name_plural = _("no-reason returns")
        ordering = ["-requested_on", "-pk"]
        indexes = [
            models.Index(fields=["mall", "status", "requested_on"], name="return_mall_status_date"),
            models.Index(fields=["mall", "requested_on"], name="return_mall_date"),
            models.Index(fields=["merchant", "status"], name="return_merchant_status"),
            # The weekly figures of every mall count a week's requests, decisions and refunds in
            # one statement: an OR of these three ranges, read as a bitmap OR of their indexes.
            models.Index(fields=["requested_on"], name="return_requested_on"),
            models.Index(fields=["decided_at"], name="return_decided_at"),
            models.Index(fields=["refunded_at"], name="return_refunded_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(refund_amount__isnull=True) | Q(refund_amount__lte=models.F("price_paid")),
                name="refund_never_above_price_paid",
                violation_error_message=_("The refund cannot be more than what was paid."),
            ),
            models.CheckConstraint(
                condition=Q(delivery_date__isnull=True) | Q(delivery_date__gte=models.F("payment_date")),
                name="return_delivery_after_payment",
                violation_error_message=_("Delivery cannot be before payment."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.goods}"

    def get_absolute_url(self):
        return reverse("returns:detail", args=[self.pk])

    def policy(self):
        """The mall's return promise in force on the day the customer asked: the window, fees and
        refund deadline the case keeps, whatever the mall changes later."""
        return ReturnPolicy.for_mall(self.mall, on=self.requested_on)

    @property
    def exclusions(self):
        return [flag for flag in EXCLUSION_FLAGS if getattr(self, flag)]


# The condition flags that exclude a no-reason return, in the order the check lists them.
EXCLUSION_FLAGS = ("custom_made", "sample", "special_price", "imported_special_order", "installed")


def photo_path(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower()
    return f"returns/{instance.return_request.mall.code}/{instance.return_request.number}/{instance.token}.{suffix}"


class ReturnPhoto(models.Model):
    """A photo of the goods that came back (taken by the desk or the merchant's own user)."""

    return_request = models.ForeignKey(
        ReturnRequest, on_delete=models.PROTECT, related_name="photos", verbose_name=_("return")
    )
    token = models.CharField(max_length=32, editable=False)
    file = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("photo of returned goods")
        verbose_name_plural = _("photos of returned goods")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
