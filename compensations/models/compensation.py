"""The advance compensation (先行赔偿) and the rows that hang off it: approvals, evidence, recoveries."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.choice_labels import QuickChoiceLabels
from servicedesk.limits import AMOUNT_MAX, TEXT_MAX
from servicedesk.models import Mall, MallScopedQuerySet
from servicedesk.uploads import validate_document

from .choices import (
    APPROVED_STATES,
    OPEN_STATES,
    OWING_STATES,
    Decision,
    PaymentMethod,
    Reason,
    RecoveryKind,
    Status,
    Tier,
)

ZERO = Decimal("0.00")


def money_field(verbose_name, *, positive=False, **kwargs):
    """Yuan with two places; at most 10,000,000 (DOMAIN.md §9)."""
    low = Decimal("0.01") if positive else ZERO
    kwargs.setdefault("default", None if positive else ZERO)
    return models.DecimalField(
        verbose_name,
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(low), MaxValueValidator(AMOUNT_MAX)],
        **kwargs,
    )


def _stored_name(compensation, folder, token, filename):
    # Grouped by mall and case; the stored name never comes from the user's file name.
    suffix = filename.rsplit(".", 1)[-1].lower()
    return f"compensations/{compensation.mall.code}/{compensation.number}/{folder}-{token}.{suffix}"


def evidence_path(instance, filename):
    return _stored_name(instance.compensation, "evidence", instance.token, filename)


def receipt_path(instance, filename):
    return _stored_name(instance, "receipt", instance.upload_token, filename)


def form_pdf_path(instance, filename):
    return _stored_name(instance, "form", instance.upload_token, filename)


class CompensationQuerySet(MallScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATES)

    def owing(self):
        return self.filter(status__in=OWING_STATES)

    def for_list(self):
        """What the register and the inbox show, in a fixed number of queries."""
        return self.select_related(
            "mall", "merchant", "complaint", "complaint__customer", "proposed_by"
        ).prefetch_related(
            models.Prefetch("evidence", queryset=CompensationEvidence.objects.order_by("pk")),
            models.Prefetch(
                "approvals", queryset=CompensationApproval.objects.select_related("approver").order_by("step")
            ),
        )


class Compensation(QuickChoiceLabels, models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="compensations", verbose_name=_("mall"))
    number = models.CharField(_("compensation number"), max_length=32, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="compensations", verbose_name=_("complaint")
    )
    merchant = models.ForeignKey(
        "merchants.Merchant", on_delete=models.PROTECT, related_name="compensations", verbose_name=_("merchant")
    )

    # Proposal
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    loss_price = money_field(_("price paid (yuan)"))
    loss_costs = money_field(_("necessary costs (yuan)"), help_text=_("Transport, installation, inspection."))
    loss_penalties = money_field(
        _("agreed penalties (yuan)"), help_text=_("E.g. 7 per mille of the deposit per day of late delivery.")
    )
    amount = money_field(_("compensation amount (yuan)"), positive=True)
    merchant_position = models.TextField(_("merchant's position"), max_length=TEXT_MAX)
    paid_via_unified_cashier = models.BooleanField(_("unified cashier payment checked"), default=False)
    deposit_balance_at_proposal = models.DecimalField(
        _("merchant's deposit balance at proposal (yuan)"), max_digits=12, decimal_places=2, default=ZERO
    )
    proposal_note = models.TextField(_("grounds for advance compensation"), max_length=TEXT_MAX, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed at"))

    # Approval: the chain is fixed at proposal, so a later change of the settings never reroutes
    # a case that is already waiting.
    tier = models.CharField(_("approval tier"), max_length=20, choices=Tier.choices)
    chain = models.JSONField(_("approval chain"), default=list)
    next_tier = models.CharField(_("waiting for"), max_length=20, choices=Tier.choices, blank=True)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    approved_at = models.DateTimeField(_("finally approved at"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)

    # Payout
    payment_due_on = models.DateField(_("payment due on"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paid by"),
    )
    payment_method = models.CharField(_("payment method"), max_length=20, choices=PaymentMethod.choices, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    upload_token = models.CharField(max_length=32, blank=True, editable=False)
    receipt = models.FileField(
        _("customer's signed receipt"),
        upload_to=receipt_path,
        max_length=200,
        blank=True,
        validators=[validate_document],
    )
    claim_assigned = models.BooleanField(
        _("claim assigned to the mall"),
        default=False,
        help_text=_("The customer's signed receipt assigns the claim against the merchant to the mall."),
    )

    # Recovery
    receivable = models.ForeignKey(
        "merchants.Receivable",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receivable"),
    )
    recovered_amount = money_field(_("recovered (yuan)"))
    written_off_amount = money_field(_("written off (yuan)"))
    write_off_reason = models.TextField(_("reason for the write-off"), max_length=TEXT_MAX, blank=True)
    written_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written off by"),
    )
    written_off_at = models.DateTimeField(_("written off at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    # The 审批表 as a PDF, archived with the record each time it is printed.
    form_pdf = models.FileField(_("approval form (PDF)"), upload_to=form_pdf_path, max_length=200, blank=True)
    form_pdf_at = models.DateTimeField(_("approval form archived at"), null=True, blank=True)
    # sha256 of what the archived form shows (print date aside): a new PDF only when it changes.
    form_pdf_version = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = CompensationQuerySet.as_manager()

    class Meta:
        verbose_name = _("advance compensation")
        verbose_name_plural = _("advance compensations")
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["mall", "status", "proposed_at"], name="comp_mall_status_proposed"),
            models.Index(fields=["next_tier", "waiting_since"], name="comp_next_tier_waiting"),
            models.Index(fields=["merchant", "status"], name="comp_merchant_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="compensation_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount__lte=models.F("loss_price") + models.F("loss_costs") + models.F("loss_penalties")),
                name="compensation_within_loss",
                violation_error_message=_("The compensation cannot exceed the documented loss."),
            ),
            models.CheckConstraint(
                condition=Q(recovered_amount__gte=0)
                & Q(written_off_amount__gte=0)
                & Q(amount__gte=models.F("recovered_amount") + models.F("written_off_amount")),
                name="compensation_recovery_within_amount",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.amount}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("compensations:detail", args=[self.pk])

    @property
    def customer(self):
        """The complaint's customer: the one the mall pays and texts."""
        return self.complaint.customer

    @property
    def documented_loss(self):
        return (self.loss_price or ZERO) + (self.loss_costs or ZERO) + (self.loss_penalties or ZERO)

    @property
    def is_approved(self):
        return self.status in APPROVED_STATES

    @property
    def is_paid(self):
        return self.paid_at is not None

    @property
    def outstanding(self):
        """What the merchant still owes the mall for this case (0 until paid)."""
        if not self.is_paid:
            return ZERO
        return self.amount - self.recovered_amount - self.written_off_amount

    @property
    def next_step(self):
        """1-based step of the chain waiting for a signature (None when nothing waits)."""
        if self.status != Status.PROPOSED:
            return None
        decided = getattr(self, "_decided_steps", None)
        if decided is None:
            decided = len(self.approvals.all())
        return decided + 1


