"""The clocks of DOMAIN.md §2: working days on the Chinese calendar, pauses, and the scan."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from complaints import services
from complaints.models import ComplaintDeadline, ComplaintPolicy, DeadlineKind
from complaints.services import after_working_days, deadlines_scan
from complaints.tasks import scan_deadlines
from servicedesk.models import Notification
from servicedesk.roles import Role
from servicedesk.texts import render
from tests.complaints.factories import register
from tests.merchants.factories import BoothFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*parts):
    return datetime(*parts, tzinfo=SHANGHAI)


@pytest.fixture
def people(mall, staff):
    return {
        "desk": staff(Role.FRONT_DESK),
        "officer": staff(Role.COMPLAINT_OFFICER),
        "supervisor": staff(Role.SUPERVISOR),
        "manager": staff(Role.MANAGER),
    }


def registered_at(mall, people, when, **overrides):
    day = timezone.localdate(when)
    return register(
        mall,
        people["desk"],
        received_at=when,
        purchase_date=day - timedelta(days=10),
        delivery_date=day - timedelta(days=5),
        **overrides,
    )


def test_one_working_day_after_the_eve_of_national_day_is_the_8th_of_october():
    assert after_working_days(at(2026, 9, 30, 15, 0), 1) == at(2026, 10, 8, 15, 0)


def test_a_make_up_saturday_counts_as_a_working_day():
    # Friday 13 Feb 2026 + 1 WD = Saturday 14 Feb (make-up day before Spring Festival)
    assert after_working_days(at(2026, 2, 13, 10, 0), 1) == at(2026, 2, 14, 10, 0)
    # National Day 2026: the make-up Saturday 10 Oct is the third working day after 30 Sep
    assert after_working_days(at(2026, 9, 30, 10, 0), 3) == at(2026, 10, 10, 10, 0)


def test_the_assignment_clock_skips_the_national_day_holiday(mall, people, time_machine):
    time_machine.move_to(at(2026, 9, 30, 16, 0), tick=False)
    complaint = registered_at(mall, people, at(2026, 9, 30, 16, 0))
    clock = complaint.deadlines.get(kind=DeadlineKind.ASSIGNMENT)
    assert timezone.localtime(clock.due_at) == at(2026, 10, 8, 16, 0)
    resolution = complaint.deadlines.get(kind=DeadlineKind.RESOLUTION)
    assert timezone.localtime(resolution.due_at) == at(2026, 10, 7, 16, 0), "calendar days count holidays"


def test_referral_deadline_uses_the_malls_setting(mall, people, time_machine):
    time_machine.move_to(at(2026, 2, 12, 9, 0), tick=False)
    policy = ComplaintPolicy.for_mall(mall)
    policy.referral_working_days = 2
    policy.save()
    complaint = registered_at(mall, people, at(2026, 2, 12, 9, 0), channel="12315")
    clock = complaint.deadlines.get(kind=DeadlineKind.REFERRAL)
    assert timezone.localtime(clock.due_at) == at(2026, 2, 14, 9, 0)  # Fri 13, make-up Sat 14


def test_the_scan_run_twice_notifies_once(mall, people, time_machine):
    time_machine.move_to(at(2026, 11, 2, 9, 0), tick=False)
    complaint = registered_at(mall, people, at(2026, 11, 2, 9, 0))
    time_machine.move_to(at(2026, 11, 3, 10, 0), tick=False)  # assignment (1 WD) overdue by an hour
    first = scan_deadlines.delay().get()
    assert first >= 1
    assert deadlines_scan() == 0
    assert scan_deadlines.delay().get() == 0
    overdue = Notification.objects.filter(key__endswith=":overdue")
    assert list(overdue.values_list("recipient", flat=True)) == [people["supervisor"].pk]
    assert complaint.number in overdue.get().title


def test_the_assignee_is_warned_before_the_deadline(mall, people, time_machine):
    time_machine.move_to(at(2026, 11, 2, 9, 0), tick=False)
    complaint = registered_at(mall, people, at(2026, 11, 2, 9, 0))
    services.complaint_take(complaint=complaint, actor=people["officer"])
    time_machine.move_to(at(2026, 11, 9, 6, 0), tick=False)  # resolution due 9 Nov 09:00; warn 4 h before
    deadlines_scan()
    warned = Notification.objects.get(recipient=people["officer"], key__endswith=":warn")
    assert "处理完毕" in warned.title or "Resolution" in warned.title
    assert not Notification.objects.filter(key__endswith=":overdue").exists()
    deadlines_scan()
    assert Notification.objects.filter(recipient=people["officer"]).count() == 1


def test_at_fifteen_days_the_manager_is_told_and_the_complaint_marked_for_escalation(mall, people, time_machine):
    time_machine.move_to(at(2026, 11, 2, 9, 0), tick=False)
    complaint = registered_at(mall, people, at(2026, 11, 2, 9, 0))
    services.complaint_take(complaint=complaint, actor=people["officer"])
    time_machine.move_to(at(2026, 11, 17, 9, 30), tick=False)
    deadlines_scan()
    deadlines_scan()
    complaint.refresh_from_db()
    assert complaint.needs_escalation
    assert Notification.objects.filter(recipient=people["manager"], key__endswith=":deliberate_delay").count() == 1
    services.complaint_escalate(complaint=complaint, actor=people["officer"])


def test_the_managers_notice_names_the_malls_own_delay_line(mall, people, time_machine):
    """The deliberate-delay line is a setting (15 days by default): the notice says the mall's."""
    ComplaintPolicy.objects.create(mall=mall, effective_from=date(2000, 1, 1), deliberate_delay_days=20)
    time_machine.move_to(at(2026, 11, 2, 9, 0), tick=False)
    complaint = registered_at(mall, people, at(2026, 11, 2, 9, 0))
    services.complaint_take(complaint=complaint, actor=people["officer"])
    time_machine.move_to(at(2026, 11, 22, 9, 30), tick=False)
    deadlines_scan()
    notice = Notification.objects.get(recipient=people["manager"], key__endswith=":deliberate_delay")
    with translation.override("en"):
        body = render(notice.body)
    assert "more than 20 days" in body and "15" not in body


