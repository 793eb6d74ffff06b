from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from compensations.models import CompensationRecovery, RecoveryKind, Status
from compensations.services import (
    compensation_close,
    compensation_record_recovery,
    compensation_write_off,
    compensations_remind,
)
from merchants.models import DepositEntry, EntryKind, Receivable
from merchants.services import deposit_balance
from servicedesk.models import Notification
from servicedesk.roles import Role
from tests.compensations.factories import approve_all, escalated_complaint, pay, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(mall, officer, manager):
    def make(amount="3000.00", deposit="10000.00"):
        compensation = propose(escalated_complaint(mall, deposit=deposit), officer, amount)
        return approve_all(compensation, [manager])

    return make


def test_nothing_is_paid_before_the_final_approval(mall, officer, clerk):
    compensation = propose(escalated_complaint(mall), officer, "3000.00")
    with pytest.raises(ValidationError) as refused:
        pay(compensation, clerk)
    assert "终审" in refused.value.messages[0]
    compensation.refresh_from_db()
    assert compensation.paid_at is None and not DepositEntry.objects.filter(kind=EntryKind.DEDUCT).exists()


def test_nothing_is_paid_after_a_partial_chain(mall, officer, manager, clerk):
    compensation = approve_all(propose(escalated_complaint(mall), officer, "8000.00"), [manager])
    assert compensation.status == Status.PROPOSED
    with pytest.raises(ValidationError):
        pay(compensation, clerk)


def test_payout_deducts_the_deposit_in_full(approved, clerk, officer):
    compensation = pay(approved("3000.00", deposit="10000.00"), clerk)
    assert compensation.status == Status.RECOVERED
    assert compensation.recovered_amount == Decimal("3000.00") and compensation.outstanding == Decimal("0.00")
    assert compensation.receivable is None
    assert deposit_balance(compensation.merchant) == Decimal("7000.00")
    entry = DepositEntry.objects.get(kind=EntryKind.DEDUCT)
    assert entry.source == compensation and entry.amount == Decimal("3000.00")
    assert compensation.receipt.name.endswith(".pdf") and compensation.claim_assigned
    assert Notification.objects.filter(recipient=officer, key=f"compensation:{compensation.pk}:paid").exists()


def test_payout_beyond_the_deposit_creates_a_receivable(approved, clerk, manager):
    compensation = pay(approved("4500.00", deposit="1200.50"), clerk)
    assert compensation.status == Status.PARTLY_RECOVERED
    assert deposit_balance(compensation.merchant) == Decimal("0.00")
    receivable = Receivable.objects.get()
    assert receivable.amount == Decimal("3299.50") and receivable.source == compensation
    assert receivable.due_on == timezone.localdate() + timedelta(days=10)
    assert compensation.receivable == receivable and compensation.outstanding == Decimal("3299.50")
    assert Notification.objects.filter(recipient=manager, key=f"compensation:{compensation.pk}:receivable").exists()


def test_empty_deposit_means_recovering_then_recovered_by_payments(approved, clerk):
    compensation = pay(approved("1000.00", deposit="0"), clerk)
    assert compensation.status == Status.RECOVERING and compensation.recovered_amount == Decimal("0.00")
    compensation = compensation_record_recovery(
        compensation=compensation, actor=clerk, amount="400.00", received_on=timezone.localdate()
    )
    assert compensation.status == Status.PARTLY_RECOVERED
    with pytest.raises(ValidationError) as refused:
        compensation_record_recovery(
            compensation=compensation, actor=clerk, amount="600.01", received_on=timezone.localdate()
        )
    assert "amount" in refused.value.message_dict
    compensation = compensation_record_recovery(
        compensation=compensation, actor=clerk, amount="600.00", received_on=timezone.localdate()
    )
    assert compensation.status == Status.RECOVERED
    compensation.receivable.refresh_from_db()
    assert compensation.receivable.settled_on == timezone.localdate()
    assert list(CompensationRecovery.objects.values_list("kind", flat=True)) == [RecoveryKind.PAYMENT] * 2
    assert compensation_close(compensation=compensation, actor=clerk).status == Status.CLOSED


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR, Role.COMPLAINT_OFFICER, Role.HEAD_OFFICE])
def test_only_the_manager_writes_off(role, approved, clerk, staff):
    compensation = pay(approved("2000.00", deposit="500.00"), clerk)
    with pytest.raises(PermissionDenied):
        compensation_write_off(compensation=compensation, actor=staff(role), reason="商户失联")


