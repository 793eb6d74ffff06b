"""The periodic scans handle each due row in its own transaction (issue #17, servicedesk/scans.py):
a row that raises rolls back alone, the other rows are handled, the bad row stays due and the
next run handles it; a run after that changes nothing."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from complaints.models import ComplaintDeadline
from complaints.services import clocks, deadlines_scan
from merchants.models import Merchant, MerchantStatus
from merchants.services import exit as merchant_exit
from returns.models import ReturnRequest
from returns.services import reminders
from servicedesk import notifications
from servicedesk.models import Mall, Notification
from servicedesk.notifications import notify, send_notification_emails, send_unsent_notifications
from servicedesk.roles import Role
from servicedesk.scans import scan_each
from tests.complaints.test_complaint_clocks import people, registered_at  # noqa: F401 - fixture
from tests.merchants.factories import MerchantFactory
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def failing_for(real, bad, key=lambda row: row.pk):
    """`real`, except that it raises for the row whose key is `bad` while `bad` is set."""
    state = {"bad": bad}

    def call(row, *args, **kwargs):
        if key(row) == state["bad"]:
            raise RuntimeError("a bad row")
        return real(row, *args, **kwargs)

    call.heal = lambda: state.update(bad=None)
    return call


def test_a_failing_row_rolls_back_alone(mall, other_mall):
    """The machinery: the failing row's own writes are undone; the others' stay."""

    def rename(m):
        Mall.objects.filter(pk=m.pk).update(name=m.name + "*")
        if m.pk == mall.pk:
            raise ValueError("no")
        return 1

    scan = scan_each(Mall.objects.filter(pk__in=[mall.pk, other_mall.pk]), rename)
    assert scan.failed == [mall.pk] and scan.total == 1 and isinstance(scan.errors[0], ValueError)
    assert Mall.objects.get(pk=mall.pk).name == "上海真北商场"
    assert Mall.objects.get(pk=other_mall.pk).name.endswith("*")


def test_deposit_hold_scan(mall, staff, monkeypatch):
    staff(Role.MANAGER)
    today = date(2026, 11, 27)
    bad, good = (
        MerchantFactory(mall=mall, status=MerchantStatus.EXITED, deposit_hold_until=date(2026, 11, 20))
        for _ in range(2)
    )
    hold_ended = failing_for(merchant_exit._hold_ended, bad.pk)
    monkeypatch.setattr(merchant_exit, "_hold_ended", hold_ended)
    assert merchant_exit.deposit_hold_scan(today) == [good]
    assert set(Notification.objects.values_list("key", flat=True)) == {f"merchant:{good.pk}:hold_ended:2026-11-20"}
    hold_ended.heal()
    assert merchant_exit.deposit_hold_scan(today) == [bad, good]  # the bad one is still due
    assert Notification.objects.count() == 2  # ... and the good one is not told twice
    merchant_exit.deposit_hold_scan(today)
    assert Notification.objects.count() == 2
    assert Merchant.objects.filter(pk__in=[bad.pk, good.pk], deposit_hold_until=date(2026, 11, 20)).count() == 2


def test_refund_reminder_scan(mall, staff, monkeypatch):
    staff(Role.SUPERVISOR)
    staff(Role.MANAGER)
    today = date(2026, 11, 20)

    def waiting():
        return ReturnFactory(
            merchant=MerchantFactory(mall=mall),
            status="intact",
            requested_on=date(2026, 10, 1),
            payment_date=date(2026, 9, 20),
            delivery_date=date(2026, 9, 25),
            goods_received_on=today - timedelta(days=16),  # past the 15-day line
        )

    bad, good = waiting(), waiting()
    remind = failing_for(reminders._remind, bad.pk)
    monkeypatch.setattr(reminders, "_remind", remind)
    assert reminders.refund_reminder_scan(today) == 2  # supervisor and manager, for the good one
    assert ReturnRequest.objects.get(pk=good.pk).delay_flagged
    assert not ReturnRequest.objects.get(pk=bad.pk).delay_flagged
    remind.heal()
    assert reminders.refund_reminder_scan(today) == 2  # the bad one now; the good one not again
    assert ReturnRequest.objects.get(pk=bad.pk).delay_flagged
    assert reminders.refund_reminder_scan(today) == 0


def test_deadline_scan(mall, people, time_machine, monkeypatch):  # noqa: F811 - the fixture
    time_machine.move_to(datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI))
    bad = registered_at(mall, people, datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI))
    good = registered_at(mall, people, datetime(2026, 11, 2, 9, 5, tzinfo=SHANGHAI))
    time_machine.move_to(datetime(2026, 11, 4, 9, 0, tzinfo=SHANGHAI))  # first contact (24 h) overdue
    scan_one = failing_for(clocks._scan_one, bad.pk, key=lambda deadline: deadline.complaint_id)
    monkeypatch.setattr(clocks, "_scan_one", scan_one)
    assert deadlines_scan() > 0
    assert not ComplaintDeadline.objects.filter(complaint=bad, overdue_at__isnull=False).exists()
    told = Notification.objects.count()
    assert ComplaintDeadline.objects.filter(complaint=good, overdue_at__isnull=False).exists()
    scan_one.heal()
    assert deadlines_scan() > 0
    assert ComplaintDeadline.objects.filter(complaint=bad, overdue_at__isnull=False).exists()
    assert Notification.objects.count() > told
    assert deadlines_scan() == 0


def test_notification_emails(mall, staff, monkeypatch, settings):
    broken = staff(Role.MANAGER, email="broken@example.com")
    fine = staff(Role.CLERK, email="clerk@example.com")
    notify([broken, fine], key="k", title="测试", mall=mall)
    ids = list(Notification.objects.order_by("pk").values_list("pk", flat=True))
    real = notifications.send_mail

    def send_mail(**kwargs):
        if kwargs["recipient_list"] == ["broken@example.com"]:
            raise OSError("mailbox refused")
        return real(**kwargs)

    monkeypatch.setattr(notifications, "send_mail", send_mail)
    mail.outbox.clear()
    with pytest.raises(OSError):  # the task retries ...
        send_notification_emails(ids)
    assert [m.to for m in mail.outbox] == [["clerk@example.com"]]  # ... after the others were sent
    assert Notification.objects.get(recipient=broken).emailed_at is None
    # The sweep passes over the failing row (no endless loop) and sends nothing twice.
    later = Notification.objects.get(recipient=broken).created_at + timedelta(hours=1)
    assert send_unsent_notifications(now=later) == 0
    monkeypatch.setattr(notifications, "send_mail", real)
    assert send_unsent_notifications(now=later) == 1
    assert [m.to for m in mail.outbox] == [["clerk@example.com"], ["broken@example.com"]]
    assert send_unsent_notifications(now=later) == 0
