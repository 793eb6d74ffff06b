"""Exchanges (换货): registration against a sale, eligibility by kind, every action's rules, and
every (state, action) for every role with the expectations written from DOMAIN.md §8b."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from exchanges.models import Direction, Exchange, ExchangeStatus
from exchanges.services import (
    exchange_agree_replacement,
    exchange_close,
    exchange_confirm,
    exchange_deliver,
    exchange_merchant_refuse,
    exchange_override,
    exchange_pick_up,
    exchange_record_freight,
    exchange_refuse,
    exchange_register,
    exchange_settle,
)
from knowledge.models import WarrantyPolicy
from returns.models import ReturnPolicy
from servicedesk.roles import Role
from servicedesk.workflow import TransitionRefused
from tests.exchanges.factories import ExchangeFactory
from tests.merchantportal.factories import merchant_user
from tests.merchants.factories import MerchantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 11, 20), tick=False):
        yield


@pytest.fixture
def desk(staff):
    return staff(Role.FRONT_DESK)


@pytest.fixture
def supervisor(staff):
    return staff(Role.SUPERVISOR)


def sale(merchant, **changes):
    return {
        "merchant": merchant,
        "goods": "布艺沙发",
        "price_paid": Decimal("8000.00"),
        "payment_date": date(2026, 11, 10),
        "delivery_date": date(2026, 11, 15),
        "voucher_number": "SY00001234",
        "reason": "尺寸不合适",
    } | changes


def register(mall, actor, **changes):
    return exchange_register(
        mall=mall,
        actor=actor,
        customer_name="张三",
        customer_mobile="13812345678",
        **sale(changes.pop("merchant", None) or MerchantFactory(mall=mall), **changes),
    )


def test_register_numbers_the_exchange_and_finds_the_customer(mall, desk):
    e = register(mall, desk)
    assert e.number == "HH-SH01-20261120-0001"
    assert e.status == ExchangeStatus.REQUESTED and e.customer.mobile == "13812345678"
    assert e.eligible is True


def test_no_reason_exchange_keeps_the_return_window(mall, desk):
    # Delivered on 11-12: the 7-day window ends on 11-19; today (11-20) is day 8.
    late = register(mall, desk, payment_date=date(2026, 11, 10), delivery_date=date(2026, 11, 12))
    assert late.eligible is False
    assert any("11-19" in reason for reason in late.eligibility_reasons)
    # A mall that promises 30 days makes the same request eligible.
    ReturnPolicy.objects.create(mall=mall, effective_from=date(2026, 1, 1), window_days=30)
    assert register(mall, desk, delivery_date=date(2026, 11, 12)).eligible is True


def test_no_reason_exchange_lists_every_exclusion(mall, desk):
    e = register(mall, desk, custom_made=True, special_price=True, voucher_number="")
    assert e.eligible is False
    assert len(e.eligibility_reasons) == 3


@pytest.mark.parametrize(
    ("delivered", "failed_repairs", "days_in_repair", "eligible"),
    [
        (date(2026, 8, 22), 0, 0, True),  # day 90 after acceptance: return, exchange or repair
        (date(2026, 5, 24), 0, 0, True),  # day 180: exchange or repair
        (date(2026, 5, 23), 0, 0, False),  # day 181: repair only
        (date(2026, 5, 23), 2, 0, True),  # two failed repairs of the same defect
        (date(2026, 5, 23), 1, 31, True),  # more than 30 days in repair
        (date(2026, 5, 23), 1, 30, False),  # 30 days exactly is not more than 30
    ],
)
def test_quality_exchange_follows_the_furniture_warranty(
    mall, desk, delivered, failed_repairs, days_in_repair, eligible
):
    e = register(
        mall,
        desk,
        kind="quality",
        payment_date=date(2026, 5, 1),
        delivery_date=delivered,
        failed_repairs=failed_repairs,
        days_in_repair=days_in_repair,
        reason="扶手开裂",
    )
    assert e.eligible is eligible
    assert e.eligibility_reasons  # the rule is always cited, whichever way it goes


def test_quality_exchange_reads_the_malls_warranty_setting(mall, desk):
    WarrantyPolicy.objects.create(mall=mall, effective_from=date(2026, 1, 1), full_remedy_days=90, exchange_days=200)
    e = register(mall, desk, kind="quality", payment_date=date(2026, 5, 1), delivery_date=date(2026, 5, 23))
    assert e.eligible is True  # day 181 is within this mall's 200 days


def test_quality_exchange_ignores_the_no_reason_window_but_needs_the_cashier(mall, desk):
    # Delivered 46 days ago: long past the no-reason window, well within the warranty's 90 days.
    e = register(
        mall, desk, kind="quality", payment_date=date(2026, 10, 1), delivery_date=date(2026, 10, 5), special_price=True
    )
    assert e.eligible is True
    outside = register(mall, desk, kind="quality", via_unified_cashier=False)
    assert outside.eligible is False


def test_register_reports_every_error_at_once_and_saves_nothing(mall, desk, other_mall):
    with pytest.raises(ValidationError) as caught:
        register(
            mall,
            desk,
            merchant=MerchantFactory(mall=other_mall),
            payment_date=date(2026, 11, 21),
            reason="  ",
        )
    assert {"merchant", "payment_date", "reason"} <= set(caught.value.message_dict)
    assert not Exchange.objects.exists()


def test_register_needs_a_desk_role(mall, staff):
    with pytest.raises(PermissionDenied):
        register(mall, staff(Role.CLERK))
    assert not Exchange.objects.exists()


def test_an_ineligible_exchange_cannot_be_confirmed_only_refused(mall, desk, supervisor):
    e = ExchangeFactory(merchant__mall=mall, eligible=False, eligibility_reasons=["定制商品不适用"])
    with pytest.raises(ValidationError):
        exchange_confirm(exchange=e, actor=desk)
    e.refresh_from_db()
    assert e.status == ExchangeStatus.REQUESTED
    exchange_refuse(exchange=e, actor=supervisor, reason="定制商品不适用无理由换货")
    e.refresh_from_db()
    assert e.status == ExchangeStatus.REFUSED


def test_refusal_needs_a_reason(mall, supervisor):
    e = ExchangeFactory(merchant__mall=mall)
    with pytest.raises(ValidationError) as caught:
        exchange_refuse(exchange=e, actor=supervisor, reason=" ")
    assert "refusal_reason" in caught.value.message_dict


@pytest.mark.parametrize(
    ("new_price", "direction", "amount"),
    [
        (Decimal("9200.00"), Direction.CUSTOMER_PAYS, Decimal("1200.00")),
        (Decimal("6500.50"), Direction.REFUND, Decimal("1499.50")),
        (Decimal("8000.00"), Direction.NONE, Decimal("0.00")),
    ],
)
def test_replacement_sets_the_price_difference(mall, desk, new_price, direction, amount):
    e = ExchangeFactory(merchant__mall=mall, status=ExchangeStatus.CONFIRMED)
    exchange_agree_replacement(exchange=e, actor=desk, new_goods="真皮沙发", new_price=new_price)
    e.refresh_from_db()
    assert (e.difference_direction, e.difference_amount) == (direction, amount)


def test_replacement_errors_all_at_once(mall, desk):
    e = ExchangeFactory(merchant__mall=mall, status=ExchangeStatus.CONFIRMED)
    with pytest.raises(ValidationError) as caught:
        exchange_agree_replacement(exchange=e, actor=desk, new_goods=" ", new_price=Decimal("0"), new_quantity=0)
    assert set(caught.value.message_dict) == {"new_goods", "new_price", "new_quantity"}
    e.refresh_from_db()
    assert e.status == ExchangeStatus.CONFIRMED and e.new_price is None


def test_money_through_the_cashier_needs_its_reference(mall, supervisor):
    e = ExchangeFactory(
        merchant__mall=mall,
        status=ExchangeStatus.REPLACEMENT_AGREED,
        new_goods="真皮沙发",
        new_price=Decimal("9000.00"),
        difference_direction=Direction.CUSTOMER_PAYS,
        difference_amount=Decimal("1000.00"),
    )
    with pytest.raises(ValidationError) as caught:
        exchange_settle(exchange=e, actor=supervisor, cashier_reference="")
    assert "cashier_reference" in caught.value.message_dict
    exchange_settle(exchange=e, actor=supervisor, cashier_reference="SY-BK-0099")
    e.refresh_from_db()
    assert e.status == ExchangeStatus.SETTLED and e.cashier_reference == "SY-BK-0099" and e.settled_at


def test_no_difference_settles_without_a_reference(mall, supervisor):
    e = ExchangeFactory(
        merchant__mall=mall,
        status=ExchangeStatus.REPLACEMENT_AGREED,
        new_goods="同款沙发",
        new_price=Decimal("8000.00"),
        difference_direction=Direction.NONE,
        difference_amount=Decimal("0.00"),
    )
    exchange_settle(exchange=e, actor=supervisor)
    e.refresh_from_db()
    assert e.status == ExchangeStatus.SETTLED


def test_pick_up_and_delivery_dates(mall, desk):
    e = ExchangeFactory(merchant__mall=mall, status=ExchangeStatus.SETTLED)
    with pytest.raises(ValidationError) as caught:
        exchange_pick_up(exchange=e, actor=desk, picked_up_on=date(2026, 11, 21))
    assert "picked_up_on" in caught.value.message_dict
    with pytest.raises(ValidationError):
        exchange_pick_up(exchange=e, actor=desk, picked_up_on=date(2026, 11, 19))  # before the request
    exchange_pick_up(exchange=e, actor=desk, picked_up_on=date(2026, 11, 20), driver="小刘")
    e.refresh_from_db()
    assert e.status == ExchangeStatus.PICKED_UP and e.driver == "小刘"
    with pytest.raises(ValidationError) as caught:
        exchange_deliver(exchange=e, actor=desk, delivered_on=date(2026, 11, 19))
    assert "delivered_on" in caught.value.message_dict


def test_whole_path_to_closed(mall, desk, supervisor):
    e = register(mall, desk)
    exchange_confirm(exchange=e, actor=desk, merchant_contact="王店长")
    exchange_agree_replacement(exchange=e, actor=desk, new_goods="布艺沙发（灰）", new_price=Decimal("8600"))
    exchange_settle(exchange=e, actor=supervisor, cashier_reference="SY2026112099")
    with time_machine.travel(date(2026, 11, 22), tick=False):
        exchange_pick_up(exchange=e, actor=desk)
        exchange_deliver(exchange=e, actor=desk)
        exchange_close(exchange=e, actor=desk)
    e.refresh_from_db()
    assert e.status == ExchangeStatus.CLOSED and e.closed_at
    assert (e.difference_direction, e.difference_amount) == (Direction.CUSTOMER_PAYS, Decimal("600.00"))
    assert e.history.count() >= 7


# --- Every (state, action) for every role -------------------------------------------------------
# Written from the domain, not read from EXCHANGE_TRANSITIONS: the desk (front desk, complaint
# officer, supervisor, manager) records the merchant's confirmation, the replacement, the pick-up,
# the delivery and the closing; refusing and money through the cashier are for the supervisor or
# the manager. The driver picks up and delivers (through its run's stop: tests/drivers). Clerks,
# price-tag officers, head office (read-only), admins and API clients: none.
FD, CO, SV, MG, DR = Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.MANAGER, Role.DRIVER
S = ExchangeStatus
EXPECTED = {
    ("requested", "confirm"): ("confirmed", {FD, CO, SV, MG}),
    ("requested", "refuse"): ("refused", {SV, MG}),
    ("requested", "merchant_refuse"): ("merchant_refused", set()),  # the merchant's own user only
    ("merchant_refused", "refuse"): ("refused", {SV, MG}),  # uphold the merchant's refusal
    ("merchant_refused", "override"): ("confirmed", {SV, MG}),
    ("confirmed", "record_freight"): ("confirmed", {FD, CO, SV, MG}),
    ("replacement_agreed", "record_freight"): ("replacement_agreed", {FD, CO, SV, MG}),
    ("confirmed", "refuse"): ("refused", {SV, MG}),
    ("confirmed", "agree_replacement"): ("replacement_agreed", {FD, CO, SV, MG}),
    ("replacement_agreed", "settle"): ("settled", {SV, MG}),
    ("settled", "pick_up"): ("picked_up", {FD, CO, SV, MG, DR}),
    ("picked_up", "deliver"): ("delivered", {FD, CO, SV, MG, DR}),
    ("delivered", "close"): ("closed", {FD, CO, SV, MG}),
    ("refused", "close"): ("closed", {FD, CO, SV, MG}),
}
DO = {
    "confirm": lambda e, a: exchange_confirm(exchange=e, actor=a),
    "refuse": lambda e, a: exchange_refuse(exchange=e, actor=a, reason="不符合条件"),
    "merchant_refuse": lambda e, a: exchange_merchant_refuse(exchange=e, actor=a, reason="已定制，不能换"),
    "override": lambda e, a: exchange_override(exchange=e, actor=a, reason="商场承诺，先行办理"),
    "record_freight": lambda e, a: exchange_record_freight(exchange=e, actor=a, freight_amount=Decimal("200")),
    "agree_replacement": lambda e, a: exchange_agree_replacement(
        exchange=e, actor=a, new_goods="真皮沙发", new_price=Decimal("9000")
    ),
    "settle": lambda e, a: exchange_settle(exchange=e, actor=a, cashier_reference="SY-1"),
    "pick_up": lambda e, a: exchange_pick_up(exchange=e, actor=a),
    "deliver": lambda e, a: exchange_deliver(exchange=e, actor=a),
    "close": lambda e, a: exchange_close(exchange=e, actor=a),
}
CASES = [(state, action, role) for state in S.values for action in DO for role in Role.values]


@pytest.mark.parametrize(("state", "action", "role"), CASES)
def test_every_transition_for_every_role(state, action, role, mall, staff):
    e = ExchangeFactory(
        merchant__mall=mall,
        status=state,
        new_goods="真皮沙发",
        new_price=Decimal("9000.00"),
        difference_direction=Direction.CUSTOMER_PAYS,
        difference_amount=Decimal("1000.00"),
        picked_up_on=date(2026, 11, 20) if state in ("picked_up", "delivered", "closed") else None,
    )
    actor = staff(role)
    expected = EXPECTED.get((state, action))
    if expected is None:
        with pytest.raises(TransitionRefused):
            DO[action](e, actor)
    elif role not in expected[1]:
        with pytest.raises(PermissionDenied):
            DO[action](e, actor)
    else:
        DO[action](e, actor)
        e.refresh_from_db()
        assert e.status == expected[0]
        return
    e.refresh_from_db()
    assert e.status == state


@pytest.mark.parametrize("action", [action for action in DO if action not in ("confirm", "merchant_refuse")])
def test_the_merchants_own_user_does_nothing_but_confirm_or_refuse(action, mall):
    merchant = MerchantFactory(mall=mall)
    state = next(s for (s, a) in EXPECTED if a == action)
    e = ExchangeFactory(merchant=merchant, status=state, new_price=Decimal("9000.00"), difference_direction="none")
    with pytest.raises(PermissionDenied):
        DO[action](e, merchant_user(merchant).user)
    e.refresh_from_db()
    assert e.status == state


def test_the_merchants_own_user_confirms_its_exchange_and_no_other(mall):
    from django.http import Http404

    merchant, other = MerchantFactory(mall=mall), MerchantFactory(mall=mall)
    e = ExchangeFactory(merchant=merchant)
    theirs = ExchangeFactory(merchant=other)
    user = merchant_user(merchant).user
    with pytest.raises(Http404):
        exchange_confirm(exchange=theirs, actor=user)
    exchange_confirm(exchange=e, actor=user)
    e.refresh_from_db()
    assert e.status == ExchangeStatus.CONFIRMED and e.merchant_contact == "王店长" and e.confirmed_by == user


def test_another_malls_staff_cannot_act(mall, other_mall, staff):
    e = ExchangeFactory(merchant__mall=other_mall)
    with pytest.raises(PermissionDenied):
        exchange_confirm(exchange=e, actor=staff(Role.MANAGER))
