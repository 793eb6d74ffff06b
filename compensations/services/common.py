"""What every compensation service shares: money and text checks, notices. (The lock and the
table check are servicedesk.workflow's, as for every state machine.)"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.amounts import amount_text
from servicedesk.notifications import notify, staff_of

from ..models import AMOUNT_MAX, TEXT_MAX

# Read with the row whenever a case is locked (the lock itself is on the case only).
LOCK_RELATED = ("mall", "merchant")


def money(value, field, *, allow_zero=False, ceiling=AMOUNT_MAX):
    """A Decimal with at most two places, > 0 (or >= 0) and at most 10,000,000 (DOMAIN.md §9)."""
    if value in (None, ""):
        if allow_zero:
            return Decimal("0.00")
        raise ValidationError({field: _("Enter an amount.")})
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: _("Enter an amount in yuan, e.g. 1280.50.")}) from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise ValidationError({field: _("Amounts have at most two decimal places.")})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: _("The amount must be greater than zero.")})
    if amount > ceiling:
        raise ValidationError({field: _("The amount cannot exceed %(max)s yuan.") % {"max": amount_text(ceiling)}})
    return amount.quantize(Decimal("0.01"))


def text(value, field, message, *, required=True):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message})
    if len(value) > TEXT_MAX:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": TEXT_MAX}})
    return value


def url_of(compensation):
    return reverse("compensations:detail", args=[compensation.pk])


def tell(compensation, recipients, *, event, title, body=""):
    """One notice per recipient and event (the key makes a repeat harmless)."""
    return notify(
        recipients,
        key=f"compensation:{compensation.pk}:{event}",
        title=title,
        body=body,
        url=url_of(compensation),
        mall=compensation.mall,
    )


def tell_roles(compensation, roles, *, event, title, body="", exclude=()):
    excluded = {user.pk for user in exclude if user is not None}
    recipients = [user for user in staff_of(compensation.mall, *roles) if user.pk not in excluded]
    return tell(compensation, recipients, event=event, title=title, body=body)


def now():
    return timezone.now()
