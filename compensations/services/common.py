"""What every compensation service shares: the lock, the table check, money checks, notices."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.notifications import notify, staff_of
from servicedesk.workflow import transition_for

from ..models import AMOUNT_MAX, TEXT_MAX, TRANSITIONS, Action, Compensation, Status


def check(compensation, action, actor):
    """The outcomes the table allows for `action` now, after checking the actor's role."""
    status = compensation.status if compensation is not None and compensation.pk else None
    mall = compensation.mall
    return transition_for(
        TRANSITIONS,
        state=status,
        action=action,
        actor=actor,
        mall=mall,
        labels={a.value: a.label for a in Action},
        state_label=Status(status).label if status else None,
    )


def within(outcome, outcomes):
    """The state the service chose must be one the table lists for the action (a bug otherwise)."""
    if outcome not in outcomes:
        raise RuntimeError(f"{outcome} is not an outcome the transition table allows: {outcomes}")
    return outcome


def lock(compensation):
    """Re-read the case under a row lock: the caller's copy may be stale (a colleague may have
    decided or paid it since the page was drawn), and every check runs against the row."""
    return (
        Compensation.objects.select_for_update(of=("self",), no_key=True)
        .select_related("mall", "merchant")
        .get(pk=compensation.pk)
    )


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
        raise ValidationError({field: _("The amount cannot exceed %(max)s yuan.") % {"max": f"{ceiling:,.2f}"}})
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


def yuan(amount):
    return f"{amount:,.2f}"
