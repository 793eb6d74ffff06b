from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from complaints.callbacks import service_callback as complaint_callback
from complaints.models import CallbackResponse, Result, Status
from complaints.services import complaint_close
from followups.models import CallbackAttempt, CallbackKind, CallbackStatus, Outcome
from followups.services import callback_record
from tests.complaints.factories import ComplaintFactory
from tests.followups.factories import CallbackFactory, aware

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(staff):
    return staff("complaint_officer")


@pytest.fixture
def clock():
    with time_machine.travel(aware(2026, 3, 16, 9, 0), tick=False) as traveller:
        yield traveller


def resolved_complaint(mall, officer, days_ago=2):
    return ComplaintFactory(
        mall=mall,
        status=Status.RESOLVED,
        result=Result.REPAIRED,
        customer_agreement="顾客同意维修",
        assignee=officer,
        resolved_at=timezone.now() - timedelta(days=days_ago),
    )


def service_callback(complaint, officer):
    return CallbackFactory(
        sale=None,
        complaint=complaint,
        mall=complaint.mall,
        customer=complaint.customer,
        kind=CallbackKind.SERVICE,
        assignee=officer,
    )


def test_a_reached_customer_finishes_the_callback(mall, officer, clock):
    callback = CallbackFactory(sale__mall=mall, assignee=officer)
    recorded = callback_record(callback=callback, actor=officer, outcome=Outcome.SATISFIED, note="送货很快")
    callback.refresh_from_db()
    assert (callback.status, callback.outcome, callback.attempts, callback.note) == (
        CallbackStatus.DONE,
        Outcome.SATISFIED,
        1,
        "送货很快",
    )
    assert callback.finished_at is not None and not recorded.new_complaint_url
    with pytest.raises(ValidationError):
        callback_record(callback=callback, actor=officer, outcome=Outcome.SATISFIED)


def test_three_attempts_then_unreachable(mall, officer, clock):
    callback = CallbackFactory(sale__mall=mall, assignee=officer)
    callback_record(callback=callback, actor=officer, outcome=Outcome.NOT_REACHED)
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.RETRY
    assert callback.next_attempt_at == timezone.now() + timedelta(hours=2), "default: two hours later"
    clock.shift(timedelta(hours=20))
    callback_record(
        callback=callback,
        actor=officer,
        outcome=Outcome.NOT_REACHED,
        next_attempt_at=timezone.now() + timedelta(hours=3),
    )
    clock.shift(timedelta(hours=3))
    callback_record(callback=callback, actor=officer, outcome=Outcome.NOT_REACHED)
    callback.refresh_from_db()
    assert (callback.status, callback.attempts, callback.next_attempt_at) == (CallbackStatus.UNREACHABLE, 3, None)
    assert CallbackAttempt.objects.filter(callback=callback).count() == 3
    with pytest.raises(ValidationError):
        callback_record(callback=callback, actor=officer, outcome=Outcome.NOT_REACHED)


def test_attempts_stay_within_two_days_of_the_first(mall, officer, clock):
    callback = CallbackFactory(sale__mall=mall, assignee=officer)
    callback_record(callback=callback, actor=officer, outcome=Outcome.NOT_REACHED)
    with pytest.raises(ValidationError) as refused:
        callback_record(
            callback=callback,
            actor=officer,
            outcome=Outcome.NOT_REACHED,
            next_attempt_at=timezone.now() + timedelta(days=3),
        )
    assert "next_attempt_at" in refused.value.message_dict
    # Two days after the first attempt the callback is given up, even with attempts left.
    clock.shift(timedelta(days=2, minutes=1))
    callback_record(callback=callback, actor=officer, outcome=Outcome.NOT_REACHED)
    callback.refresh_from_db()
    assert (callback.status, callback.attempts) == (CallbackStatus.UNREACHABLE, 2)


def test_a_wrong_number_is_unreachable_at_once(mall, officer, clock):
    callback = CallbackFactory(sale__mall=mall, assignee=officer)
    callback_record(callback=callback, actor=officer, outcome=Outcome.WRONG_NUMBER)
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.UNREACHABLE


