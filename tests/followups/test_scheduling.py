from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from complaints.models import Channel, ComplaintPolicy, Status
from followups.models import Callback, CallbackKind, CallbackPolicy, CallbackStatus
from followups.services import callbacks_mark_overdue, callbacks_schedule
from followups.services.rows import add_months
from servicedesk.models import Notification
from tests.complaints.factories import ComplaintFactory
from tests.followups.factories import CallbackFactory, SaleFactory, aware

pytestmark = pytest.mark.django_db


def run_on(day):
    with time_machine.travel(aware(day.year, day.month, day.day, 6, 10), tick=False):
        return callbacks_schedule()


def sale(mall, delivered, months=12):
    return SaleFactory(
        mall=mall,
        paid_at=aware(delivered.year, delivered.month, delivered.day, 9, 0) - timedelta(days=2),
        delivery_date=delivered,
        warranty_months=months,
        warranty_ends_on=add_months(delivered, months),
    )


@pytest.mark.parametrize(
    ("delivered", "first_day", "deadline"),
    [
        (date(2026, 1, 31), date(2026, 2, 1), date(2026, 2, 7)),
        (date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 7)),
        (date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 6)),  # leap year
        (date(2026, 12, 27), date(2026, 12, 28), date(2027, 1, 3)),
    ],
)
def test_after_sale_callback_is_due_the_day_after_delivery_within_seven_days(mall, delivered, first_day, deadline):
    s = sale(mall, delivered)
    run_on(first_day - timedelta(days=1))
    assert not Callback.objects.exists(), "not before it is due"
    run_on(first_day)
    callback = Callback.objects.get()
    assert (callback.kind, callback.sale, callback.due_on, callback.deadline_on) == (
        CallbackKind.AFTER_SALE,
        s,
        first_day,
        deadline,
    )
    assert callback.customer == s.customer and callback.mall == mall


@pytest.mark.parametrize(
    ("delivered", "months", "ends", "first_day"),
    [
        (date(2025, 3, 31), 12, date(2026, 3, 31), date(2026, 3, 1)),
        (date(2025, 1, 31), 13, date(2026, 2, 28), date(2026, 1, 29)),  # month end clamps
        (date(2024, 2, 29), 12, date(2025, 2, 28), date(2025, 1, 29)),  # leap day
        (date(2025, 1, 30), 12, date(2026, 1, 30), date(2025, 12, 31)),  # crosses the year
    ],
)
def test_warranty_callback_is_due_thirty_days_before_the_end(mall, delivered, months, ends, first_day):
    s = sale(mall, delivered, months)
    assert s.warranty_ends_on == ends
    run_on(first_day - timedelta(days=1))
    assert not Callback.objects.filter(kind=CallbackKind.WARRANTY).exists()
    run_on(first_day)
    callback = Callback.objects.get(kind=CallbackKind.WARRANTY)
    assert (callback.due_on, callback.deadline_on) == (first_day, ends - timedelta(days=1))


def test_service_callback_the_day_after_resolution_within_three_days(mall):
    complaint = ComplaintFactory(mall=mall, status=Status.RESOLVED, resolved_at=aware(2026, 12, 31, 15, 0))
    run_on(date(2026, 12, 31))
    assert not Callback.objects.exists()
    run_on(date(2027, 1, 1))
    callback = Callback.objects.get()
    assert (callback.kind, callback.complaint, callback.round) == (CallbackKind.SERVICE, complaint, 0)
    assert (callback.due_on, callback.deadline_on) == (date(2027, 1, 1), date(2027, 1, 3))


def test_the_service_callback_deadline_is_the_complaints_callback_setting(mall, other_mall):
    # DOMAIN §2 "call back within 3 days of resolution [default]" and §6 "service: 3 days after a
    # complaint is resolved [default]" are one rule: one setting, the complaint policy's.
    ComplaintPolicy.objects.create(mall=mall, effective_from=date(2026, 12, 1), callback_days=5)
    mine = ComplaintFactory(mall=mall, status=Status.RESOLVED, resolved_at=aware(2026, 12, 31, 15, 0))
    other = ComplaintFactory(mall=other_mall, status=Status.RESOLVED, resolved_at=aware(2026, 12, 31, 15, 0))
    run_on(date(2027, 1, 1))
    assert Callback.objects.get(complaint=mine).deadline_on == date(2027, 1, 5)
    assert Callback.objects.get(complaint=other).deadline_on == date(2027, 1, 3)  # the default, 3


