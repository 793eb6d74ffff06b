"""The exchange of DOMAIN.md §8b and the driver's stops for it, written out by hand: who decides on
a merchant's refusal (uphold it or override it), the deliberate-delay line (§1: more than 15 days),
and the driver's part (only the run's own driver marks a stop; the old goods are fetched once the
price difference is settled, the new delivered after the old are fetched). Nothing is read from
exchanges.models.EXCHANGE_TRANSITIONS, drivers.models or the policy's defaults.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from drivers import services as drivers
from drivers.models import StopTask
from exchanges.models import Exchange
from exchanges.services import exchange_override, exchange_refuse
from exchanges.services.reminders import exchange_delay_scan
from servicedesk.roles import Role
from tests.drivers.factories import photo, run_for, settled_exchange
from tests.exchanges.factories import ExchangeFactory
from tests.factories import make_staff
from tests.merchantportal.factories import merchant_user
from tests.rules.harness import EVERYONE, OUTSIDERS, attempt, people

pytestmark = pytest.mark.django_db

# §8b: the merchant confirms; when it refuses, the mall decides. Upholding the refusal (the
# customer is told the mall's reason) and overriding it (the mall's promise stands) are the
# supervisor's or the manager's, as a return's approval is (§3).
DECIDE_ON_A_REFUSAL = {"supervisor", "manager"}
DELAY_LINE_DAYS = 15  # §1: a demand left more than 15 days is deliberate delay
# The states of the exchange, in order (§8b), written out.
STATES = (
    "requested",
    "confirmed",
    "merchant_refused",
    "refused",
    "replacement_agreed",
    "settled",
    "picked_up",
    "delivered",
    "closed",
)
# Old goods are picked up once the difference is settled; new goods delivered once the old are
# picked up (or after this run's own pick-up stop for them, below).
PICK_UP_FROM = {"settled"}
DELIVER_FROM = {"picked_up"}


@pytest.fixture
def everyone(mall, other_mall):
    users = people(mall, other_mall, prefix="x")
    users["driver"] = make_staff(Role("driver"), mall, username="x-driver")
    users["elsewhere-driver"] = make_staff(Role("driver"), other_mall, username="x-elsewhere-driver")
    return users


def refused_by_the_merchant(mall):
    return ExchangeFactory(merchant__mall=mall, status="merchant_refused", merchant_refusal_reason="已拆封")


def test_only_the_supervisor_or_manager_upholds_or_overrides_a_merchants_refusal(mall, everyone):
    e = refused_by_the_merchant(mall)
    everyone["merchant"] = merchant_user(e.merchant).user
    wrong = []
    for who in (*EVERYONE, *OUTSIDERS, "driver", "elsewhere-driver", "merchant"):
        actor = everyone[who]
        for decision, call, after in (
            ("uphold", lambda a=actor: exchange_refuse(exchange=e, actor=a, reason="商场维持商户意见"), "refused"),
            ("override", lambda a=actor: exchange_override(exchange=e, actor=a, reason="商户无理拒绝"), "confirmed"),
        ):
            outcome, result = attempt(call)
            expected = "done" if who in DECIDE_ON_A_REFUSAL else "denied"
            if outcome != expected:
                wrong.append(f"{decision} by {who}: {outcome} ({result}), expected {expected}")
            elif outcome == "done" and result.status != after:
                wrong.append(f"{decision} by {who}: now {result.status}, expected {after}")
    assert wrong == []
    e.refresh_from_db()
    assert e.status == "merchant_refused"


def test_the_decision_is_only_on_a_refusal_by_the_merchant(mall, everyone):
    """Overriding is a step from the merchant's refusal only; upholding (refusing) is open while
    the exchange waits (requested, merchant refused, confirmed) and never after the money."""
    wrong = []
    refuse_from = {"requested", "merchant_refused", "confirmed"}
    for state in STATES:
        e = ExchangeFactory(merchant__mall=mall, status=state)
        for decision, call, allowed in (
            (
                "override",
                lambda e=e: exchange_override(exchange=e, actor=everyone["manager"], reason="改判"),
                {"merchant_refused"},
            ),
            ("refuse", lambda e=e: exchange_refuse(exchange=e, actor=everyone["manager"], reason="维持"), refuse_from),
        ):
            outcome, _result = attempt(call)
            if (outcome == "done") != (state in allowed):
                wrong.append(f"{decision} from {state} by the manager: {outcome}")
    assert wrong == []


@pytest.mark.parametrize(
    ("days_ago", "flagged"), [(DELAY_LINE_DAYS - 1, False), (DELAY_LINE_DAYS, False), (DELAY_LINE_DAYS + 1, True)]
)
def test_the_delay_line_is_15_days_from_the_request(mall, days_ago, flagged):
    today = timezone.localdate()
    e = ExchangeFactory(merchant__mall=mall, status="requested", requested_on=today - timedelta(days=days_ago))
    exchange_delay_scan(today)
    e.refresh_from_db()
    assert e.delay_flagged is flagged, f"requested {days_ago} days ago"


# --- The driver's stops -----------------------------------------------------------------------


def test_only_the_runs_own_driver_marks_its_stop(mall, everyone):
    run = run_for(mall, driver=everyone["driver"], planner=everyone["clerk"])
    e = settled_exchange(mall)
    stop = drivers.stop_add(run=run, actor=everyone["clerk"], task=StopTask.EXCHANGE_PICK_UP, exchange=e)
    everyone["another driver"] = make_staff(Role("driver"), mall, username="x-driver-2")

    def mark(actor):
        drivers.stop_mark(stop=stop, actor=actor, action="picked_up", photo=photo())
        return Exchange.objects.get(pk=e.pk)  # the mark records the pick-up on the exchange

    wrong = []
    for who in (*EVERYONE, *OUTSIDERS, "driver", "another driver", "elsewhere-driver"):
        outcome, result = attempt(lambda who=who: mark(everyone[who]))
        expected = "done" if who == "driver" else "denied"
        if outcome != expected:
            wrong.append(f"the pick-up marked by {who}: {outcome} ({result}), expected {expected}")
        elif outcome == "done" and result.status != "picked_up":
            wrong.append(f"the pick-up marked by {who}: the exchange is {result.status}, expected picked_up")
    assert wrong == []


def test_the_old_goods_are_picked_up_only_once_the_difference_is_settled(mall, everyone):
    run = run_for(mall, driver=everyone["driver"], planner=everyone["clerk"])
    wrong = []
    for state in STATES:
        e = settled_exchange(mall, status=state, difference_amount=Decimal("600.00"))
        outcome, result = attempt(
            lambda e=e: drivers.stop_add(run=run, actor=everyone["clerk"], task=StopTask.EXCHANGE_PICK_UP, exchange=e)
        )
        if (outcome == "done") != (state in PICK_UP_FROM):
            wrong.append(f"a pick-up stop for an exchange {state}: {outcome} ({result})")
    assert wrong == []


def test_the_new_goods_are_delivered_only_after_the_old_are_picked_up(mall, everyone):
    run = run_for(mall, driver=everyone["driver"], planner=everyone["clerk"])
    wrong = []
    for state in STATES:
        e = settled_exchange(mall, status=state)
        outcome, result = attempt(
            lambda e=e: drivers.stop_add(run=run, actor=everyone["clerk"], task=StopTask.EXCHANGE_DELIVERY, exchange=e)
        )
        if (outcome == "done") != (state in DELIVER_FROM):
            wrong.append(f"a delivery stop for an exchange {state} (no pick-up planned): {outcome} ({result})")
    assert wrong == []
    # Settled, with this run's own pick-up stop before it: the new goods go out on the same run.
    e = settled_exchange(mall)
    drivers.stop_add(run=run, actor=everyone["clerk"], task=StopTask.EXCHANGE_PICK_UP, exchange=e)
    delivery = drivers.stop_add(run=run, actor=everyone["clerk"], task=StopTask.EXCHANGE_DELIVERY, exchange=e)
    assert delivery.position == 2
    # A pick-up planned on another day's run does not let today's run deliver.
    other = settled_exchange(mall)
    tomorrow = run_for(
        mall, driver=everyone["driver"], planner=everyone["clerk"], run_on=run.run_on + timedelta(days=1)
    )
    drivers.stop_add(run=tomorrow, actor=everyone["clerk"], task=StopTask.EXCHANGE_PICK_UP, exchange=other)
    outcome, _result = attempt(
        lambda: drivers.stop_add(run=run, actor=everyone["clerk"], task=StopTask.EXCHANGE_DELIVERY, exchange=other)
    )
    assert outcome == "refused"
