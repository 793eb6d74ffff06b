"""A past week's figures do not move (issue #16 item 3): the archive keeps what was sent, the live
page says where today's figures differ, and a mall made inactive later stays in its weeks."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import ReportArchive
from reports.periods import parse_week
from reports.tasks import build_weekly_reports
from servicedesk.models import Mall
from servicedesk.roles import Role
from servicedesk.services import mall_save
from tests.complaints.factories import ComplaintFactory
from tests.factories import MallFactory, make_staff

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
W47 = parse_week("2026-W47")  # Mon 16 - Sun 22 Nov 2026


def received_in_w47(mall, n, **fields):
    for i in range(n):
        ComplaintFactory(mall=mall, received_at=datetime(2026, 11, 17 + i % 5, 10, tzinfo=SH), **fields)


def workbook_received(content, sheet):
    rows = load_workbook(BytesIO(content))[sheet].iter_rows(min_row=4, values_only=True)
    return {row[1]: row[2] for row in rows if row and row[1]}["本周受理（R）"]


@pytest.fixture
def sent_w47(mall, other_mall, staff, django_capture_on_commit_callbacks):
    staff(Role.MANAGER, email="manager@example.com")
    staff(Role.HEAD_OFFICE, email="hq@example.com")
    received_in_w47(mall, 3)
    received_in_w47(other_mall, 1)
    with django_capture_on_commit_callbacks(execute=True):
        build_weekly_reports.delay(week="2026-W47")
    return {a.mall.code if a.mall else None: a for a in ReportArchive.objects.filter(period_key="2026-W47")}


def test_the_archive_keeps_a_snapshot_of_every_figure(sent_w47):
    weekly = sent_w47["SH01"].figures
    assert weekly["received"] == 3 and weekly["carried_in"] == 0 and weekly["on_time_rate"] is None
    for key in (
        "recovered_in_period",
        "compensation_recovered_amount",
        "channel:walk_in",
        "category:Q",
        "top_merchants",
    ):
        assert key in weekly, key
    rollup = sent_w47[None].figures
    assert set(rollup["malls"]) == {"SH01", "WX01"} and rollup["total"]["received"] == 4


def test_the_sent_report_never_changes_after_later_changes(
    sent_w47, mall, other_mall, django_capture_on_commit_callbacks
):
    files = {code: archive.file.read() for code, archive in sent_w47.items()}
    snapshots = {code: archive.figures for code, archive in sent_w47.items()}
    sent_mails = len(mail.outbox)
    # Later: a complaint of W47 registered late, a mall made inactive, and the task run again.
    received_in_w47(mall, 2)
    other_mall.is_active = False
    other_mall.save()
    with django_capture_on_commit_callbacks(execute=True):
        build_weekly_reports.delay(week="2026-W47")
    for archive in ReportArchive.objects.filter(period_key="2026-W47"):
        code = archive.mall.code if archive.mall else None
        assert archive.figures == snapshots[code], code
        with archive.file.open("rb") as handle:
            assert handle.read() == files[code], code
    assert workbook_received(files["SH01"], "SH01") == 3
    assert len(mail.outbox) == sent_mails


def test_the_live_page_says_where_it_differs_from_what_was_sent(sent_w47, client, staff, mall):
    client.force_login(staff(Role.MANAGER))
    page = client.get(reverse("reports:weekly"), {"week": "2026-W47"}).content.decode()
    assert 'id="sent-report"' in page and "与已发送的一致" in page and 'id="sent-changes"' not in page
    received_in_w47(mall, 2)
    page = client.get(reverse("reports:weekly"), {"week": "2026-W47"}).content.decode()
    changes = page[page.index('id="sent-changes"') :]
    assert '本周受理（R）</td><td class="text-end">3</td><td class="text-end">5</td>' in changes
    assert reverse("reports:archive_download", args=[sent_w47["SH01"].pk]) in page


def test_the_rollup_says_where_it_differs_from_what_was_sent(sent_w47, client, staff, mall):
    received_in_w47(mall, 1)
    MallFactory(code="NJ01", name="南京商场")  # opened since: in today's list, not in what was sent
    client.force_login(staff(Role.HEAD_OFFICE))
    page = client.get(reverse("reports:rollup"), {"week": "2026-W47"}).content.decode()
    changes = page[page.index('id="sent-changes"') :]
    assert '本周受理（R）</td><td class="text-end">4</td><td class="text-end">5</td>' in changes
    assert "发送时未列入的商场" in changes and "NJ01" in changes


def test_recovery_received_later_does_not_move_the_sent_week(sent_w47):
    """Both readings are in the snapshot as they stood when the report was sent."""
    weekly = sent_w47["SH01"].figures
    assert Decimal(weekly["recovered_in_period"]) == 0 and Decimal(weekly["compensation_recovered_amount"]) == 0


# --- A mall made inactive later ---------------------------------------------------------------


@pytest.fixture
def closed_mall(mall, other_mall):
    received_in_w47(mall, 6)
    received_in_w47(other_mall, 4)
    return other_mall


def deactivate(mall_obj, on):
    admin = make_staff(Role.ADMIN)
    mall_obj.is_active = False
    mall_save(mall=mall_obj, actor=admin)
    Mall.objects.filter(pk=mall_obj.pk).update(deactivated_on=on)  # the day it happened
    mall_obj.refresh_from_db()


def test_making_a_mall_inactive_records_the_day(other_mall, time_machine):
    time_machine.move_to(datetime(2026, 12, 3, 23, 30, tzinfo=SH), tick=False)  # 15:30 UTC
    admin = make_staff(Role.ADMIN)
    other_mall.is_active = False
    mall_save(mall=other_mall, actor=admin)
    assert other_mall.deactivated_on == date(2026, 12, 3)
    assert other_mall.history.get(is_active=False).history_user == admin
    other_mall.is_active = True
    mall_save(mall=other_mall, actor=admin)
    assert other_mall.deactivated_on is None


def test_only_an_administrator_changes_a_mall(other_mall):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        mall_save(mall=other_mall, actor=make_staff(Role.HEAD_OFFICE))


def test_a_mall_made_inactive_after_the_week_stays_in_its_rollup(closed_mall, client, staff):
    """Issue #16: a chain's week-47 complaint count fell from 10 to 6."""
    deactivate(closed_mall, date(2026, 12, 1))
    client.force_login(staff(Role.HEAD_OFFICE))
    response = client.get(reverse("reports:rollup"), {"week": "2026-W47"})
    assert [row["mall"].code for row in response.context["rows"]] == ["SH01", "WX01"]
    received = [column.key for column, _label, _link in response.context["columns"]].index("received")
    assert response.context["totals"][received] == "10"
    assert "已停用" in response.content.decode()
    # Its own report of that week still opens from the rollup's link.
    weekly = client.get(reverse("reports:weekly"), {"week": "2026-W47", "mall": "WX01"})
    assert weekly.status_code == 200 and weekly.context["mall"] == closed_mall
    # In a week that began after it closed it is gone.
    later = client.get(reverse("reports:rollup"), {"week": "2026-W50"})
    assert [row["mall"].code for row in later.context["rows"]] == ["SH01"]


def test_a_mall_made_inactive_in_the_middle_of_a_week_is_in_that_week(closed_mall, client, staff):
    deactivate(closed_mall, date(2026, 11, 19))  # Thursday of W47
    client.force_login(staff(Role.HEAD_OFFICE))
    codes = lambda week: [r["mall"].code for r in client.get(reverse("reports:rollup"), {"week": week}).context["rows"]]  # noqa: E731
    assert codes("2026-W47") == ["SH01", "WX01"]
    assert codes("2026-W48") == ["SH01"]


def test_the_monday_task_archives_a_mall_inactive_since(closed_mall):
    deactivate(closed_mall, date(2026, 11, 25))
    build_weekly_reports.delay(week="2026-W47")
    stored = ReportArchive.objects.filter(period_key="2026-W47")
    assert sorted(a.mall.code for a in stored if a.mall) == ["SH01", "WX01"]
    assert stored.get(mall=None).figures["total"]["received"] == 10
