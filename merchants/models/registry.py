"""Merchants (商铺经营户), their booths and who held each booth when, documents, per-mall policy."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.limits import TEXT_MAX
from servicedesk.models import Mall, MallPolicy, MallScopedQuerySet
from servicedesk.phones import validate_business_phone, validate_mobile
from servicedesk.roles import Role
from servicedesk.uploads import validate_document
from servicedesk.workflow import Transitions

from ..credit_code import validate_credit_code


class MerchantCategory(models.TextChoices):
    FURNITURE = "furniture", _("Furniture")
    BUILDING_MATERIALS = "building_materials", _("Building materials")
    SOFT_FURNISHINGS = "soft_furnishings", _("Soft furnishings")
    LIGHTING = "lighting", _("Lighting")
    APPLIANCES = "appliances", _("Home appliances")
    CUSTOM = "custom", _("Custom-made furniture")
    OTHER = "other", _("Other")


class MerchantStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    VERIFIED = "verified", _("Verified")
    ACTIVE = "active", _("Trading")
    EXIT_NOTICED = "exit_noticed", _("Exit noticed")
    EXITED = "exited", _("Exited")
    DEPOSIT_RELEASED = "deposit_released", _("Deposit released")


# Exited or absconded: complaints against such a merchant go to advance compensation.
GONE_STATES = (MerchantStatus.EXITED, MerchantStatus.DEPOSIT_RELEASED)


class MerchantAction(models.TextChoices):
    VERIFY = "verify", _("Verify entry documents")
    ACTIVATE = "activate", _("Start trading")
    NOTICE_EXIT = "notice_exit", _("Record exit notice")
    CONFIRM_EXIT = "confirm_exit", _("Confirm exit")
    RELEASE_DEPOSIT = "release_deposit", _("Release deposit")


S = MerchantStatus
A = MerchantAction
# The merchant's life in the mall, as data: (state, action) -> (new state, who may).
MERCHANT_TRANSITIONS = Transitions(
    {
        (S.APPLIED, A.VERIFY): (S.VERIFIED, (Role.MANAGER,)),
        (S.VERIFIED, A.ACTIVATE): (S.ACTIVE, (Role.CLERK, Role.MANAGER)),
        (S.ACTIVE, A.NOTICE_EXIT): (S.EXIT_NOTICED, (Role.CLERK, Role.MANAGER)),
        (S.EXIT_NOTICED, A.CONFIRM_EXIT): (S.EXITED, (Role.MANAGER,)),
        (S.EXITED, A.RELEASE_DEPOSIT): (S.DEPOSIT_RELEASED, (Role.MANAGER,)),
    },
    states=S,
    actions=A,
)

# Roles that keep merchant files (DOMAIN.md §5; issue #3 permissions).
MERCHANT_EDITORS = (Role.CLERK, Role.MANAGER)


class MerchantPolicy(MallPolicy):
    """A mall's own numbers for merchants (DOMAIN.md §5 defaults); edited by admins."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="merchant_policies", verbose_name=_("mall"))
    deposit_hold_months = models.PositiveSmallIntegerField(
        _("deposit held after exit (months)"), default=6, validators=[MaxValueValidator(60)]
    )
    deposit_topup_days = models.PositiveSmallIntegerField(_("days to top up the deposit"), default=10)
    deposit_low_threshold = models.DecimalField(
        _("deposit balance counted as low (yuan)"), max_digits=12, decimal_places=2, default=Decimal("10000.00")
    )
    inspection_weekly_coverage = models.DecimalField(
        _("booths to inspect each week (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    price_tag_fix_hours = models.PositiveSmallIntegerField(
        _("hours to fix a price-tag failure"), default=24, validators=[MinValueValidator(1)]
    )
    flag_failures = models.PositiveSmallIntegerField(
        _("failures that flag a merchant"), default=2, validators=[MinValueValidator(1)]
    )
    flag_window_days = models.PositiveSmallIntegerField(
        _("... within days"), default=30, validators=[MinValueValidator(1)]
    )
    # The merchant portal (issue #19, DOMAIN.md §8a)
    invitation_valid_hours = models.PositiveSmallIntegerField(
        _("merchant user invitations valid for (hours)"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )
    merchant_reminder_hours = models.PositiveSmallIntegerField(
        _("remind merchants this many hours before their reply is due"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    merchants_contact_customers = models.BooleanField(
        _("merchants may contact customers directly"),
        default=False,
        help_text=_(
            "On: merchant users see the customer's full mobile and address. Off: the name and a masked mobile."
        ),
    )
    history = HistoricalRecords()

    class Meta(MallPolicy.Meta):
        verbose_name = _("merchant policy")
        verbose_name_plural = _("merchant policies")


class MerchantQuerySet(MallScopedQuerySet):
    def with_deposit_balance(self):
        from .ledger import DepositEntry

        return self.annotate(deposit_balance=DepositEntry.balance_subquery())


class Merchant(models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="merchants", verbose_name=_("mall"))
    company_name = models.CharField(_("company name"), max_length=100)
    brand = models.CharField(_("brand"), max_length=100)
    other_brands = models.CharField(
        _("other brands"), max_length=200, blank=True, help_text=_("Further brands sold at the booth, comma-separated.")
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True, validators=[validate_mobile])
    category = models.CharField(_("category"), max_length=20, choices=MerchantCategory.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=MerchantStatus.choices, default=MerchantStatus.APPLIED
    )
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    deposit_required = models.DecimalField(
        _("quality deposit required (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    # Exit (撤场)
    exit_notice_date = models.DateField(_("exit notice date"), null=True, blank=True)
    planned_exit_date = models.DateField(_("planned exit date"), null=True, blank=True)
    exited_on = models.DateField(_("exit date"), null=True, blank=True)
    deposit_hold_until = models.DateField(_("deposit held until"), null=True, blank=True)
    after_sales_agent = models.CharField(
        _("after-sales agent"), max_length=100, blank=True, help_text=_("Brand or factory that takes warranty work.")
    )
    after_sales_contact = models.CharField(_("after-sales contact person"), max_length=50, blank=True)
    after_sales_phone = models.CharField(
        _("after-sales phone"), max_length=20, blank=True, validators=[validate_business_phone]
    )
    # Price-tag flag: two failures in 30 days (DOMAIN.md §5)
    flagged = models.BooleanField(_("flagged"), default=False)
    flagged_reason = models.CharField(_("flag reason"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), max_length=TEXT_MAX, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = MerchantQuerySet.as_manager()

    class Meta:
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")
        ordering = ["brand"]
        indexes = [
            models.Index(fields=["mall", "status", "brand"], name="merchant_mall_status_brand"),
            models.Index(fields=["mall", "category"], name="merchant_mall_category"),
            models.Index(fields=["mall", "deposit_hold_until"], name="merchant_hold_until"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "credit_code"],
                condition=~Q(credit_code=""),
                name="one_merchant_per_credit_code_and_mall",
                violation_error_message=_("A merchant with this credit code is already registered in this mall."),
            ),
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True)
                | Q(contract_start__isnull=True)
                | Q(contract_start__lte=models.F("contract_end")),
                name="merchant_contract_dates_in_order",
                violation_error_message=_("The contract cannot end before it starts."),
            ),
            models.CheckConstraint(condition=Q(deposit_required__gte=0), name="merchant_deposit_required_not_negative"),
        ]

    def __str__(self):
        return self.brand

    def get_absolute_url(self):
        return reverse("merchants:detail", args=[self.pk])

    @property
    def is_gone(self):
        """Exited or absconded: complaints against it go to advance compensation."""
        return self.status in GONE_STATES

    def allowed_actions(self):
        return [action for (state, action) in MERCHANT_TRANSITIONS if state == self.status]


class BoothQuerySet(MallScopedQuerySet):
    pass


class Booth(models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="booths", verbose_name=_("mall"))
    merchant = models.ForeignKey(
        Merchant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="booths",
        verbose_name=_("current merchant"),
        help_text=_("Kept in step with the open tenancy by the booth services."),
    )
    floor = models.CharField(_("floor"), max_length=10)
    zone = models.CharField(_("zone"), max_length=10, blank=True)
    number = models.CharField(_("booth number"), max_length=20)
    area = models.DecimalField(_("area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = BoothQuerySet.as_manager()

    class Meta:
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        ordering = ["floor", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "number"],
                name="one_booth_number_per_mall",
                violation_error_message=_("This booth number already exists in this mall."),
            ),
        ]

    def __str__(self):
        return self.number

    def holder_on(self, day):
        """The merchant that held this booth on `day` (a complaint about last year's sale)."""
        tenancy = (
            self.tenancies.filter(start_date__lte=day)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
            .select_related("merchant")
            .first()
        )
        return tenancy.merchant if tenancy else None


class BoothTenancyQuerySet(MallScopedQuerySet):
    def on(self, day):
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


class BoothTenancy(models.Model):
    """Who held a booth from when to when. One open tenancy per booth; periods never overlap."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    booth = models.ForeignKey(Booth, on_delete=models.PROTECT, related_name="tenancies", verbose_name=_("booth"))
    merchant = models.ForeignKey(
        Merchant, on_delete=models.PROTECT, related_name="tenancies", verbose_name=_("merchant")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = BoothTenancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("booth tenancy")
        verbose_name_plural = _("booth tenancies")
        ordering = ["booth", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["booth"], condition=Q(end_date__isnull=True), name="one_open_tenancy_per_booth"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="tenancy_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["booth", "start_date"], name="tenancy_booth_start")]

    def __str__(self):
        return f"{self.booth} {self.merchant} {self.start_date}–{self.end_date or ''}"


class DocumentKind(models.TextChoices):
    LICENCE = "licence", _("Business licence")
    BRAND_AUTHORISATION = "brand_authorisation", _("Brand authorisation")
    INSPECTION_REPORT = "inspection_report", _("Product inspection report")
    PERMIT = "permit", _("Permit")
    OTHER = "other", _("Other document")


# What a merchant must have on file before it may trade (the entry checklist).
REQUIRED_DOCUMENTS = (DocumentKind.LICENCE, DocumentKind.BRAND_AUTHORISATION, DocumentKind.INSPECTION_REPORT)


def document_path(instance, filename):
    return f"merchants/{instance.mall_id}/{instance.merchant_id}/{filename}"


class MerchantDocumentQuerySet(MallScopedQuerySet):
    def current(self):
        return self.filter(is_current=True)


class MerchantDocument(models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    merchant = models.ForeignKey(
        Merchant, on_delete=models.PROTECT, related_name="documents", verbose_name=_("merchant")
    )
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, validators=[validate_document])
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_current = models.BooleanField(_("current"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = MerchantDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("merchant document")
        verbose_name_plural = _("merchant documents")
        ordering = ["kind", "-uploaded_at"]

    def __str__(self):
        return f"{self.merchant} {self.get_kind_display()}"

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1]


def hold_end(exited_on, months):
    """Exit date plus whole months (the same day of the month, or the month's last day)."""
    month_index = exited_on.month - 1 + months
    year, month = exited_on.year + month_index // 12, month_index % 12 + 1
    day = exited_on.day
    while True:
        try:
            return exited_on.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1
            if day < 28:
                return exited_on + timedelta(days=30 * months)
