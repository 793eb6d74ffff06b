"""The quality deposit (质量保证金): every movement is a ledger entry; the balance is their sum.

`deposit_deduct` is the one way to take money, for the advance-compensation workflow to call.
It locks the merchant's row first, so two deductions at the same moment are serialised and the
second sees the first's effect: the balance never goes below zero.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.access import require_role
from servicedesk.amounts import yuan_text
from servicedesk.roles import Role
from servicedesk.services import save_by
from servicedesk.workflow import lock

from ..models import MERCHANT_EDITORS, DepositEntry, EntryKind, MerchantPolicy, Receivable

# Deductions pay for advance compensation: head office approves the large ones.
DEDUCTORS = (*MERCHANT_EDITORS, Role.HEAD_OFFICE)


def deposit_balance(merchant):
    return DepositEntry.objects.filter(merchant=merchant).balance()


def _entry(merchant, actor, kind, amount, reason, source=None, entry_date=None):
    entry = DepositEntry(
        mall_id=merchant.mall_id,
        merchant=merchant,
        kind=kind,
        amount=Decimal(amount),
        entry_date=entry_date or timezone.localdate(),
        reason=reason,
        recorded_by=actor,
    )
    if source is not None:
        entry.source_type = ContentType.objects.get_for_model(source)
        entry.source_id = source.pk
    return save_by(entry, actor)


def _positive(amount):
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be greater than zero.")})
    return amount


@transaction.atomic
def deposit_collect(*, merchant, amount, actor, reason="", entry_date=None):
    require_role(actor, merchant.mall_id, *MERCHANT_EDITORS)
    merchant = lock(merchant)
    return _entry(
        merchant, actor, EntryKind.COLLECT, _positive(amount), reason or _("deposit collected"), None, entry_date
    )


@transaction.atomic
def deposit_top_up(*, merchant, amount, actor, reason="", entry_date=None):
    require_role(actor, merchant.mall_id, *MERCHANT_EDITORS)
    merchant = lock(merchant)
    return _entry(
        merchant, actor, EntryKind.TOP_UP, _positive(amount), reason or _("deposit topped up"), None, entry_date
    )


@transaction.atomic
def deposit_deduct(merchant, amount, source, actor, *, reason="", shortfall="refuse"):
    """Take `amount` from the deposit for `source` (e.g. a compensation).

    When the balance is short: `shortfall="refuse"` refuses the whole deduction; with
    `shortfall="receivable"` the balance is taken and the rest recorded as a receivable the
    merchant must pay within the mall's top-up period. Returns (entry or None, receivable or None).
    """
    require_role(actor, merchant.mall_id, *DEDUCTORS)
    if shortfall not in ("refuse", "receivable"):
        raise ValueError("shortfall must be 'refuse' or 'receivable'")
    amount = _positive(amount)
    merchant = lock(merchant)
    balance = deposit_balance(merchant)
    reason = reason or _("deduction for %(source)s") % {"source": source}
    if amount > balance and shortfall == "refuse":
        raise ValidationError(
            {
                "amount": _("The deposit balance is %(balance)s; %(amount)s cannot be deducted.")
                % {"balance": yuan_text(balance), "amount": yuan_text(amount)}
            },
            code="deposit_short",
        )
    taken = min(amount, balance)
    entry = _entry(merchant, actor, EntryKind.DEDUCT, taken, reason, source) if taken > 0 else None
    receivable = None
    if amount > taken:
        policy = MerchantPolicy.for_mall(merchant.mall)
        receivable = Receivable(
            mall_id=merchant.mall_id,
            merchant=merchant,
            amount=amount - taken,
            reason=reason,
            due_on=timezone.localdate() + timedelta(days=policy.deposit_topup_days),
            recorded_by=actor,
        )
        if source is not None:
            receivable.source_type = ContentType.objects.get_for_model(source)
            receivable.source_id = source.pk
        save_by(receivable, actor)
    return entry, receivable


def release_remaining(merchant, actor, reason):
    """Pay back whatever is left (called inside the release transition, row already locked)."""
    balance = deposit_balance(merchant)
    if balance > 0:
        return _entry(merchant, actor, EntryKind.RELEASE, balance, reason)
    return None
