"""Amounts in Chinese capitals, checked against the People's Bank's own examples for bills."""

from decimal import Decimal

import pytest

from servicedesk.amounts import rmb_capitals


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1409.50", "壹仟肆佰零玖元伍角"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("107000.53", "壹拾万柒仟元伍角叁分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        ("10", "壹拾元整"),
        ("10000", "壹万元整"),
        ("100005", "壹拾万零伍元整"),
        ("1000000", "壹佰万元整"),
        ("100000001", "壹亿零壹元整"),
        ("1010", "壹仟零壹拾元整"),
        ("50000.00", "伍万元整"),
        ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("0.05", "伍分"),
        ("0.50", "伍角"),
        ("0", "零元整"),
        ("9999999.99", "玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
        ("0.005", "壹分"),
    ],
)
def test_capitals(amount, words):
    assert rmb_capitals(Decimal(amount)) == words


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError):
        rmb_capitals(Decimal("-1"))
