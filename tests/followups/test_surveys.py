"""The satisfaction survey by link (DOMAIN.md §8a, issue #18 §4): sent when the service callback
falls due, answered on the complaint's status page, counted as a reached callback (source:
survey) in K', the callback rate and satisfaction exactly as a call; 不满意 within 30 days of
resolution reopens; an answer takes the call off the worklist, no answer in 2 days leaves it."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from complaints.callbacks import service_callback as complaint_callback
from complaints.models import CallbackResponse, ComplaintPolicy, HandlingEntry, Result, Status
from complaints.services.customer import CUSTOMER_LINK_USERNAME
from followups.models import AnswerSource, Callback, CallbackAttempt, CallbackKind, CallbackPolicy, CallbackStatus
from followups.selectors import callback_figures
from followups.services import callback_record, callbacks_schedule, callbacks_send_surveys
from followups.tasks import scan_overdue_callbacks, schedule_callbacks
from portal.services import link_issue
from reports.appraisal import appraise
from reports.layout import LINES
from reports.models import AppraisalPolicy
from reports.periods import week_of
from reports.weekly import weekly_figures
from servicedesk.models import Notification
from sms.models import SmsMessage
from sms.services import sms_opt_out
from tests.complaints.factories import ComplaintFactory
from tests.followups.factories import aware

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATELIMIT_ENABLE = False


@pytest.fixture
def officer(staff):
    return staff("complaint_officer", first_name="小李")


@pytest.fixture
def clock():
    # Wednesday 09:00 in Shanghai: outside quiet hours (21:00-08:00).
    with time_machine.travel(aware(2026, 3, 18, 9, 0), tick=False) as traveller:
        yield traveller


def resolved(mall, officer, days_ago=1, **extra):
    return ComplaintFactory(
        mall=mall,
        status=Status.RESOLVED,
        result=Result.REPAIRED,
        customer_agreement="顾客同意维修",
        assignee=officer,
        received_at=timezone.now() - timedelta(days=days_ago + 5),
        resolved_at=timezone.now() - timedelta(days=days_ago),
        **extra,
    )


def scheduled(complaint):
    """The daily run: the service callback is created, then its survey goes out."""
    callbacks_schedule()
    callbacks_send_surveys()
    return Callback.objects.get(complaint=complaint, kind=CallbackKind.SERVICE)


def worklist_ids(client, user):
    client.force_login(user)
    page = client.get(reverse("followups:index"))
    assert page.status_code == 200
    return {c.pk for c in page.context["callbacks"]}


def rate(client, complaint, outcome, note=""):
    token = link_issue(case=complaint, purpose="test")
    return client.post(
        reverse("portal:case", args=[token]), {"action": "survey", "outcome": outcome, "note": note}
    ), token


def test_the_survey_goes_out_once_when_the_service_callback_falls_due(mall, officer, clock):
    complaint = resolved(mall, officer)
    callback = scheduled(complaint)
    survey = SmsMessage.objects.get(event="survey")
    assert survey.mobile == complaint.customer.mobile and survey.key == f"complaint:{complaint.pk}:survey:{callback.pk}"
    assert complaint.number in survey.params["number"] and "/c/" in survey.params["link"]
    assert callback.survey_sent_at == timezone.now()
    # Held for 2 days from when the SMS goes out, but back on the deadline day at the latest:
    # resolved Tuesday, due Wednesday, deadline Friday (3 days) -> Friday 00:00.
    deadline_start = timezone.make_aware(datetime.combine(callback.deadline_on, time.min))
    assert callback.survey_wait_until == min(timezone.now() + timedelta(days=2), deadline_start)
    # The daily task, the hourly sweep and a second run send nothing more.
    schedule_callbacks()
    scan_overdue_callbacks()
    callbacks_send_surveys()
    assert SmsMessage.objects.filter(event="survey").count() == 1


def test_no_survey_before_the_callback_is_due_nor_for_late_calls(mall, officer, clock):
    today = resolved(mall, officer, days_ago=0)  # resolved this morning: due tomorrow
    late = resolved(mall, officer, days_ago=10)
    callbacks_schedule()
    callbacks_send_surveys()
    assert not Callback.objects.filter(complaint=today).exists()
    assert Callback.objects.get(complaint=late).deadline_on < timezone.localdate()
    assert not SmsMessage.objects.filter(event="survey").exists(), "a late call is phoned, not surveyed"


def test_quiet_hours_hold_the_survey_and_the_wait_counts_from_the_morning(mall, officer):
    with time_machine.travel(aware(2026, 3, 18, 6, 10), tick=False):  # the daily run at 06:10
        complaint = resolved(mall, officer)
        callback = scheduled(complaint)
        survey = SmsMessage.objects.get(event="survey")
    morning = aware(2026, 3, 18, 8, 0)
    assert survey.not_before == morning
    callback.refresh_from_db()
    assert callback.survey_wait_until == min(
        morning + timedelta(days=2), timezone.make_aware(datetime.combine(callback.deadline_on, time.min))
    )


def test_an_answered_survey_takes_the_call_off_the_worklist(client, mall, officer, clock):
    complaint = resolved(mall, officer)
    callback = scheduled(complaint)
    assert callback.assignee == officer
    assert callback.pk not in worklist_ids(client, officer), "waiting for the survey"
    client.logout()
    response, _token = rate(client, complaint, "satisfied", "师傅很耐心")
    assert response.status_code == 302 and response.url.endswith("?done=survey")
    callback.refresh_from_db()
    assert (callback.status, callback.outcome, callback.source, callback.attempts) == (
        CallbackStatus.DONE,
        "satisfied",
        AnswerSource.SURVEY,
        1,
    )
    attempt = CallbackAttempt.objects.get(callback=callback)
    assert attempt.source == AnswerSource.SURVEY and attempt.made_by.username == CUSTOMER_LINK_USERNAME
    assert callback.assignee == officer, "the officer keeps the callback"
    complaint.refresh_from_db()
    assert (
        complaint.status == Status.CALLED_BACK and complaint_callback(complaint).response == CallbackResponse.SATISFIED
    )
    clock.shift(timedelta(days=3))
    assert callback.pk not in worklist_ids(client, officer), "answered: never back on the worklist"
    page = client.get(reverse("followups:callback", args=[callback.pk])).content.decode()
    assert "顾客在问卷中答复" in page and "顾客（问卷）" in page and "师傅很耐心" in page


def test_no_answer_in_two_days_leaves_the_call_on_the_worklist(client, mall, officer, clock):
    ComplaintPolicy.objects.create(mall=mall, effective_from=timezone.localdate(), callback_days=5)
    complaint = resolved(mall, officer)
    callback = scheduled(complaint)
    assert callback.survey_wait_until == timezone.now() + timedelta(days=2)
    assert callback.pk not in worklist_ids(client, officer)
    clock.shift(timedelta(days=2) - timedelta(minutes=1))
    assert callback.pk not in worklist_ids(client, officer)
    clock.shift(timedelta(minutes=1))
    assert callback.pk in worklist_ids(client, officer), "2 days without an answer: the desk calls"
    # The officer's call settles it; the survey then has nothing left to answer.
    callback_record(callback=callback, actor=officer, outcome="mostly_satisfied")
    client.logout()
    _response, token = rate(client, complaint, "unsatisfied", "太慢")
    html = client.get(reverse("portal:case", args=[token])).content.decode()
    assert 'id="survey"' not in html
    callback.refresh_from_db()
    assert callback.source == AnswerSource.PHONE and callback.outcome == "mostly_satisfied"


def test_the_wait_is_a_per_mall_setting(client, mall, officer, clock):
    CallbackPolicy.objects.create(mall=mall, effective_from=timezone.localdate(), survey_wait_days=0)
    callback = scheduled(resolved(mall, officer))
    assert SmsMessage.objects.filter(event="survey").count() == 1
    assert callback.survey_wait_until is None and callback.pk in worklist_ids(client, officer)


def test_a_mall_may_switch_the_survey_off(client, mall, officer, clock):
    CallbackPolicy.objects.create(mall=mall, effective_from=timezone.localdate(), survey_enabled=False)
    callback = scheduled(resolved(mall, officer))
    assert not SmsMessage.objects.filter(event="survey").exists()
    assert callback.survey_sent_at is None and callback.pk in worklist_ids(client, officer)


def test_an_opted_out_customer_is_phoned_at_once(client, mall, officer, clock):
    complaint = resolved(mall, officer)
    sms_opt_out(mall=mall, mobile=complaint.customer.mobile, source="desk")
    callback = scheduled(complaint)
    assert SmsMessage.objects.get(event="survey").status == SmsMessage.Status.OPTED_OUT
    assert callback.survey_wait_until is None and callback.pk in worklist_ids(client, officer)
    callbacks_send_surveys()
    assert SmsMessage.objects.filter(event="survey").count() == 1


def test_the_page_shows_the_survey_only_while_the_callback_is_open(client, mall, officer, clock):
    complaint = resolved(mall, officer)
    token = link_issue(case=complaint, purpose="test")
    page = client.get(reverse("portal:case", args=[token])).content.decode()
    assert 'id="survey"' not in page, "no callback yet: nothing to rate"
    scheduled(complaint)
    page = client.get(reverse("portal:case", args=[token])).content.decode()
    assert 'id="survey"' in page and "基本满意" in page and "不满意" in page


def test_unsatisfied_needs_a_comment_and_saves_nothing_without_it(client, mall, officer, clock):
    complaint = resolved(mall, officer)
    callback = scheduled(complaint)
    response, _token = rate(client, complaint, "unsatisfied", "  ")
    assert response.status_code == 200
    html = response.content.decode()
    assert "请告诉我们您对哪些方面不满意" in html or "not satisfied with" in html
    response, _token = rate(client, complaint, "", "")
    assert "请选择您的满意程度" in response.content.decode() or "Choose how satisfied" in response.content.decode()
    response, _token = rate(client, complaint, "not_reached", "")
    assert response.status_code == 200, "only the three words of the survey are answers"
    callback.refresh_from_db()
    assert callback.is_open and callback.attempts == 0 and not CallbackAttempt.objects.exists()


def test_unsatisfied_within_30_days_reopens_the_complaint(client, mall, officer, clock):
    complaint = resolved(mall, officer)
    callback = scheduled(complaint)
    response, token = rate(client, complaint, "unsatisfied", "修过以后又开裂了")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED and complaint.reopen_count == 1
    assert complaint.assignee == officer
    log = HandlingEntry.objects.filter(complaint=complaint).order_by("pk")
    assert [e.author.username for e in log] == [CUSTOMER_LINK_USERNAME, CUSTOMER_LINK_USERNAME]
    assert "修过以后又开裂了" in str(log.last().text)
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.DONE and callback.outcome == "unsatisfied"
    assert Notification.objects.filter(
        recipient=officer, key=f"complaint:{complaint.pk}:customer-unsatisfied:0"
    ).exists()
    page = client.get(reverse("portal:case", args=[token])).content.decode()
    assert 'id="survey"' not in page


def test_unsatisfied_after_30_days_does_not_reopen(client, mall, officer, clock):
    complaint = resolved(mall, officer, days_ago=31)
    callback = Callback.objects.create(
        mall=mall,
        kind=CallbackKind.SERVICE,
        complaint=complaint,
        customer=complaint.customer,
        assignee=officer,
        due_on=timezone.localdate() - timedelta(days=30),
        deadline_on=timezone.localdate(),
    )
    response, _token = rate(client, complaint, "unsatisfied", "还是不行")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.CALLED_BACK and complaint.reopen_count == 0
    assert Notification.objects.filter(recipient=officer, key__contains="customer-unsatisfied").exists(), (
        "the officer hears of it and can register a new complaint"
    )
    callback.refresh_from_db()
    assert callback.source == AnswerSource.SURVEY and callback.status == CallbackStatus.DONE


def test_survey_answers_count_as_calls_in_the_figures_report_and_appraisal(client, mall, officer, staff, clock):
    by_phone, by_survey, unhappy = (resolved(mall, officer) for _ in range(3))
    callbacks_schedule()
    callbacks_send_surveys()
    cb_phone = Callback.objects.get(complaint=by_phone)
    callback_record(callback=cb_phone, actor=officer, outcome="satisfied")
    rate(client, by_survey, "mostly_satisfied")
    rate(client, unhappy, "unsatisfied", "安装不平")
    day = cb_phone.deadline_on
    figures = callback_figures(mall, day, day)
    # D 3, K 3, K' 3 (1 phone + 2 survey); satisfied 2 (1 + 1) -> 2/3.
    assert {k: figures[k] for k in ("due", "done", "reached", "satisfied", "reached_phone", "reached_survey")} == {
        "due": 3,
        "done": 3,
        "reached": 3,
        "satisfied": 2,
        "reached_phone": 1,
        "reached_survey": 2,
    }
    assert (figures["satisfied_phone"], figures["satisfied_survey"]) == (1, 1)
    assert figures["callback_rate"] == Decimal("1.0000") and figures["satisfaction_rate"] == Decimal("0.6667")

    week = weekly_figures([mall.pk], week_of(day))[mall.pk]
    assert (week["callbacks_due"], week["callbacks_done"], week["callbacks_reached"]) == (3, 3, 3)
    assert (week["callbacks_reached_phone"], week["callbacks_reached_survey"]) == (1, 2)
    assert (week["satisfaction_rate"], week["satisfaction_rate_phone"], week["satisfaction_rate_survey"]) == (
        Decimal("66.7"),
        Decimal("100.0"),
        Decimal("50.0"),
    )
    keys = {line.key for _title, lines in LINES for line in lines}
    assert {"callbacks_reached_phone", "callbacks_reached_survey", "satisfaction_rate_survey"} <= keys

    client.force_login(staff("supervisor"))
    html = client.get(reverse("reports:weekly"), {"week": week_of(day).key}).content.decode()
    assert "其中顾客问卷" in html or "by the survey link" in html

    result = appraise(mall, week, policy=AppraisalPolicy())
    satisfaction = next(item for item in result["items"] if item.key == "satisfaction")
    assert satisfaction.actual == Decimal("66.7")
    assert "1" in satisfaction.detail and "2" in satisfaction.detail
