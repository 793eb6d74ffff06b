"""The definitions an auditor recomputes (DOMAIN.md §8, "fixed 2026-12"; issue #16 items 1-3, 5).

Every expectation here comes from the rule, counted row by row in `recount()` (which reads the
raw tables and never imports reports/), and for the scenario also by hand. The scenario crosses
the week boundary (Sunday 23:30 vs Monday 00:30 in Asia/Shanghai, both Sunday in UTC) and the
month boundary (week 2026-W49 runs Mon 30 Nov - Sun 6 Dec 2026).
"""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from compensations.models import Compensation, CompensationRecovery
from complaints.models import ComplaintDeadline, ComplaintPause, ComplaintPolicy, DeadlineKind, Status
from reports.periods import parse_week
from reports.weekly import check_identities, total, weekly_figures
from tests.complaints.factories import ComplaintFactory
from tests.factories import MallFactory, UserFactory
from tests.merchants.factories import BoothFactory, MerchantFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
W48, W49, W50 = parse_week("2026-W48"), parse_week("2026-W49"), parse_week("2026-W50")
# DOMAIN.md defaults, written here from the document, not read from the code.
RESOLUTION_DAYS, FIRST_CONTACT_HOURS, DELAY_DAYS = 7, 24, 15


def at(month, day, hour=10, minute=0, year=2026):
    return datetime(year, month, day, hour, minute, tzinfo=SH)


def complaint(mall, received, *, status=Status.ASSIGNED, closed=None, resolved=None, **fields):
    return ComplaintFactory(
        mall=mall, received_at=received, status=status, closed_at=closed, resolved_at=resolved, **fields
    )


def clock(c, started, due, met):
    """A resolution clock as the services leave it (started, due, stopped)."""
    return ComplaintDeadline.objects.create(
        complaint=c, kind=DeadlineKind.RESOLUTION, started_at=started, due_at=due, met_at=met
    )


@pytest.fixture
def scenario(mall):
    """The cases of issue #16, one per defect, in mall SH01 around week 2026-W49."""
    c = {}
    # Received Sunday 23:30 (W48), resolved in 3 days, closed in W49: on time.
    c["sunday_late"] = complaint(mall, at(11, 29, 23, 30), status=Status.CLOSED, resolved=at(12, 2), closed=at(12, 4))
    # Received Monday 00:30 (W49): received in W49 though both are Sunday in UTC.
    c["monday_early"] = complaint(mall, at(11, 30, 0, 30), first_contact_at=at(11, 30, 20))
    # Reopened: the first round met its clock, the final resolution came 8 days after
    # registration: late, although every clock row says "met".
    reopened = complaint(
        mall, at(11, 23), status=Status.CLOSED, resolved=at(12, 1, 11), closed=at(12, 3), reopen_count=1
    )
    clock(reopened, at(11, 23), at(11, 30), at(11, 25))
    clock(reopened, at(11, 28), at(12, 5), at(12, 1, 11))
    c["reopened"] = reopened
    # Endings that are not closures after a resolution: their clocks stopped "in time".
    withdrawn = complaint(mall, at(11, 24), status=Status.WITHDRAWN, closed=at(11, 30, 12))
    clock(withdrawn, at(11, 24), at(12, 1), at(11, 30, 12))
    not_accepted = complaint(mall, at(12, 1, 9), status=Status.NOT_ACCEPTED, closed=at(12, 1, 15))
    clock(not_accepted, at(12, 1, 9), at(12, 8, 9), at(12, 1, 15))
    escalated = complaint(mall, at(11, 20), status=Status.ESCALATED, closed=at(12, 5))
    clock(escalated, at(11, 20), at(11, 27), at(12, 5))
    c.update(withdrawn=withdrawn, not_accepted=not_accepted, escalated=escalated)
    # Paused 3 days for a quality test: 8 d 23 h from registration, 5 d 23 h on the clock.
    paused = complaint(mall, at(11, 25), status=Status.CLOSED, resolved=at(12, 4, 9), closed=at(12, 5))
    ComplaintPause.objects.create(
        complaint=paused, started_at=at(11, 26), ended_at=at(11, 29), reason="质检", started_by=UserFactory()
    )
    c["paused"] = paused
    # Referred outside in W49, received in W46.
    c["referred"] = complaint(
        mall, at(11, 10), status=Status.EXTERNAL, external_body="12315", referred_at=at(12, 2, 15)
    )
    # Referred in W48, closed in W49 after the regulator's outcome: its own column.
    c["closed_after_referral"] = complaint(
        mall,
        at(11, 26),
        status=Status.CLOSED,
        external_body="council",
        referred_at=at(11, 27),
        resolved=at(12, 1),
        closed=at(12, 2),
    )
    # Closed Sunday 23:30 (W49) and Monday 00:30 (W50), resolved quickly.
    c["closed_sunday"] = complaint(mall, at(12, 3), status=Status.CLOSED, resolved=at(12, 4), closed=at(12, 6, 23, 30))
    c["closed_monday"] = complaint(mall, at(12, 3), status=Status.CLOSED, resolved=at(12, 4), closed=at(12, 7, 0, 30))
    # Open since 11-10 (more than 15 days at the end of W49), and one received Sunday 23:30.
    c["old_open"] = complaint(mall, at(11, 10), first_contact_at=at(11, 12))
    c["sunday_received"] = complaint(mall, at(12, 6, 23, 30))
    return c


