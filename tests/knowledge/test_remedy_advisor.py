"""The advisor's answer at every boundary of DOMAIN.md §1. Expectations come from the rules
(90 and 180 days from acceptance, two failed repairs, more than 30 days in repair, 6 months,
max(3 x price, 500)), counted in calendar days from the day after delivery."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from knowledge.advisor import (
    EXCHANGE,
    LAW_ART_23,
    LAW_ART_55,
    PAID_REPAIR,
    REPAIR,
    RETURN,
    Facts,
    advise,
    fraud_figure,
)
from knowledge.models import WarrantyPolicy

DELIVERED = date(2025, 3, 1)
TODAY = date(2026, 12, 1)


def policy(**numbers):
    found = WarrantyPolicy._defaults(None)
    for name, value in numbers.items():
        setattr(found, name, value)
    return found


def on_day(day, **facts):
    """Advice for a defect found `day` days after delivery (day 1 = the day after)."""
    return advise(Facts(delivery_date=DELIVERED, found_on=DELIVERED + timedelta(days=day), **facts), policy(), TODAY)


def codes(advice):
    return {ground.code for ground in advice.grounds}


@pytest.mark.parametrize(
    ("day", "remedies", "rule"),
    [
        (0, [RETURN, EXCHANGE, REPAIR], "within_full_remedy"),
        (90, [RETURN, EXCHANGE, REPAIR], "within_full_remedy"),
        (91, [EXCHANGE, REPAIR], "within_exchange"),
        (180, [EXCHANGE, REPAIR], "within_exchange"),
        (181, [REPAIR], "within_warranty"),
    ],
)
def test_periods_from_acceptance(day, remedies, rule):
    advice = on_day(day)
    assert advice.remedies == remedies
    assert rule in codes(advice)
    assert advice.day == day


def test_warranty_end_is_twelve_months_after_delivery():
    assert on_day((date(2026, 3, 1) - DELIVERED).days).remedies == [REPAIR]
    after = on_day((date(2026, 3, 2) - DELIVERED).days)
    assert after.remedies == [PAID_REPAIR]
    assert "warranty_over" in codes(after)
    assert "operator_pays_costs" not in codes(after)


@pytest.mark.parametrize(("failed", "gives_exchange"), [(1, False), (2, True), (3, True)])
def test_second_failed_repair_gives_exchange_or_return(failed, gives_exchange):
    advice = on_day(200, failed_repairs=failed)
    assert ("failed_repairs" in codes(advice)) is gives_exchange
    assert (RETURN in advice.remedies and EXCHANGE in advice.remedies) is gives_exchange
    assert REPAIR in advice.remedies


@pytest.mark.parametrize(("days", "gives_exchange"), [(30, False), (31, True)])
def test_more_than_thirty_days_in_repair(days, gives_exchange):
    advice = on_day(200, days_in_repair=days)
    assert ("repair_too_long" in codes(advice)) is gives_exchange
    assert (advice.remedies[:2] == [RETURN, EXCHANGE]) is gives_exchange


def test_failed_repairs_after_the_warranty_give_nothing_free():
    advice = on_day(400, failed_repairs=3, days_in_repair=60)
    assert advice.remedies == [PAID_REPAIR]
    assert not codes(advice) & {"failed_repairs", "repair_too_long"}


def test_six_month_presumption_boundary():
    last = (date(2025, 9, 1) - DELIVERED).days  # 6 months after 2025-03-01
    inside, outside = on_day(last), on_day(last + 1)
    assert inside.presumed_operators and "presumption" in codes(inside)
    assert next(g.source for g in inside.grounds if g.code == "presumption") == str(LAW_ART_23)
    assert not outside.presumed_operators and "presumption" not in codes(outside)


@pytest.mark.parametrize(
    ("price", "figure"),
    [("100.00", "500.00"), ("166.66", "500.00"), ("166.67", "500.01"), ("200.00", "600.00"), ("6800.00", "20400.00")],
)
def test_fraud_reference_figure(price, figure):
    assert fraud_figure(Decimal(price)) == Decimal(figure)
    advice = on_day(10, fraud=True, price=Decimal(price))
    assert advice.fraud_figure == Decimal(figure)
    assert next(g.source for g in advice.grounds if g.code == "fraud_reference") == str(LAW_ART_55)


def test_no_fraud_no_figure():
    assert on_day(10, price=Decimal("100.00")).fraud_figure is None


def test_custom_non_standard_part_is_repaired_first_even_within_ninety_days():
    advice = on_day(10, custom_non_standard=True)
    assert advice.remedies == [REPAIR]
    assert "custom_repair_first" in codes(advice)
    assert on_day(10, custom_non_standard=True, failed_repairs=2).remedies[:2] == [RETURN, EXCHANGE]


def test_purchase_date_stands_in_for_a_missing_delivery_date():
    advice = advise(Facts(purchase_date=DELIVERED, found_on=DELIVERED + timedelta(days=91)), policy(), TODAY)
    assert advice.remedies == [EXCHANGE, REPAIR]
    assert advice.notes


def test_every_ground_names_its_source():
    advice = on_day(95, failed_repairs=2, days_in_repair=40, fraud=True, price=Decimal("10.00"))
    assert all(ground.source for ground in advice.grounds)


def test_mall_numbers_come_from_its_policy():
    longer = policy(full_remedy_days=120, exchange_days=200, failed_repairs=3, repair_days=20, warranty_months=24)
    found = DELIVERED + timedelta(days=120)
    assert advise(Facts(delivery_date=DELIVERED, found_on=found), longer, TODAY).remedies == [RETURN, EXCHANGE, REPAIR]
    late = advise(
        Facts(delivery_date=DELIVERED, found_on=DELIVERED + timedelta(days=500), failed_repairs=2), longer, TODAY
    )
    assert late.remedies == [REPAIR]
    long_repair = advise(
        Facts(delivery_date=DELIVERED, found_on=DELIVERED + timedelta(days=500), days_in_repair=21), longer, TODAY
    )
    assert long_repair.remedies[:2] == [RETURN, EXCHANGE]


def test_bad_facts_are_all_reported_at_once():
    with pytest.raises(ValidationError) as caught:
        advise(
            Facts(
                purchase_date=date(2026, 5, 2),
                delivery_date=date(2026, 5, 1),
                found_on=date(2027, 1, 1),
                failed_repairs=-1,
                fraud=True,
            ),
            policy(),
            TODAY,
        )
    assert set(caught.value.message_dict) == {"delivery_date", "found_on", "failed_repairs", "price"}


def test_no_dates_at_all():
    with pytest.raises(ValidationError) as caught:
        advise(Facts(), policy(), TODAY)
    assert "delivery_date" in caught.value.message_dict


@pytest.mark.django_db
def test_a_saved_policy_version_is_used_for_its_mall(mall):
    from django.utils import timezone

    WarrantyPolicy.objects.create(
        mall=mall, effective_from=timezone.localdate(), full_remedy_days=100, exchange_days=200
    )
    saved = WarrantyPolicy.for_mall(mall)
    facts = Facts(delivery_date=DELIVERED, found_on=DELIVERED + timedelta(days=95))
    assert advise(facts, saved, TODAY).remedies == [RETURN, EXCHANGE, REPAIR]
    assert advise(facts, WarrantyPolicy.for_mall(mall.pk + 999), TODAY).remedies == [EXCHANGE, REPAIR]
