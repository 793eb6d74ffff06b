from decimal import Decimal

import pytest

from reports.appraisal import appraise, grade, item_score
from reports.models import AppraisalPolicy


@pytest.mark.parametrize(
    ("actual", "target", "weight", "score"),
    [
        (Decimal("95"), Decimal("95"), 20, Decimal("20.00")),  # at target
        (Decimal("99"), Decimal("95"), 20, Decimal("20.00")),  # above: capped at the weight
        (Decimal("76"), Decimal("95"), 20, Decimal("16.00")),  # below: proportional
        (Decimal("0"), Decimal("95"), 20, Decimal("0.00")),
        (None, Decimal("95"), 20, Decimal("20.00")),  # nothing to measure
    ],
)
def test_item_score(actual, target, weight, score):
    assert item_score(weight, actual, target) == score


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (100, "优"),
        (90, "优"),
        (Decimal("89.99"), "良"),
        (80, "良"),
        (Decimal("79.99"), "合格"),
        (70, "合格"),
        (Decimal("69.99"), "不合格"),
        (0, "不合格"),
    ],
)
def test_grade_boundaries(total, expected):
    assert str(grade(total)) == expected


@pytest.mark.django_db
def test_a_whole_month(mall):
    figures = {
        "first_contact_rate": Decimal("100"),
        "on_time_rate": Decimal("90.25"),  # 20 x 90.25/95 = 19.00
        "callback_rate": Decimal("98"),
        "satisfaction_rate": Decimal("81"),  # 20 x 81/90 = 18.00
        "tag_pass_rate": Decimal("98"),
        "recovery_rate": None,
        "external": 1,
    }
    result = appraise(mall, figures, spot_check_average=Decimal("85.5"))  # 10 x 85.5/90 = 9.50
    scores = {item.key: item.score for item in result["items"]}
    assert scores == {
        "first_response": Decimal("15.00"),
        "on_time": Decimal("19.00"),
        "callback": Decimal("10.00"),
        "satisfaction": Decimal("18.00"),
        "external": Decimal("5"),
        "price_tag": Decimal("10.00"),
        "recovery": Decimal("5"),
        "spot_check": Decimal("9.50"),
    }
    assert result["total"] == Decimal("91.50") and str(result["grade"]) == "优"


@pytest.mark.django_db
def test_external_escalations_never_below_zero_and_weights_are_mall_settings(mall):
    AppraisalPolicy.objects.update_or_create(mall=mall, defaults={"on_time_weight": 30, "external_penalty": 4})
    result = appraise(mall, {"external": 7, "on_time_rate": Decimal("95")})
    scores = {item.key: item.score for item in result["items"]}
    assert scores["external"] == 0 and scores["on_time"] == Decimal("30.00")