def recount(mall, period, *, resolution_days=RESOLUTION_DAYS, hours=FIRST_CONTACT_HOURS, delay=DELAY_DAYS):
    """DOMAIN.md §8 counted the slow, obvious way, one complaint at a time."""
    from complaints.models import Complaint

    start, end = period.start, period.end
    rows = list(Complaint.objects.filter(mall=mall).prefetch_related("pauses"))

    def open_at(t):
        return [c for c in rows if c.received_at < t and (c.closed_at is None or c.closed_at >= t)]

    def paused(c):
        return sum(
            (
                min(p.ended_at or c.resolved_at, c.resolved_at) - p.started_at
                for p in c.pauses.all()
                if p.started_at < c.resolved_at
            ),
            timedelta(0),
        )

    received = [c for c in rows if start <= c.received_at < end]
    ended = [c for c in rows if c.closed_at and start <= c.closed_at < end]
    base = [c for c in ended if c.status == Status.CLOSED and not c.external_body]
    on_time = [
        c
        for c in base
        if c.resolved_at and c.resolved_at - c.received_at - paused(c) <= timedelta(days=resolution_days)
    ]
    return {
        "received": len(received),
        "carried_in": len(open_at(start)),
        "closed": len(ended),
        "carried_out": len(open_at(end)),
        "ended_resolved": len(base),
        "ended_after_referral": len([c for c in ended if c.status == Status.CLOSED and c.external_body]),
        "ended_withdrawn": len([c for c in ended if c.status == Status.WITHDRAWN]),
        "ended_not_accepted": len([c for c in ended if c.status == Status.NOT_ACCEPTED]),
        "ended_escalated": len([c for c in ended if c.status == Status.ESCALATED]),
        "closed_on_time": len(on_time),
        "external": len([c for c in rows if c.referred_at and start <= c.referred_at < end]),
        "overdue": len([c for c in open_at(end) if c.received_at < end - timedelta(days=delay)]),
        "first_contact_in_time": len(
            [c for c in received if c.first_contact_at and c.first_contact_at <= c.received_at + timedelta(hours=hours)]
        ),
        "close_time": sum((c.closed_at - c.received_at for c in base), timedelta(0)),
    }


@pytest.mark.parametrize("period", [W48, W49, W50], ids=lambda p: p.key)
def test_every_complaint_figure_matches_the_rule_counted_row_by_row(scenario, mall, period):
    got = weekly_figures([mall.pk], period)[mall.pk]
    for key, want in recount(mall, period).items():
        assert got[key] == want, (period.key, key)
    assert not check_identities(got)


