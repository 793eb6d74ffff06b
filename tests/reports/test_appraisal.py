"""The monthly appraisal (DOMAIN.md §8; issue #16 item 6): scores, "no data", duty not done.

Expected scores are worked out by hand from the rule: score = weight' x min(1, actual / target),
where weight' spreads the weights of the no-data items over the others in proportion.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from reports.appraisal import appraise, grade, item_score
from reports.models import AppraisalPolicy
from reports.periods import parse_month
from reports.selectors import appraisal_sheets
from tests.complaints.factories import ComplaintFactory
from tests.factories import MallFactory

SH = ZoneInfo("Asia/Shanghai")
DEFAULTS = AppraisalPolicy()  # the DOMAIN.md §8 targets and weights, unsaved


@pytest.mark.parametrize(
    ("actual", "target", "weight", "score"),
    [
        (Decimal("95"), Decimal("95"), 20, Decimal("20.00")),  # at target
        (Decimal("99"), Decimal("95"), 20, Decimal("20.00")),  # above: capped at the weight
        (Decimal("76"), Decimal("95"), 20, Decimal("16.00")),  # below: proportional
        (Decimal("0"), Decimal("95"), 20, Decimal("0.00")),
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


def test_no_total_no_grade():
    assert grade(None) is None


def month(**figures):
    """A month's figures: something to measure in every item unless overridden."""
    base = {
        "received": 10,
        "carried_in": 2,
        "ended_resolved": 8,
        "callbacks_due": 10,
        "callbacks_done": 10,
        "callbacks_reached": 9,
        "tags_checked": 12,
        "compensation_paid_amount": Decimal("1000"),
        "first_contact_hours": 24,
        "external": 0,
        "first_contact_rate": Decimal("100"),
        "on_time_rate": Decimal("100"),
        "callback_rate": Decimal("100"),
        "satisfaction_rate": Decimal("100"),
        "tag_pass_rate": Decimal("100"),
        "recovery_rate": Decimal("100"),
    }
    return base | figures


def scores(result):
    return {item.key: item.score for item in result["items"]}


def test_a_whole_month_with_one_item_without_data(mall):
    figures = month(
        first_contact_rate=Decimal("100"),
        on_time_rate=Decimal("90.25"),  # 90.25/95 = 0.95
        callback_rate=Decimal("98"),
        satisfaction_rate=Decimal("81"),  # 81/90 = 0.9
        tag_pass_rate=Decimal("98"),
        compensation_paid_amount=Decimal("0"),  # no payouts: recovery has no data (weight 5)
        external=1,  # 10 - 5 = 5 of 10
    )
    result = appraise(mall, figures, policy=DEFAULTS, spot_checks=(3, Decimal("85.5")))  # 85.5/90 = 0.95
    # The recovery item's 5 points are spread over the other 95: every weight x 100/95.
    k = Decimal(100) / 95
    expected = {
        "first_response": 15 * k,
        "on_time": 20 * k * Decimal("0.95"),
        "callback": 10 * k,
        "satisfaction": 20 * k * Decimal("0.9"),
        "external": 10 * k * Decimal("0.5"),
        "price_tag": 10 * k,
        "spot_check": 10 * k * Decimal("0.95"),
    }
    got = scores(result)
    assert got.pop("recovery") is None
    assert got == {key: value.quantize(Decimal("0.01")) for key, value in expected.items()}
    assert result["total"] == sum(expected.values()).quantize(Decimal("0.01")) == Decimal("91.05")
    assert str(result["grade"]) == "优"
    assert result["spread"] == 5


def test_an_empty_month_has_no_grade_instead_of_100(mall):
    """Issue #16: "An empty mall scores 100 优"."""
    result = appraise(mall, month(**dict.fromkeys(month(), 0)), policy=DEFAULTS, traded=False)
    assert all(item.no_data for item in result["items"])
    assert result["total"] is None and result["grade"] is None


def test_inspections_and_spot_checks_not_done_score_zero(mall):
    """Issue #16: a mall with no price-tag inspections and no spot checks got those 20 points."""
    figures = month(
        first_contact_rate=Decimal("100"),
        on_time_rate=Decimal("95"),
        callback_rate=Decimal("98"),
        satisfaction_rate=Decimal("90"),
        recovery_rate=Decimal("90"),
        tags_checked=0,
    )
    result = appraise(mall, figures, policy=DEFAULTS, spot_checks=(0, None), traded=True)
    items = {item.key: item for item in result["items"]}
    assert items["price_tag"].not_done and items["price_tag"].score == 0
    assert items["spot_check"].not_done and items["spot_check"].score == 0
    # Nothing spread: their 20 points are lost, not given.
    assert result["total"] == Decimal("80.00") and str(result["grade"]) == "良"


def test_no_booths_let_means_no_inspections_were_due(mall):
    figures = month(first_contact_rate=Decimal("100"), on_time_rate=Decimal("95"), tags_checked=0)
    items = {i.key: i for i in appraise(mall, figures, policy=DEFAULTS, traded=False)["items"]}
    assert items["price_tag"].no_data and items["spot_check"].no_data


def test_callbacks_due_but_none_made(mall):
    figures = month(callbacks_due=4, callbacks_done=0, callbacks_reached=0, callback_rate=Decimal("0"))
    items = {i.key: i for i in appraise(mall, figures, policy=DEFAULTS)["items"]}
    assert items["callback"].score == 0 and not items["callback"].no_data
    assert items["satisfaction"].not_done and items["satisfaction"].score == 0