def test_a_second_run_and_a_skipped_day_create_each_callback_exactly_once(mall):
    sale(mall, date(2026, 3, 10))
    sale(mall, date(2026, 3, 11))
    ComplaintFactory(mall=mall, status=Status.RESOLVED, resolved_at=aware(2026, 3, 10, 11, 0))
    # The task did not run on the 11th and 12th.
    created = run_on(date(2026, 3, 13))
    assert created[CallbackKind.AFTER_SALE] == 2 and created[CallbackKind.SERVICE] == 1
    assert Callback.objects.count() == 3
    assert set(Callback.objects.values_list("due_on", flat=True)) == {date(2026, 3, 11), date(2026, 3, 12)}
    again = run_on(date(2026, 3, 13))
    assert sum(again.values()) == 0
    run_on(date(2026, 3, 14))
    assert Callback.objects.count() == 3


def test_a_sale_whose_window_has_passed_is_not_called_any_more(mall):
    sale(mall, date(2026, 1, 5))
    run_on(date(2026, 3, 13))
    assert not Callback.objects.exists()


def test_a_reopened_complaint_resolved_again_gets_a_second_service_callback(mall):
    complaint = ComplaintFactory(mall=mall, status=Status.RESOLVED, resolved_at=aware(2026, 3, 10, 11, 0))
    run_on(date(2026, 3, 11))
    complaint.reopen_count = 1
    complaint.resolved_at = aware(2026, 3, 15, 11, 0)
    complaint.save()
    run_on(date(2026, 3, 16))
    assert list(Callback.objects.filter(complaint=complaint).values_list("round", flat=True).order_by("round")) == [
        0,
        1,
    ]


def test_home_visits_for_large_claims_repeat_complaints_and_media_cases(mall):
    resolved = {"mall": mall, "status": Status.RESOLVED, "resolved_at": aware(2026, 3, 10, 11, 0)}
    large = ComplaintFactory(**resolved, claimed_amount=Decimal("25000.00"))
    ComplaintFactory(**resolved, claimed_amount=Decimal("20000.00"))  # not over 20,000
    media = ComplaintFactory(**resolved, channel=Channel.MEDIA)
    repeat = ComplaintFactory(**resolved, repeat_of=large)
    run_on(date(2026, 3, 11))
    visits = Callback.objects.filter(kind=CallbackKind.HOME_VISIT)
    assert set(visits.values_list("complaint", flat=True)) == {large.pk, media.pk, repeat.pk}
    assert visits.get(complaint=large).deadline_on == date(2026, 3, 17)


def test_plans_switched_off_in_one_mall_only_affect_that_mall(mall, other_mall):
    sale(mall, date(2026, 3, 10))
    sale(other_mall, date(2026, 3, 10))
    policy = CallbackPolicy.for_mall(other_mall)
    policy.after_sale_enabled = False
    policy.save()
    run_on(date(2026, 3, 11))
    assert list(Callback.objects.values_list("mall", flat=True)) == [mall.pk]


def test_assignment_is_least_loaded_first_and_stays_in_the_mall(mall, other_mall, staff):
    busy = staff("complaint_officer", username="busy")
    idle = staff("complaint_officer", username="idle")
    staff("supervisor")
    elsewhere = staff("complaint_officer", in_mall=other_mall, username="elsewhere")
    earlier = [CallbackFactory(sale__mall=mall, assignee=busy).pk for _ in range(2)]
    for day in range(1, 6):
        sale(mall, date(2026, 3, 10 + day))
    sale(other_mall, date(2026, 3, 15))
    run_on(date(2026, 3, 16))

    new = Callback.objects.filter(mall=mall).exclude(pk__in=earlier)
    assert new.filter(assignee__isnull=True).count() == 0
    assert new.filter(assignee=idle).count() == 3 and new.filter(assignee=busy).count() == 2, "evened out: 4 and 3"
    assert Callback.objects.get(mall=other_mall).assignee == elsewhere
    # The soonest due goes first, to the least loaded.
    assert new.order_by("due_on", "pk").first().assignee == idle


def test_ties_go_to_the_same_person_whatever_the_timing(mall, staff):
    first = staff("complaint_officer")
    staff("complaint_officer")
    sale(mall, date(2026, 3, 14))
    run_on(date(2026, 3, 15))
    assert Callback.objects.get().assignee == first


def test_overdue_callbacks_are_marked_and_the_supervisor_told_once(mall, staff):
    supervisor = staff("supervisor")
    late = CallbackFactory(sale__mall=mall, due_on=date(2026, 3, 1), deadline_on=date(2026, 3, 7))
    CallbackFactory(sale__mall=mall, due_on=date(2026, 3, 1), deadline_on=date(2026, 3, 8))
    CallbackFactory(sale__mall=mall, due_on=date(2026, 3, 1), deadline_on=date(2026, 3, 7), status=CallbackStatus.DONE)
    with time_machine.travel(aware(2026, 3, 8, 9, 0), tick=False):
        assert callbacks_mark_overdue() == 1
        assert callbacks_mark_overdue() == 0
    late.refresh_from_db()
    assert late.overdue_at is not None
    assert Notification.objects.filter(recipient=supervisor, key=f"callback:{late.pk}:overdue").count() == 1