def test_on_time_rate_counts_only_closures_after_a_final_resolution_in_time(scenario, mall):
    """Hand count for W49: closed after a resolution = sunday_late (on time), reopened (late,
    8 d 1 h), paused (5 d 23 h on the clock: on time), closed_sunday (on time) -> 3 / 4."""
    w49 = weekly_figures([mall.pk], W49)[mall.pk]
    assert (w49["closed_on_time"], w49["ended_resolved"]) == (3, 4)
    assert w49["on_time_rate"] == Decimal("75.0")
    # Withdrawn, not accepted, escalated and the referral are in their own columns.
    assert (w49["ended_withdrawn"], w49["ended_not_accepted"], w49["ended_escalated"]) == (1, 1, 1)
    assert w49["ended_after_referral"] == 1
    # C counts every ending so that O1 = O0 + R - C still holds.
    assert w49["closed"] == 4 + 1 + 1 + 1 + 1
    assert w49["carried_out"] == w49["carried_in"] + w49["received"] - w49["closed"]


def test_the_sunday_and_monday_half_hours_fall_in_their_own_weeks(scenario, mall):
    w48, w49, w50 = (weekly_figures([mall.pk], p)[mall.pk] for p in (W48, W49, W50))
    # Received Sun 29 Nov 23:30 is W48's; Mon 30 Nov 00:30 is W49's.
    assert scenario["sunday_late"].received_at.astimezone(ZoneInfo("UTC")).date() == (
        scenario["monday_early"].received_at.astimezone(ZoneInfo("UTC")).date()
    )
    # reopened 11-23, withdrawn 11-24, paused 11-25, closed_after_referral 11-26, sunday_late
    assert w48["received"] == 5
    assert w49["received"] == 5  # monday_early, not_accepted, closed_sunday, closed_monday, sunday_received
    # Closed Sun 6 Dec 23:30 is W49's, Mon 7 Dec 00:30 is W50's.
    assert w50["closed"] == 1 and w50["ended_resolved"] == 1


def test_a_week_with_no_closures_shows_a_dash_not_zero(mall, client, staff):
    from django.urls import reverse

    complaint(mall, at(11, 18))
    figures = weekly_figures([mall.pk], parse_week("2026-W47"))[mall.pk]
    assert figures["ended_resolved"] == 0 and figures["on_time_rate"] is None
    client.force_login(staff("manager"))
    page = client.get(reverse("reports:weekly"), {"week": "2026-W47"}).content.decode()
    assert 'data-key="on_time_rate">—<' in page


def test_referrals_count_in_the_week_they_were_made(scenario, mall):
    by_week = {p.key: weekly_figures([mall.pk], p)[mall.pk]["external"] for p in (parse_week("2026-W46"), W48, W49)}
    # The 12315 referral was received in W46 and referred in W49; the council one in W48.
    assert by_week == {"2026-W46": 0, "2026-W48": 1, "2026-W49": 1}


def test_refer_service_dates_the_referral(mall, time_machine):
    from complaints.services import complaint_refer
    from tests.factories import make_staff

    officer = make_staff("complaint_officer", mall)
    c = complaint(mall, at(11, 10), assignee=officer)
    time_machine.move_to(at(12, 2, 15), tick=False)
    complaint_refer(complaint=c, actor=officer, body="12315", note="顾客已向12315投诉")
    c.refresh_from_db()
    assert c.referred_at == at(12, 2, 15)
    assert weekly_figures([mall.pk], W49)[mall.pk]["external"] == 1


def test_overdue_and_first_contact_follow_the_rule(scenario, mall):
    w49 = weekly_figures([mall.pk], W49)[mall.pk]
    # Open at the end of W49 and received before 21 Nov 24:00: old_open (11-10) and the
    # referral (11-10, still open outside).
    assert w49["overdue"] == 2
    # Of W49's five received, only monday_early had a first contact, within 20 h.
    assert (w49["first_contact_in_time"], w49["received"]) == (1, 5)


# --- Settings with an effective date --------------------------------------------------------


