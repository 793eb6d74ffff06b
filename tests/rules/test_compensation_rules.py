"""Advance compensation (DOMAIN.md §4), written out by hand: who may do each step in each state,
the approval tiers at their limits (5,000 and 50,000 yuan), the proposer never approving, the
payment period of 3 working days and the deposit top-up of 10 days. Nothing is read from
compensations.models (TRANSITIONS, TIER_ROLES).
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from compensations import services
from tests.compensations.factories import escalated_complaint, pay, proposal, propose
from tests.factories import make_staff
from tests.rules.harness import EVERYONE, OUTSIDERS, attempt, people

pytestmark = pytest.mark.django_db

# Friday 20 November 2026, 10:00 in Shanghai: no holiday near it.
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

PROPOSERS = {"complaint_officer", "supervisor"}
PAYERS = {"clerk", "manager"}
CLOSERS = {"clerk", "supervisor", "manager"}
# The signature each step of the chain needs: the mall manager; the general manager's and head
# office's signatures are given by head-office approvers in this product.
SIGNS = {"manager": {"manager"}, "general_manager": {"head_office"}, "head_office": {"head_office"}}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def everyone(mall, other_mall):
    return people(mall, other_mall, prefix="c")


def outcomes_by_role(everyone, call, roles=(*EVERYONE, *OUTSIDERS)):
    return {who: attempt(lambda who=who: call(everyone[who]))[0] for who in roles}


def expect(allowed, roles=(*EVERYONE, *OUTSIDERS)):
    return {who: "done" if who in allowed else "denied" for who in roles}


def test_who_may_propose(mall, everyone):
    complaint = escalated_complaint(mall, clerk=everyone["clerk"])
    got = outcomes_by_role(everyone, lambda actor: propose(complaint, actor, "3000.00"))
    assert got == expect(PROPOSERS)


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_who_may_sign_each_step_of_the_chain(decision, mall, everyone):
    sign = services.compensation_approve if decision == "approve" else services.compensation_reject
    second_head_office = make_staff("head_office", username="c-head-office-2")
    second_manager = make_staff("manager", mall, username="c-manager-2")
    # 60,000 yuan needs all three signatures: manager, general manager, head office.
    case = propose(escalated_complaint(mall, clerk=everyone["clerk"]), everyone["complaint_officer"], "60000.00")
    assert case.chain == ["manager", "general_manager", "head_office"]
    for step, tier, signer in (
        (1, "manager", everyone["manager"]),
        (2, "general_manager", everyone["head_office"]),
        (3, "head_office", second_head_office),
    ):
        got = outcomes_by_role(everyone, lambda actor, case=case: sign(compensation=case, actor=actor, comment="理由"))
        expected = expect(SIGNS[tier])
        if step == 3:  # the head-office user who signed step 2 signs no other step
            expected["head_office"] = "denied"
        assert got == expected, f"step {step} ({tier})"
        if step > 1:  # a manager who has not signed yet may not sign a higher tier either
            outcome, _ = attempt(lambda case=case: sign(compensation=case, actor=second_manager, comment="理由"))
            assert outcome == "denied", f"step {step} ({tier}) by another manager"
        case = services.compensation_approve(compensation=case, actor=signer)
    assert case.status == "approved"


def test_the_proposer_never_approves(mall, everyone):
    supervisor_and_manager = make_staff("supervisor", mall, username="c-proposer")
    from servicedesk.models import StaffMembership

    StaffMembership.objects.filter(user=supervisor_and_manager).update(role="manager")
    StaffMembership.objects.create(user=supervisor_and_manager, mall=None, role="head_office")
    case = propose(escalated_complaint(mall, clerk=everyone["clerk"]), everyone["supervisor"], "3000.00")
    outcome, _ = attempt(lambda: services.compensation_approve(compensation=case, actor=everyone["supervisor"]))
    assert outcome == "denied"
    # A manager who proposed may not approve their own proposal either.
    own = propose(
        escalated_complaint(mall, clerk=everyone["clerk"]), everyone["supervisor"], "3000.00"
    )  # proposer: supervisor
    from compensations.models import Compensation

    Compensation.objects.filter(pk=own.pk).update(proposed_by=everyone["manager"])
    outcome, _ = attempt(lambda: services.compensation_approve(compensation=own, actor=everyone["manager"]))
    assert outcome == "denied"


@pytest.mark.parametrize(
    ("amount", "chain"),
    [
        ("5000.00", ["manager"]),
        ("5000.01", ["manager", "general_manager"]),
        ("50000.00", ["manager", "general_manager"]),
        ("50000.01", ["manager", "general_manager", "head_office"]),
    ],
)
def test_approval_tiers_at_their_limits(amount, chain, mall, everyone):
    case = propose(escalated_complaint(mall, clerk=everyone["clerk"]), everyone["complaint_officer"], amount)
    assert case.chain == chain


def _approved(mall, everyone, amount="3000.00", deposit="10000.00"):
    case = propose(
        escalated_complaint(mall, deposit=deposit, clerk=everyone["clerk"]), everyone["complaint_officer"], amount
    )
    return services.compensation_approve(compensation=case, actor=everyone["manager"])


def test_payment_is_due_three_working_days_after_the_final_approval(mall, everyone):
    case = _approved(mall, everyone)
    # Friday 20 November -> Monday 23, Tuesday 24, Wednesday 25.
    assert case.payment_due_on == date(2026, 11, 25)


def test_who_may_pay_and_nothing_before_the_final_approval(mall, everyone):
    case = _approved(mall, everyone)
    got = outcomes_by_role(everyone, lambda actor: pay(case, actor))
    assert got == expect(PAYERS)
    # 8,000 yuan needs the manager and the general manager: after the manager's signature the
    # case still waits, and nothing is paid.
    waiting = propose(escalated_complaint(mall, clerk=everyone["clerk"]), everyone["complaint_officer"], "8000.00")
    for signed_by in (None, everyone["manager"]):
        if signed_by is not None:
            waiting = services.compensation_approve(compensation=waiting, actor=signed_by)
        assert waiting.status == "proposed"
        for who in PAYERS:
            outcome, _ = attempt(lambda who=who, case=waiting: pay(case, everyone[who]))
            assert outcome == "refused", who


def test_recovery_write_off_and_close_by_role(mall, everyone):
    # 3,000 paid, the deposit holds 1,000: partly recovered, 2,000 owed within 10 days.
    case = pay(_approved(mall, everyone, "3000.00", deposit="1000.00"), everyone["clerk"])
    assert case.status == "partly_recovered"
    assert case.recovered_amount == Decimal("1000.00")
    assert case.receivable.amount == Decimal("2000.00")
    assert case.receivable.due_on == date(2026, 11, 30)  # top up within 10 days
    got = outcomes_by_role(
        everyone,
        lambda actor: services.compensation_record_recovery(
            compensation=case, actor=actor, amount="500.00", received_on=date(2026, 11, 20)
        ),
    )
    assert got == expect(PAYERS)
    got = outcomes_by_role(
        everyone, lambda actor: services.compensation_write_off(compensation=case, actor=actor, reason="商户失联")
    )
    assert got == expect({"manager"})
    # Nobody closes a case the merchant still owes on.
    for who, outcome in outcomes_by_role(
        everyone, lambda actor: services.compensation_close(compensation=case, actor=actor)
    ).items():
        assert outcome != "done", who
    services.compensation_record_recovery(
        compensation=case, actor=everyone["clerk"], amount="2000.00", received_on=date(2026, 11, 20)
    )
    case.refresh_from_db()
    assert case.status == "recovered"
    got = outcomes_by_role(everyone, lambda actor: services.compensation_close(compensation=case, actor=actor))
    assert got == expect(CLOSERS)


def test_a_written_off_case_is_closed_by_the_closers(mall, everyone):
    case = pay(_approved(mall, everyone, "3000.00", deposit="0"), everyone["clerk"])
    assert case.status == "recovering"
    services.compensation_write_off(compensation=case, actor=everyone["manager"], reason="商户失联")
    case.refresh_from_db()
    assert case.status == "written_off"
    got = outcomes_by_role(everyone, lambda actor: services.compensation_close(compensation=case, actor=actor))
    assert got == expect(CLOSERS)


def test_the_amount_is_at_most_the_documented_loss(mall, everyone):
    complaint = escalated_complaint(mall, clerk=everyone["clerk"])
    data = proposal("1200.01", loss_price=Decimal("1000.00"), loss_costs=Decimal("200.00"))
    outcome, _ = attempt(
        lambda: services.compensation_propose(complaint=complaint, actor=everyone["complaint_officer"], **data)
    )
    assert outcome == "refused"
    data = proposal("1200.00", loss_price=Decimal("1000.00"), loss_costs=Decimal("200.00"))
    outcome, _ = attempt(
        lambda: services.compensation_propose(complaint=complaint, actor=everyone["complaint_officer"], **data)
    )
    assert outcome == "done"
