"""Sales from the mall's unified cashier (统一收银), imported from its exports."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from merchants.models import Booth, Merchant
from servicedesk.models import Customer, Mall, MallScopedQuerySet


class SaleQuerySet(MallScopedQuerySet):
    pass


class Sale(models.Model):
    """One order paid through the unified cashier.

    No HistoricalRecords here on purpose: a mall imports millions of rows, the cashier's file is
    the record, and each row names the import run that last wrote it (`imported_by_run`).
    """

    # No index of its own on mall or customer (issue 22, §18 of docs/benchmarks.md): the unique
    # (mall, order number) and the (mall, ...) indexes lead by mall, `sale_customer_paid` leads by
    # customer, and every index is upkeep for each of the millions of rows an import writes.
    # db_constraint=False on the five keys: on PostgreSQL they are checked set-based, once per
    # statement, by the triggers of migration 0011 (SALE_KEYS), not by a foreign key's query per
    # row (§22). The relations stay, and so does PROTECT in the ORM.
    mall = models.ForeignKey(
        Mall, on_delete=models.PROTECT, db_index=False, db_constraint=False, related_name="+", verbose_name=_("mall")
    )
    order_number = models.CharField(_("order number"), max_length=40)
    paid_at = models.DateTimeField(_("paid at"))
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        db_index=False,
        db_constraint=False,
        related_name="sales",
        verbose_name=_("customer"),
    )
    merchant = models.ForeignKey(
        Merchant,
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merchant"),
    )
    booth = models.ForeignKey(
        Booth,
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booth"),
    )
    goods = models.CharField(_("goods"), max_length=100)
    model = models.CharField(_("model"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    warranty_months = models.PositiveSmallIntegerField(_("warranty (months)"), validators=[MaxValueValidator(120)])
    # Stored (not computed in SQL) so the daily scheduling finds warranty-ending sales by index:
    # month arithmetic differs between databases, Python's is the one we test.
    warranty_ends_on = models.DateField(_("warranty ends on"), null=True, blank=True)
    imported_by_run = models.ForeignKey(
        "SalesImport",
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SaleQuerySet.as_manager()

    class Meta:
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        ordering = ["-paid_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "order_number"], name="one_sale_per_order_and_mall"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="sale_amount_positive"),
        ]
        indexes = [
            # The daily scheduling: after-sale calls by delivery date, warranty calls by end date.
            models.Index(fields=["mall", "delivery_date"], name="sale_mall_delivery"),
            models.Index(fields=["mall", "warranty_ends_on"], name="sale_mall_warranty_end"),
            models.Index(fields=["customer", "paid_at"], name="sale_customer_paid"),
        ]

    def __str__(self):
        return f"{self.order_number} {self.goods}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def import_path(instance, filename):
    return f"sales-imports/{instance.mall_id}/{filename}"


class SalesImport(models.Model):
    """One upload of a cashier export: the page polls this row for the progress bar."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    file = models.FileField(_("file"), upload_to=import_path, blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows in file"), default=0)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("sales added"), default=0)
    updated = models.PositiveIntegerField(_("sales corrected"), default=0)
    unchanged = models.PositiveIntegerField(_("sales unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    # [{"row": 12, "column": "手机", "message": "..."}]; capped, see MAX_PROBLEMS_KEPT.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written with every committed batch: a running run silent for SALES_IMPORT_STALE_SECONDS
    # lost its worker and is resumed by the sweep (rows_done is its checkpoint).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # A file imported from the server's disk (manage.py import_sales) instead of an upload.
    source_path = models.CharField(_("file on the server"), max_length=500, blank=True)

    objects = MallScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("sales import")
        verbose_name_plural = _("sales imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def percent(self):
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(self.rows_done * 100 / self.total_rows))

    @property
    def finished(self):
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED}