class ApprovalScopedQuerySet(MallScopedQuerySet):
    mall_lookup = "compensation__mall"


class CompensationApproval(models.Model):
    """One signature on the 审批表: the step of the chain, who, what, when.

    The unique step is the database's backstop behind the row lock: a second decision on the
    same step cannot be stored, whatever happens above it.
    """

    compensation = models.ForeignKey(
        Compensation, on_delete=models.PROTECT, related_name="approvals", verbose_name=_("advance compensation")
    )
    step = models.PositiveSmallIntegerField(_("step"))
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("approver")
    )
    decided_at = models.DateTimeField(_("decided at"))
    comment = models.TextField(_("comment"), max_length=TEXT_MAX, blank=True)
    history = HistoricalRecords()

    objects = ApprovalScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["compensation", "step"]
        constraints = [
            models.UniqueConstraint(fields=["compensation", "step"], name="compensation_one_decision_per_step")
        ]

    def __str__(self):
        return f"{self.compensation.number} #{self.step} {self.get_decision_display()}"


class CompensationEvidence(models.Model):
    compensation = models.ForeignKey(
        Compensation, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("advance compensation")
    )
    token = models.CharField(max_length=32, editable=False)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200, validators=[validate_document])
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ApprovalScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class CompensationRecovery(models.Model):
    """Money back from the merchant: the deduction from its deposit, then its own payments."""

    compensation = models.ForeignKey(
        Compensation, on_delete=models.PROTECT, related_name="recoveries", verbose_name=_("advance compensation")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RecoveryKind.choices)
    amount = money_field(_("amount (yuan)"), positive=True)
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ApprovalScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        ordering = ["received_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="compensation_recovery_positive")]

    def __str__(self):
        return f"{self.compensation.number} {self.get_kind_display()} {self.amount}"