def test_only_the_assignee_or_a_supervisor_works_a_callback(mall, officer, staff, other_mall, clock):
    callback = CallbackFactory(sale__mall=mall, assignee=officer)
    with pytest.raises(PermissionDenied):
        callback_record(callback=callback, actor=staff("complaint_officer"), outcome=Outcome.SATISFIED)
    with pytest.raises(PermissionDenied):
        callback_record(callback=callback, actor=staff("clerk"), outcome=Outcome.SATISFIED)
    with pytest.raises(PermissionDenied):
        callback_record(callback=callback, actor=staff("head_office"), outcome=Outcome.SATISFIED)
    with pytest.raises(PermissionDenied):
        callback_record(callback=callback, actor=staff("supervisor", in_mall=other_mall), outcome=Outcome.SATISFIED)
    callback_record(callback=callback, actor=staff("supervisor"), outcome=Outcome.SATISFIED)


def test_unsatisfied_after_a_sale_opens_a_new_complaint_prefilled_with_the_sale(mall, officer, client, clock):
    callback = CallbackFactory(sale__mall=mall, assignee=officer)
    with pytest.raises(ValidationError):
        callback_record(callback=callback, actor=officer, outcome=Outcome.UNSATISFIED)
    recorded = callback_record(callback=callback, actor=officer, outcome=Outcome.UNSATISFIED, note="桌面有划痕")
    assert f"sale={callback.sale_id}" in recorded.new_complaint_url

    client.force_login(officer)
    page = client.get(recorded.new_complaint_url)
    form = page.context["form"]
    assert form.initial["voucher_number"] == callback.sale.order_number
    assert form.initial["goods"] == "实木餐桌"
    assert form.initial["customer_mobile"] == callback.sale.customer.mobile
    assert "桌面有划痕" in form.initial["facts"]


def test_unsatisfied_service_callback_reopens_the_complaint_within_30_days(mall, officer, clock):
    complaint = resolved_complaint(mall, officer)
    callback = service_callback(complaint, officer)
    recorded = callback_record(callback=callback, actor=officer, outcome=Outcome.UNSATISFIED, note="维修后仍开裂")
    complaint.refresh_from_db()
    assert recorded.reopened == complaint
    assert complaint.status == Status.ASSIGNED and complaint.reopen_count == 1


def test_unsatisfied_service_callback_after_30_days_opens_a_new_complaint(mall, officer, clock):
    complaint = resolved_complaint(mall, officer, days_ago=31)
    callback = service_callback(complaint, officer)
    recorded = callback_record(callback=callback, actor=officer, outcome=Outcome.UNSATISFIED, note="仍不满意")
    complaint.refresh_from_db()
    assert recorded.reopened is None and "complaints/new/" in recorded.new_complaint_url
    assert (
        complaint.status == Status.CALLED_BACK
        and complaint_callback(complaint).response == CallbackResponse.UNSATISFIED
    )


def test_closing_a_complaint_waits_for_its_service_callback(mall, officer, staff, clock):
    supervisor = staff("supervisor")
    complaint = resolved_complaint(mall, officer)
    with pytest.raises(ValidationError):
        complaint_close(complaint=complaint, actor=supervisor)  # no callback at all
    callback = service_callback(complaint, officer)
    with pytest.raises(ValidationError) as refused:
        complaint_close(complaint=complaint, actor=supervisor)
    assert "服务回访" in str(refused.value)

    callback_record(callback=callback, actor=officer, outcome=Outcome.MOSTLY_SATISFIED)
    complaint.refresh_from_db()
    assert (
        complaint.status == Status.CALLED_BACK
        and complaint_callback(complaint).response == CallbackResponse.MOSTLY_SATISFIED
    )
    complaint_close(complaint=complaint, actor=supervisor)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED


def test_an_unreachable_service_callback_lets_the_complaint_close(mall, officer, staff, clock):
    complaint = resolved_complaint(mall, officer)
    callback = service_callback(complaint, officer)
    callback_record(callback=callback, actor=officer, outcome=Outcome.WRONG_NUMBER)
    complaint.refresh_from_db()
    assert complaint_callback(complaint).failed_attempts == 1 and complaint.status == Status.RESOLVED
    complaint_close(complaint=complaint, actor=staff("supervisor"))
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
