"""Every column of the weekly report against an independent count over a generated data set
that crosses week boundaries and malls."""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from complaints.models import Category, Channel, ComplaintDeadline
from complaints.models.clocks import DeadlineKind
from merchants.models import PriceTagInspection
from reports.periods import parse_week, week_of
from reports.weekly import check_identities, total, weekly_figures
from returns.models import ReturnStatus
from tests.complaints.factories import ComplaintFactory
from tests.factories import MallFactory, UserFactory
from tests.merchants.factories import BoothFactory
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
WEEK = parse_week("2026-W47")  # Mon 16 Nov – Sun 22 Nov 2026


def at(day, hour=10, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH)


@pytest.fixture
def dataset():
    rng = random.Random(47)
    malls = [MallFactory(code="SH01"), MallFactory(code="WX01", city="无锡")]
    booths = {m.pk: [BoothFactory(merchant__mall=m) for _ in range(4)] for m in malls}
    complaints = []
    for _ in range(120):
        mall = rng.choice(malls)
        booth = rng.choice(booths[mall.pk])
        received = at(date(2026, 11, 1) + timedelta(days=rng.randrange(0, 30)), rng.randrange(0, 24), rng.randrange(60))
        closed = (
            received + timedelta(days=rng.randrange(0, 20), hours=rng.randrange(24)) if rng.random() < 0.7 else None
        )
        external = rng.choice(["", "", "", "12315"])
        c = ComplaintFactory(
            mall=mall,
            booth=booth,
            merchant=booth.merchant,
            received_at=received,
            closed_at=closed,
            status=rng.choice(["closed", "closed", "withdrawn", "not_accepted", "escalated"]) if closed else "assigned",
            resolved_at=closed - (closed - received) * rng.random() if closed else None,
            channel=rng.choice(Channel.values),
            category=rng.choice([v for v in Category.values if v != "O"]),
            first_contact_at=received + timedelta(hours=rng.choice([1, 23, 25, 60])) if rng.random() < 0.9 else None,
            external_body=external,
            # A referral comes after receipt and, for an ended complaint, before its ending.
            referred_at=(
                received + (closed - received) * rng.random()
                if closed
                else received + timedelta(days=rng.randrange(25))
            )
            if external
            else None,
        )
        if closed and rng.random() < 0.8:
            due = received + timedelta(days=7)
            ComplaintDeadline.objects.create(
                complaint=c, kind=DeadlineKind.RESOLUTION, started_at=received, due_at=due, met_at=closed
            )
        complaints.append(c)
    # Repeats: a few complaints point at an earlier one.
    for c in complaints[:10]:
        c.repeat_of = complaints[-1]
        c.save(update_fields=["repeat_of"])
    # Sunday 23:59 and Monday 00:00 in Shanghai: the boundary itself.
    edge_mall = malls[0]
    ComplaintFactory(
        mall=edge_mall,
        received_at=at(date(2026, 11, 22), 23, 59),
        closed_at=at(date(2026, 11, 23), 0, 0),
        status="withdrawn",
    )
    ComplaintFactory(mall=edge_mall, received_at=at(date(2026, 11, 16), 0, 0))
    user = UserFactory()
    for _ in range(40):
        mall = rng.choice(malls)
        day = date(2026, 11, 10) + timedelta(days=rng.randrange(0, 20))
        decided = at(day + timedelta(days=1)) if rng.random() < 0.7 else None
        refused = decided is not None and rng.random() < 0.3
        refunded = (
            at(day + timedelta(days=rng.randrange(2, 9))) if decided and not refused and rng.random() < 0.7 else None
        )
        ReturnFactory(
            merchant=rng.choice(booths[mall.pk]).merchant,
            requested_on=day,
            payment_date=day - timedelta(days=5),
            delivery_date=day - timedelta(days=2),
            decided_at=decided,
            decided_by=user if decided else None,
            refusal_reason="超期" if refused else "",
            status=ReturnStatus.REFUSED if refused else ReturnStatus.REQUESTED,
            refunded_at=refunded,
            refund_amount=Decimal(rng.randrange(100, 5000)) if refunded else None,
        )
    for _ in range(30):
        mall = rng.choice(malls)
        booth = rng.choice(booths[mall.pk])
        when = at(date(2026, 11, 12) + timedelta(days=rng.randrange(0, 14)), rng.randrange(9, 21))
        passed = rng.random() < 0.7
        PriceTagInspection.objects.create(
            mall=mall,
            booth=booth,
            merchant=booth.merchant,
            inspected_at=when,
            inspector=user,
            items_checked=10,
            passed=passed,
            fix_deadline=None if passed else when + timedelta(hours=24),
        )
    return malls