def test_a_new_resolution_target_applies_from_the_first_period_starting_on_or_after_it(scenario, mall):
    # Resolved 8 days after registration, closed in W50: late under 7 days, on time under 10.
    complaint(mall, at(12, 1), status=Status.CLOSED, resolved=at(12, 9), closed=at(12, 10))
    before = {p.key: weekly_figures([mall.pk], p)[mall.pk] for p in (W48, W49, W50)}
    # Head office lengthens the target to 10 days from Tuesday 1 December.
    ComplaintPolicy.objects.create(mall=mall, effective_from=at(12, 1).date(), resolution_days=10)
    after = {p.key: weekly_figures([mall.pk], p)[mall.pk] for p in (W48, W49, W50)}
    # W48 and W49 began under the 7-day target and keep it: no past figure moves.
    for key in ("2026-W48", "2026-W49"):
        assert after[key]["closed_on_time"] == before[key]["closed_on_time"], key
        assert after[key]["resolution_days"] == 7
    assert after["2026-W50"]["resolution_days"] == 10
    assert (before["2026-W50"]["closed_on_time"], after["2026-W50"]["closed_on_time"]) == (1, 2)
    assert after["2026-W50"] == weekly_figures([mall.pk], W50)[mall.pk]
    assert after["2026-W50"]["closed_on_time"] == recount(mall, W50, resolution_days=10)["closed_on_time"]


def test_malls_with_different_targets_in_one_query(scenario, mall, other_mall):
    ComplaintPolicy.objects.create(mall=other_mall, effective_from=at(1, 1).date(), resolution_days=3)
    # In WX01 a complaint resolved in 4 days: on time by the 7-day default, late by its 3 days.
    complaint(other_mall, at(11, 30), status=Status.CLOSED, resolved=at(12, 4), closed=at(12, 5))
    both = weekly_figures([mall.pk, other_mall.pk], W49)
    assert both[mall.pk]["closed_on_time"] == recount(mall, W49)["closed_on_time"] == 3
    assert both[other_mall.pk]["closed_on_time"] == recount(other_mall, W49, resolution_days=3)["closed_on_time"] == 0
    chain = total(both.values())
    assert chain["resolution_days"] is None  # the malls differ: the rollup says "each mall's target"
    assert chain["on_time_rate"] == Decimal("60.0")  # (3 + 0) / (4 + 1), from the sums


# --- Recovery: both readings ----------------------------------------------------------------


def _compensation(mall, paid_at, amount):
    c = complaint(mall, at(10, 1), status=Status.ESCALATED, closed=at(10, 20))
    return Compensation.objects.create(
        mall=mall,
        number=f"PC-{mall.code}-{paid_at:%Y%m%d%H%M}",
        status="recovering",
        complaint=c,
        merchant=c.merchant,
        reason="quality",
        loss_price=amount,
        loss_costs=Decimal("0"),
        loss_penalties=Decimal("0"),
        amount=amount,
        merchant_position="拒绝",
        proposed_by=UserFactory(),
        proposed_at=paid_at - timedelta(days=5),
        tier="manager",
        paid_at=paid_at,
    )


def _recovery(compensation, day, amount):
    return CompensationRecovery.objects.create(
        compensation=compensation, kind="payment", amount=Decimal(amount), received_on=day, recorded_by=UserFactory()
    )


def test_recovery_is_shown_both_as_received_in_the_week_and_so_far_of_its_payouts(mall):
    this_week = _compensation(mall, at(12, 1), Decimal("1000.00"))  # paid in W49
    earlier = _compensation(mall, at(11, 18), Decimal("800.00"))  # paid in W47
    _recovery(this_week, at(12, 3).date(), "300.00")  # W49
    _recovery(this_week, at(12, 9).date(), "200.00")  # W50, later
    _recovery(earlier, at(12, 6, 23, 30).date(), "100.00")  # Sunday of W49
    w49 = weekly_figures([mall.pk], W49)[mall.pk]
    assert w49["compensation_paid_amount"] == Decimal("1000.00")
    assert w49["recovered_in_period"] == Decimal("400.00")  # 300 + 100, whatever payout
    assert w49["compensation_recovered_amount"] == Decimal("500.00")  # 300 + 200 so far
    assert w49["recovery_rate"] == Decimal("50.0")
    w50 = weekly_figures([mall.pk], W50)[mall.pk]
    assert (w50["recovered_in_period"], w50["compensation_recovered_amount"]) == (Decimal("200.00"), 0)


