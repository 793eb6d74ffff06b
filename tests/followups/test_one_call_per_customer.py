"""One row per customer call on the worklist, one call settling all of a customer's due
callbacks (each still recorded), and one set of outcome words across callbacks and complaints."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from complaints.callbacks import service_callback as complaint_callback
from complaints.forms import CallBackForm
from complaints.models import CallbackResponse, Complaint, Result, Status
from followups.forms import CallbackOutcomeForm, HomeVisitOutcomeForm
from followups.models import CallbackAttempt, CallbackKind, CallbackStatus, Outcome
from servicedesk.models import PhoneViewLog
from servicedesk.roles import Role
from servicedesk.satisfaction import Satisfaction
from tests.complaints.factories import ComplaintFactory
from tests.factories import CustomerFactory
from tests.followups.factories import CallbackFactory, SaleFactory, aware

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(staff):
    return staff(Role.COMPLAINT_OFFICER)


@pytest.fixture
def clock():
    with time_machine.travel(aware(2026, 3, 16, 9, 0), tick=False) as traveller:
        yield traveller


def three_due(mall, officer, customer):
    """An after-sale and a warranty callback on two purchases, and a service callback on a
    resolved complaint: all due today for the same customer."""
    after_sale = CallbackFactory(sale=SaleFactory(mall=mall, customer=customer), assignee=officer)
    warranty = CallbackFactory(
        sale=SaleFactory(mall=mall, customer=customer, goods="衣柜"), kind=CallbackKind.WARRANTY, assignee=officer
    )
    complaint = ComplaintFactory(
        mall=mall,
        customer=customer,
        status=Status.RESOLVED,
        result=Result.REPAIRED,
        customer_agreement="同意维修",
        assignee=officer,
        resolved_at=timezone.now() - timedelta(days=2),
    )
    service = CallbackFactory(
        sale=None, complaint=complaint, mall=mall, customer=customer, kind=CallbackKind.SERVICE, assignee=officer
    )
    return [after_sale, warranty, service]


def test_the_worklist_has_one_row_per_customer_to_call(client, mall, officer, clock, django_assert_max_num_queries):
    customer = CustomerFactory(mall=mall, name="钱女士")
    due = three_due(mall, officer, customer)
    alone = CallbackFactory(sale__mall=mall, assignee=officer)
    visit = CallbackFactory(
        sale=None,
        complaint=ComplaintFactory(mall=mall, customer=customer, status=Status.RESOLVED),
        mall=mall,
        customer=customer,
        kind=CallbackKind.HOME_VISIT,
        assignee=officer,
    )
    client.force_login(officer)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("followups:index"))
    calls = page.context["calls"]
    assert len(calls) == 3, "the customer with three calls is one row; the home visit keeps its own"
    grouped = next(row for row in calls if row.customer.pk == customer.pk and not row.visit)
    assert [c.pk for c in grouped.callbacks] == sorted((c.pk for c in due), key=lambda pk: pk)
    assert any(row.visit and row.first.pk == visit.pk for row in calls)
    html = page.content.decode()
    assert reverse("followups:call", args=[customer.pk]) in html
    assert reverse("followups:callback", args=[alone.pk]) in html, "a single callback opens its own page"
    assert html.count(f'data-customer="{customer.pk}"') == 2  # the call and the visit


def test_one_call_records_each_callback_with_its_own_answer(client, mall, officer, clock):
    customer = CustomerFactory(mall=mall)
    after_sale, warranty, service = three_due(mall, officer, customer)
    client.force_login(officer)
    page = client.get(reverse("followups:call", args=[customer.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for callback in (after_sale, warranty, service):
        assert f"outcome_{callback.pk}" in html
    assert customer.mobile in html and PhoneViewLog.objects.filter(customer=customer, viewer=officer).exists()
    response = client.post(
        reverse("followups:call", args=[customer.pk]),
        {
            "call": "reached",
            f"outcome_{after_sale.pk}": Outcome.SATISFIED,
            f"outcome_{warranty.pk}": Outcome.MOSTLY_SATISFIED,
            f"outcome_{service.pk}": Outcome.MOSTLY_SATISFIED,
            f"note_{service.pk}": "维修及时",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("followups:index")
    outcomes = {}
    for callback in (after_sale, warranty, service):
        callback.refresh_from_db()
        assert callback.status == CallbackStatus.DONE and callback.attempts == 1
        assert CallbackAttempt.objects.filter(callback=callback).count() == 1, "each callback keeps its attempt"
        outcomes[callback.kind] = callback.outcome
    assert outcomes == {
        CallbackKind.AFTER_SALE: Outcome.SATISFIED,
        CallbackKind.WARRANTY: Outcome.MOSTLY_SATISFIED,
        CallbackKind.SERVICE: Outcome.MOSTLY_SATISFIED,
    }
    complaint = Complaint.objects.get(pk=service.complaint_id)
    assert (
        complaint.status == Status.CALLED_BACK
        and complaint_callback(complaint).response == CallbackResponse.MOSTLY_SATISFIED
    )
    assert client.get(reverse("followups:index")).context["calls"] == []


def test_a_call_that_did_not_reach_the_customer_counts_one_attempt_on_each(client, mall, officer, clock):
    customer = CustomerFactory(mall=mall)
    callbacks = three_due(mall, officer, customer)
    client.force_login(officer)
    response = client.post(reverse("followups:call", args=[customer.pk]), {"call": Outcome.NOT_REACHED})
    assert response.status_code == 302
    for callback in callbacks:
        callback.refresh_from_db()
        assert (callback.status, callback.outcome, callback.attempts) == (
            CallbackStatus.RETRY,
            Outcome.NOT_REACHED,
            1,
        )
        assert callback.next_attempt_at == timezone.now() + timedelta(hours=2)


def test_a_reached_call_needs_every_answer_and_an_unhappy_one_needs_a_note_nothing_saved_otherwise(
    client, mall, officer, clock
):
    customer = CustomerFactory(mall=mall)
    after_sale, warranty, service = three_due(mall, officer, customer)
    client.force_login(officer)
    url = reverse("followups:call", args=[customer.pk])
    response = client.post(url, {"call": "reached", f"outcome_{after_sale.pk}": Outcome.SATISFIED})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert f"outcome_{warranty.pk}" in errors and f"outcome_{service.pk}" in errors
    response = client.post(
        url,
        {
            "call": "reached",
            f"outcome_{after_sale.pk}": Outcome.SATISFIED,
            f"outcome_{warranty.pk}": Outcome.UNSATISFIED,
            f"outcome_{service.pk}": Outcome.SATISFIED,
        },
    )
    assert response.status_code == 200
    assert f"note_{warranty.pk}" in response.context["form"].errors
    assert not CallbackAttempt.objects.exists(), "all or nothing"
    after_sale.refresh_from_db()
    assert after_sale.status == CallbackStatus.OPEN


def test_the_call_takes_only_callbacks_the_officer_may_make_a_supervisor_takes_all(client, mall, officer, staff, clock):
    customer = CustomerFactory(mall=mall)
    mine = CallbackFactory(sale=SaleFactory(mall=mall, customer=customer), assignee=officer)
    theirs = CallbackFactory(
        sale=SaleFactory(mall=mall, customer=customer),
        kind=CallbackKind.WARRANTY,
        assignee=staff(Role.COMPLAINT_OFFICER),
    )
    client.force_login(officer)
    page = client.get(reverse("followups:call", args=[customer.pk]))
    assert [item["callback"] for item in page.context["items"]] == [mine]
    client.force_login(staff(Role.SUPERVISOR))
    page = client.get(reverse("followups:call", args=[customer.pk]))
    assert {item["callback"] for item in page.context["items"]} == {mine, theirs}


def test_the_call_page_is_404_in_another_mall_and_403_without_the_callbacks_section(client, mall, other_mall, staff):
    stranger = CustomerFactory(mall=other_mall)
    client.force_login(staff(Role.COMPLAINT_OFFICER))
    assert client.get(reverse("followups:call", args=[stranger.pk])).status_code == 404
    customer = CustomerFactory(mall=mall)
    client.force_login(staff(Role.FRONT_DESK))
    assert client.get(reverse("followups:call", args=[customer.pk])).status_code == 403


def test_nothing_due_sends_the_caller_back_to_the_worklist(client, mall, officer):
    customer = CustomerFactory(mall=mall)
    client.force_login(officer)
    response = client.get(reverse("followups:call", args=[customer.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("followups:index")


# --- One set of words -------------------------------------------------------------------------


def labels(choices):
    with translation.override("zh-hans"):
        return [str(label) for _value, label in choices]


def test_the_same_four_words_everywhere():
    """DOMAIN.md §6: 满意 / 基本满意 / 不满意 / 未接通, on complaints, callbacks and home visits."""
    words = ["满意", "基本满意", "不满意"]
    assert labels(Satisfaction.choices) == words
    assert labels(CallbackResponse.choices) == words, "the complaint's callback"
    assert labels(CallBackForm().fields["response"].choices) == words
    assert labels(HomeVisitOutcomeForm().fields["outcome"].choices) == words
    assert labels(CallbackOutcomeForm().fields["outcome"].choices)[:4] == [*words, "未接通"]
    assert [value for value, _label in CallbackResponse.choices] == [
        Outcome.SATISFIED,
        Outcome.MOSTLY_SATISFIED,
        Outcome.UNSATISFIED,
    ], "the same stored values, so the reports count them alike"