def test_calls_made_but_nobody_reached_leaves_satisfaction_without_data(mall):
    figures = month(callbacks_due=4, callbacks_done=4, callbacks_reached=0, callback_rate=Decimal("100"))
    items = {i.key: i for i in appraise(mall, figures, policy=DEFAULTS)["items"]}
    assert items["satisfaction"].no_data and items["callback"].status == "measured"


def test_external_escalations_never_below_zero_and_weights_are_mall_settings(mall):
    policy = AppraisalPolicy(mall=mall, on_time_weight=30, first_response_weight=5, external_penalty=4)
    figures = month(external=7, on_time_rate=Decimal("95"), first_contact_rate=Decimal("100"))
    result = appraise(mall, figures, policy=policy, spot_checks=(1, Decimal("90")))
    got = scores(result)
    assert got["external"] == 0 and got["on_time"] == Decimal("30.00") and got["first_response"] == Decimal("5.00")


# --- From the database: the month's boundary, the settings in force, the page --------------


@pytest.fixture
def november_and_december(mall):
    """One complaint received Mon 30 Nov 23:30 (November's) and one Tue 1 Dec 00:30 (December's),
    both 15:30 / 16:30 UTC on 30 Nov; each closed after a resolution, November's in time."""
    ComplaintFactory(
        mall=mall,
        received_at=datetime(2026, 11, 30, 23, 30, tzinfo=SH),
        first_contact_at=datetime(2026, 12, 1, 9, tzinfo=SH),
        status="closed",
        resolved_at=datetime(2026, 12, 2, tzinfo=SH),
        closed_at=datetime(2026, 12, 3, tzinfo=SH),
    )
    ComplaintFactory(
        mall=mall,
        received_at=datetime(2026, 12, 1, 0, 30, tzinfo=SH),
        status="closed",
        resolved_at=datetime(2026, 12, 12, tzinfo=SH),
        closed_at=datetime(2026, 12, 13, tzinfo=SH),
    )


@pytest.mark.django_db
def test_each_month_counts_its_own_complaints(mall, november_and_december):
    ((_mall, nov),) = appraisal_sheets([mall], parse_month("2026-11"))
    ((_mall, dec),) = appraisal_sheets([mall], parse_month("2026-12"))
    nov_items = {i.key: i for i in nov["items"]}
    dec_items = {i.key: i for i in dec["items"]}
    assert nov_items["first_response"].actual == Decimal("100.0")  # contacted within 9.5 h
    assert nov_items["on_time"].no_data  # November closed nothing
    assert dec_items["first_response"].actual == Decimal("0.0")  # never contacted
    assert dec_items["on_time"].actual == Decimal("50.0")  # 2 days (in time), 11 days (late)


@pytest.mark.django_db
def test_a_new_version_of_the_settings_leaves_past_months_alone(mall, november_and_december):
    before = appraisal_sheets([mall], parse_month("2026-11"))[0][1]
    AppraisalPolicy.objects.create(
        mall=mall, effective_from=date(2026, 12, 1), first_response_weight=35, on_time_weight=0
    )
    november = appraisal_sheets([mall], parse_month("2026-11"))[0][1]
    december = appraisal_sheets([mall], parse_month("2026-12"))[0][1]
    assert november["total"] == before["total"]
    assert [i.weight for i in november["items"]] == [i.weight for i in before["items"]]
    assert {i.key: i.weight for i in december["items"]}["first_response"] == 35


@pytest.mark.django_db
def test_the_form_says_what_had_no_data_and_an_empty_mall_has_no_grade(client, staff, mall, november_and_december):
    empty = MallFactory(code="HZ01", name="杭州商场")
    client.force_login(staff("head_office"))
    page = client.get(reverse("reports:appraisal"), {"month": "2026-11"}).content.decode()
    sheets = {part[:4]: part for part in page.split('data-mall="')[1:]}  # HZ01 comes first, by code
    sh = sheets["SH01"]
    on_time = sh[sh.index('data-item="on_time"') :]
    assert on_time.startswith('data-item="on_time" data-status="no_data"')
    assert '<td class="text-end">无数据</td>' in on_time[: on_time.index("</tr>")]
    assert "其权重按比例分配给其他项目（本月共" in sh
    hz = sheets["HZ01"]
    assert "不评等级：本月无可考核事项" in hz and 'data-total=""' in hz
    assert "不评等级：本月无可考核事项" not in sh
    assert empty.code in page


@pytest.mark.django_db
def test_appraisal_of_every_mall_costs_a_fixed_number_of_queries(mall, other_mall, django_assert_max_num_queries):
    for m in (mall, other_mall):
        ComplaintFactory(mall=m, received_at=datetime(2026, 11, 10, tzinfo=SH) + timedelta(hours=1))
    with django_assert_max_num_queries(15) as counted:  # 15: the exchanges section (issue 21)
        appraisal_sheets([mall, other_mall], parse_month("2026-11"))
    more = [MallFactory(code=f"X{i:03d}") for i in range(5)]
    with django_assert_max_num_queries(len(counted.captured_queries)):
        appraisal_sheets([mall, other_mall, *more], parse_month("2026-11"))
