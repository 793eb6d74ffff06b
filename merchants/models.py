"""Merchants (商铺经营户) and their booths. Entry, exit, deposit and inspections build on these."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.models import Mall, MallScopedQuerySet
from servicedesk.phones import validate_mobile

from .credit_code import validate_credit_code


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


class MerchantQuerySet(MallScopedQuerySet):
    pass


class Merchant(models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="merchants", verbose_name=_("mall"))
    company_name = models.CharField(_("company name"), max_length=100)
    brand = models.CharField(_("brand"), max_length=100)
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
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = MerchantQuerySet.as_manager()

    class Meta:
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")
        ordering = ["brand"]
        indexes = [models.Index(fields=["mall", "status", "brand"], name="merchant_mall_status_brand")]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "credit_code"],
                condition=~models.Q(credit_code=""),
                name="one_merchant_per_credit_code_and_mall",
            ),
        ]

    def __str__(self):
        return self.brand


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
            models.UniqueConstraint(fields=["mall", "number"], name="one_booth_number_per_mall"),
        ]

    def __str__(self):
        return self.number
