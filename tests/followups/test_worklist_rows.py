"""The callback worklist from plain values, its rows written in Python (issue #22), gives the page
the old template gave from model instances, in both languages: the old template is kept in
reference/worklist_before_22.html and the old view's context is built below as it was. Then the
page of calls: the soonest WORKLIST_CALLS calls, the count of the rest and the next pages, and
only the numbers shown logged."""

import importlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db.models import Q
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

import followups.selectors
from complaints.models import Status
from followups.models import Callback, CallbackKind, CallbackStatus
from followups.models.rows import CallbackRow, callback_rows
from followups.views.worklist import _today_for
from servicedesk.models import PhoneViewLog
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory
from tests.factories import CustomerFactory, make_staff
from tests.followups.factories import CallbackFactory, SaleFactory, aware

pytestmark = pytest.mark.django_db

REFERENCE = (Path(__file__).parent / "reference" / "worklist_before_22.html").read_text()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def reference_calls_of(callbacks):
    """followups.views.worklist.calls_of before issue #22: the rows as dicts of model instances."""
    rows, by_customer = [], {}
    for callback in callbacks:
        row = None if callback.is_home_visit else by_customer.get(callback.customer_id)
        if row is None:
            row = {"customer": callback.customer, "callbacks": [], "visit": callback.is_home_visit}
            rows.append(row)
            if not callback.is_home_visit:
                by_customer[callback.customer_id] = row
        row["callbacks"].append(callback)
    for row in rows:
        first = row["callbacks"][0]
        row.update(
            first=first,
            deadline_on=first.deadline_on,
            overdue=any(c.overdue_at for c in row["callbacks"]),
            attempts=max(c.attempts for c in row["callbacks"]),
            next_attempt_at=min((c.next_attempt_at for c in row["callbacks"] if c.next_attempt_at), default=None),
        )
    return rows


def reference_page(response, user, mall):
    """The old template rendered with the old view's context (model instances), for the same
    request."""
    mine = list(_today_for(Callback.objects.filter(assignee=user)))
    others = (
        Callback.objects.for_mall(mall)
        .still_open()
        .filter(Q(assignee__isnull=True) | Q(overdue_at__isnull=False))
        .exclude(assignee=user)
        .for_list()
        .order_by("deadline_on", "pk")[:200]
    )
    context = {
        "section": response.context["section"],
        "callbacks": mine,
        "calls": reference_calls_of(mine),
        "others": others,
        "figures": response.context["figures"],
        "today": response.context["today"],
    }
    return engines["django"].from_string(REFERENCE).render(context, response.wsgi_request)


