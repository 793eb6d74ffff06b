import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from merchants.models import DepositEntry, EntryKind, Merchant, Receivable
from merchants.services import deposit_balance, deposit_collect, deposit_deduct, deposit_top_up
from servicedesk.roles import Role
from tests.merchants.factories import MerchantFactory


@pytest.mark.django_db
def test_balance_is_the_sum_of_the_ledger(mall, clerk):
    merchant = MerchantFactory(mall=mall)
    deposit_collect(merchant=merchant, amount="50000.00", actor=clerk)
    deposit_deduct(merchant, Decimal("12000.50"), None, clerk, reason="先行赔偿 PC-SH01-20261120-0001")
    deposit_top_up(merchant=merchant, amount="2000.50", actor=clerk)
    assert deposit_balance(merchant) == Decimal("40000.00")
    annotated = Merchant.objects.with_deposit_balance().get(pk=merchant.pk)
    assert annotated.deposit_balance == Decimal("40000.00")
    assert list(merchant.deposit_entries.values_list("kind", flat=True)) == ["collect", "deduct", "top_up"]


@pytest.mark.django_db
def test_a_merchant_with_no_entries_has_zero(mall):
    merchant = MerchantFactory(mall=mall)
    assert deposit_balance(merchant) == 0
    assert Merchant.objects.with_deposit_balance().get(pk=merchant.pk).deposit_balance == 0


@pytest.mark.django_db
def test_deduction_above_the_balance_is_refused_and_nothing_saved(mall, clerk):
    merchant = MerchantFactory(mall=mall)
    deposit_collect(merchant=merchant, amount="1000.00", actor=clerk)
    with pytest.raises(ValidationError) as error:
        deposit_deduct(merchant, Decimal("1000.01"), None, clerk)
    assert "amount" in error.value.message_dict
    assert "1,000.00" in str(error.value)
    assert deposit_balance(merchant) == Decimal("1000.00")
    assert not Receivable.objects.exists()


@pytest.mark.django_db
def test_shortfall_becomes_a_receivable_when_the_caller_asks(mall, clerk):
    merchant = MerchantFactory(mall=mall)
    deposit_collect(merchant=merchant, amount="1000.00", actor=clerk)
    source = MerchantFactory(mall=mall)  # any record can be the source
    entry, receivable = deposit_deduct(merchant, Decimal("1500.00"), source, clerk, shortfall="receivable")
    assert entry.amount == Decimal("1000.00") and entry.source == source
    assert receivable.amount == Decimal("500.00")
    assert (receivable.due_on - timezone.localdate(receivable.recorded_at)).days == 10
    assert deposit_balance(merchant) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["0", "-5", "0.00"])
def test_amounts_must_be_positive(amount, mall, clerk):
    merchant = MerchantFactory(mall=mall)
    with pytest.raises(ValidationError):
        deposit_collect(merchant=merchant, amount=amount, actor=clerk)
    assert not DepositEntry.objects.exists()


@pytest.mark.django_db
def test_amount_above_the_ceiling_is_refused(mall, clerk):
    with pytest.raises(ValidationError):
        deposit_collect(merchant=MerchantFactory(mall=mall), amount="10000000.01", actor=clerk)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.PRICE_TAG_OFFICER, Role.SUPERVISOR])
def test_only_clerk_manager_and_head_office_move_money(role, mall, staff, clerk):
    merchant = MerchantFactory(mall=mall)
    deposit_collect(merchant=merchant, amount="100.00", actor=clerk)
    with pytest.raises(PermissionDenied):
        deposit_collect(merchant=merchant, amount="100.00", actor=staff(role))
    with pytest.raises(PermissionDenied):
        deposit_deduct(merchant, Decimal("10.00"), None, staff(role))
    deposit_deduct(merchant, Decimal("10.00"), None, staff(Role.HEAD_OFFICE))
    assert deposit_balance(merchant) == Decimal("90.00")


@pytest.mark.django_db(transaction=True)
def test_two_deductions_at_once_never_overdraw(postgres):
    """Two approvers recover from the same deposit at the same instant: one wins, one is refused."""
    from tests.factories import MallFactory, make_staff

    mall = MallFactory(code="SH01")
    clerk = make_staff(Role.CLERK, mall)
    merchant = MerchantFactory(mall=mall)
    deposit_collect(merchant=merchant, amount="1000.00", actor=clerk)
    start = threading.Barrier(2)
    outcomes = []

    def deduct():
        try:
            start.wait()
            deposit_deduct(merchant, Decimal("700.00"), None, clerk)
            outcomes.append("deducted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=deduct) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["deducted", "refused"]
    assert deposit_balance(merchant) == Decimal("300.00")
    assert DepositEntry.objects.filter(kind=EntryKind.DEDUCT).count() == 1
