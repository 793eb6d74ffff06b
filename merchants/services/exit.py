"""A merchant's exit (撤场): active -> exit_noticed -> exited -> deposit_released.

Customers must not be stranded: the after-sales agent is required before the exit is recorded,
the open cases are listed and carried, and the deposit is held for the mall's hold period and
while any case is open.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk import texts
from servicedesk.notifications import notify, staff_of
from servicedesk.phones import normalise_phone
from servicedesk.roles import Role
from servicedesk.scans import scan_each
from servicedesk.services import save_by
from servicedesk.workflow import lock_and_check

from ..models import MERCHANT_TRANSITIONS, Merchant, MerchantAction, MerchantPolicy, MerchantStatus, hold_end
from ..open_cases import has_open_cases
from .accounts import merchant_users_deactivate_all
from .booths import booth_release
from .deposit import release_remaining


@transaction.atomic
def merchant_notice_exit(
    *, merchant, actor, notice_date, planned_exit_date, after_sales_agent, after_sales_contact="", after_sales_phone=""
):
    merchant, new_status = lock_and_check(merchant, MERCHANT_TRANSITIONS, MerchantAction.NOTICE_EXIT, actor, related=())
    merchant.status = new_status
    validate_exit_notice(
        merchant,
        {
            "notice_date": notice_date,
            "planned_exit_date": planned_exit_date,
            "after_sales_agent": after_sales_agent,
            "after_sales_phone": after_sales_phone,
        },
    )
    merchant.exit_notice_date = notice_date
    merchant.planned_exit_date = planned_exit_date
    merchant.after_sales_agent = after_sales_agent.strip()
    merchant.after_sales_contact = (after_sales_contact or "").strip()
    merchant.after_sales_phone = normalise_phone(after_sales_phone)
    return save_by(
        merchant,
        actor,
        update_fields=[
            "status",
            "exit_notice_date",
            "planned_exit_date",
            "after_sales_agent",
            "after_sales_contact",
            "after_sales_phone",
        ],
        reason=texts.event("merchant.exit_noticed"),
    )


def validate_exit_notice(merchant, data):
    """The exit notice's rules over its fields, all reported at once: the after-sales agent and
    phone, the notice date (not in the future, not before the merchant's contract) and the
    planned exit not before the notice. The form runs them with the fields that parsed (a field
    left out is not checked); the service runs them again with every field."""
    errors = {}
    if "after_sales_agent" in data and not (data["after_sales_agent"] or "").strip():
        errors["after_sales_agent"] = _("Name the brand or factory that takes over warranty work.")
    if "after_sales_phone" in data and not (data["after_sales_phone"] or "").strip():
        errors["after_sales_phone"] = _("Enter the after-sales agent's phone so customers can be referred.")
    notice_date, planned_exit_date = data.get("notice_date"), data.get("planned_exit_date")
    if notice_date and notice_date > timezone.localdate():
        errors["notice_date"] = _("The notice date cannot be in the future.")
    elif notice_date and (message := _before_the_merchant(merchant, notice_date)):
        errors["notice_date"] = message
    if notice_date and planned_exit_date and planned_exit_date < notice_date:
        errors["planned_exit_date"] = _("The planned exit date cannot be before the notice date.")
    if errors:
        raise ValidationError(errors)


def _before_the_merchant(merchant, day):
    """A message if `day` is before the contract started or the merchant was registered."""
    if merchant.contract_start and day < merchant.contract_start:
        return _("This date cannot be before the contract start (%(date)s).") % {
            "date": merchant.contract_start.isoformat()
        }
    registered = timezone.localdate(merchant.created_at) if merchant.created_at else None
    if registered and day < registered and not merchant.contract_start:
        return _("This date cannot be before the merchant was registered (%(date)s).") % {
            "date": registered.isoformat()
        }
    return None


@transaction.atomic
def merchant_confirm_exit(*, merchant, actor, exited_on):
    """The merchant has left: its booths are freed and the deposit hold starts."""
    merchant, new_status = lock_and_check(
        merchant, MERCHANT_TRANSITIONS, MerchantAction.CONFIRM_EXIT, actor, related=()
    )
    merchant.status = new_status
    today = timezone.localdate()
    if exited_on > today:
        raise ValidationError({"exited_on": _("The exit date cannot be in the future.")})
    if message := _before_the_merchant(merchant, exited_on):
        raise ValidationError({"exited_on": message})
    if merchant.exit_notice_date and exited_on < merchant.exit_notice_date:
        raise ValidationError({"exited_on": _("The exit date cannot be before the notice date.")})
    if exited_on < today:
        # The exit date starts the deposit hold (a money clock): backdating it would end the hold
        # early, so it is the day the exit is recorded. A merchant who left on Saturday and is
        # confirmed on Monday is held from Monday, two days longer: the safe side.
        raise ValidationError(
            {
                "exited_on": _(
                    "The exit date starts the deposit hold, so it cannot be before today (the day it is recorded)."
                )
            }
        )
    for booth in merchant.booths.all():
        booth_release(booth=booth, actor=actor, end_date=exited_on)
    merchant_users_deactivate_all(merchant=merchant, actor=actor)
    policy = MerchantPolicy.for_mall(merchant.mall)
    merchant.exited_on = exited_on
    merchant.deposit_hold_until = hold_end(exited_on, policy.deposit_hold_months)
    return save_by(
        merchant,
        actor,
        update_fields=["status", "exited_on", "deposit_hold_until"],
        reason=texts.event("merchant.exit_confirmed"),
    )


@transaction.atomic
def merchant_release_deposit(*, merchant, actor):
    merchant, new_status = lock_and_check(
        merchant, MERCHANT_TRANSITIONS, MerchantAction.RELEASE_DEPOSIT, actor, related=()
    )
    merchant.status = new_status
    today = timezone.localdate()
    if merchant.deposit_hold_until and merchant.deposit_hold_until > today:
        raise ValidationError(
            _("The deposit is held until %(date)s.") % {"date": merchant.deposit_hold_until.isoformat()},
            code="deposit_held",
        )
    if has_open_cases(merchant):
        raise ValidationError(
            _("The merchant still has open cases; the deposit stays until they are closed."), code="cases_open"
        )
    release_remaining(merchant, actor, _("deposit released after exit"))
    return save_by(merchant, actor, update_fields=["status"], reason=texts.event("merchant.deposit_released"))


def deposit_hold_scan(today=None):
    """Daily: tell the clerk and manager about deposit holds that have ended; extend those with
    open cases by a month. Each merchant in its own transaction (servicedesk.scans): one that
    fails is left for the next run and the others go on. Running it twice on a day changes
    nothing and notifies nobody twice."""
    today = today or timezone.localdate()
    due = Merchant.objects.filter(status=MerchantStatus.EXITED, deposit_hold_until__lte=today).select_related("mall")
    scan = scan_each(due, lambda merchant: _hold_ended(merchant, today), name="deposit hold scan")
    return [merchant for merchant in scan.results if merchant is not None]


def _hold_ended(merchant, today):
    """One exited merchant whose hold ended: the merchant if told so, None if the hold was extended."""
    recipients = staff_of(merchant.mall, Role.CLERK, Role.MANAGER)
    url = f"/merchants/{merchant.pk}/"
    if has_open_cases(merchant):
        merchant.deposit_hold_until = hold_end(today, 1)
        save_by(
            merchant,
            None,
            update_fields=["deposit_hold_until"],
            reason=texts.event("merchant.hold_extended"),
        )
        notify(
            recipients,
            key=f"merchant:{merchant.pk}:hold_extended:{merchant.deposit_hold_until.isoformat()}",
            title=texts.event("notice.hold_extended", merchant=merchant),
            body=texts.event("notice.hold_extended_body", date=merchant.deposit_hold_until),
            url=url,
            mall=merchant.mall,
        )
        return None
    notify(
        recipients,
        key=f"merchant:{merchant.pk}:hold_ended:{merchant.deposit_hold_until.isoformat()}",
        title=texts.event("notice.hold_ended", merchant=merchant),
        body=texts.event("notice.hold_ended_body", date=merchant.deposit_hold_until),
        url=url,
        mall=merchant.mall,
    )
    return merchant