def test_write_off_needs_a_reason_and_takes_the_rest(approved, clerk, manager):
    compensation = pay(approved("2000.00", deposit="500.00"), clerk)
    with pytest.raises(ValidationError):
        compensation_write_off(compensation=compensation, actor=manager, reason="  ")
    compensation = compensation_write_off(compensation=compensation, actor=manager, reason="商户已注销，无财产可执行")
    assert compensation.status == Status.WRITTEN_OFF
    assert compensation.written_off_amount == Decimal("1500.00") and compensation.outstanding == Decimal("0.00")
    assert compensation.recovered_amount == Decimal("500.00")
    assert Receivable.objects.open().count() == 0


def test_nothing_to_write_off_once_recovered(approved, clerk, manager):
    compensation = pay(approved("2000.00"), clerk)
    with pytest.raises(ValidationError):
        compensation_write_off(compensation=compensation, actor=manager, reason="x")


@pytest.mark.parametrize("role", [Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.HEAD_OFFICE, Role.FRONT_DESK])
def test_only_clerk_and_manager_pay(role, approved, staff):
    with pytest.raises(PermissionDenied):
        pay(approved(), staff(role))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"claim_assigned": False}, "claim_assigned"),
        ({"receipt": None}, "receipt"),
        ({"payment_reference": ""}, "payment_reference"),
        ({"payment_method": "cheque"}, "payment_method"),
    ],
)
def test_payout_needs_its_fields(overrides, field, approved, clerk):
    compensation = approved()
    with pytest.raises(ValidationError) as refused:
        pay(compensation, clerk, **overrides)
    assert field in refused.value.message_dict
    assert not DepositEntry.objects.filter(kind=EntryKind.DEDUCT).exists()


def test_payment_time_not_in_the_future(approved, clerk):
    with pytest.raises(ValidationError) as refused:
        pay(approved(), clerk, paid_at=timezone.now() + timedelta(hours=2))
    assert "paid_at" in refused.value.message_dict


def test_payment_reminders_are_sent_once(mall, officer, manager, clerk):
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):  # a Monday
        compensation = approve_all(propose(escalated_complaint(mall), officer, "3000.00"), [manager])
        assert str(compensation.payment_due_on) == "2026-11-26"  # 3 working days
        assert compensations_remind() == 0
    with time_machine.travel("2026-11-26 09:00 +0800", tick=False):
        assert compensations_remind() >= 1
        assert compensations_remind() == 0  # running twice tells nobody twice
        key = f"compensation:{compensation.pk}:payment-due:2026-11-26"
        assert Notification.objects.filter(recipient=clerk, key=key).count() == 1
        assert not Notification.objects.filter(key=f"compensation:{compensation.pk}:payment-overdue").exists()
    with time_machine.travel("2026-11-27 09:00 +0800", tick=False):
        compensations_remind()
        assert Notification.objects.filter(recipient=manager, key=f"compensation:{compensation.pk}:payment-overdue")


def test_waiting_approvals_are_reminded_after_a_working_day(mall, officer, manager):
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        compensation = propose(escalated_complaint(mall), officer, "3000.00")
    with time_machine.travel("2026-11-24 09:00 +0800", tick=False):
        compensations_remind()
        assert Notification.objects.filter(recipient=manager, key=f"compensation:{compensation.pk}:step:1:reminder")


def test_overdue_receivable_is_reminded(approved, clerk):
    compensation = pay(approved("2000.00", deposit="0"), clerk)
    with time_machine.travel(timezone.now() + timedelta(days=11)):
        compensations_remind()
    assert Notification.objects.filter(recipient=clerk, key=f"compensation:{compensation.pk}:receivable-overdue")


def test_merchant_page_lists_what_it_owes(approved, clerk, client, manager):
    compensation = pay(approved("2000.00", deposit="500.00"), clerk)
    client.force_login(manager)
    page = client.get(f"/merchants/{compensation.merchant.pk}/").content.decode()
    assert compensation.number in page
    assert "1,500.00" in page or "1500.00" in page