@pytest.fixture
def clock():
    with time_machine.travel(aware(2026, 3, 16, 9, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def every_kind_of_call(mall, clock):
    """A supervisor's worklist with every kind of row: one callback, three for one customer (two
    sales and a complaint), a home visit, overdue, waiting for another attempt, names to escape;
    and the mall's unassigned and overdue callbacks of others, named and unnamed."""
    supervisor = make_staff(Role.SUPERVISOR, mall, first_name="", last_name="", username="sup")
    today = timezone.localdate()
    several = CustomerFactory(mall=mall, name='<b>"钱"</b> & 女士', mobile="13912345678")
    CallbackFactory(sale=SaleFactory(mall=mall, customer=several, goods="沙发 <L>"), assignee=supervisor)
    CallbackFactory(
        sale=SaleFactory(mall=mall, customer=several, goods="衣柜"),
        kind=CallbackKind.WARRANTY,
        assignee=supervisor,
        status=CallbackStatus.RETRY,
        attempts=2,
        next_attempt_at=timezone.now() + timedelta(hours=3, minutes=7),
        overdue_at=timezone.now(),
    )
    complaint = ComplaintFactory(mall=mall, customer=several, status=Status.RESOLVED)
    CallbackFactory(
        sale=None, complaint=complaint, mall=mall, customer=several, kind=CallbackKind.SERVICE, assignee=supervisor
    )
    CallbackFactory(sale__mall=mall, assignee=supervisor, due_on=today - timedelta(days=3), deadline_on=today)
    CallbackFactory(
        sale=None,
        complaint=ComplaintFactory(mall=mall, customer=several, status=Status.RESOLVED),
        mall=mall,
        customer=several,
        kind=CallbackKind.HOME_VISIT,
        assignee=supervisor,
    )
    CallbackFactory(sale__mall=mall, assignee=supervisor, overdue_at=timezone.now(), attempts=1)
    # Not on it: due tomorrow, done, waiting for the survey, another attempt tomorrow.
    CallbackFactory(sale__mall=mall, assignee=supervisor, due_on=today + timedelta(days=1))
    CallbackFactory(sale__mall=mall, assignee=supervisor, status=CallbackStatus.DONE)
    CallbackFactory(
        sale__mall=mall,
        assignee=supervisor,
        status=CallbackStatus.RETRY,
        next_attempt_at=timezone.now() + timedelta(days=1),
    )
    # The mall's others: unassigned, overdue with a named officer, overdue with an unnamed one.
    CallbackFactory(sale__mall=mall, assignee=None, sale__customer__name="A&B")
    named = make_staff(Role.COMPLAINT_OFFICER, mall, first_name="小", last_name="王")
    CallbackFactory(sale__mall=mall, assignee=named, overdue_at=timezone.now(), kind=CallbackKind.WARRANTY)
    unnamed = make_staff(Role.COMPLAINT_OFFICER, mall, first_name="", last_name="", username="o<2>")
    CallbackFactory(sale__mall=mall, assignee=unnamed, overdue_at=timezone.now())
    CallbackFactory(sale__mall=mall, assignee=unnamed)  # neither: not listed
    return supervisor


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_page_is_the_old_templates(client, mall, every_kind_of_call, language):
    supervisor = every_kind_of_call
    client.force_login(supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        response = client.get(reverse("followups:index"))
        assert response.status_code == 200
        shown = CSRF.sub("CSRF", response.content.decode())
        expected = CSRF.sub("CSRF", reference_page(response, supervisor, mall))
    assert shown == expected
    assert len(response.context["calls"]) == 4, "one call for three callbacks, a visit, two alone"
    assert shown.count("data-callback-item=") == 6
    assert 'id="mall-callbacks"' in shown and shown.count("<tr><td>") == 3
    assert "&lt;b&gt;&quot;钱&quot;&lt;/b&gt; &amp; 女士" in shown and "o&lt;2&gt;" in shown and "A&amp;B" in shown
    assert "table-warning" in shown and " · " in shown
    assert "worklist-pages" not in shown, "one page: no paging"
    assert f'<html lang="{language}">' in shown


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_empty_worklist_is_the_old_templates(client, mall, staff, language):
    supervisor = staff(Role.SUPERVISOR)
    client.force_login(supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        response = client.get(reverse("followups:index"))
        shown = CSRF.sub("CSRF", response.content.decode())
        assert shown == CSRF.sub("CSRF", reference_page(response, supervisor, mall))
    assert f'<html lang="{language}">' in shown
    assert ("今天没有要回访的。" if language == "zh-hans" else "Nothing to call today.") in shown


def test_a_row_from_values_is_the_row_from_the_model(every_kind_of_call, mall):
    callbacks = Callback.objects.filter(mall=mall).order_by("pk")
    assert callback_rows(callbacks) == [CallbackRow.of(c) for c in callbacks.for_list()]


def test_rows_from_values_take_one_query(every_kind_of_call, mall, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = callback_rows(Callback.objects.filter(mall=mall).order_by("pk"))
    assert len(rows) == Callback.objects.filter(mall=mall).count()
    several = [r for r in rows if r.customer.name.startswith("<b>")]
    assert len({id(r.customer) for r in several}) == 1, "one customer, one object"


# --- The page of calls ------------------------------------------------------------------------


@pytest.fixture
def backlog(mall, staff, clock, monkeypatch):
    """Five calls (seven callbacks) due for an officer, three calls a page. The first customer's
    second callback has the latest deadline of all: it still belongs to the first call."""
    monkeypatch.setattr(followups.selectors, "WORKLIST_CALLS", 3)
    officer = staff(Role.COMPLAINT_OFFICER)
    today = timezone.localdate()
    customers = [CustomerFactory(mall=mall, name=f"顾客{i}", mobile=f"1390000000{i}") for i in range(5)]
    for i, customer in enumerate(customers):
        CallbackFactory(
            sale=SaleFactory(mall=mall, customer=customer),
            assignee=officer,
            due_on=today - timedelta(days=10),
            deadline_on=today - timedelta(days=5 - i),
        )
    for customer in (customers[0], customers[3]):
        CallbackFactory(
            sale=SaleFactory(mall=mall, customer=customer),
            assignee=officer,
            kind=CallbackKind.WARRANTY,
            deadline_on=today + timedelta(days=20),
        )
    return officer, customers


def test_the_soonest_calls_first_with_the_count_of_the_rest(client, backlog, django_assert_max_num_queries):
    officer, customers = backlog
    client.force_login(officer)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("followups:index"))
    calls = page.context["calls"]
    assert [call.customer.pk for call in calls] == [c.pk for c in customers[:3]]
    assert len(calls[0].callbacks) == 2, "a customer's later callback comes with their call"
    html = page.content.decode()
    assert reverse("followups:call", args=[customers[0].pk]) in html
    assert "第 1-3 个电话，共 5 个到期（7 项回访）" in html
    assert 'href="?page=2"' in html and 'rel="prev"' not in html
    for customer in customers[3:]:
        assert customer.mobile not in html
    logged = set(PhoneViewLog.objects.filter(viewer=officer).values_list("customer_id", flat=True))
    assert logged == {c.pk for c in customers[:3]}, "only the numbers shown are logged"


def test_the_next_page_goes_on_from_there(client, backlog):
    officer, customers = backlog
    client.force_login(officer)
    page = client.get(reverse("followups:index"), {"page": 2})
    assert [call.customer.pk for call in page.context["calls"]] == [c.pk for c in customers[3:]]
    html = page.content.decode()
    assert "第 4-5 个电话，共 5 个到期（7 项回访）" in html
    assert 'href="?page=1"' in html and 'rel="next"' not in html
    logged = PhoneViewLog.objects.filter(viewer=officer).values_list("customer_id", flat=True)
    assert set(logged) == {c.pk for c in customers[3:]}
    # A page past the end shows the last page, and nonsense the first.
    assert [c.customer.pk for c in client.get(reverse("followups:index"), {"page": 99}).context["calls"]] == [
        c.pk for c in customers[3:]
    ]
    assert client.get(reverse("followups:index"), {"page": "x"}).context["calls"][0].customer.pk == customers[0].pk


def test_recording_a_call_brings_the_next_one_up(client, backlog):
    officer, customers = backlog
    client.force_login(officer)
    Callback.objects.filter(customer=customers[1]).update(status=CallbackStatus.DONE)
    calls = client.get(reverse("followups:index")).context["calls"]
    assert [call.customer.pk for call in calls] == [customers[0].pk, customers[2].pk, customers[3].pk]


def test_the_worklist_costs_the_same_queries_whatever_the_backlog(
    client, mall, staff, clock, django_assert_max_num_queries
):
    """Grouping every due callback and reading one page's rows: two queries for any backlog."""
    officer = staff(Role.COMPLAINT_OFFICER)
    client.force_login(officer)
    client.get(reverse("followups:index"))
    counts = []
    for _ in range(2):
        CallbackFactory.create_batch(30, sale__mall=mall, assignee=officer)
        with django_assert_max_num_queries(15) as captured:
            client.get(reverse("followups:index"))
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_number_the_user_may_not_see_is_masked_and_not_logged(client, mall, other_mall, staff, clock):
    """A callback still assigned to an officer who holds no role in its mall any more: the
    number is masked, nothing is logged for it, and the number they may see still is."""
    officer = staff(Role.COMPLAINT_OFFICER)
    own = CallbackFactory(sale__mall=mall, assignee=officer, sale__customer__mobile="13911112222")
    elsewhere = CallbackFactory(sale__mall=other_mall, assignee=officer, sale__customer__mobile="13933334444")
    client.force_login(officer)
    html = client.get(reverse("followups:index")).content.decode()
    assert "13911112222" in html and "139****2222" not in html
    assert "13933334444" not in html and "139****4444" in html
    assert html.count("copy-phone") == 1
    logged = set(PhoneViewLog.objects.values_list("customer_id", flat=True))
    assert logged == {own.customer_id} and elsewhere.customer_id not in logged


def test_another_users_callbacks_are_not_mine(client, mall, staff, clock):
    officer, colleague = staff(Role.COMPLAINT_OFFICER), staff(Role.COMPLAINT_OFFICER)
    CallbackFactory(sale__mall=mall, assignee=colleague, sale__customer__mobile="13955556666")
    client.force_login(officer)
    page = client.get(reverse("followups:index"))
    assert page.context["calls"] == [] and "13955556666" not in page.content.decode()
    assert not PhoneViewLog.objects.exists()


@pytest.mark.parametrize(
    ("language", "note"),
    [("zh-hans", "只列出期限最近的 2 项"), ("en", "Only the 2 with the soonest deadlines are listed")],
)
def test_a_supervisors_list_of_the_malls_calls_says_when_more_wait(client, mall, staff, monkeypatch, language, note):
    monkeypatch.setattr(importlib.import_module("followups.views.worklist"), "SUPERVISED_CALLS", 2)
    supervisor = staff(Role.SUPERVISOR)
    client.force_login(supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    today = timezone.localdate()
    first, second = (
        CallbackFactory(sale__mall=mall, assignee=None, deadline_on=today + timedelta(days=days)) for days in (1, 2)
    )
    html = client.get(reverse("followups:index")).content.decode()
    assert html.count("<tr><td>") == 2 and 'id="mall-callbacks-more"' not in html, "all shown: nothing to say"
    CallbackFactory(sale__mall=mall, assignee=None, deadline_on=today + timedelta(days=3))
    response = client.get(reverse("followups:index"))
    html = response.content.decode()
    assert [row.pk for row in response.context["others"]] == [first.pk, second.pk], "the soonest deadlines"
    assert html.count("<tr><td>") == 2 and 'id="mall-callbacks-more"' in html and note in html
