"""Callbacks (DOMAIN.md §6), written out by hand: who may record a call and reassign one, what
each outcome does in each state, at most 3 attempts over 2 days, and when each kind of callback
falls due (7 days after delivery, 30 days before the warranty ends, 3 days after resolution,
home visits for claims over 20,000 yuan). Nothing is read from followups.models.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints.models import Complaint
from followups.models import Callback
from followups.services import callback_reassign, callback_record, callbacks_schedule
from tests.complaints.factories import ComplaintFactory
from tests.followups.factories import CallbackFactory, SaleFactory
from tests.rules.harness import EVERYONE, OUTSIDERS, attempt, people

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 10, tzinfo=SH)
CALLERS = {"complaint_officer", "supervisor"}
STATES = ("open", "retry", "done", "unreachable")
OUTCOMES = ("satisfied", "mostly_satisfied", "unsatisfied", "not_reached", "wrong_number")
# (state, outcome) -> state after the first attempt; finished callbacks take no more calls.
AFTER = {
    **{(s, o): "done" for s in ("open", "retry") for o in ("satisfied", "mostly_satisfied", "unsatisfied")},
    ("open", "not_reached"): "retry",
    ("retry", "not_reached"): "retry",
    ("open", "wrong_number"): "unreachable",
    ("retry", "wrong_number"): "unreachable",
}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def everyone(mall, other_mall):
    return people(mall, other_mall, prefix="cb")


def a_callback(mall, state="open", **fields):
    return CallbackFactory(sale__mall=mall, status=state, **fields)


def test_each_outcome_in_each_state_for_each_role(mall, everyone):
    wrong = []
    for state in STATES:
        callback = a_callback(mall, state, attempts=1 if state == "retry" else 0)
        for outcome in OUTCOMES:
            for who in (*EVERYONE, *OUTSIDERS):
                got, result = attempt(
                    lambda who=who, c=callback, o=outcome: (
                        callback_record(callback=c, actor=everyone[who], outcome=o, note="顾客说明").callback
                    )
                )
                if (state, outcome) not in AFTER:
                    if got == "done":
                        wrong.append(f"{outcome} on a {state} callback by {who}: done")
                elif who in CALLERS:
                    if got != "done":
                        wrong.append(f"{outcome} on {state} by {who}: {got} ({result})")
                    elif result.status != AFTER[(state, outcome)]:
                        wrong.append(f"{outcome} on {state} by {who}: {result.status}")
                elif got != "denied":
                    wrong.append(f"{outcome} on {state} by {who}: {got}, expected denied")
    assert not wrong, "\n".join(wrong)


def test_an_assigned_callback_is_the_assignees_or_a_supervisors(mall, everyone):
    from tests.factories import make_staff

    colleague = make_staff("complaint_officer", mall, username="cb-colleague")
    callback = a_callback(mall, assignee=colleague)
    for who, expected in (("complaint_officer", "denied"), ("supervisor", "done")):
        got, _ = attempt(lambda who=who: callback_record(callback=callback, actor=everyone[who], outcome="satisfied"))
        assert got == expected, who
    got, _ = attempt(lambda: callback_record(callback=callback, actor=colleague, outcome="satisfied"))
    assert got == "done"


def test_only_a_supervisor_reassigns(mall, everyone):
    callback = a_callback(mall)
    for who in (*EVERYONE, *OUTSIDERS):
        got, result = attempt(
            lambda who=who: callback_reassign(callback=callback, actor=everyone[who], assignee=everyone["supervisor"])
        )
        assert got == ("done" if who == "supervisor" else "denied"), who
    got, result = attempt(
        lambda: callback_reassign(
            callback=callback, actor=everyone["supervisor"], assignee=everyone["complaint_officer"]
        )
    )
    assert got == "done" and result.assignee == everyone["complaint_officer"]
    for not_a_caller in ("front_desk", "clerk", "manager", "elsewhere-complaint_officer"):
        got, _ = attempt(
            lambda w=not_a_caller: callback_reassign(
                callback=callback, actor=everyone["supervisor"], assignee=everyone[w]
            )
        )
        assert got == "refused", not_a_caller
    done = a_callback(mall, "done")
    got, _ = attempt(
        lambda: callback_reassign(callback=done, actor=everyone["supervisor"], assignee=everyone["complaint_officer"])
    )
    assert got == "refused"


def test_at_most_three_attempts(mall, everyone):
    officer = everyone["complaint_officer"]
    callback = a_callback(mall)
    states = []
    for minutes in (0, 30, 60):
        with time_machine.travel(NOW + timedelta(minutes=minutes), tick=False):
            recorded = callback_record(
                callback=callback, actor=officer, outcome="not_reached", next_attempt_at=NOW + timedelta(hours=5)
            )
        states.append(recorded.callback.status)
    assert states == ["retry", "retry", "unreachable"]


@pytest.mark.parametrize(
    ("later", "status"), [(timedelta(days=1, hours=23), "retry"), (timedelta(days=2), "unreachable")]
)
def test_attempts_within_two_days_of_the_first(later, status, mall, everyone):
    officer = everyone["complaint_officer"]
    callback = a_callback(mall)
    callback_record(callback=callback, actor=officer, outcome="not_reached")
    with time_machine.travel(NOW + later, tick=False):
        recorded = callback_record(
            callback=callback,
            actor=officer,
            outcome="not_reached",
            next_attempt_at=NOW + later + timedelta(minutes=30),
        )
    assert recorded.callback.status == status


def scheduled(kind):
    return list(Callback.objects.filter(kind=kind).order_by("pk"))


@pytest.mark.parametrize(("delivered_days_ago", "called"), [(7, True), (8, False)])
def test_after_sale_callback_within_seven_days_of_delivery(delivered_days_ago, called, mall, everyone):
    delivered = TODAY - timedelta(days=delivered_days_ago)
    SaleFactory(mall=mall, delivery_date=delivered)
    callbacks_schedule(today=TODAY)
    made = scheduled("after_sale")
    assert bool(made) is called
    if called:
        assert (made[0].due_on, made[0].deadline_on) == (delivered + timedelta(days=1), delivered + timedelta(days=7))


@pytest.mark.parametrize(("ends_in_days", "called"), [(30, True), (31, False)])
def test_warranty_callback_thirty_days_before_the_end(ends_in_days, called, mall, everyone):
    ends = TODAY + timedelta(days=ends_in_days)
    SaleFactory(mall=mall, delivery_date=TODAY - timedelta(days=300), warranty_ends_on=ends)
    callbacks_schedule(today=TODAY)
    made = scheduled("warranty")
    assert bool(made) is called
    if called:
        assert made[0].due_on == TODAY and made[0].deadline_on == ends - timedelta(days=1)


def _resolved(mall, **fields):
    return ComplaintFactory(
        mall=mall, status="resolved", result="repaired", resolved_at=NOW - timedelta(days=1), **fields
    )


def test_service_callback_three_days_after_resolution(mall, everyone):
    complaint = _resolved(mall)
    callbacks_schedule(today=TODAY)
    (made,) = scheduled("service")
    resolved_on = TODAY - timedelta(days=1)
    assert made.complaint_id == complaint.pk
    assert (made.due_on, made.deadline_on) == (resolved_on + timedelta(days=1), resolved_on + timedelta(days=3))


@pytest.mark.parametrize(("claimed", "visited"), [("20000.00", False), ("20000.01", True)])
def test_home_visit_for_claims_over_20000_yuan(claimed, visited, mall, everyone):
    complaint = _resolved(mall, claimed_amount=Decimal(claimed), channel="walk_in")
    assert Complaint.objects.get(pk=complaint.pk).repeat_of_id is None
    callbacks_schedule(today=TODAY)
    assert bool(scheduled("home_visit")) is visited
