from datetime import date

import pytest

from returns.eligibility import EXCLUSION_SENTENCES, assess
from returns.models import ReturnPolicy

DELIVERED = date(2026, 11, 15)


def policy(**kwargs):
    return ReturnPolicy(**({"window_days": 7, "count_from": "delivery"} | kwargs))


def check(request_date, **overrides):
    arguments = {
        "policy": policy(),
        "request_date": request_date,
        "payment_date": date(2026, 11, 10),
        "delivery_date": DELIVERED,
        "voucher_number": "SY00001234",
        "via_unified_cashier": True,
        "flags": {},
    } | overrides
    return assess(**arguments)


def test_day_7_after_delivery_is_inside_the_window():
    result = check(date(2026, 11, 22))
    assert result.eligible and result.days_elapsed == 7
    assert result.last_day == date(2026, 11, 22)
    assert "第 7 天" in result.notes[0]


def test_day_8_after_delivery_is_outside():
    result = check(date(2026, 11, 23))
    assert not result.eligible
    assert result.reasons == ["7 天退货期已于 2026-11-22 届满，申请日为第 8 天。"]


def test_the_day_of_delivery_itself_is_day_0():
    assert check(DELIVERED).eligible


def test_counting_from_payment_by_setting():
    by_payment = policy(count_from="payment")
    assert check(date(2026, 11, 17), policy=by_payment).eligible  # day 7 after payment on the 10th
    result = check(date(2026, 11, 18), policy=by_payment)
    assert not result.eligible and result.counted_from == date(2026, 11, 10)


def test_a_mall_promising_30_days():
    assert check(date(2026, 12, 15), policy=policy(window_days=30)).eligible
    assert not check(date(2026, 12, 16), policy=policy(window_days=30)).eligible


def test_without_delivery_date_the_window_cannot_be_counted():
    result = check(date(2026, 11, 16), delivery_date=None)
    assert not result.eligible and "送货签收日期" in result.reasons[0]


@pytest.mark.parametrize(
    ("flag", "words"),
    [
        ("custom_made", "定制商品"),
        ("sample", "样品"),
        ("special_price", "特价"),
        ("imported_special_order", "进口特殊订货"),
        ("installed", "已安装"),
    ],
)
def test_each_exclusion_is_named(flag, words):
    result = check(date(2026, 11, 16), flags={flag: True})
    assert not result.eligible
    assert len(result.reasons) == 1 and words in result.reasons[0]


def test_every_reason_that_applies_is_listed():
    result = check(
        date(2026, 11, 30),
        voucher_number="",
        via_unified_cashier=False,
        flags=dict.fromkeys(EXCLUSION_SENTENCES, True),
    )
    assert len(result.reasons) == 8  # window, cashier, voucher and the five exclusions


def test_missing_voucher():
    result = check(date(2026, 11, 16), voucher_number="  ")
    assert result.reasons == ["顾客无法出示统一收银凭证或定/销货单。"]


def test_not_through_the_unified_cashier_says_so_plainly():
    result = check(date(2026, 11, 16), via_unified_cashier=False)
    assert "未通过商场统一收银付款" in result.reasons[0]
