"""The seven-day return of DOMAIN.md §3, written out by hand: every action in every state for
every role, the approver rules (never the registrar; above 20,000 yuan only the manager), and
the numbers of the mall's return policy at their boundaries. Nothing is read from
returns.models.RETURN_TRANSITIONS.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from returns import services
from returns.models import ReturnRequest
from tests.merchants.factories import MerchantFactory
from tests.returns.factories import ReturnFactory
from tests.rules.harness import EVERYONE, OUTSIDERS, attempt, people

pytestmark = pytest.mark.django_db

NOT_A_STEP_TRIED = ("supervisor", "manager")

TODAY = date(2026, 11, 20)
DESK = {"front_desk", "complaint_officer", "supervisor", "manager"}
DECIDERS = {"supervisor", "manager"}
INSPECTORS = {"complaint_officer", "supervisor", "manager"}
STATES = (
    "requested",
    "checked",
    "approved",
    "refused",
    "goods_received",
    "intact",
    "not_intact",
    "refunded",
    "closed",
)
EXPECTED = {
    ("requested", "check"): ("checked", DESK),
    ("checked", "approve"): ("approved", DECIDERS),
    ("checked", "refuse"): ("refused", DECIDERS),
    ("approved", "receive_goods"): ("goods_received", DESK),
    ("goods_received", "inspect_intact"): ("intact", INSPECTORS),
    ("goods_received", "inspect_not_intact"): ("not_intact", INSPECTORS),
    ("intact", "refund"): ("refunded", DECIDERS),
    ("not_intact", "refund"): ("refunded", DECIDERS),
    ("not_intact", "close"): ("closed", DECIDERS),
    ("refunded", "close"): ("closed", DECIDERS | {"front_desk", "complaint_officer"}),
    ("refused", "close"): ("closed", DECIDERS | {"front_desk", "complaint_officer"}),
}
ACTIONS = sorted({action for _state, action in EXPECTED})


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def everyone(mall, other_mall):
    return people(mall, other_mall, prefix="r")


def a_return(mall, state, **fields):
    """A return in `state` whose own rules are met (eligible, goods back, gifts returned)."""
    values = {
        "status": state,
        "eligible": True,
        "goods_received_on": TODAY - timedelta(days=1),
        "gifts_returned": True,
        "requested_on": TODAY - timedelta(days=2),
        "payment_date": TODAY - timedelta(days=8),
        "delivery_date": TODAY - timedelta(days=5),
    }
    values.update(fields)
    return ReturnFactory(merchant=MerchantFactory(mall=mall), **values)


def call(action, r, actor):
    s = services
    calls = {
        "check": lambda: s.return_check(return_request=r, actor=actor),
        "approve": lambda: s.return_approve(return_request=r, actor=actor),
        "refuse": lambda: s.return_refuse(return_request=r, actor=actor, reason="商品已使用"),
        "receive_goods": lambda: s.return_receive_goods(return_request=r, actor=actor),
        "inspect_intact": lambda: s.return_inspect(return_request=r, actor=actor, intact=True),
        "inspect_not_intact": lambda: s.return_inspect(
            return_request=r, actor=actor, intact=False, reasons=["stained"]
        ),
        "refund": lambda: s.return_refund(return_request=r, actor=actor, method="original"),
        "close": lambda: s.return_close(return_request=r, actor=actor),
    }
    return calls[action]()


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_in_each_state_for_each_role(action, mall, everyone):
    wrong = []
    for state in STATES:
        r = a_return(mall, state)
        after, allowed = EXPECTED.get((state, action), (None, set()))
        # Where the action is no step, the roles that could most plausibly take it are tried.
        for who in (*EVERYONE, *OUTSIDERS) if (state, action) in EXPECTED else NOT_A_STEP_TRIED:
            outcome, result = attempt(lambda who=who, r=r: call(action, r, everyone[who]))
            if (state, action) not in EXPECTED:
                if outcome == "done":
                    wrong.append(f"{action} from {state} by {who}: done, but DOMAIN.md has no such step")
            elif who in allowed:
                if outcome != "done":
                    wrong.append(f"{action} from {state} by {who}: {outcome} ({result}), expected done")
                elif result.status != after:
                    wrong.append(f"{action} from {state} by {who}: now {result.status}, expected {after}")
            elif outcome != "denied":
                wrong.append(f"{action} from {state} by {who}: {outcome}, expected denied")
        assert ReturnRequest.objects.get(pk=r.pk).status == state
    assert not wrong, "\n".join(wrong)


def sale(mall):
    return {
        "merchant": MerchantFactory(mall=mall),
        "goods": "布艺沙发",
        "price_paid": Decimal("8000.00"),
        "payment_date": TODAY - timedelta(days=8),
        "delivery_date": TODAY - timedelta(days=5),
        "voucher_number": "SY00001234",
    }


def test_register_merchant_reply_and_override_by_role(mall, everyone):
    wrong = []
    ineligible = a_return(mall, "checked", eligible=False, ineligibility_reasons=["定制"])
    for who in (*EVERYONE, *OUTSIDERS):
        actor = everyone[who]
        outcome, _r = attempt(
            lambda actor=actor: services.return_register(
                mall=mall, actor=actor, customer_name="王先生", customer_mobile="13900001111", **sale(mall)
            )
        )
        if outcome != ("done" if who in DESK else "denied"):
            wrong.append(f"register by {who}: {outcome}")
        for state in ("requested", "checked", "approved"):
            r = a_return(mall, state)
            outcome, _r = attempt(
                lambda actor=actor, r=r: services.return_merchant_reply(return_request=r, actor=actor, agrees=True)
            )
            if outcome != ("done" if who in DESK else "denied"):
                wrong.append(f"merchant reply in {state} by {who}: {outcome}")
        outcome, _r = attempt(
            lambda actor=actor: services.return_override(return_request=ineligible, actor=actor, reason="顾客老客户")
        )
        if outcome != ("done" if who == "manager" else "denied"):
            wrong.append(f"override by {who}: {outcome}")
    assert not wrong, "\n".join(wrong)


def test_the_merchant_reply_comes_before_the_goods_come_back(mall, everyone):
    for state in ("refused", "goods_received", "intact", "not_intact", "refunded", "closed"):
        r = a_return(mall, state)
        outcome, _r = attempt(
            lambda r=r: services.return_merchant_reply(return_request=r, actor=everyone["front_desk"], agrees=True)
        )
        assert outcome == "refused", state


@pytest.mark.parametrize("action", ["approve", "refuse"])
def test_the_registrar_never_decides(action, mall, everyone):
    for who in ("supervisor", "manager"):
        r = a_return(mall, "checked", registered_by=everyone[who])
        outcome, _r = attempt(lambda r=r, who=who: call(action, r, everyone[who]))
        assert outcome == "denied", who


@pytest.mark.parametrize("action", ["approve", "refuse"])
@pytest.mark.parametrize(
    ("price", "supervisor_may"),
    [("19999.99", True), ("20000.00", True), ("20000.01", False), ("50000.00", False)],
)
def test_above_20000_yuan_only_the_manager_decides(action, price, supervisor_may, mall, everyone):
    r = a_return(mall, "checked", price_paid=Decimal(price))
    outcome, _r = attempt(lambda: call(action, r, everyone["supervisor"]))
    assert outcome == ("done" if supervisor_may else "denied")
    outcome, _r = attempt(lambda: call(action, r, everyone["manager"]))
    assert outcome == "done"


@pytest.mark.parametrize(
    ("delivered_days_ago", "eligible"),
    # Day 1 is the day after delivery sign-off; the promise runs through day 7.
    [(6, True), (7, True), (8, False), (30, False)],
)
def test_the_window_is_seven_days_from_the_day_after_delivery(delivered_days_ago, eligible, mall, everyone):
    r = a_return(
        mall,
        "requested",
        requested_on=TODAY,
        delivery_date=TODAY - timedelta(days=delivered_days_ago),
        payment_date=TODAY - timedelta(days=40),
        eligible=None,
    )
    checked = services.return_check(return_request=r, actor=everyone["front_desk"])
    assert checked.eligible is eligible


@pytest.mark.parametrize(("percent_of_price", "allowed"), [("3.00", True), ("3.01", False)])
def test_repackaging_is_at_most_three_percent(percent_of_price, allowed, mall, everyone):
    r = a_return(mall, "intact", price_paid=Decimal("1000.00"))
    fee = Decimal(percent_of_price) * 10  # of 1,000 yuan
    outcome, result = attempt(
        lambda: services.return_refund(
            return_request=r, actor=everyone["supervisor"], method="original", repackaging_fee=fee
        )
    )
    assert outcome == ("done" if allowed else "refused"), result
    if allowed:
        assert result.refund_amount == Decimal("1000.00") - fee
