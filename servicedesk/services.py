"""Every write of the shared domain. Views, admin actions, tasks and tests call these."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import forget_memberships, has_role, require_role
from .models import Customer, Heartbeat, StaffMembership
from .phones import normalise_mobile, normalise_phone
from .roles import CHAIN_ROLES, FULL_PHONE_ROLES, Role
from .texts import event

# Roles that record customers at the desk: those who see the whole number they record.
CUSTOMER_EDITORS = FULL_PHONE_ROLES
# ... and the 12315/12345 connectors, whose referral names its customer (api.services); they
# record customers only through that intake, never through the desk's customer pages.
CUSTOMER_RECORDERS = (*CUSTOMER_EDITORS, Role.API_CLIENT)


def save_by(instance, actor, *, update_fields=None, reason=""):
    """Save and attribute the history row to `actor` (outside a request there is no user)."""
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.full_clean(exclude=_unchanged(instance, update_fields))
    instance.save(update_fields=update_fields)
    return instance


def _unchanged(instance, update_fields):
    if update_fields is None:
        return None
    return [f.name for f in instance._meta.fields if f.name not in update_fields]


@transaction.atomic
def membership_grant(*, user, role, mall=None, actor):
    """Give `user` a role in `mall` (or chain-wide for head office and admin)."""
    if not (actor.is_superuser or has_role(actor, None, Role.ADMIN)):
        raise PermissionDenied(_("Only an administrator may change staff roles."))
    role = Role(role)
    if (role in CHAIN_ROLES) != (mall is None):
        raise ValidationError({"mall": _("Head office and administrators have no mall; every other role needs one.")})
    # One row per user and mall (per user and chain role), active or ended: granting again
    # reactivates it, granting another role in the mall replaces the role it held.
    membership = StaffMembership.objects.filter(user=user, mall=mall)
    if role in CHAIN_ROLES:
        membership = membership.filter(role=role)
    membership = membership.first() or StaffMembership(user=user, mall=mall)
    membership.role = role
    membership.is_active = True
    save_by(membership, actor)
    forget_memberships(user)
    return membership


@transaction.atomic
def membership_end(*, membership, actor):
    """End a membership; the row stays for the record."""
    if not (actor.is_superuser or has_role(actor, None, Role.ADMIN)):
        raise PermissionDenied(_("Only an administrator may change staff roles."))
    membership.is_active = False
    save_by(membership, actor, update_fields=["is_active"])
    forget_memberships(membership.user)


@transaction.atomic
def customer_find_or_create(*, mall, name, mobile, actor, other_phone="", address="", notes=""):
    """The customer of this mall with this mobile, created if new.

    An existing customer keeps their record; blank fields are filled from what was typed now,
    so a returning customer is never duplicated and never silently renamed.
    """
    require_role(actor, mall, *CUSTOMER_RECORDERS)
    return customer_of_confirmed_mobile(
        mall=mall, name=name, mobile=mobile, actor=actor, other_phone=other_phone, address=address, notes=notes
    )


def customer_of_confirmed_mobile(*, mall, name, mobile, actor, other_phone="", address="", notes=""):
    """As customer_find_or_create, without a staff role: for the customer's own mobile, confirmed
    by an SMS code on the mall's intake page (portal.intake)."""
    mobile = normalise_mobile(mobile)
    customer = Customer.objects.select_for_update(of=("self",), no_key=True).filter(mall=mall, mobile=mobile).first()
    if customer is None:
        customer = Customer(
            mall=mall,
            name=name.strip(),
            mobile=mobile,
            other_phone=normalise_phone(other_phone),
            address=address.strip(),
            notes=notes.strip(),
        )
        save_by(customer, actor)
        return customer, True
    filled = []
    for field, value in (("other_phone", normalise_phone(other_phone)), ("address", address.strip())):
        if value and not getattr(customer, field):
            setattr(customer, field, value)
            filled.append(field)
    if filled:
        save_by(customer, actor, update_fields=filled)
    return customer, False


@transaction.atomic
def customer_update(*, customer, actor, **changes):
    require_role(actor, customer.mall, *CUSTOMER_EDITORS)
    allowed = {"name", "mobile", "other_phone", "address", "notes"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    if "mobile" in changes:
        changes["mobile"] = normalise_mobile(changes["mobile"])
    if "other_phone" in changes:
        changes["other_phone"] = normalise_phone(changes["other_phone"])
    for field, value in changes.items():
        setattr(customer, field, value)
    customer.validate_constraints()
    return save_by(customer, actor, update_fields=list(changes))


def heartbeat_record(*, source, detail=""):
    """Note that `source` (worker or beat) was alive just now. Safe to call any number of times."""
    Heartbeat.objects.update_or_create(name=source, defaults={"last_seen": timezone.now(), "detail": detail})


@transaction.atomic
def mall_save(*, mall, actor):
    """Create or change a mall (administrators, in the admin). Making it inactive records the
    day, so reports keep it in the periods it was active; making it active again clears it."""
    if not _is_administrator(actor):
        raise PermissionDenied(_("Only an administrator may change a mall."))
    if not mall.is_active and mall.deactivated_on is None:
        mall.deactivated_on = timezone.localdate()
    elif mall.is_active:
        mall.deactivated_on = None
    return save_by(mall, actor)


def _is_administrator(user):
    return bool(user and (user.is_superuser or has_role(user, None, Role.ADMIN)))


@transaction.atomic
def policy_version_save(*, policy, actor):
    """Add or change a version of a mall's settings (any app's MallPolicy subclass).

    Only administrators; the model's clean() refuses a version taking effect before today and
    changes to a version already in force, so past periods keep the rules they were measured by.
    The history row names the administrator.
    """
    if not _is_administrator(actor):
        raise PermissionDenied(_("Only an administrator may change a mall's settings."))
    return save_by(policy, actor, reason=event("settings.effective", day=policy.effective_from))
