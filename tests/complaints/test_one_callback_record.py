"""One callback record (issue 17): the complaint's callback is its service callback
(followups.Callback), read through complaints.callbacks; a call made from the complaint's page is
recorded on it, and every page, print and the customer's status page show what it says."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import callbacks
from complaints.models import Complaint, Status
from complaints.services import complaint_close
from followups.models import Callback, CallbackAttempt, CallbackKind, CallbackStatus, Outcome
from followups.services import callback_record
from portal.services import link_issue
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory


@pytest.fixture
def officer(staff):
    return staff(Role.COMPLAINT_OFFICER)


@pytest.fixture
def resolved(mall, officer):
    return ComplaintFactory(
        mall=mall,
        status=Status.RESOLVED,
        assignee=officer,
        result="repaired",
        customer_agreement="顾客同意",
        resolved_at=timezone.now() - timedelta(days=1),
    )


def act(client, complaint, action, data):
    return client.post(reverse("complaints:act", args=[complaint.pk, action]), data)


def test_the_complaint_keeps_no_copy_of_its_callback():
    fields = {field.name for field in Complaint._meta.get_fields()}
    assert not fields & {"callback_at", "callback_response", "callback_note", "failed_callbacks"}


def test_a_call_from_the_complaint_page_is_recorded_on_the_service_callback(client, resolved, officer):
    client.force_login(officer)
    response = act(client, resolved, "call_back", {"response": "mostly_satisfied", "note": "师傅很耐心"})
    assert response.status_code == 302
    callback = Callback.objects.get(complaint=resolved, kind=CallbackKind.SERVICE, round=0)
    assert (callback.status, callback.outcome, callback.note, callback.attempts) == (
        CallbackStatus.DONE,
        Outcome.MOSTLY_SATISFIED,
        "师傅很耐心",
        1,
    )
    attempt = CallbackAttempt.objects.get(callback=callback)
    assert attempt.made_by == officer and attempt.outcome == Outcome.MOSTLY_SATISFIED
    resolved.refresh_from_db()
    assert resolved.status == Status.CALLED_BACK
    local = timezone.localdate(resolved.resolved_at)
    assert (callback.due_on, callback.deadline_on) == (local + timedelta(days=1), local + timedelta(days=3))


def test_a_failed_call_from_the_page_is_an_attempt_and_the_next_is_made_from_the_worklist(client, resolved, officer):
    client.force_login(officer)
    assert act(client, resolved, "callback_failed", {"note": "无人接听"}).status_code == 302
    callback = Callback.objects.get(complaint=resolved, kind=CallbackKind.SERVICE)
    assert (callback.status, callback.attempts, callback.outcome) == (CallbackStatus.RETRY, 1, Outcome.NOT_REACHED)
    assert callbacks.service_callback(resolved).failed_attempts == 1
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED
    page = client.get(reverse("complaints:detail", args=[resolved.pk])).content.decode()
    assert reverse("followups:callback", args=[callback.pk]) in page
    assert reverse("complaints:act", args=[resolved.pk, "call_back"]) not in page, "one place to record calls"


def test_an_unsatisfied_call_from_the_page_needs_a_note_and_reopens_within_the_window(client, resolved, officer):
    client.force_login(officer)
    page = act(client, resolved, "call_back", {"response": "unsatisfied", "note": ""})
    assert page.status_code == 200 and "note" in page.context["form"].errors
    assert not Callback.objects.filter(complaint=resolved).exists(), "nothing half-saved"
    act(client, resolved, "call_back", {"response": "unsatisfied", "note": "坐垫仍开裂"})
    resolved.refresh_from_db()
    assert (resolved.status, resolved.reopen_count) == (Status.ASSIGNED, 1)


def test_pages_print_and_status_link_show_the_service_callback(client, resolved, officer, staff):
    callback = Callback.objects.create(
        mall=resolved.mall,
        kind=CallbackKind.SERVICE,
        complaint=resolved,
        customer=resolved.customer,
        due_on=timezone.localdate(),
        deadline_on=timezone.localdate() + timedelta(days=2),
    )
    callback_record(callback=callback, actor=officer, outcome=Outcome.SATISFIED, note="维修及时")
    callback.refresh_from_db()
    client.force_login(officer)
    detail = client.get(reverse("complaints:detail", args=[resolved.pk])).content.decode()
    assert 'id="complaint-callback">满意 维修及时' in detail
    printed = client.get(reverse("complaints:form_print", args=[resolved.pk])).content.decode()
    day = timezone.localtime(callback.finished_at).strftime("%Y-%m-%d")
    assert f'id="form-callback">{day} 满意 维修及时' in printed
    token = link_issue(case=Complaint.objects.get(pk=resolved.pk), purpose="sms")
    status_page = client.get(reverse("portal:case", args=[token])).content.decode()
    assert "满意" in status_page and timezone.localtime(callback.finished_at).strftime("%Y-%m-%d %H:%M") in status_page
    # And closing reads the same record.
    complaint_close(complaint=resolved, actor=staff(Role.SUPERVISOR))
    assert Complaint.objects.get(pk=resolved.pk).status == Status.CLOSED


def test_closing_without_any_callback_is_refused_with_the_attempts_allowed(resolved, staff):
    with pytest.raises(Exception, match=r"3"):
        complaint_close(complaint=resolved, actor=staff(Role.SUPERVISOR))
