"""The head-office home's 12-week trend: one query, and the same received/closed counts as the
weekly report's complaint section for each week (issue #22: it was the section run 12 times)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from reports.dashboard import chain_trend
from reports.periods import week_of
from reports.weekly import complaint_section
from tests.complaints.factories import ComplaintFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def weeks_of_complaints(mall, other_mall):
    # On both sides of Monday 00:00 in Shanghai (Sunday 16:00 UTC), and outside the 12 weeks.
    ComplaintFactory(mall=mall, received_at=datetime(2026, 11, 15, 23, 59, tzinfo=SH))  # W46, Sunday
    ComplaintFactory(mall=mall, received_at=datetime(2026, 11, 16, 0, 0, tzinfo=SH))  # W47, Monday
    ComplaintFactory(
        mall=other_mall,
        received_at=datetime(2026, 11, 10, 9, tzinfo=SH),
        closed_at=datetime(2026, 11, 17, 9, tzinfo=SH),
        status="closed",
    )
    ComplaintFactory(
        mall=other_mall,
        received_at=datetime(2026, 6, 1, 9, tzinfo=SH),  # long before the 12 weeks
        closed_at=datetime(2026, 11, 20, 9, tzinfo=SH),
        status="closed",
    )
    ComplaintFactory(mall=mall, received_at=datetime(2026, 6, 1, 9, tzinfo=SH))  # outside, open


def test_trend_counts_as_the_weekly_section(mall, other_mall, weeks_of_complaints):
    last_week = week_of(date(2026, 11, 23))  # W48
    trend = chain_trend([mall.pk, other_mall.pk], last_week)
    assert [key for key, _r, _c in trend][-3:] == ["W46", "W47", "W48"] and len(trend) == 12
    period = last_week
    expected = []
    for _ in range(12):
        section = complaint_section([mall.pk, other_mall.pk], period)
        expected.append(
            (
                period.key[-3:],
                sum(v.get("received", 0) for v in section.values()),
                sum(v.get("closed", 0) for v in section.values()),
            )
        )
        period = period.previous()
    assert trend == expected[::-1]
    by_week = {key: (r, c) for key, r, c in trend}
    assert by_week["W46"] == (2, 0) and by_week["W47"] == (1, 2) and by_week["W48"] == (0, 0)


def test_trend_is_one_query_and_only_the_malls_asked(mall, other_mall, weeks_of_complaints, django_assert_num_queries):
    with django_assert_num_queries(1):
        trend = chain_trend([mall.pk], week_of(date(2026, 11, 23)))
    assert sum(r for _k, r, _c in trend) == 2 and sum(c for _k, _r, c in trend) == 0
