"""The weekly report (DOMAIN.md §8) recounted by hand over a small fixture: each record below
is annotated with where it counts, and the expected figures are written out as numbers, not
computed. Week 2026-W47: Monday 16 November 00:00 to Monday 23 November 00:00, Shanghai.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from compensations.services import compensation_record_recovery
from merchants.models import PriceTagInspection
from reports.periods import parse_week
from reports.weekly import weekly_figures
from tests.compensations.factories import approve_all, escalated_complaint, pay, propose
from tests.complaints.factories import ComplaintFactory
from tests.factories import UserFactory, make_staff
from tests.followups.factories import CallbackFactory
from tests.merchants.factories import BoothFactory, MerchantFactory
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
WEEK = parse_week("2026-W47")


def at(month, day, hour=10):
    return datetime(2026, month, day, hour, 0, tzinfo=SH)


def nov(day, hour=10):
    return at(11, day, hour)


def figures_of(mall):
    return weekly_figures([mall.pk], WEEK)[mall.pk]


def test_complaint_figures(mall, other_mall):
    c = ComplaintFactory
    # Open from before the week, still open at its end.
    c(mall=mall, status="assigned", received_at=nov(10))  # A: O0, O1 (10 Nov is not 15 days before the end)
    c(mall=mall, status="assigned", received_at=nov(1))  # B: O0, O1, overdue
    c(mall=mall, status="assigned", received_at=nov(7, 12))  # C: O0, O1, overdue (15.5 days at the end)
    # Received in the week and closed in it, on time (resolved 2 days after receipt).
    d = c(
        mall=mall,
        status="closed",
        received_at=nov(16, 9),
        first_contact_at=nov(16, 20),  # 11 hours: in time
        resolved_at=nov(18, 9),
        closed_at=nov(19, 9),  # 3 days to close
    )
    # From before the week, closed in it, resolved late (12 days; target 7).
    c(mall=mall, status="closed", received_at=nov(5), resolved_at=nov(17), closed_at=nov(18))  # 13 days to close
    # From before the week, closed in it, resolved after 7.5 days: late.
    c(mall=mall, status="closed", received_at=nov(9), resolved_at=nov(16, 22), closed_at=nov(20))  # 11 days
    # Received and withdrawn in the week: an ending, not resolved; a repeat of D.
    c(mall=mall, status="withdrawn", received_at=nov(17), closed_at=nov(17, 15), repeat_of=d)
    # Received in the week, referred to 12315 in it: open, external. First contact after 25 h: late.
    c(
        mall=mall,
        status="external",
        external_body="12315",
        received_at=nov(18),
        referred_at=nov(19),
        first_contact_at=nov(19, 11),
    )
    # From before the week, referred in the week: external counts the week of the referral.
    c(mall=mall, status="external", external_body="12315", received_at=nov(10), referred_at=nov(17))
    # From before the week, escalated to advance compensation in it: an ending.
    c(mall=mall, status="escalated", received_at=nov(2), closed_at=nov(19))
    # Received at the end of the week, open.
    c(mall=mall, status="registered", received_at=nov(21))
    # Before the week and ended before it: counts nowhere. Another mall: counts nowhere here.
    c(mall=mall, status="closed", received_at=nov(1), resolved_at=nov(3), closed_at=nov(4))
    c(mall=other_mall, status="registered", received_at=nov(17))
    c(mall=other_mall, status="closed", received_at=nov(16), resolved_at=nov(17), closed_at=nov(18))

    f = figures_of(mall)
    got = {key: f[key] for key in EXPECTED_COMPLAINTS}
    assert got == EXPECTED_COMPLAINTS


EXPECTED_COMPLAINTS = {
    "received": 4,  # D, withdrawn, referred, end of week
    "carried_in": 7,  # A, B, C, the two late ones, referred-before, escalated
    "closed": 5,  # D, two late, withdrawn, escalated: every ending
    "carried_out": 6,  # 7 + 4 - 5: A, B, C, the two referred, end of week
    "ended_resolved": 3,  # D and the two late ones
    "ended_withdrawn": 1,
    "ended_escalated": 1,
    "closed_on_time": 1,  # D
    "on_time_rate": Decimal("33.3"),  # 1 of the 3 closed after a resolution
    "closure_rate": Decimal("45.5"),  # 5 / (7 + 4)
    "average_days_to_close": Decimal("9.0"),  # (3 + 13 + 11) / 3
    "overdue": 2,  # B, C: open at the end and received more than 15 days before it
    "repeats": 1,
    "external": 2,  # referred in the week, whenever received
    "first_contact_in_time": 1,  # D (11 h); the referred one took 25 h
    "first_contact_rate": Decimal("25.0"),  # 1 of 4 received
}


def test_return_and_price_tag_figures(mall, other_mall):
    merchant = MerchantFactory(mall=mall)
    someone = UserFactory()
    r = ReturnFactory
    # Requested, approved and refunded in the week.
    r(
        merchant=merchant,
        requested_on=date(2026, 11, 16),
        payment_date=date(2026, 11, 10),
        delivery_date=date(2026, 11, 12),
        decided_by=someone,
        decided_at=nov(17),
        refunded_at=nov(19),
        refund_amount=Decimal("8000.00"),
    )
    # Requested the week before, refused in this week.
    r(
        merchant=merchant,
        requested_on=date(2026, 11, 12),
        payment_date=date(2026, 11, 1),
        delivery_date=date(2026, 11, 8),
        decided_by=someone,
        decided_at=nov(16),
        refusal_reason="定制商品",
    )
    # Requested in the week, not decided yet.
    r(merchant=merchant, requested_on=date(2026, 11, 20), payment_date=date(2026, 11, 10))
    # Approved the week before, refunded in this week.
    r(
        merchant=merchant,
        requested_on=date(2026, 11, 13),
        payment_date=date(2026, 11, 1),
        delivery_date=date(2026, 11, 8),
        decided_by=someone,
        decided_at=nov(14),
        refunded_at=nov(18),
        refund_amount=Decimal("3000.00"),
        price_paid=Decimal("3000.00"),
    )
    r(merchant=MerchantFactory(mall=other_mall), requested_on=date(2026, 11, 17), payment_date=date(2026, 11, 10))
    # Price tags: four inspections in the week, one failed; one the week before.
    booth = BoothFactory(merchant=merchant)
    for when, passed in ((nov(16), True), (nov(17), False), (nov(18), True), (nov(22, 23), True), (nov(15), False)):
        PriceTagInspection.objects.create(
            mall=mall,
            booth=booth,
            merchant=merchant,
            inspected_at=when,
            inspector=someone,
            items_checked=10,
            passed=passed,
            fix_deadline=None if passed else when + timedelta(hours=24),
        )
    f = figures_of(mall)
    got = {key: f[key] for key in EXPECTED_RETURNS}
    assert got == EXPECTED_RETURNS


EXPECTED_RETURNS = {
    "returns_requested": 2,
    "returns_approved": 1,  # decided in the week without a refusal
    "returns_refused": 1,
    "returns_refunded": 2,
    "refund_amount": Decimal("11000.00"),
    "tags_checked": 4,
    "tags_failed": 1,
    "tag_pass_rate": Decimal("75.0"),
}


def test_compensation_figures(mall):
    officer = make_staff("complaint_officer", mall)
    manager = make_staff("manager", mall)
    clerk = make_staff("clerk", mall)
    # Paid the week before (2,000), 800 recovered from the merchant in this week.
    with time_machine.travel(nov(9), tick=False):
        earlier = pay(
            approve_all(propose(escalated_complaint(mall, deposit="0", clerk=clerk), officer, "2000.00"), [manager]),
            clerk,
        )
    with time_machine.travel(nov(18), tick=False):
        compensation_record_recovery(compensation=earlier, actor=clerk, amount="800.00", received_on=date(2026, 11, 18))
    # Proposed and paid in this week (3,000): the deposit covers 1,000 at once; 500 more comes
    # after the week: recovered so far of the week's payouts is 1,500.
    with time_machine.travel(nov(16), tick=False):
        case = propose(escalated_complaint(mall, deposit="1000.00", clerk=clerk), officer, "3000.00")
        case = pay(approve_all(case, [manager]), clerk)
    with time_machine.travel(nov(25), tick=False):
        compensation_record_recovery(compensation=case, actor=clerk, amount="500.00", received_on=date(2026, 11, 25))
    f = figures_of(mall)
    got = {key: f[key] for key in EXPECTED_COMPENSATIONS}
    assert got == EXPECTED_COMPENSATIONS


EXPECTED_COMPENSATIONS = {
    "compensations_proposed": 1,
    "compensations_paid": 1,
    "compensation_paid_amount": Decimal("3000.00"),
    "compensation_recovered_amount": Decimal("1500.00"),  # of this week's payout, so far
    "recovered_in_period": Decimal("1800.00"),  # money received in the week: 1,000 + 800
    "recovery_rate": Decimal("50.0"),  # 1,500 / 3,000
}


def test_callback_figures(mall, other_mall):
    def callback(deadline, status, outcome="", in_mall=mall):
        CallbackFactory(
            sale__mall=in_mall,
            due_on=deadline,
            deadline_on=deadline,
            status=status,
            outcome=outcome,
        )

    callback(date(2026, 11, 17), "done", "satisfied")
    callback(date(2026, 11, 18), "done", "unsatisfied")
    callback(date(2026, 11, 19), "unreachable", "not_reached")
    callback(date(2026, 11, 20), "open")
    callback(date(2026, 11, 21), "done", "mostly_satisfied")
    callback(date(2026, 11, 10), "done", "satisfied")  # due the week before
    callback(date(2026, 11, 18), "done", "satisfied", in_mall=other_mall)
    f = figures_of(mall)
    got = {key: f[key] for key in EXPECTED_CALLBACKS}
    assert got == EXPECTED_CALLBACKS


EXPECTED_CALLBACKS = {
    "callbacks_due": 5,  # D
    "callbacks_done": 4,  # K: finished, reached or not
    "callbacks_reached": 3,  # K'
    "callbacks_satisfied": 2,  # satisfied + mostly satisfied
    "callback_rate": Decimal("80.0"),  # K / D
    "satisfaction_rate": Decimal("66.7"),  # 2 / K'
}


def test_top_five_merchants(mall):
    # Complaints received in the week: 5, 4, 3, 2, 2 and 1 for six merchants.
    merchants = [MerchantFactory(mall=mall, brand=f"品牌{letter}") for letter in "ABCDEF"]
    for merchant, n in zip(merchants, (5, 4, 3, 2, 2, 1), strict=True):
        booth = BoothFactory(merchant=merchant)
        for _ in range(n):
            ComplaintFactory(mall=mall, booth=booth, merchant=merchant, received_at=nov(17))
    f = figures_of(mall)
    shown = [(m["brand"], m["n"], m["rank"]) for m in f["top_merchants"]]
    assert shown == [("品牌A", 5, 1), ("品牌B", 4, 2), ("品牌C", 3, 3), ("品牌D", 2, 4), ("品牌E", 2, 4)]
    assert f["top_more"] is None
