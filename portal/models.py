"""A customer's link to one case, and the messages and photos that go through it.

The link's token (128+ random bits) is given to the customer once (SMS, QR code on paper) and
stored only as its SHA-256: a copy of the database opens no case. A case may have several
links (each SMS and each printout carries a fresh one); all are valid until the case has been
over for `LinkPolicy.valid_days_after_end` days.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.limits import TEXT_MAX
from servicedesk.models import Mall, MallPolicy

MAX_PHOTOS_PER_CASE = 10


class CaseType(models.TextChoices):
    COMPLAINT = "complaint", _("complaint")
    RETURN = "return", _("return")
    COMPENSATION = "compensation", _("compensation")
    EXCHANGE = "exchange", _("exchange")


class LinkPolicy(MallPolicy):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="link_policies", verbose_name=_("mall"))
    valid_days_after_end = models.PositiveSmallIntegerField(
        _("customer links valid for (days after the case ends)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    history = HistoricalRecords()

    class Meta(MallPolicy.Meta):
        verbose_name = _("customer link settings")
        verbose_name_plural = _("customer link settings")


class CaseLink(models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    case_type = models.CharField(_("kind of case"), max_length=20, choices=CaseType.choices)
    case_id = models.BigIntegerField(_("case"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    purpose = models.CharField(_("given through"), max_length=40)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer link")
        verbose_name_plural = _("customer links")
        indexes = [models.Index(fields=["case_type", "case_id"], name="caselink_case")]

    def __str__(self):
        return f"{self.get_case_type_display()} {self.case_id}"


def photo_path(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower()
    return f"customer/{instance.mall.code}/{instance.case_type}-{instance.case_id}/{instance.token}.{suffix}"


class CaseMessage(models.Model):
    """A message between the desk and the customer on one case, shown on the customer's page.

    From the desk: written by an officer for the customer to read (only the first name shows).
    From the customer: text and/or one photo, sent through the link.
    """

    class Direction(models.TextChoices):
        TO_CUSTOMER = "to_customer", _("to the customer")
        FROM_CUSTOMER = "from_customer", _("from the customer")

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    case_type = models.CharField(_("kind of case"), max_length=20, choices=CaseType.choices)
    case_id = models.BigIntegerField(_("case"))
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    text = models.TextField(_("message"), max_length=TEXT_MAX, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    token = models.CharField(max_length=32, editable=False, blank=True)
    photo = models.FileField(_("photo"), upload_to=photo_path, max_length=200, blank=True)
    photo_type = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message with the customer")
        verbose_name_plural = _("messages with the customer")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case_type", "case_id", "created_at"], name="casemessage_case")]

    def __str__(self):
        return f"{self.get_direction_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def author_first_name(self):
        """Staff show by first name only, never the full name or the user name."""
        return (self.author.first_name or "").strip() if self.author else ""


class VerificationCode(models.Model):
    """A 6-digit code sent by SMS to confirm the mobile on a public form (DOMAIN.md §8a): valid 5
    minutes, 5 tries; the code is stored only as a salted HMAC, the client address only hashed."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    mobile = models.CharField(_("mobile"), max_length=11)
    code_hash = models.CharField(max_length=100, editable=False)
    address_hash = models.CharField(max_length=64, editable=False)
    purpose = models.CharField(_("for"), max_length=20)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("tries"), default=0)
    verified_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        indexes = [
            models.Index(fields=["mobile", "created_at"], name="verification_mobile_time"),
            models.Index(fields=["address_hash", "created_at"], name="verification_address_time"),
        ]

    def __str__(self):
        return f"{self.mall_id} {self.created_at:%Y-%m-%d %H:%M}"
