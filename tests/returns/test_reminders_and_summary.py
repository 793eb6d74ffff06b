from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from returns.models import ReturnStatus
from returns.selectors import period_returns, summary
from returns.tasks import scan_refund_reminders
from servicedesk.models import Notification
from servicedesk.roles import Role
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def waiting(mall, received):
    return ReturnFactory(merchant__mall=mall, status=ReturnStatus.INTACT, goods_received_on=received)


def keys():
    return sorted(Notification.objects.values_list("key", flat=True))


@pytest.mark.parametrize(
    ("today", "event"),
    [
        (date(2026, 11, 14), None),  # received 11-10, due 11-17: not yet
        (date(2026, 11, 15), "refund_due_soon"),
        (date(2026, 11, 17), "refund_due_soon"),
        (date(2026, 11, 18), "refund_overdue"),
        (date(2026, 11, 25), "refund_overdue"),  # day 15: still inside the delay line
        (date(2026, 11, 26), "deliberate_delay"),
    ],
)
def test_reminders_by_day(today, event, mall, staff):
    staff(Role.SUPERVISOR), staff(Role.MANAGER)
    r = waiting(mall, date(2026, 11, 10))
    with time_machine.travel(today, tick=False):
        scan_refund_reminders.delay()
        scan_refund_reminders.delay()
    found = {key.rsplit(":", 1)[1] for key in keys()}
    assert found == ({event} if event else set())
    r.refresh_from_db()
    assert r.delay_flagged == (event == "deliberate_delay")


def test_running_every_day_notifies_each_event_once(mall, staff):
    supervisor = staff(Role.SUPERVISOR)
    waiting(mall, date(2026, 11, 10))
    for day in range(10, 30):
        with time_machine.travel(date(2026, 11, day), tick=False):
            scan_refund_reminders.delay()
    mine = Notification.objects.filter(recipient=supervisor).values_list("key", flat=True)
    assert sorted(k.rsplit(":", 1)[1] for k in mine) == ["deliberate_delay", "refund_due_soon", "refund_overdue"]


def test_refunded_returns_are_left_alone(mall, staff):
    staff(Role.SUPERVISOR)
    ReturnFactory(merchant__mall=mall, status=ReturnStatus.REFUNDED, goods_received_on=date(2026, 11, 1))
    with time_machine.travel(date(2026, 11, 27), tick=False):
        scan_refund_reminders.delay()
    assert not Notification.objects.exists()


def make_period(mall, supervisor):
    rows = [
        ReturnFactory(
            merchant__mall=mall,
            requested_on=date(2026, 11, 16),
            status=ReturnStatus.REFUSED,
            refusal_reason="超过七天",
            decided_by=supervisor,
        ),
        ReturnFactory(
            merchant__mall=mall,
            requested_on=date(2026, 11, 17),
            status=ReturnStatus.CLOSED,
            refusal_reason="超过七天",
            decided_by=supervisor,
        ),
        ReturnFactory(
            merchant__mall=mall,
            requested_on=date(2026, 11, 18),
            status=ReturnStatus.REFUNDED,
            decided_by=supervisor,
            goods_received_on=date(2026, 11, 18),
            refund_amount=Decimal("7000"),
            refunded_at=datetime(2026, 11, 21, 10, tzinfo=SH),
        ),
        ReturnFactory(
            merchant__mall=mall,
            requested_on=date(2026, 11, 19),
            status=ReturnStatus.CLOSED,
            decided_by=supervisor,
            goods_received_on=date(2026, 11, 19),
            refund_amount=Decimal("500.50"),
            refunded_at=datetime(2026, 11, 24, 10, tzinfo=SH),
            delay_flagged=False,
        ),
        ReturnFactory(merchant__mall=mall, requested_on=date(2026, 11, 22), status=ReturnStatus.REQUESTED),
    ]
    ReturnFactory(merchant__mall=mall, requested_on=date(2026, 11, 23))  # next week
    return rows


def test_summary_totals_equal_the_rows(mall, staff):
    rows = make_period(mall, staff(Role.SUPERVISOR))
    from returns.models import ReturnRequest

    selected = period_returns(ReturnRequest.objects.all(), date(2026, 11, 16), date(2026, 11, 22))
    totals = summary(selected)
    assert totals["count"] == len(rows) == selected.count()
    assert totals["refused"] == 2 and totals["approved"] == 2
    assert totals["refunded"] == 2
    assert totals["refund_sum"] == sum(r.refund_amount or 0 for r in rows) == Decimal("7500.50")
    assert totals["average_days_to_refund"] == 4.0  # 3 and 5 days
    assert totals["refusal_reasons"] == [{"refusal_reason": "超过七天", "n": 2}]


def test_summary_page_print_and_xlsx(client, mall, staff):
    supervisor = staff(Role.SUPERVISOR)
    make_period(mall, supervisor)
    client.force_login(supervisor)
    page = client.get(reverse("returns:summary"), {"start": "2026-11-16", "end": "2026-11-22"}).content.decode()
    assert "无理由退货处理汇总表" in page and "7,500.50" in page and "制表：" in page
    response = client.get(reverse("returns:summary"), {"start": "2026-11-16", "end": "2026-11-22", "format": "xlsx"})
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == "单号"
    assert len([row for row in values if row and str(row[0]).startswith("TH-")]) == 5
    # The totals, the refunds, then the exchanges' line of the same register (issue 21).
    assert list(values[-3][:6]) == ["合计", 5, "同意", 2, "拒绝", 2]
    assert values[-1][0] == "换货"


def test_summary_period_in_order(client, mall, staff):
    client.force_login(staff(Role.SUPERVISOR))
    page = client.get(reverse("returns:summary"), {"start": "2026-11-22", "end": "2026-11-16"}).content.decode()
    assert "结束日期不能早于开始日期" in page
