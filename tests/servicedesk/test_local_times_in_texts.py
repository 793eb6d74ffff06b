"""Every time shown or written into a text is the mall's (Asia/Shanghai), never UTC (DESIGN
"Times"). The clock stands at 21:37 UTC on 1 December, which is 05:37 on 2 December in Shanghai:
a text that formats an aware datetime without `localtime` shows "2026-12-01 21:37" and fails."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from complaints.models import Channel
from complaints.services import deadlines_scan
from followups.services import callbacks_mark_overdue
from frontdesk import services as desk_services
from servicedesk.models import Notification
from servicedesk.notifications import send_notification_emails
from servicedesk.roles import Role
from servicedesk.texts import render
from tests.complaints.factories import register
from tests.followups.factories import CallbackFactory, SaleFactory

pytestmark = pytest.mark.django_db

UTC_NOW = datetime(2026, 12, 1, 21, 37, tzinfo=UTC)  # 2026-12-02 05:37 in Shanghai
LOCAL = "2026-12-02 05:37"


@pytest.fixture
def early_morning():
    with time_machine.travel(UTC_NOW, tick=False) as traveller:
        yield traveller


def _assert_local(text):
    assert "21:37" not in text and "2026-12-01 2" not in text, text


def test_every_notification_kind_with_a_time_or_a_date_is_written_in_shanghai_time(
    early_morning, client, mall, staff, django_capture_on_commit_callbacks
):
    supervisor = staff(Role.SUPERVISOR, email="supervisor@example.com", first_name="周主管")
    manager = staff(Role.MANAGER, email="manager@example.com", first_name="王经理")
    desk = staff(Role.FRONT_DESK, first_name="陈前台")
    officer = staff(Role.COMPLAINT_OFFICER, first_name="李专员")

    # The handover of 05:37, not confirmed in time: "2026-12-02 05:37 早班", never "21:37".
    handover = desk_services.handover_record(mall=mall, actor=desk, shift="morning", keys_and_items="总台钥匙一串")
    early_morning.shift(timedelta(hours=2))
    desk_services.flag_unconfirmed_handovers()
    early_morning.move_to(UTC_NOW)
    title = render(Notification.objects.get(key=f"handover:{handover.pk}:unconfirmed").title)
    assert f"{LOCAL} 早班" in title

    # A media complaint received now: the manager is told "received 2026-12-02 05:37".
    with django_capture_on_commit_callbacks(execute=True):
        complaint = register(mall, officer, channel=Channel.MEDIA, received_at=timezone.now())
    official = Notification.objects.get(key=f"complaint:{complaint.pk}:official")
    assert LOCAL in render(official.body)
    assert complaint.number.split("-")[2] == "20261202"

    # Complaint clocks warned and overdue: due times in Shanghai.
    deadline = complaint.deadlines.order_by("due_at").first()
    early_morning.move_to(deadline.due_at + timedelta(minutes=1))
    deadlines_scan()
    due_local = timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M")
    overdue = Notification.objects.filter(key__startswith=f"complaint:{complaint.pk}:deadline:{deadline.pk}")
    assert overdue.exists() and all(due_local in render(n.title) for n in overdue)
    early_morning.move_to(UTC_NOW)

    # A callback past its deadline: the supervisor hears the deadline and the officer's name.
    sale = SaleFactory(mall=mall, paid_at=UTC_NOW - timedelta(days=20))
    callback = CallbackFactory(
        sale=sale, assignee=officer, due_on=timezone.localdate() - timedelta(days=9), deadline_on=date_before(2)
    )
    callbacks_mark_overdue()
    note = Notification.objects.get(key=f"callback:{callback.pk}:overdue")
    assert "李专员" in render(note.body) and officer.username not in render(note.body)

    # Every notification written in this early morning: no UTC time or date in it, on the bell's
    # page or in the e-mail.
    notes = list(Notification.objects.all())
    assert len({n.key.split(":")[0] for n in notes}) >= 3
    for n in notes:
        _assert_local(f"{render(n.title)}\n{render(n.body)}")
    send_notification_emails([n.pk for n in notes])
    for message in mail.outbox:
        _assert_local(f"{message.subject}\n{message.body}")
    client.force_login(supervisor)
    page = client.get(reverse("notifications:list")).text
    assert f"{LOCAL} 早班" in page
    _assert_local(page)
    client.force_login(manager)
    _assert_local(client.get(reverse("notifications:list")).text)


def date_before(days):
    return timezone.localdate() - timedelta(days=days)


def test_every_record_named_by_its_time_is_named_in_shanghai_time(early_morning, mall, staff):
    """The records whose name is a time (handovers, enquiries, log entries, clocks) are quoted in
    notifications, the admin and the history: their names are in Shanghai time."""
    from complaints.models import ComplaintDeadline, HandlingEntry

    desk = staff(Role.FRONT_DESK)
    handover = desk_services.handover_record(mall=mall, actor=desk, shift="morning", keys_and_items="钥匙")
    assert str(handover).startswith(LOCAL)
    enquiry = desk_services.enquiry_record(
        mall=mall, actor=desk, channel="phone", topic="other", question="停车场几点关门？", answer="22:00"
    )
    assert str(enquiry).startswith(LOCAL)
    complaint = register(mall, staff(Role.COMPLAINT_OFFICER), received_at=timezone.now())
    entry = HandlingEntry.objects.filter(complaint=complaint).first()
    assert str(entry).startswith(LOCAL)
    for deadline in ComplaintDeadline.objects.filter(complaint=complaint):
        assert timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M") in str(deadline)


def test_every_json_date_is_the_shanghai_date(early_morning, client, mall, staff):
    """The intake's customer lookup dates a complaint received at 05:37 on 2 December (21:37 UTC
    on 1 December) as 2026-12-02, and so its purchases."""
    desk = staff(Role.FRONT_DESK)
    complaint = register(
        mall, desk, received_at=timezone.now(), purchase_date=date_before(30), delivery_date=date_before(3)
    )
    SaleFactory(mall=mall, customer=complaint.customer, paid_at=timezone.now())
    client.force_login(desk)
    data = client.get(reverse("complaints:customer_lookup"), {"mobile": complaint.customer.mobile}).json()
    assert data["complaints"][0]["received"] == "2026-12-02"
    assert data["purchases"][0]["paid"] == "2026-12-02"
    assert data["purchases"][0]["fill"]["purchase_date"] == "2026-12-02"
    _assert_local(str(data))
