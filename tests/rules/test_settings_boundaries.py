"""Every number of DOMAIN.md §2/§3 that is a per-mall setting, at its boundary, through the
behaviour (the deadlines a registration starts, what a service accepts on either side of the
line). The numbers are written out here; none is read from the policy models.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints import services
from complaints.models import Complaint, ComplaintDeadline
from followups.models import CallbackPolicy
from returns.models import ReturnRequest
from returns.services import refund_reminder_scan
from returns.services.flow import refund_due
from servicedesk.models import Notification
from tests.complaints.factories import ComplaintFactory, register
from tests.merchants.factories import BoothFactory, MerchantFactory
from tests.returns.factories import ReturnFactory
from tests.rules.harness import attempt

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
# Friday 20 November 2026, 10:00: the next working day is Monday 23 November.
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SH)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def officer(staff):
    return staff("complaint_officer")


@pytest.fixture
def supervisor(staff):
    return staff("supervisor")


def clocks(complaint):
    return {d.kind: d.due_at for d in ComplaintDeadline.objects.filter(complaint=complaint, met_at__isnull=True)}


def test_registration_starts_the_clocks_of_domain_2(mall, officer):
    complaint = register(mall, officer, booth=BoothFactory(merchant__mall=mall), channel="letter", received_at=NOW)
    assert clocks(complaint) == {
        "first_contact": NOW + timedelta(hours=24),
        "assignment": datetime(2026, 11, 23, 10, 0, tzinfo=SH),  # 1 working day
        "resolution": NOW + timedelta(days=7),
        "deliberate_delay": NOW + timedelta(days=15),
    }


def test_a_hotline_referral_is_answered_within_7_working_days(mall, officer):
    complaint = register(mall, officer, booth=BoothFactory(merchant__mall=mall), channel="12315", received_at=NOW)
    # Mon 23, Tue 24, Wed 25, Thu 26, Fri 27, Mon 30 November, Tue 1 December.
    assert clocks(complaint)["referral"] == datetime(2026, 12, 1, 10, 0, tzinfo=SH)


def test_the_merchant_answers_within_5_days(mall, officer):
    complaint = ComplaintFactory(mall=mall, status="assigned")
    services.complaint_forward_to_merchant(complaint=complaint, actor=officer)
    assert clocks(complaint)["merchant_reply"] == NOW + timedelta(days=5)


def test_the_callback_is_due_3_days_after_resolution(mall, officer):
    complaint = ComplaintFactory(mall=mall, status="proposed")
    services.complaint_resolve(complaint=complaint, actor=officer, result="repaired", customer_agreement="同意")
    assert clocks(complaint)["callback"] == NOW + timedelta(days=3)


@pytest.mark.parametrize(("open_for", "may"), [(timedelta(days=15, minutes=-1), False), (timedelta(days=15), True)])
def test_escalation_once_open_15_days(open_for, may, mall, officer):
    complaint = ComplaintFactory(mall=mall, status="assigned", received_at=NOW - open_for, merchant_reply="")
    outcome, _ = attempt(lambda: services.complaint_escalate(complaint=complaint, actor=officer))
    assert outcome == ("done" if may else "refused")


@pytest.mark.parametrize(("resolved_ago", "may"), [(timedelta(days=30), True), (timedelta(days=30, minutes=1), False)])
def test_reopening_within_30_days_of_resolution(resolved_ago, may, mall, officer):
    complaint = ComplaintFactory(
        mall=mall,
        status="called_back",
        callback_response="unsatisfied",
        result="repaired",
        resolved_at=NOW - resolved_ago,
    )
    outcome, _ = attempt(lambda: services.complaint_reopen(complaint=complaint, actor=officer, note="仍不满意"))
    assert outcome == ("done" if may else "refused")


@pytest.mark.parametrize(("days_apart", "repeat"), [(30, True), (31, False)])
def test_a_repeat_is_the_same_order_within_30_days(days_apart, repeat, mall, officer):
    booth = BoothFactory(merchant__mall=mall)
    bought = {"purchase_date": date(2026, 9, 1), "delivery_date": date(2026, 9, 5)}
    first = register(mall, officer, booth=booth, received_at=NOW - timedelta(days=days_apart), **bought)
    second = register(mall, officer, booth=booth, received_at=NOW, **bought)
    assert Complaint.objects.get(pk=second.pk).repeat_of_id == (first.pk if repeat else None)


@pytest.mark.parametrize(("failed", "may"), [(2, False), (3, True)])
def test_closing_without_a_callback_after_3_failed_attempts(failed, may, mall, supervisor):
    complaint = ComplaintFactory(mall=mall, status="resolved", result="repaired", failed_callbacks=failed)
    outcome, _ = attempt(lambda: services.complaint_close(complaint=complaint, actor=supervisor))
    assert outcome == ("done" if may else "refused")


@pytest.mark.parametrize(("failed", "may"), [(3, False), (4, True)])
def test_closing_after_failed_callbacks_follows_the_malls_callback_setting(failed, may, mall, supervisor):
    """§6 "at most 3 attempts [default]": a mall allowing 4 attempts closes after 4, not 3
    (one setting, CallbackPolicy.max_attempts, for the worklist and for closing)."""
    CallbackPolicy.objects.create(mall=mall, effective_from=date(2000, 1, 1), max_attempts=4)
    complaint = ComplaintFactory(mall=mall, status="resolved", result="repaired", failed_callbacks=failed)
    outcome, _ = attempt(lambda: services.complaint_close(complaint=complaint, actor=supervisor))
    assert outcome == ("done" if may else "refused")


def _waiting_for_refund(mall, received_on):
    return ReturnFactory(
        merchant=MerchantFactory(mall=mall),
        status="intact",
        requested_on=date(2026, 10, 1),
        payment_date=date(2026, 9, 20),
        delivery_date=date(2026, 9, 25),
        goods_received_on=received_on,
    )


def test_the_refund_is_due_7_days_after_the_goods_come_back(mall):
    r = _waiting_for_refund(mall, date(2026, 11, 10))
    assert refund_due(r) == date(2026, 11, 17)


@pytest.mark.parametrize(
    ("received_days_ago", "event"),
    [(7, "refund_due_soon"), (8, "refund_overdue"), (15, "refund_overdue"), (16, "deliberate_delay")],
)
def test_refund_reminders_at_7_and_past_15_days(received_days_ago, event, mall, staff):
    staff("supervisor")
    staff("manager")
    r = _waiting_for_refund(mall, date(2026, 11, 20) - timedelta(days=received_days_ago))
    refund_reminder_scan(today=date(2026, 11, 20))
    keys = set(Notification.objects.values_list("key", flat=True))
    assert {key.rsplit(":", 1)[-1] for key in keys} == {event}
    assert ReturnRequest.objects.get(pk=r.pk).delay_flagged is (event == "deliberate_delay")