# --- Top 5 with ties --------------------------------------------------------------------------


def test_top_merchants_show_ties_with_competition_ranks_and_say_how_many_more(mall):
    leader = MerchantFactory(mall=mall, brand="A领先")
    tied = [MerchantFactory(mall=mall, brand=f"B并列{i}") for i in range(8)]
    for merchant, n in [(leader, 3), *((m, 2) for m in tied)]:
        booth = BoothFactory(merchant=merchant)
        for _ in range(n):
            complaint(mall, at(12, 2), merchant=merchant, booth=booth)
    figures = weekly_figures([mall.pk], W49)[mall.pk]
    shown = [(m["rank"], m["brand"], m["n"]) for m in figures["top_merchants"]]
    assert shown == [(1, "A领先", 3), (2, "B并列0", 2), (2, "B并列1", 2), (2, "B并列2", 2), (2, "B并列3", 2)]
    assert figures["top_more"] == {"count": 4, "n": 2}  # B并列4..7 are said, not dropped


def test_eight_merchants_tied_at_two(mall, client, staff):
    from django.urls import reverse

    for i in range(8):
        merchant = MerchantFactory(mall=mall, brand=f"并列{i}")
        booth = BoothFactory(merchant=merchant)
        for _ in range(2):
            complaint(mall, at(12, 2), merchant=merchant, booth=booth)
    figures = weekly_figures([mall.pk], W49)[mall.pk]
    assert [m["rank"] for m in figures["top_merchants"]] == [1, 1, 1, 1, 1]
    assert figures["top_more"] == {"count": 3, "n": 2}
    client.force_login(staff("manager"))
    page = client.get(reverse("reports:weekly"), {"week": "2026-W49"}).content.decode()
    assert "另有 3 家同为 2 件" in page


def test_the_chain_top_five_ranks_merchants_of_every_mall(mall, other_mall):
    for m, brand, n in ((mall, "上海甲", 2), (other_mall, "无锡乙", 4), (other_mall, "无锡丙", 1)):
        merchant = MerchantFactory(mall=m, brand=brand)
        booth = BoothFactory(merchant=merchant)
        for _ in range(n):
            complaint(m, at(12, 2), merchant=merchant, booth=booth)
    chain = total(weekly_figures([mall.pk, other_mall.pk], W49).values())
    assert [(x["rank"], x["brand"], x["mall"], x["n"]) for x in chain["top_merchants"]] == [
        (1, "无锡乙", "WX01", 4),
        (2, "上海甲", "SH01", 2),
        (3, "无锡丙", "WX01", 1),
    ]


def test_an_empty_mall_has_zeros_and_no_rates():
    empty = MallFactory(code="HZ01")
    figures = weekly_figures([empty.pk], W49)[empty.pk]
    assert figures["received"] == 0 and figures["top_merchants"] == [] and figures["top_more"] is None
    assert all(figures[key] is None for key in ("closure_rate", "on_time_rate", "recovery_rate", "tag_pass_rate"))


@pytest.mark.parametrize(
    "key",
    ["carried_in", "received", "closed", "carried_out", "external", "overdue", "ended_withdrawn", "ended_escalated"],
)
def test_each_number_links_to_the_register_rows_it_counts(key, scenario, mall, client, staff):
    import html as html_lib
    import re as re_lib

    from django.urls import reverse

    client.force_login(staff("head_office"))
    page = client.get(reverse("reports:weekly"), {"week": "2026-W49", "mall": "SH01"}).content.decode()
    link, shown = re_lib.search(rf'data-key="{key}"><a href="([^"]+)">(\d+)</a>', page).groups()
    register = client.get(html_lib.unescape(link)).content.decode()
    assert register.count("TS-X-") == int(shown) == recount(mall, W49).get(key, int(shown))
