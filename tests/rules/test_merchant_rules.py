"""Merchants' entry and exit (DOMAIN.md §5), written out by hand: who may take each step in each
state, the deposit hold of 6 months, price-tag inspections (10% of booths a week, fix within
24 h, two failures in 30 days flag the merchant). Nothing is read from merchants.models.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from merchants.models import Merchant
from merchants.services import (
    inspection_record,
    merchant_confirm_exit,
    merchant_register,
    merchant_update,
    weekly_coverage,
)
from tests.merchants.factories import BoothFactory, MerchantFactory
from tests.merchants.test_merchant_transitions import act, ready
from tests.rules.harness import EVERYONE, OUTSIDERS, attempt, people

pytestmark = pytest.mark.django_db

NOT_A_STEP_TRIED = ("clerk", "manager")

SH = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 20)
STATES = ("applied", "verified", "active", "exit_noticed", "exited", "deposit_released")
EXPECTED = {
    ("applied", "verify"): ("verified", {"manager"}),
    ("verified", "activate"): ("active", {"clerk", "manager"}),
    ("active", "notice_exit"): ("exit_noticed", {"clerk", "manager"}),
    ("exit_noticed", "confirm_exit"): ("exited", {"manager"}),
    ("exited", "release_deposit"): ("deposit_released", {"manager"}),
}
ACTIONS = ("verify", "activate", "notice_exit", "confirm_exit", "release_deposit")
EDITORS = {"clerk", "manager"}


# The state walk runs on today's date (its exit notice is given today); the numbers on a fixed day.
ON_THE_DAY = time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=SH), tick=False)


@pytest.fixture
def everyone(mall, other_mall):
    return people(mall, other_mall, prefix="m")


@pytest.mark.parametrize("action", ACTIONS)
def test_each_step_in_each_state_for_each_role(action, mall, everyone, with_documents):
    wrong = []
    for state in STATES:
        merchant = MerchantFactory(mall=mall, status="applied")
        BoothFactory(merchant=merchant)
        merchant = ready(merchant, state, everyone["manager"], with_documents)
        after, allowed = EXPECTED.get((state, action), (None, set()))
        # Where the action is no step, the roles that could most plausibly take it are tried.
        for who in (*EVERYONE, *OUTSIDERS) if (state, action) in EXPECTED else NOT_A_STEP_TRIED:
            outcome, result = attempt(lambda who=who, m=merchant: act(action, m, everyone[who]))
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
        assert Merchant.objects.get(pk=merchant.pk).status == state
    assert not wrong, "\n".join(wrong)


def test_who_keeps_merchant_files(mall, everyone):
    merchant = MerchantFactory(mall=mall)
    for who in (*EVERYONE, *OUTSIDERS):
        outcome, _ = attempt(
            lambda who=who: merchant_register(
                mall=mall,
                actor=everyone[who],
                company_name="上海梵居家具有限公司",
                brand="梵居",
                credit_code="91350100m000100y43",
                category="furniture",
            )
        )
        assert outcome == ("done" if who in EDITORS else "denied"), f"register by {who}"
        outcome, _ = attempt(lambda who=who: merchant_update(merchant=merchant, actor=everyone[who], notes="改"))
        assert outcome == ("done" if who in EDITORS else "denied"), f"update by {who}"


@ON_THE_DAY
def test_the_deposit_is_held_six_months_after_exit(mall, everyone, with_documents):
    merchant = MerchantFactory(mall=mall, status="applied")
    BoothFactory(merchant=merchant)
    merchant = ready(merchant, "exit_noticed", everyone["manager"], with_documents)
    merchant = merchant_confirm_exit(merchant=merchant, actor=everyone["manager"], exited_on=TODAY)
    assert merchant.exited_on == TODAY
    assert merchant.deposit_hold_until == date(2027, 5, 20)


@ON_THE_DAY
@pytest.mark.parametrize(("inspected", "met"), [(1, False), (2, True)])
def test_at_least_ten_percent_of_booths_a_week(inspected, met, mall, everyone):
    # 15 occupied booths: one inspected is 6.7%, two are 13.3% (the line is 10%).
    booths = [BoothFactory(merchant__mall=mall) for _ in range(15)]
    for booth in booths[:inspected]:
        inspection_record(booth=booth, actor=everyone["price_tag_officer"], items_checked=10)
    coverage = weekly_coverage(mall, TODAY)
    assert coverage["occupied"] == 15
    assert coverage["met"] is met


@ON_THE_DAY
def test_ten_percent_exactly_meets_the_line(mall, everyone):
    booths = [BoothFactory(merchant__mall=mall) for _ in range(10)]
    inspection_record(booth=booths[0], actor=everyone["price_tag_officer"], items_checked=10)
    assert weekly_coverage(mall, TODAY)["met"] is True


@ON_THE_DAY
def test_a_failure_is_fixed_within_24_hours(mall, everyone):
    booth = BoothFactory(merchant__mall=mall)
    now = datetime(2026, 11, 20, 10, tzinfo=SH)
    failed = inspection_record(
        booth=booth, actor=everyone["price_tag_officer"], items_checked=5, failures=[("tag_missing", "")]
    )
    assert failed.fix_deadline == now + timedelta(hours=24)


@ON_THE_DAY
@pytest.mark.parametrize(
    ("apart", "flagged"),
    [(timedelta(days=29, hours=23), True), (timedelta(days=30), False)],
)
def test_two_failures_within_30_days_flag_the_merchant(apart, flagged, mall, everyone):
    booth = BoothFactory(merchant__mall=mall)
    second = datetime(2026, 11, 20, 10, tzinfo=SH)
    officer = everyone["price_tag_officer"]
    inspection_record(
        booth=booth, actor=officer, items_checked=5, failures=[("tag_missing", "")], inspected_at=second - apart
    )
    booth.merchant.refresh_from_db()
    assert booth.merchant.flagged is False  # one failure flags nobody
    inspection_record(booth=booth, actor=officer, items_checked=5, failures=[("tag_missing", "")], inspected_at=second)
    booth.merchant.refresh_from_db()
    assert booth.merchant.flagged is flagged
