"""The complaint (投诉) and the mall's complaint settings."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from merchants.models import Booth, Merchant, MerchantStatus
from servicedesk.choice_labels import QuickChoiceLabels
from servicedesk.limits import AMOUNT_MAX, TEXT_MAX
from servicedesk.models import Customer, Mall, MallPolicy, MallScopedQuerySet

from .choices import (
    FINAL_STATES,
    OPEN_STATES,
    Category,
    Channel,
    Demand,
    ExternalBody,
    MerchantRemedy,
    MerchantReply,
    NotAcceptedReason,
    Result,
    Status,
)


def amount_field(verbose_name, **kwargs):
    """Money in yuan, two places, more than 0 and at most 10,000,000 (DOMAIN.md §9)."""
    return models.DecimalField(
        verbose_name,
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(AMOUNT_MAX)],
        **kwargs,
    )


AT_LEAST_ONE = [MinValueValidator(1)]


class ComplaintPolicy(MallPolicy):
    """One mall's clocks. Created with the defaults of DOMAIN.md §2 the first time it is needed."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="complaint_policies", verbose_name=_("mall"))
    first_contact_hours = models.PositiveSmallIntegerField(
        _("first contact within (hours)"), default=24, validators=AT_LEAST_ONE
    )
    assignment_working_days = models.PositiveSmallIntegerField(
        _("assignment within (working days)"), default=1, validators=AT_LEAST_ONE
    )
    merchant_reply_days = models.PositiveSmallIntegerField(
        _("merchant reply within (days)"), default=5, validators=AT_LEAST_ONE
    )
    resolution_days = models.PositiveSmallIntegerField(
        _("resolution within (days)"), default=7, validators=AT_LEAST_ONE
    )
    deliberate_delay_days = models.PositiveSmallIntegerField(
        _("deliberate-delay line (days)"), default=15, validators=AT_LEAST_ONE
    )
    referral_working_days = models.PositiveSmallIntegerField(
        _("12315/12345 referral deadline (working days)"), default=7, validators=AT_LEAST_ONE
    )
    callback_days = models.PositiveSmallIntegerField(
        _("callback within (days) of resolution"), default=3, validators=AT_LEAST_ONE
    )
    warn_hours = models.PositiveSmallIntegerField(
        _("warn the assignee (hours before a deadline)"), default=4, validators=[MinValueValidator(1)]
    )
    reopen_days = models.PositiveSmallIntegerField(
        _("reopening window (days after resolution)"), default=30, validators=AT_LEAST_ONE
    )
    repeat_days = models.PositiveSmallIntegerField(
        _("repeat-complaint window (days)"), default=30, validators=AT_LEAST_ONE
    )
    history = HistoricalRecords()

    objects = MallScopedQuerySet.as_manager()

    class Meta(MallPolicy.Meta):
        verbose_name = _("complaint settings")
        verbose_name_plural = _("complaint settings")

    def clean(self):
        super().clean()
        if (
            self.resolution_days
            and self.deliberate_delay_days is not None
            and self.deliberate_delay_days <= self.resolution_days
        ):
            raise ValidationError(
                {"deliberate_delay_days": _("The deliberate-delay line must come after the resolution target.")}
            )


# What complaints/_rows.html reads (tests/complaints/test_register_columns.py renders every
# badge of it from these alone, without a query).
LIST_COLUMNS = (
    "mall_id",
    "number",
    "status",
    "channel",
    "received_at",
    "official_visit",
    "repeat_of_id",
    "needs_escalation",
    "category",
    "paused_since",
    "customer__name",
    "customer__mobile",
    "merchant__brand",
    "merchant__status",
    "booth__number",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)


def _running_deadlines():
    from .clocks import ComplaintDeadline

    return models.Prefetch(
        "deadlines",
        queryset=ComplaintDeadline.objects.filter(met_at__isnull=True).order_by("due_at"),
        to_attr="running_deadlines",
    )


class ComplaintQuerySet(MallScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATES)

    def for_register(self):
        """What the register and worklists show, in a fixed number of queries."""
        return self.select_related("mall", "customer", "merchant", "booth", "assignee").prefetch_related(
            _running_deadlines()
        )

    def for_list(self):
        """for_register() with only the columns a list page shows (complaints/_rows.html): the
        complaint's texts and the related rows' other columns stay in the database, which was
        most of the register's SQL time and of its rows' making (issue #22). The printed register
        and the export, which show more, use for_register()."""
        return (
            self.select_related("customer", "merchant", "booth", "assignee")
            .prefetch_related(_running_deadlines())
            .only(*LIST_COLUMNS)
        )

    def with_next_due(self):
        """The soonest running clock, as a subquery per row: computed only for the rows a page
        shows, where a MIN over a join would group every matching complaint before the LIMIT."""
        from .clocks import ComplaintDeadline

        running = ComplaintDeadline.objects.filter(complaint=models.OuterRef("pk"), met_at__isnull=True)
        return self.annotate(next_due=models.Subquery(running.order_by("due_at").values("due_at")[:1]))


