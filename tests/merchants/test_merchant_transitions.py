"""The entry and exit tables: every allowed move for the roles it names, every other refused."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from merchants.models import MERCHANT_TRANSITIONS, BoothTenancy, Merchant, MerchantStatus
from merchants.open_cases import register_open_cases, unregister_open_cases
from merchants.services import (
    merchant_activate,
    merchant_confirm_exit,
    merchant_notice_exit,
    merchant_release_deposit,
    merchant_verify,
)
from servicedesk.roles import Role
from servicedesk.workflow import TransitionRefused
from tests.merchants.factories import BoothFactory, MerchantFactory

pytestmark = pytest.mark.django_db

# Dates that start the deposit hold are never before the day they are recorded (issue #14),
# so the notice is given today and the exit is confirmed today.
EXIT_NOTICE = {
    "notice_date": timezone.localdate(),
    "planned_exit_date": timezone.localdate() + timedelta(days=19),
    "after_sales_agent": "梵居家具厂售后部",
    "after_sales_phone": "021-62345678",
}


def act(action, merchant, actor):
    if action == "verify":
        return merchant_verify(merchant=merchant, actor=actor)
    if action == "activate":
        return merchant_activate(merchant=merchant, actor=actor)
    if action == "notice_exit":
        return merchant_notice_exit(merchant=merchant, actor=actor, **EXIT_NOTICE)
    if action == "confirm_exit":
        return merchant_confirm_exit(merchant=merchant, actor=actor, exited_on=timezone.localdate())
    if action == "release_deposit":
        return merchant_release_deposit(merchant=merchant, actor=actor)
    raise AssertionError(action)


def ready(merchant, state, actor, with_documents):
    """Bring the merchant to `state` with what that state needs on file."""
    with_documents(merchant, actor)
    Merchant.objects.filter(pk=merchant.pk).update(
        status=state,
        deposit_hold_until=date(2020, 1, 1) if state == MerchantStatus.EXITED else None,
    )
    merchant.refresh_from_db()
    return merchant


ACTIONS = ["verify", "activate", "notice_exit", "confirm_exit", "release_deposit"]
CASES = [(state, action, role) for state in MerchantStatus for action in ACTIONS for role in Role]


@pytest.mark.parametrize(("state", "action", "role"), CASES, ids=lambda v: str(getattr(v, "value", v)))
def test_transition_table(state, action, role, mall, staff, manager, with_documents):
    merchant = MerchantFactory(mall=mall, status=MerchantStatus.APPLIED)
    BoothFactory(merchant=merchant)
    merchant = ready(merchant, state, manager, with_documents)
    actor = staff(role)
    allowed = MERCHANT_TRANSITIONS.get((state, action))
    if allowed is None:
        with pytest.raises(TransitionRefused):
            act(action, merchant, actor)
    elif role not in allowed[1]:
        with pytest.raises(PermissionDenied):
            act(action, merchant, actor)
    else:
        act(action, merchant, actor)
        merchant.refresh_from_db()
        assert merchant.status == allowed[0]
        return
    merchant.refresh_from_db()
    assert merchant.status == state, "a refused move changes nothing"


def test_missing_documents_block_verification_with_the_list(applied_merchant, manager, with_documents):
    from merchants.models import DocumentKind

    with_documents(applied_merchant, manager, kinds=[DocumentKind.LICENCE])
    with pytest.raises(ValidationError) as error:
        merchant_verify(merchant=applied_merchant, actor=manager)
    message = error.value.messages[0]
    assert "品牌授权书" in message and "产品检测报告" in message and "营业执照" not in message
    applied_merchant.refresh_from_db()
    assert applied_merchant.status == MerchantStatus.APPLIED


def test_activation_needs_a_booth(mall, manager, with_documents):
    merchant = MerchantFactory(mall=mall, status=MerchantStatus.VERIFIED)
    with_documents(merchant, manager)
    with pytest.raises(ValidationError) as error:
        merchant_activate(merchant=merchant, actor=manager)
    assert error.value.code == "no_booth"


def test_another_malls_manager_cannot_verify(applied_merchant, other_mall, staff, with_documents, manager):
    with_documents(applied_merchant, manager)
    with pytest.raises(PermissionDenied):
        merchant_verify(merchant=applied_merchant, actor=staff(Role.MANAGER, in_mall=other_mall))


@pytest.mark.parametrize("missing", ["after_sales_agent", "after_sales_phone"])
def test_exit_notice_requires_the_after_sales_agent(missing, mall, clerk):
    merchant = MerchantFactory(mall=mall, status=MerchantStatus.ACTIVE)
    with pytest.raises(ValidationError) as error:
        merchant_notice_exit(merchant=merchant, actor=clerk, **(EXIT_NOTICE | {missing: ""}))
    assert missing in error.value.message_dict
    merchant.refresh_from_db()
    assert merchant.status == MerchantStatus.ACTIVE and not merchant.after_sales_agent


def test_exit_dates_must_be_in_order(mall, clerk):
    merchant = MerchantFactory(mall=mall, status=MerchantStatus.ACTIVE)
    with pytest.raises(ValidationError) as error:
        merchant_notice_exit(merchant=merchant, actor=clerk, **(EXIT_NOTICE | {"planned_exit_date": date(2026, 10, 1)}))
    assert "planned_exit_date" in error.value.message_dict
    with pytest.raises(ValidationError):
        merchant_notice_exit(
            merchant=merchant, actor=clerk, **(EXIT_NOTICE | {"notice_date": timezone.localdate() + timedelta(days=1)})
        )


def test_confirming_exit_frees_booths_and_sets_the_hold(mall, clerk, manager):
    with time_machine.travel("2026-08-01 10:00 +0800", tick=False):
        merchant = MerchantFactory(mall=mall, status=MerchantStatus.ACTIVE)
        booth = BoothFactory(merchant=merchant)
        notice = EXIT_NOTICE | {"notice_date": date(2026, 8, 1), "planned_exit_date": date(2026, 8, 31)}
        merchant_notice_exit(merchant=merchant, actor=clerk, **notice)
    with time_machine.travel("2026-08-31 17:00 +0800", tick=False):
        merchant_confirm_exit(merchant=merchant, actor=manager, exited_on=date(2026, 8, 31))
    merchant.refresh_from_db()
    booth.refresh_from_db()
    assert merchant.status == MerchantStatus.EXITED
    assert merchant.deposit_hold_until == date(2027, 2, 28), "6 months, clipped to the month's end"
    assert booth.merchant is None
    assert BoothTenancy.objects.get(booth=booth).end_date == date(2026, 8, 31)


def test_hold_period_is_a_per_mall_setting(mall, clerk, manager):
    from merchants.models import MerchantPolicy
    from servicedesk.models import POLICY_EPOCH

    # A version in force on the day of the exit (settings are dated, issue #16).
    MerchantPolicy.objects.update_or_create(
        mall=mall, effective_from=POLICY_EPOCH, defaults={"deposit_hold_months": 12}
    )
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        merchant = MerchantFactory(mall=mall, status=MerchantStatus.ACTIVE)
        merchant_notice_exit(merchant=merchant, actor=clerk, **(EXIT_NOTICE | {"notice_date": date(2026, 11, 20)}))
        merchant_confirm_exit(merchant=merchant, actor=manager, exited_on=date(2026, 11, 20))
    merchant.refresh_from_db()
    assert merchant.deposit_hold_until == date(2027, 11, 20)


def test_deposit_cannot_be_released_during_the_hold(mall, manager):
    merchant = MerchantFactory(
        mall=mall, status=MerchantStatus.EXITED, deposit_hold_until=timezone.localdate() + timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        merchant_release_deposit(merchant=merchant, actor=manager)
    assert error.value.code == "deposit_held"


def test_open_cases_keep_the_deposit(mall, manager):
    merchant = MerchantFactory(mall=mall, status=MerchantStatus.EXITED, deposit_hold_until=date(2020, 1, 1))
    register_open_cases("test", "测试案件", lambda m: ["TS-1"] if m.pk == merchant.pk else [])
    try:
        with pytest.raises(ValidationError) as error:
            merchant_release_deposit(merchant=merchant, actor=manager)
        assert error.value.code == "cases_open"
    finally:
        unregister_open_cases("test")


def test_release_pays_back_the_balance(mall, manager, clerk):
    from merchants.models import EntryKind
    from merchants.services import deposit_balance, deposit_collect

    merchant = MerchantFactory(mall=mall, status=MerchantStatus.ACTIVE)
    deposit_collect(merchant=merchant, amount="30000.00", actor=clerk)
    Merchant.objects.filter(pk=merchant.pk).update(status=MerchantStatus.EXITED, deposit_hold_until=date(2020, 1, 1))
    merchant_release_deposit(merchant=merchant, actor=manager)
    assert deposit_balance(merchant) == 0
    assert merchant.deposit_entries.get(kind=EntryKind.RELEASE).amount == 30000
