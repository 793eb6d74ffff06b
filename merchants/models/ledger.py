"""The quality-deposit ledger (质量保证金台账): the balance is the sum of the entries."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, DecimalField, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.limits import AMOUNT_MAX
from servicedesk.models import Mall, MallScopedQuerySet

from .registry import Merchant

MAX_AMOUNT = AMOUNT_MAX  # DOMAIN.md §9, servicedesk/limits.py
ZERO = Decimal("0.00")
amount_validators = [MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)]


class EntryKind(models.TextChoices):
    COLLECT = "collect", _("Collected")
    TOP_UP = "top_up", _("Topped up")
    DEDUCT = "deduct", _("Deducted")
    RELEASE = "release", _("Released")


# Money in raises the balance, money out lowers it; amounts are stored positive.
INFLOWS = (EntryKind.COLLECT, EntryKind.TOP_UP)


class DepositEntryQuerySet(MallScopedQuerySet):
    def balance(self):
        return self.aggregate(balance=Coalesce(Sum(DepositEntry.signed_amount()), Value(ZERO)))["balance"]


class DepositEntry(models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    merchant = models.ForeignKey(
        Merchant, on_delete=models.PROTECT, related_name="deposit_entries", verbose_name=_("merchant")
    )
    kind = models.CharField(_("entry"), max_length=10, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, validators=amount_validators)
    entry_date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200)
    # What the money moved for (a compensation, a release after exit ...), any model.
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = DepositEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("deposit ledger entry")
        verbose_name_plural = _("deposit ledger entries")
        ordering = ["entry_date", "pk"]
        indexes = [models.Index(fields=["merchant", "entry_date"], name="deposit_entry_merchant_date")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="deposit_entry_amount_positive")]

    def __str__(self):
        return f"{self.merchant} {self.get_kind_display()} {self.amount}"

    @property
    def signed(self):
        return self.amount if self.kind in INFLOWS else -self.amount

    @staticmethod
    def signed_amount():
        return Case(
            When(kind__in=list(INFLOWS), then=F("amount")),
            default=-F("amount"),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )

    @classmethod
    def balance_subquery(cls):
        """The balance per merchant as a subquery, so a list of merchants costs one query."""
        sums = (
            cls.objects.filter(merchant=OuterRef("pk"))
            .order_by()
            .values("merchant")
            .annotate(total=Sum(cls.signed_amount()))
            .values("total")
        )
        return Coalesce(Subquery(sums, output_field=DecimalField(max_digits=14, decimal_places=2)), Value(ZERO))


class ReceivableQuerySet(MallScopedQuerySet):
    def open(self):
        return self.filter(settled_on__isnull=True)


class Receivable(models.Model):
    """Money a merchant owes the mall beyond its deposit (a deduction the balance could not cover)."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    merchant = models.ForeignKey(
        Merchant, on_delete=models.PROTECT, related_name="receivables", verbose_name=_("merchant")
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, validators=amount_validators)
    reason = models.CharField(_("reason"), max_length=200)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    due_on = models.DateField(_("due on"))
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ReceivableQuerySet.as_manager()

    class Meta:
        verbose_name = _("receivable")
        verbose_name_plural = _("receivables")
        ordering = ["-recorded_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="receivable_amount_positive")]

    def __str__(self):
        return f"{self.merchant} {self.amount}"
