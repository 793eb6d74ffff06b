"""Price-tag inspections (标价签检查) of booths, with failures by code and photos."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.limits import TEXT_MAX
from servicedesk.models import Mall, MallScopedQuerySet
from servicedesk.uploads import validate_photo

from .registry import Booth, Merchant


class FailureCode(models.TextChoices):
    TAG_MISSING = "tag_missing", _("Tag missing")
    TAG_MISMATCH = "tag_mismatch", _("Tag does not match the goods")
    FALSE_ORIGINAL_PRICE = "false_original_price", _("False original price")
    SERVICE_NOT_PRICED = "service_not_priced", _("Delivery or installation not priced")
    CHARGE_BEYOND_TAG = "charge_beyond_tag", _("Charge beyond the tag")


# What a price tag must do (明码标价和禁止价格欺诈规定, DOMAIN.md §1), printed on the notice.
PRICE_TAG_RULES = (
    _("Every item carries its own tag next to it: name, price in yuan, unit."),
    _("Nothing is charged beyond the price on the tag."),
    _("Delivery and installation are priced separately and shown."),
    _("An “original price” is no higher than the lowest deal price of the previous 7 days."),
    _("The tag matches the goods it stands next to."),
)


class InspectionQuerySet(MallScopedQuerySet):
    def failed(self):
        return self.filter(passed=False)

    def awaiting_fix(self):
        return self.filter(passed=False, fixed_at__isnull=True)


class PriceTagInspection(models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    booth = models.ForeignKey(Booth, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("booth"))
    merchant = models.ForeignKey(
        Merchant, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("merchant")
    )
    inspected_at = models.DateTimeField(_("inspected at"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    items_checked = models.PositiveIntegerField(_("items checked"))
    passed = models.BooleanField(_("passed"))
    fix_deadline = models.DateTimeField(_("fix by"), null=True, blank=True)
    fixed_at = models.DateTimeField(_("fixed at"), null=True, blank=True)
    reinspection_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reinspections",
        verbose_name=_("re-inspection of"),
    )
    notes = models.TextField(_("notes"), max_length=TEXT_MAX, blank=True)
    # The merchant's own user says it is fixed (merchant portal); the inspector then re-checks.
    merchant_reported_fixed_at = models.DateTimeField(_("merchant reported fixed at"), null=True, blank=True)
    merchant_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported fixed by"),
    )
    merchant_fix_note = models.CharField(_("merchant's note on the fix"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("price-tag inspection")
        verbose_name_plural = _("price-tag inspections")
        ordering = ["-inspected_at", "-pk"]
        indexes = [
            models.Index(fields=["mall", "inspected_at"], name="inspection_mall_time"),
            models.Index(fields=["merchant", "inspected_at"], name="inspection_merchant_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(passed=True, fix_deadline__isnull=True) | Q(passed=False, fix_deadline__isnull=False),
                name="failed_inspection_has_fix_deadline",
            ),
        ]

    def __str__(self):
        return f"{self.booth} {timezone.localtime(self.inspected_at):%Y-%m-%d}"


class PriceTagFailure(models.Model):
    inspection = models.ForeignKey(
        PriceTagInspection, on_delete=models.PROTECT, related_name="failures", verbose_name=_("inspection")
    )
    code = models.CharField(_("failure"), max_length=30, choices=FailureCode.choices)
    goods = models.CharField(_("goods"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("price-tag failure")
        verbose_name_plural = _("price-tag failures")
        constraints = [models.UniqueConstraint(fields=["inspection", "code"], name="one_failure_code_per_inspection")]

    def __str__(self):
        return self.get_code_display()


def photo_path(instance, filename):
    return f"inspections/{instance.inspection.mall_id}/{instance.inspection_id}/{filename}"


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(
        PriceTagInspection, on_delete=models.PROTECT, related_name="photos", verbose_name=_("inspection")
    )
    image = models.FileField(_("photo"), upload_to=photo_path, validators=[validate_photo])
    uploaded_at = models.DateTimeField(auto_now_add=True)
    by_merchant = models.BooleanField(_("taken by the merchant (the fix)"), default=False)

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")

    def __str__(self):
        return self.image.name