class Complaint(QuickChoiceLabels, models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("mall"))
    number = models.CharField(_("complaint number"), max_length=32, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)

    # Intake
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    official_visit = models.BooleanField(
        _("government or media reception"),
        default=False,
        help_text=_("A visit or call from a government office or the media: the manager is told at once."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("customer")
    )

    # Purchase
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    voucher_number = models.CharField(
        _("unified cashier voucher number"),
        max_length=40,
        blank=True,
        help_text=_("The number on the stamped receipt or the mall's order/sales slip (定/销货单)."),
    )
    paid_via_unified_cashier = models.BooleanField(_("paid through the unified cashier"), default=True)
    booth = models.ForeignKey(
        Booth, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints", verbose_name=_("booth")
    )
    merchant = models.ForeignKey(
        Merchant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("merchant"),
        help_text=_("Empty when the customer does not know the merchant."),
    )
    goods = models.CharField(_("goods"), max_length=100, blank=True)
    goods_model = models.CharField(_("model"), max_length=100, blank=True)
    purchase_amount = amount_field(_("amount paid (yuan)"))
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)

    # What the customer says and wants
    category = models.CharField(pgettext_lazy("complaint", "category"), max_length=1, choices=Category.choices)
    category_other = models.CharField(_("other category"), max_length=100, blank=True)
    demand = models.CharField(_("demand"), max_length=20, choices=Demand.choices)
    demand_other = models.CharField(_("other demand"), max_length=100, blank=True)
    facts = models.TextField(_("facts"), max_length=TEXT_MAX)
    claimed_amount = amount_field(_("amount claimed (yuan)"))
    referral_working_days = models.PositiveSmallIntegerField(
        _("referral deadline (working days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("12315/12345 referrals only; empty means the mall's default."),
    )
    repeat_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name=_("repeat of"),
    )

    # Handling
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_complaints",
        verbose_name=_("assignee"),
    )
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded to merchant"), null=True, blank=True)
    merchant_replied_at = models.DateTimeField(_("merchant replied"), null=True, blank=True)
    merchant_reply = models.CharField(_("merchant's answer"), max_length=20, choices=MerchantReply.choices, blank=True)
    merchant_reply_text = models.TextField(_("merchant's reply"), max_length=TEXT_MAX, blank=True)
    merchant_remedy = models.CharField(
        _("merchant proposes"), max_length=20, choices=MerchantRemedy.choices, blank=True
    )
    merchant_amount = amount_field(_("amount the merchant offers (yuan)"))
    merchant_replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reply recorded by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    proposal = models.TextField(_("proposed resolution"), max_length=TEXT_MAX, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, blank=True)
    customer_agreement = models.TextField(_("customer's agreement"), max_length=TEXT_MAX, blank=True)
    settled_amount = models.DecimalField(
        _("settled amount (yuan)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(AMOUNT_MAX)],
    )
    not_accepted_reason = models.CharField(
        _("reason for not accepting"), max_length=20, choices=NotAcceptedReason.choices, blank=True
    )
    external_body = models.CharField(_("referred to"), max_length=20, choices=ExternalBody.choices, blank=True)
    referred_at = models.DateTimeField(
        _("referred at"),
        null=True,
        blank=True,
        help_text=_("When the complaint was referred outside; the weekly report counts it in that week."),
    )
    decision_note = models.TextField(
        _("reason / note"),
        max_length=TEXT_MAX,
        blank=True,
        help_text=_("Why it was not accepted, withdrawn, escalated or referred."),
    )
    paused_since = models.DateTimeField(_("clock paused since"), null=True, blank=True)
    # The complaint's callback is its service callback (followups.Callback, one per round),
    # read through complaints.callbacks: no copy here.
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    needs_escalation = models.BooleanField(
        _("marked for escalation"),
        default=False,
        help_text=_(
            "Open past the mall's deliberate-delay line, or the merchant refused: review for advance compensation."
        ),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["mall", "status", "received_at"], name="complaint_mall_status_received"),
            models.Index(fields=["mall", "received_at"], name="complaint_mall_received"),
            # The head-office register (every mall, newest first) reads its first page from here.
            models.Index(fields=["received_at", "id"], name="complaint_received"),
            # The weekly figures: complaints still open (NULL) or ended since the week began.
            models.Index(fields=["closed_at"], name="complaint_closed"),
            models.Index(fields=["assignee", "status"], name="complaint_assignee_status"),
            models.Index(fields=["merchant", "received_at"], name="complaint_merchant_received"),
            models.Index(fields=["customer", "voucher_number"], name="complaint_customer_voucher"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(category="O") | ~models.Q(category_other=""),
                name="complaint_other_category_named",
                violation_error_message=_("Describe the category when you choose Other."),
            ),
            models.CheckConstraint(
                condition=~models.Q(demand="other") | ~models.Q(demand_other=""),
                name="complaint_other_demand_named",
                violation_error_message=_("Describe the demand when you choose Other."),
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self):
        return self.status in OPEN_STATES

    @property
    def is_final(self):
        return self.status in FINAL_STATES

    @property
    def is_paused(self):
        return self.paused_since is not None

    @property
    def merchant_has_exited(self):
        """Gone from the mall (exited, deposit released): a ground for advance compensation."""
        return bool(self.merchant_id) and self.merchant.is_gone

    @property
    def merchant_exit_noticed(self):
        """The merchant gave notice but still trades: not yet a ground for advance compensation."""
        return bool(self.merchant_id) and self.merchant.status == MerchantStatus.EXIT_NOTICED

    @property
    def category_label(self):
        if self.category == Category.OTHER and self.category_other:
            return gettext("%(kind)s: %(detail)s") % {
                "kind": self.get_category_display(),
                "detail": self.category_other,
            }
        return self.get_category_display()

    @property
    def demand_label(self):
        if self.demand == Demand.OTHER and self.demand_other:
            return gettext("%(kind)s: %(detail)s") % {"kind": self.get_demand_display(), "detail": self.demand_other}
        return self.get_demand_display()

    @property
    def next_deadline(self):
        """The soonest running clock; needs `for_register()` (prefetched) or costs one query."""
        running = getattr(self, "running_deadlines", None)
        if running is None:
            running = list(self.deadlines.filter(met_at__isnull=True).order_by("due_at")[:1])
        return running[0] if running else None
