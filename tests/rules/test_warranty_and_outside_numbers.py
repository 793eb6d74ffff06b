"""The numbers of DOMAIN.md §1 (the furniture warranty [mall/default] and the fraud reference of
Art 55) and §8a (outside parties [default]: the customer's link, quiet hours for SMS, the online
intake's codes), written out by hand and tried at their boundaries. Nothing is read from
knowledge.models.WarrantyPolicy, portal.models.LinkPolicy, sms.models.SmsPolicy or portal.intake's
constants: each expectation is a number typed here.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from knowledge.advisor import EXCHANGE, PAID_REPAIR, REPAIR, RETURN, Facts, advise, fraud_figure
from knowledge.models import WarrantyPolicy
from portal import intake
from portal.models import LinkPolicy
from sms.models import SmsPolicy
from sms.services import quiet_until

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
DELIVERED = date(2026, 1, 10)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the messages matched below
        yield


def remedies(mall, day=None, found_on=None, **facts):
    found_on = found_on or DELIVERED + timedelta(days=day)
    advice = advise(
        Facts(delivery_date=DELIVERED, found_on=found_on, **facts),
        WarrantyPolicy.for_mall(mall),
        today=found_on,
    )
    return set(advice.remedies)


# §1: within 90 days of acceptance free return, exchange or repair; within 180 days repair or
# exchange; then free repair to the end of the warranty (12 months by default); counted from
# the day after delivery.
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (90, {RETURN, EXCHANGE, REPAIR}),
        (91, {EXCHANGE, REPAIR}),
        (180, {EXCHANGE, REPAIR}),
        (181, {REPAIR}),
    ],
)
def test_the_warranty_periods_from_the_day_after_delivery(mall, day, expected):
    assert remedies(mall, day) == expected


def test_the_warranty_is_12_months(mall):
    assert remedies(mall, found_on=date(2027, 1, 10)) == {REPAIR}  # the last day of 12 months
    assert remedies(mall, found_on=date(2027, 1, 11)) == {PAID_REPAIR}


def test_two_failed_repairs_or_more_than_30_days_in_repair_give_exchange_or_return(mall):
    assert remedies(mall, 200, failed_repairs=1) == {REPAIR}
    assert remedies(mall, 200, failed_repairs=2) == {RETURN, EXCHANGE, REPAIR}
    assert remedies(mall, 200, days_in_repair=30) == {REPAIR}
    assert remedies(mall, 200, days_in_repair=31) == {RETURN, EXCHANGE, REPAIR}


# §1 [law: Art 55]: the fraud reference figure is max(3 x price, 500 yuan).
@pytest.mark.parametrize(
    ("price", "figure"),
    [
        ("100.00", "500.00"),
        ("166.66", "500.00"),  # 499.98
        ("166.67", "500.01"),
        ("1000.00", "3000.00"),
    ],
)
def test_the_fraud_reference_figure(price, figure):
    assert fraud_figure(Decimal(price)) == Decimal(figure)


# §8a: no SMS 21:00-08:00 (queued until 08:00).
@pytest.mark.parametrize(
    ("at", "sent_at"),
    [
        ("2026-11-20 20:59", "2026-11-20 20:59"),
        ("2026-11-20 21:00", "2026-11-21 08:00"),
        ("2026-11-21 07:59", "2026-11-21 08:00"),
        ("2026-11-21 08:00", "2026-11-21 08:00"),
    ],
)
def test_no_sms_from_21_to_8(mall, at, sent_at):
    now = datetime.strptime(at, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)
    sent = quiet_until(SmsPolicy.for_mall(mall), now).astimezone(SHANGHAI)
    assert sent.strftime("%Y-%m-%d %H:%M") == sent_at


# §8a: a customer link is valid until 90 days after the case ends.
def test_a_customer_link_lasts_90_days_after_the_case_ends(mall):
    assert LinkPolicy.for_mall(mall).valid_days_after_end == 90


# §8a: the mobile is confirmed by a 6-digit code valid 5 minutes, 5 tries; at most 5 codes per
# mobile per hour.
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


def send(mall, mobile="13912345678", address="10.0.0.1", now=NOW):
    return intake.code_send(mall=mall, mobile=mobile, address=address, purpose="complaint", now=now)


def test_a_code_is_valid_5_minutes(mall):
    code = send(mall)
    with pytest.raises(ValidationError, match="not right"):  # still valid: only the wrong code
        intake.code_check(verification=code, code="000000", now=NOW + timedelta(minutes=5))
    with pytest.raises(ValidationError, match="expired"):
        intake.code_check(verification=code, code="000000", now=NOW + timedelta(minutes=5, seconds=1))


def test_a_code_takes_5_tries(mall):
    code = send(mall)
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationError, match=f"{left} tries left"):
            intake.code_check(verification=code, code="000000", now=NOW)
    with pytest.raises(ValidationError, match="Too many wrong codes"):
        intake.code_check(verification=code, code="000000", now=NOW)  # the fifth try: none left


def test_at_most_5_codes_per_mobile_an_hour(mall):
    for minute in range(5):
        send(mall, address=f"10.0.0.{minute}", now=NOW + timedelta(minutes=minute))
    with pytest.raises(ValidationError) as caught:
        send(mall, address="10.0.0.9", now=NOW + timedelta(minutes=10))
    assert "mobile" in caught.value.message_dict
    send(mall, address="10.0.0.9", now=NOW + timedelta(minutes=60, seconds=1))  # the first left the hour


def test_at_most_20_codes_per_address_an_hour(mall):
    for n in range(20):
        send(mall, mobile=f"139000000{n:02d}", now=NOW + timedelta(minutes=n))
    with pytest.raises(ValidationError):
        send(mall, mobile="13900000099", now=NOW + timedelta(minutes=30))