def expected(mall, period):
    """The same figures, counted row by row in Python from the database (the slow, obvious way)."""
    from complaints.models import Complaint
    from returns.models import ReturnRequest

    start, end = period.start, period.end
    rows = list(Complaint.objects.filter(mall=mall))
    received = [c for c in rows if start <= c.received_at < end]
    closed = [c for c in rows if c.closed_at and start <= c.closed_at < end]
    open_at = lambda t: [c for c in rows if c.received_at < t and (c.closed_at is None or c.closed_at >= t)]  # noqa: E731
    # DOMAIN.md §8 (fixed 2026-12): on time = closed (结案, not after a referral) in the period
    # with the final resolution within 7 days of registration (the data set has no pauses).
    resolved_and_closed = [c for c in closed if c.status == "closed" and not c.external_body]
    on_time = [c for c in resolved_and_closed if c.resolved_at and c.resolved_at - c.received_at <= timedelta(days=7)]
    returns = list(ReturnRequest.objects.filter(mall=mall))
    decided = [r for r in returns if r.decided_at and start <= r.decided_at < end]
    refunded = [r for r in returns if r.refunded_at and start <= r.refunded_at < end]
    tags = [i for i in PriceTagInspection.objects.filter(mall=mall) if start <= i.inspected_at < end]
    return {
        "received": len(received),
        "carried_in": len(open_at(start)),
        "closed": len(closed),
        "carried_out": len(open_at(end)),
        "closed_on_time": len(on_time),
        "overdue": len([c for c in open_at(end) if c.received_at < end - timedelta(days=15)]),
        "repeats": len([c for c in received if c.repeat_of_id]),
        "external": len([c for c in rows if c.referred_at and start <= c.referred_at < end]),
        "first_contact_in_time": len(
            [c for c in received if c.first_contact_at and c.first_contact_at <= c.received_at + timedelta(hours=24)]
        ),
        "ended_resolved": len(resolved_and_closed),
        "close_time": sum((c.closed_at - c.received_at for c in resolved_and_closed), timedelta(0)),
        "returns_requested": len([r for r in returns if period.first_day <= r.requested_on <= period.last_day]),
        "returns_approved": len([r for r in decided if not r.refusal_reason]),
        "returns_refused": len([r for r in decided if r.refusal_reason]),
        "refund_amount": sum((r.refund_amount for r in refunded), Decimal("0.00")),
        "tags_checked": len(tags),
        "tags_failed": len([i for i in tags if not i.passed]),
        "by_channel": {ch: n for ch in Channel.values if (n := len([c for c in received if c.channel == ch]))},
        "by_category": {ca: n for ca in Category.values if (n := len([c for c in received if c.category == ca]))},
    }


@pytest.mark.parametrize("week", ["2026-W46", "2026-W47", "2026-W48"])
def test_every_column_matches_an_independent_count(week, dataset):
    period = parse_week(week)
    figures = weekly_figures([m.pk for m in dataset], period)
    for mall in dataset:
        want = expected(mall, period)
        got = figures[mall.pk]
        for key, value in want.items():
            assert got[key] == value, (mall.code, week, key)
        assert not check_identities(got)


def test_the_sunday_midnight_boundary():
    mall = MallFactory(code="SH01")
    ComplaintFactory(
        mall=mall,
        received_at=at(date(2026, 11, 22), 23, 59),
        closed_at=at(date(2026, 11, 23), 0, 0),
        status="withdrawn",
    )
    ComplaintFactory(mall=mall, received_at=at(date(2026, 11, 16), 0, 0))
    ComplaintFactory(mall=mall, received_at=at(date(2026, 11, 15), 23, 59))
    this_week = weekly_figures([mall.pk], WEEK)[mall.pk]
    following = weekly_figures([mall.pk], week_of(date(2026, 11, 23)))[mall.pk]
    assert (this_week["carried_in"], this_week["received"], this_week["closed"]) == (1, 2, 0)
    assert following["carried_in"] == this_week["carried_out"] == 3
    assert following["closed"] == 1


def test_chain_totals_sum_counts_and_recompute_rates(dataset):
    figures = weekly_figures([m.pk for m in dataset], WEEK)
    chain = total(figures.values())
    a, b = (figures[m.pk] for m in dataset)
    assert chain["received"] == a["received"] + b["received"]
    assert chain["closed"] == a["closed"] + b["closed"]
    rate = round(Decimal(100) * chain["closed"] / (chain["carried_in"] + chain["received"]), 1)
    assert chain["closure_rate"] == rate
    assert not check_identities(chain)


def test_a_mall_with_nothing_has_zeros_and_no_rates():
    mall = MallFactory(code="HZ01")
    figures = weekly_figures([mall.pk], WEEK)[mall.pk]
    assert figures["received"] == 0 and figures["closure_rate"] is None and figures["tag_pass_rate"] is None


def test_query_count_does_not_grow_with_data_or_malls(dataset, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as counted:  # 12: the desk log and exchanges sections (issue 21)
        weekly_figures([m.pk for m in dataset], WEEK)
    more = [MallFactory(code=code) for code in ("NJ01", "HZ01", "SZ01")]
    for mall in more:
        ComplaintFactory.create_batch(5, mall=mall, received_at=at(date(2026, 11, 18)))
    with django_assert_max_num_queries(len(counted.captured_queries)):
        weekly_figures([m.pk for m in dataset + more], WEEK)


def test_callback_columns_agree_with_the_callback_figures(mall, other_mall):
    from followups.models import CallbackStatus, Outcome
    from followups.selectors import callback_figures
    from tests.followups.factories import CallbackFactory, SaleFactory

    rng = random.Random(8)
    for _ in range(40):
        m = rng.choice([mall, other_mall])
        deadline = date(2026, 11, 10) + timedelta(days=rng.randrange(0, 20))
        status = rng.choice([CallbackStatus.DONE, CallbackStatus.UNREACHABLE, CallbackStatus.OPEN])
        outcome = (
            rng.choice([Outcome.SATISFIED, Outcome.MOSTLY_SATISFIED, Outcome.UNSATISFIED])
            if status == CallbackStatus.DONE
            else ""
        )
        CallbackFactory(
            sale=SaleFactory(mall=m),
            due_on=deadline - timedelta(days=6),
            deadline_on=deadline,
            status=status,
            outcome=outcome,
        )
    figures = weekly_figures([mall.pk, other_mall.pk], WEEK)
    for m in (mall, other_mall):
        reference = callback_figures(m, WEEK.first_day, WEEK.last_day)
        got = figures[m.pk]
        assert (got["callbacks_due"], got["callbacks_done"], got["callbacks_reached"]) == (
            reference["due"],
            reference["done"],
            reference["reached"],
        )
        if reference["satisfaction_rate"] is not None:
            assert got["satisfaction_rate"] == round(reference["satisfaction_rate"] * 100, 1)