def test_a_pause_for_a_quality_test_is_excluded_from_the_sla(mall, people, time_machine):
    time_machine.move_to(at(2026, 11, 2, 9, 0), tick=False)
    complaint = registered_at(mall, people, at(2026, 11, 2, 9, 0))
    officer = people["officer"]
    services.complaint_take(complaint=complaint, actor=officer)
    time_machine.move_to(at(2026, 11, 4, 9, 0), tick=False)
    services.complaint_pause(complaint=complaint, actor=officer, reason="送质检站检测甲醛释放量")
    time_machine.move_to(at(2026, 11, 10, 9, 0), tick=False)  # the original 7-day line passed during the pause
    assert deadlines_scan() == 0, "nothing is reported while the clock is paused"
    services.complaint_resume(complaint=complaint, actor=officer)
    resolution = complaint.deadlines.get(kind=DeadlineKind.RESOLUTION, met_at__isnull=True)
    assert timezone.localtime(resolution.due_at) == at(2026, 11, 15, 9, 0), "7 days + 6 paused days"
    assert deadlines_scan() == 0, "not overdue once the pause is excluded"
    assert complaint.pauses.get().ended_at == at(2026, 11, 10, 9, 0)


def test_acting_stops_the_clock_it_answers(mall, people, time_machine):
    time_machine.move_to(at(2026, 11, 2, 9, 0), tick=False)
    booth = BoothFactory(merchant__mall=mall)
    complaint = registered_at(mall, people, at(2026, 11, 2, 9, 0), channel="online", booth=booth)
    officer = people["officer"]
    services.complaint_acknowledge(complaint=complaint, actor=officer)
    services.complaint_take(complaint=complaint, actor=officer)
    services.complaint_forward_to_merchant(complaint=complaint, actor=officer)
    running = set(ComplaintDeadline.objects.running().filter(complaint=complaint).values_list("kind", flat=True))
    assert running == {DeadlineKind.MERCHANT_REPLY, DeadlineKind.RESOLUTION, DeadlineKind.DELIBERATE_DELAY}
    time_machine.move_to(at(2026, 11, 8, 9, 0), tick=False)
    services.complaint_record_merchant_reply(complaint=complaint, actor=officer, answer="agrees", reply="同意维修")
    reply = complaint.deadlines.get(kind=DeadlineKind.MERCHANT_REPLY)
    assert reply.was_late, "5 days passed before the merchant answered"
    services.complaint_propose(complaint=complaint, actor=officer, proposal="上门维修")
    services.complaint_resolve(complaint=complaint, actor=officer, result="repaired", customer_agreement="电话同意")
    running = set(ComplaintDeadline.objects.running().filter(complaint=complaint).values_list("kind", flat=True))
    assert running == {DeadlineKind.CALLBACK}
    assert complaint.deadlines.get(kind=DeadlineKind.CALLBACK).due_at == at(2026, 11, 11, 9, 0)


def test_the_scan_is_scheduled_every_15_minutes():
    from django_celery_beat.models import PeriodicTask

    from tests.beat import seed_beat_schedules

    seed_beat_schedules()

    task = PeriodicTask.objects.get(task="complaints.scan_deadlines")
    assert (task.interval.every, task.interval.period, task.enabled) == (15, "minutes", True)


def test_a_year_the_calendar_does_not_know_falls_back_to_weekdays():
    friday = at(2031, 1, 3, 9, 0)
    assert after_working_days(friday, 1).date() in {date(2031, 1, 6), date(2031, 1, 4)}
