"""The merchant's own users (商户账号) and the one-time invitations that create them.

A merchant user belongs to exactly one merchant and holds no staff role in any mall: it works
only in the merchant portal (`/merchant/`, the `merchantportal` app). The clerk invites the
merchant's contact by mobile; the invitation's token is given once (SMS or a printed QR code)
and stored only as its SHA-256; it expires and works once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.models import MallScopedQuerySet
from servicedesk.phones import validate_mobile


class MerchantUserKind(models.TextChoices):
    OWNER = "owner", _("Owner")
    GUIDE = "guide", _("Shop guide")


class MerchantScopedQuerySet(MallScopedQuerySet):
    mall_lookup = "merchant__mall"


class MerchantUser(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="merchant_account",
        verbose_name=_("user"),
    )
    merchant = models.ForeignKey(
        "merchants.Merchant", on_delete=models.PROTECT, related_name="users", verbose_name=_("merchant")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MerchantUserKind.choices, default=MerchantUserKind.OWNER)
    name = models.CharField(_("name"), max_length=50)
    mobile = models.CharField(_("mobile"), max_length=11, validators=[validate_mobile])
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MerchantScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("merchant user")
        verbose_name_plural = _("merchant users")
        ordering = ["merchant", "created_at"]

    def __str__(self):
        return f"{self.merchant} · {self.name}"


class MerchantInvitation(models.Model):
    merchant = models.ForeignKey(
        "merchants.Merchant", on_delete=models.PROTECT, related_name="invitations", verbose_name=_("merchant")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MerchantUserKind.choices, default=MerchantUserKind.OWNER)
    name = models.CharField(_("name"), max_length=50)
    mobile = models.CharField(_("mobile"), max_length=11, validators=[validate_mobile])
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_by = models.CharField(_("given through"), max_length=10)  # "sms" or "print"
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    account = models.OneToOneField(
        MerchantUser,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("account created"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = MerchantScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("merchant user invitation")
        verbose_name_plural = _("merchant user invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(account__isnull=False), name="used_invitation_has_account"
            )
        ]

    def __str__(self):
        return f"{self.merchant} · {self.name}"

    @property
    def is_open(self):
        return self.used_at is None and self.withdrawn_at is None and self.expires_at > timezone.now()
