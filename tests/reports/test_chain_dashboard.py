"""The head-office home's ranking of last week: the weekly report's own figures, from its
complaint section's grouped counts only (issue #22: the page ran every section of the report,
ten statements, to show three columns), and kept in the cache for a bounded time."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from complaints.models import ComplaintPolicy
from reports.dashboard import chain_cache_key, chain_dashboard
from reports.periods import parse_week
from reports.weekly import complaint_counts, total, weekly_figures
from servicedesk.models import POLICY_EPOCH
from servicedesk.roles import Role
from servicedesk.templatetags.desk import percent
from tests.complaints.factories import ComplaintFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
W47 = parse_week("2026-W47")  # Monday 16 to Sunday 22 November 2026
# Wednesday of the week after: last week is W47.
WEDNESDAY_W48 = datetime(2026, 11, 25, 12, 0, tzinfo=SH)


def at(day, hour=10, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=SH)


def closed(mall, received, resolved, ended):
    return ComplaintFactory(mall=mall, received_at=received, resolved_at=resolved, closed_at=ended, status="closed")


@pytest.fixture
def last_week(mall, other_mall):
    """Complaints on both sides of Monday 00:00 in Shanghai (Sunday 16:00 UTC), with WX01 on a
    3-day resolution target and SH01 on the default 7 days."""
    ComplaintPolicy.objects.create(mall=other_mall, effective_from=POLICY_EPOCH, resolution_days=3)
    ComplaintFactory(mall=mall, received_at=at(15, 23, 59))  # W46: carried into W47, still open
    ComplaintFactory(mall=mall, received_at=at(16, 0, 0))  # W47's first moment
    ComplaintFactory(mall=mall, received_at=at(22, 23, 59))  # W47's last minute
    ComplaintFactory(mall=mall, received_at=at(23, 0, 0))  # W48: not last week's
    closed(mall, at(10), at(12), at(17))  # resolved in 2 days: on time
    closed(mall, at(1), at(14), at(22, 23, 59))  # resolved in 13 days: late; closed in W47
    closed(mall, at(2), at(4), at(23, 0, 0))  # closed on W48's first moment: carried out of W47
    closed(other_mall, at(13), at(17), at(18))  # 4 days: late by WX01's 3, on time by 7
    with time_machine.travel(WEDNESDAY_W48, tick=False):
        yield


def test_the_home_ranks_by_the_weekly_reports_figures(mall, other_mall, last_week):
    home = chain_dashboard([mall, other_mall])
    assert home["last_week"] == W47
    report = weekly_figures([mall.pk, other_mall.pk], W47)  # every section, as the report page runs it
    counted = next(iter(complaint_counts([mall.pk], W47).values()))
    keys = [*counted, "closure_rate", "on_time_rate", "first_contact_rate", "average_days_to_close"]
    assert {"received", "carried_in", "closed", "closed_on_time", "ended_resolved"} <= set(keys)
    ranked = {m.pk: f for m, f in home["ranked"]}
    for mall_id in (mall.pk, other_mall.pk):
        assert {k: ranked[mall_id][k] for k in keys} == {k: report[mall_id][k] for k in keys}, mall_id
    chain = total(report.values())
    assert {k: home["chain"][k] for k in keys} == {k: chain[k] for k in keys}
    # The same figures counted by hand from the fixture (Shanghai boundaries, each mall's target).
    sh01, wx01 = ranked[mall.pk], ranked[other_mall.pk]
    assert (sh01["received"], sh01["carried_in"], sh01["closed"], sh01["carried_out"]) == (2, 4, 2, 4)
    assert (sh01["closure_rate"], sh01["on_time_rate"]) == (Decimal("33.3"), Decimal("50.0"))
    assert (wx01["received"], wx01["carried_in"], wx01["closed"]) == (0, 1, 1)
    assert (wx01["closure_rate"], wx01["on_time_rate"]) == (Decimal("100.0"), Decimal("0.0"))
    assert [m.code for m, _f in home["ranked"]] == ["WX01", "SH01"]  # by closure rate
    assert (home["chain"]["received"], home["chain"]["closure_rate"]) == (2, Decimal("42.9"))  # 3 of 7


def test_the_page_shows_the_weekly_reports_figures(client, staff, mall, other_mall, last_week):
    client.force_login(staff(Role.HEAD_OFFICE, in_mall=None))
    page = client.get(reverse("home")).text
    table = page[page.index('id="chain-dashboard"') :]
    report = weekly_figures([mall.pk, other_mall.pk], W47)
    for one in (mall, other_mall):
        row = table[table.index(f"<td>{one.code} ") : table.index("</tr>", table.index(f"<td>{one.code} "))]
        f = report[one.pk]
        cells = [f["received"], percent(f["closure_rate"]), percent(f["on_time_rate"])]
        assert row.count('class="text-end"') == 3
        assert [c.split("<")[0] for c in row.split('class="text-end">')[1:]] == [str(c) for c in cells], one.code
    assert "2026-W47" in table


@pytest.fixture
def cached(settings):
    settings.CHAIN_DASHBOARD_CACHE_SECONDS = 600
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "h22"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _sh01_received(page):
    table = page[page.index('id="chain-dashboard"') :]
    row = table[table.index("<td>SH01 ") :]
    return row.split('class="text-end">')[1].split("<")[0]


def test_a_cached_home_reads_no_figures_and_catches_a_late_edit_within_the_bound(
    client, staff, mall, other_mall, last_week, cached, django_assert_num_queries
):
    client.force_login(staff(Role.HEAD_OFFICE, in_mall=None))
    # Cold: session, user, roles, malls, bell; the settings in force, the complaint counts, the trend.
    with django_assert_num_queries(8):
        first = client.get(reverse("home")).text
    with django_assert_num_queries(5):  # warm: no figure read again
        again = client.get(reverse("home")).text
    assert _sh01_received(first) == _sh01_received(again) == "2"
    # A complaint registered late with a received time in W47: the home lags it at most 600 s.
    ComplaintFactory(mall=mall, received_at=at(18))
    with time_machine.travel(WEDNESDAY_W48 + timedelta(seconds=599), tick=False):
        assert _sh01_received(client.get(reverse("home")).text) == "2"
    with time_machine.travel(WEDNESDAY_W48 + timedelta(seconds=601), tick=False):
        assert _sh01_received(client.get(reverse("home")).text) == "3"
    # The weekly report itself is never cached: it shows the edit at once.
    assert weekly_figures([mall.pk], W47)[mall.pk]["received"] == 3


def test_a_new_week_or_other_malls_never_read_another_entry(client, staff, mall, other_mall, last_week, cached):
    assert chain_cache_key([mall.pk, other_mall.pk], W47) == chain_cache_key([other_mall.pk, mall.pk], W47)
    assert chain_cache_key([mall.pk], W47) != chain_cache_key([mall.pk, other_mall.pk], W47)
    assert chain_cache_key([mall.pk], W47) != chain_cache_key([mall.pk], W47.previous())
    user = staff(Role.HEAD_OFFICE, in_mall=None)
    client.force_login(user)
    assert _sh01_received(client.get(reverse("home")).text) == "2"
    # Monday 00:00 in Shanghai (Sunday 16:00 UTC): last week is W48 at once, not after the bound.
    with time_machine.travel(datetime(2026, 11, 30, 0, 0, tzinfo=SH), tick=False):
        client.force_login(user)  # days later: a new session
        page = client.get(reverse("home")).text
        assert "2026-W48" in page and _sh01_received(page) == "1"  # the complaint of Monday 23 November
    with time_machine.travel(datetime(2026, 11, 29, 23, 59, tzinfo=SH), tick=False):
        client.force_login(user)
        assert "2026-W47" in client.get(reverse("home")).text


def test_not_cached_when_the_setting_is_zero(client, staff, mall, other_mall, last_week, settings):
    settings.CHAIN_DASHBOARD_CACHE_SECONDS = 0
    client.force_login(staff(Role.HEAD_OFFICE, in_mall=None))
    assert _sh01_received(client.get(reverse("home")).text) == "2"
    ComplaintFactory(mall=mall, received_at=at(18))
    assert _sh01_received(client.get(reverse("home")).text) == "3"


# templates/reports/_dashboard_chain.html's ranking loop before issue #22.
REFERENCE_RANKING = (
    '{% load desk %}{% for mall, f in ranked %}<tr><td>{{ mall.code }} {{ mall.name }}</td><td class="text-end">'
    '{{ f.received }}</td><td class="text-end">{{ f.closure_rate|percent }}</td><td class="text-end">'
    "{{ f.on_time_rate|percent }}</td></tr>{% endfor %}"
)


def test_the_ranking_rows_as_the_loop_gave_them(mall, other_mall, last_week):
    from django.template import Context, Template

    other_mall.name = '无锡 <"A&B">'
    ranked = chain_dashboard([mall, other_mall])["ranked"]
    ranked[0][1]["received"] = 12345  # a large count, as the loop localized it
    context = Context({"ranked": ranked})
    shown = Template("{% load dashboard_tags %}{% ranking_rows ranked %}").render(context)
    assert shown == Template(REFERENCE_RANKING).render(context)
    assert "&lt;&quot;A&amp;B&quot;&gt;" in shown and ">—<" not in shown
