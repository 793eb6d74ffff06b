"""The words of DOMAIN.md §4: states, actions, tiers, reasons, payment methods."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("compensation status", "Awaiting approval")
    APPROVED = "approved", pgettext_lazy("compensation status", "Approved, to be paid")
    REJECTED = "rejected", pgettext_lazy("compensation status", "Rejected")
    PAID = "paid", pgettext_lazy("compensation status", "Paid")
    RECOVERING = "recovering", pgettext_lazy("compensation status", "Recovering from merchant")
    PARTLY_RECOVERED = "partly_recovered", pgettext_lazy("compensation status", "Partly recovered")
    RECOVERED = "recovered", pgettext_lazy("compensation status", "Recovered")
    WRITTEN_OFF = "written_off", pgettext_lazy("compensation status", "Written off")
    CLOSED = "closed", pgettext_lazy("compensation status", "Closed")


# Still pending with the merchant: to be decided, paid or recovered (its page and exit checklist).
OPEN_STATES = frozenset({Status.PROPOSED, Status.APPROVED, Status.PAID, Status.RECOVERING, Status.PARTLY_RECOVERED})
# Approved by the whole chain (whatever happened after).
APPROVED_STATES = frozenset(set(Status) - {Status.PROPOSED, Status.REJECTED})
PAID_STATES = frozenset(APPROVED_STATES - {Status.APPROVED})
# The merchant still owes the mall part of what was paid.
OWING_STATES = frozenset({Status.RECOVERING, Status.PARTLY_RECOVERED})


class Action(models.TextChoices):
    PROPOSE = "propose", _("Propose advance compensation")
    APPROVE = "approve", pgettext_lazy("compensation", "Approve")
    REJECT = "reject", _("Reject")
    PAY = "pay", _("Record payout")
    DEDUCT = "deduct", _("Deduct from the merchant's deposit")
    RECORD_RECOVERY = "record_recovery", _("Record payment from the merchant")
    WRITE_OFF = "write_off", _("Write off the rest")
    CLOSE = "close", _("Close")


class Tier(models.TextChoices):
    """Who signs the 审批表: the chain is these, in this order, as far as the amount needs."""

    MANAGER = "manager", _("Mall customer service manager")
    GENERAL_MANAGER = "general_manager", _("General manager (head office approver)")
    HEAD_OFFICE = "head_office", _("Head office")


class Reason(models.TextChoices):
    QUALITY = "quality", _("Product quality")
    DELIVERY_DELAY = "delivery_delay", _("Delivery delay")
    INSTALLATION = "installation", _("Installation")
    MERCHANT_GONE = "merchant_gone", _("Merchant gone")
    SERVICE = "service", _("Service")


class Decision(models.TextChoices):
    APPROVED = "approved", pgettext_lazy("decision", "Approved")
    REJECTED = "rejected", pgettext_lazy("decision", "Rejected")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    ORIGINAL_ROUTE = "original_route", _("Original payment route")


class RecoveryKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deducted from the deposit")
    PAYMENT = "payment", _("Paid by the merchant")
