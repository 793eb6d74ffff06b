"""A rate of 0 is "0.0%", "—" only when there is nothing to measure, and every percentage carries
its % sign (dashboards, the appraisal, the callback figures)."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.periods import week_of
from servicedesk.roles import Role
from servicedesk.templatetags.desk import percent
from tests.complaints.factories import ComplaintFactory

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("value", "scale", "shown"),
    [
        (None, "points", "—"),
        (Decimal("0"), "points", "0.0%"),
        (0, "points", "0.0%"),
        (Decimal("60"), "points", "60.0%"),
        (Decimal("66.67"), "points", "66.7%"),
        (Decimal("0"), "fraction", "0.0%"),
        (Decimal("0.6"), "fraction", "60.0%"),
        (None, "fraction", "—"),
    ],
)
def test_percent_filter(value, scale, shown):
    assert percent(value, scale) == shown


@pytest.mark.django_db
def test_the_worst_mall_shows_a_zero_rate_not_no_data(client, mall, other_mall, staff):
    """Head office's dashboard: a mall that received complaints last week and closed none is at
    0.0%; a mall with nothing to measure shows "—"."""
    worst = mall
    last_week = week_of(timezone.localdate() - timedelta(days=7))
    wednesday = datetime.combine(last_week.first_day + timedelta(days=2), datetime.min.time(), SH)
    ComplaintFactory(mall=worst, received_at=wednesday.replace(hour=10))
    client.force_login(staff(Role.HEAD_OFFICE, in_mall=None))
    page = client.get(reverse("home")).text
    table = page[page.index('id="chain-dashboard"') :]
    sh01 = table[table.index("SH01") : table.index("</tr>", table.index("SH01"))]
    wx01 = table[table.index("WX01") : table.index("</tr>", table.index("WX01"))]
    assert ">0.0%<" in sh01  # closed none of one: the closure rate (on-time has nothing to measure)
    assert ">—<" in wx01 and "%" not in wx01


@pytest.mark.django_db
def test_the_mall_dashboard_shows_a_zero_closure_rate(client, mall, staff):
    ComplaintFactory(mall=mall, received_at=timezone.now() - timedelta(minutes=5))
    client.force_login(staff(Role.SUPERVISOR))
    page = client.get(reverse("home")).text
    row = page[page.index("<td>办结率<") :]
    row = row[: row.index("</tr>")]
    assert ">0.0%<" in row


@pytest.mark.django_db
def test_every_rate_of_the_appraisal_has_its_percent_sign(client, mall, staff):
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    client.force_login(staff(Role.MANAGER))
    page = client.get(reverse("reports:appraisal"), {"month": last_month}).text
    for key in ("first_response", "on_time", "callback", "satisfaction", "price_tag", "recovery"):
        row = page[page.index(f'data-item="{key}"') :]
        row = row[: row.index("</tr>")]
        target = row[row.index('item-target">') + len('item-target">') :]
        assert target[: target.index("<")].endswith("%"), row
    for key in ("external", "spot_check"):
        row = page[page.index(f'data-item="{key}"') :]
        target = row[row.index('item-target">') + len('item-target">') :]
        assert "%" not in target[: target.index("<")]
