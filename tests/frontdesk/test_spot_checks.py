"""Service supervision: a checklist score, and the month's average the monthly appraisal reads."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from frontdesk import services
from frontdesk.models import SpotCheck
from frontdesk.selectors import spot_check_average
from tests.frontdesk.conftest import at

pytestmark = pytest.mark.django_db

FULL_DESK = {"appearance": 15, "greeting": 15, "courtesy": 20, "answer": 20, "ownership": 15, "desk_order": 15}


def check(mall, actor, staff_checked, when, **scores):
    return services.spot_check_record(
        mall=mall,
        actor=actor,
        channel="desk",
        staff_checked=staff_checked,
        scores={**FULL_DESK, **scores},
        checked_at=when,
    )


def test_score_is_the_sum_of_the_checklist(mall, supervisor, desk, clock):
    spot = check(mall, supervisor, desk, None, answer=12, desk_order=10)
    assert spot.score == Decimal("87")
    assert sorted(spot.items.values_list("code", "points")) == sorted(
        {**FULL_DESK, "answer": 12, "desk_order": 10}.items()
    )


def test_points_stay_within_each_item_and_every_item_is_scored(mall, supervisor, desk, clock):
    with pytest.raises(ValidationError) as refused:
        check(mall, supervisor, desk, None, courtesy=21)
    assert "courtesy" in refused.value.message_dict
    scores = dict(FULL_DESK)
    del scores["answer"]
    with pytest.raises(ValidationError):
        services.spot_check_record(mall=mall, actor=supervisor, channel="desk", staff_checked=desk, scores=scores)
    assert not SpotCheck.objects.exists()


def test_only_supervisors_and_managers_check_and_not_themselves(mall, supervisor, desk, clock):
    with pytest.raises(PermissionDenied):
        check(mall, desk, supervisor, None)
    with pytest.raises(ValidationError):
        check(mall, supervisor, supervisor, None)


def test_month_average_feeds_the_appraisal(mall, other_mall, supervisor, desk, staff, clock):
    from servicedesk.roles import Role

    assert spot_check_average(mall, 2026, 3) is None
    check(mall, supervisor, desk, at(2026, 3, 1, 0, 5))  # 100: just inside March in Shanghai
    check(mall, supervisor, desk, at(2026, 3, 2, 11, 0), answer=15, desk_order=10)  # 90
    check(mall, supervisor, desk, at(2026, 3, 2, 12, 0), courtesy=13)  # 93
    check(mall, supervisor, desk, at(2026, 2, 28, 23, 55), appearance=0)  # February
    outsider = staff(Role.SUPERVISOR, in_mall=other_mall)
    check(other_mall, outsider, staff(Role.FRONT_DESK, in_mall=other_mall), at(2026, 3, 2, 9, 0), answer=0)

    average = spot_check_average(mall, 2026, 3)
    assert average == Decimal("94.33")
    assert isinstance(average, Decimal)
    assert spot_check_average(mall, 2026, 2) == Decimal("85.00")
    assert spot_check_average(other_mall, 2026, 3) == Decimal("80.00")
