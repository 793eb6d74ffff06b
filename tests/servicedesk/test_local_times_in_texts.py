"""Every time shown or written into a text is the mall's (Asia/Shanghai), never UTC (DESIGN
"Times"). The clock stands at 21:37 UTC on 1 December, which is 05:37 on 2 December in Shanghai:
a text that formats an aware datetime without `localtime` shows "2026-12-01 21:37" and fails."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from compensations.services import compensations_remind
from complaints.models import Channel
from complaints.services import deadlines_scan
from followups.services import callbacks_mark_overdue
from frontdesk import services as desk_services
from frontdesk.models import BroadcastPlay, PlayStatus
from merchants.models import MerchantStatus
from merchants.services import deposit_hold_scan
from returns.models import ReturnStatus
from returns.services import refund_reminder_scan
from servicedesk.models import Notification
from servicedesk.notifications import send_notification_emails
from servicedesk.roles import Role
from servicedesk.texts import render
from servicedesk.workdays import add_working_days
from tests.compensations.factories import approve_all, escalated_complaint, pay, propose
from tests.complaints.factories import ComplaintFactory, register
from tests.followups.factories import CallbackFactory, SaleFactory
from tests.merchants.factories import BoothFactory, MerchantFactory
from tests.returns.factories import ReturnFactory

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


LOCAL_TODAY = date(2026, 12, 2)  # the Shanghai date at UTC_NOW (it is still 1 December in UTC)


def _notice_texts(key):
    notes = list(Notification.objects.filter(key=key))
    assert notes, f"no notice {key}"
    return [f"{render(n.title)}\n{render(n.body)}" for n in notes]


def test_every_notice_that_names_a_date_names_the_shanghai_date(early_morning, mall, other_mall, staff):
    """The notify() call sites whose notice carries a date (payment due, receivable due, refund due,
    deposit hold, missed broadcasts, callback deadline, a slot waiting for approval) write the
    Shanghai date, and the scans behind them take Shanghai's today."""
    officer = staff(Role.COMPLAINT_OFFICER, first_name="李专员")
    manager = staff(Role.MANAGER, first_name="王经理")
    clerk = staff(Role.CLERK)
    supervisor = staff(Role.SUPERVISOR)
    assert timezone.localdate() == LOCAL_TODAY

    # Advance compensation approved at 05:37 on 2 December: pay within 3 working days of that day.
    unpaid = approve_all(propose(escalated_complaint(mall), officer, "3000.00"), [manager])
    due = add_working_days(LOCAL_TODAY, 3)
    assert unpaid.payment_due_on == due
    assert all(due.isoformat() in text for text in _notice_texts(f"compensation:{unpaid.pk}:approved"))
    # Paid with a deposit short of it: the merchant owes the rest, due on a Shanghai date.
    paid = pay(approve_all(propose(escalated_complaint(mall, deposit="500.00"), officer, "2000.00"), [manager]), clerk)
    receivable_due = paid.receivable.due_on
    assert receivable_due > LOCAL_TODAY
    assert all(receivable_due.isoformat() in t for t in _notice_texts(f"compensation:{paid.pk}:receivable"))

    # The reminders scan, early in the morning of the day payment is due (still the day before in UTC).
    early_morning.move_to(datetime.combine(due - timedelta(days=1), time(21, 37), tzinfo=UTC))
    compensations_remind()
    assert all(due.isoformat() in t for t in _notice_texts(f"compensation:{unpaid.pk}:payment-due:{due}"))
    early_morning.move_to(datetime.combine(due, time(21, 37), tzinfo=UTC))  # the next Shanghai day
    compensations_remind()
    assert all(due.isoformat() in t for t in _notice_texts(f"compensation:{unpaid.pk}:payment-overdue"))
    early_morning.move_to(datetime.combine(receivable_due, time(21, 37), tzinfo=UTC))  # a day past it
    compensations_remind()
    owing = _notice_texts(f"compensation:{paid.pk}:receivable-overdue")
    assert all(receivable_due.isoformat() in t for t in owing)
    early_morning.move_to(UTC_NOW)

    # Refunds: due in one day, and overdue since yesterday (7 days after the goods came back).
    soon = ReturnFactory(
        merchant__mall=mall, status=ReturnStatus.INTACT, goods_received_on=LOCAL_TODAY - timedelta(days=6)
    )
    late = ReturnFactory(
        merchant__mall=mall, status=ReturnStatus.INTACT, goods_received_on=LOCAL_TODAY - timedelta(days=8)
    )
    refund_reminder_scan()
    assert all(str(LOCAL_TODAY + timedelta(days=1)) in t for t in _notice_texts(f"return:{soon.pk}:refund_due_soon"))
    assert all(str(LOCAL_TODAY - timedelta(days=1)) in t for t in _notice_texts(f"return:{late.pk}:refund_overdue"))

    # Deposit holds ending on the Shanghai today: one released, one extended (a complaint is open).
    ended = MerchantFactory(mall=mall, status=MerchantStatus.EXITED, deposit_hold_until=LOCAL_TODAY)
    extended = MerchantFactory(mall=mall, status=MerchantStatus.EXITED, deposit_hold_until=LOCAL_TODAY)
    ComplaintFactory(mall=mall, booth=BoothFactory(merchant=extended), merchant=extended)
    deposit_hold_scan()
    assert all(str(LOCAL_TODAY) in t for t in _notice_texts(f"merchant:{ended.pk}:hold_ended:{LOCAL_TODAY}"))
    extended.refresh_from_db()
    assert extended.deposit_hold_until > LOCAL_TODAY
    key = f"merchant:{extended.pk}:hold_extended:{extended.deposit_hold_until}"
    assert all(str(extended.deposit_hold_until) in t for t in _notice_texts(key))

    # A callback past its deadline: the deadline is named.
    callback = CallbackFactory(
        sale=SaleFactory(mall=mall, paid_at=UTC_NOW - timedelta(days=20)),
        assignee=officer,
        due_on=LOCAL_TODAY - timedelta(days=9),
        deadline_on=LOCAL_TODAY - timedelta(days=2),
    )
    callbacks_mark_overdue()
    assert all(str(LOCAL_TODAY - timedelta(days=2)) in t for t in _notice_texts(f"callback:{callback.pk}:overdue"))

    # A promotion the desk adds for today waits for the supervisor: its times as typed (in another
    # mall, whose programme is empty).
    staff(Role.SUPERVISOR, in_mall=other_mall)
    other_desk = staff(Role.FRONT_DESK, in_mall=other_mall)
    slot = desk_services.slot_add(
        mall=other_mall,
        actor=other_desk,
        starts_at=time(10, 0),
        ends_at=time(10, 5),
        slot_type="promotion",
        on_date=LOCAL_TODAY,
    )
    assert all("10:00-10:05" in t for t in _notice_texts(f"broadcast-slot:{slot.pk}:approval"))

    # The nightly check at 00:30 on 3 December in Shanghai (16:30 UTC on the 2nd): every line of
    # the 2nd is missed, not only those that ended before 16:30.
    desk_services.default_scripts(mall=mall, actor=manager)
    desk_services.programme_generate_default(mall=mall, actor=manager)
    plays = desk_services.programme_draw_up(mall=mall, day=LOCAL_TODAY).count()
    early_morning.move_to(datetime(2026, 12, 2, 16, 30, tzinfo=UTC))
    desk_services.flag_missed_broadcasts()
    assert plays > 0
    assert all(str(LOCAL_TODAY) in t for t in _notice_texts(f"broadcast:{mall.pk}:{LOCAL_TODAY}:missed"))
    left = BroadcastPlay.objects.filter(mall=mall, day=LOCAL_TODAY, status=PlayStatus.DUE, slot__is_active=True)
    assert not left.exists()

    # No UTC time or date anywhere in them.
    for n in Notification.objects.all():
        _assert_local(f"{render(n.title)}\n{render(n.body)}")
    assert {supervisor, clerk} <= {n.recipient for n in Notification.objects.all()}
