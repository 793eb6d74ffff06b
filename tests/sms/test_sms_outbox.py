"""The SMS outbox (sms/): written with the event, sent once after commit, retried with backoff,
swept by beat, quiet hours, opt-out, masked logs."""

import logging
from datetime import time, timedelta
from unittest import mock

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from sms.backends import ConsoleBackend, PermanentSmsError, TransientSmsError
from sms.models import SmsMessage, SmsPolicy
from sms.services import (
    MAX_ATTEMPTS,
    SENDING_STALE,
    quiet_until,
    sms_opt_in,
    sms_opt_out,
    sms_queue,
    sms_requeue,
    sms_send,
    sms_sweep,
)
from sms.tasks import send_sms

MOBILE = "13812345678"
TOKEN = "tok3nSECRETabcdefghijklmnopqrstuv"
DAYTIME = "2026-12-02 10:00 +0800"
Status = SmsMessage.Status


def queue(mall, key="complaint:1:registered", event="case_registered", mobile=MOBILE, **kwargs):
    params = {"kind": "投诉", "number": "TS-SH01-20261202-0001", "link": f"https://desk.example/c/{TOKEN}/"}
    params.update({"phone": "021-52700000"} if event == "case_registered" else {})
    if event == "verification_code":
        params = {"code": "123456"}
    return sms_queue(mall=mall, mobile=mobile, event=event, params=params, key=key, **kwargs)


@pytest.fixture
def sent_log():
    """Every call the backend gets, in order (the console backend, recorded)."""
    calls = []
    original = ConsoleBackend.send

    def record(self, message, event, policy):
        calls.append(message.key)
        return original(self, message, event, policy)

    with mock.patch.object(ConsoleBackend, "send", record):
        yield calls


@time_machine.travel(DAYTIME, tick=False)
def test_the_row_is_written_with_the_event_and_sent_after_commit(mall, sent_log, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(mall)
        assert sent_log == [], "nothing goes out before the transaction commits"
    message.refresh_from_db()
    assert sent_log == ["complaint:1:registered"]
    assert message.status == Status.SENT and message.sent_at is not None and message.attempts == 1
    assert TOKEN not in str(message.params) and TOKEN not in message.text, "a sent row forgets the link token"
    assert "TS-SH01-20261202-0001" in message.text


@time_machine.travel(DAYTIME, tick=False)
def test_a_rolled_back_event_writes_and_sends_nothing(mall, sent_log, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        queue(mall)
        raise RuntimeError("the business action failed")
    assert not SmsMessage.objects.exists() and sent_log == []


@time_machine.travel(DAYTIME, tick=False)
def test_each_event_is_sent_once_when_queued_twice_and_the_task_runs_twice(
    mall, sent_log, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(mall)
        again = queue(mall)
    assert first.pk == again.pk and SmsMessage.objects.count() == 1
    send_sms.apply(args=[[first.pk]])
    send_sms([first.pk])
    sms_sweep()
    assert sent_log == ["complaint:1:registered"]


@time_machine.travel(DAYTIME, tick=False)
def test_broker_down_the_sweep_sends_it_once(mall, sent_log, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(send_sms, "apply_async", side_effect=OperationalError("redis down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = queue(mall)
    message.refresh_from_db()
    assert message.status == Status.QUEUED and sent_log == [], "the row waits for the sweep"
    assert sms_sweep() == 1
    assert sms_sweep() == 0
    assert sent_log == ["complaint:1:registered"]


def test_quiet_hours_hold_messages_until_the_morning(mall, sent_log, django_capture_on_commit_callbacks):
    with time_machine.travel("2026-12-02 21:30 +0800", tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            message = queue(mall)
        assert timezone.localtime(message.not_before).isoformat() == "2026-12-03T08:00:00+08:00"
        assert sms_sweep() == 0
    with time_machine.travel("2026-12-03 07:59 +0800", tick=False):
        assert sms_sweep() == 0 and sent_log == []
    with time_machine.travel("2026-12-03 08:00 +0800", tick=False):
        assert sms_sweep() == 1 and sent_log == ["complaint:1:registered"]


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("2026-12-02 20:59", "2026-12-02 20:59"),  # still allowed
        ("2026-12-02 21:00", "2026-12-03 08:00"),
        ("2026-12-02 23:59", "2026-12-03 08:00"),
        ("2026-12-03 00:00", "2026-12-03 08:00"),
        ("2026-12-03 07:59", "2026-12-03 08:00"),
        ("2026-12-03 08:00", "2026-12-03 08:00"),
    ],
)
def test_quiet_hours_boundaries(mall, local, expected):
    policy = SmsPolicy.for_mall(mall)
    now = timezone.make_aware(timezone.datetime.fromisoformat(local))
    assert timezone.localtime(quiet_until(policy, now)).strftime("%Y-%m-%d %H:%M") == expected


def test_quiet_hours_are_the_malls_setting(mall, sent_log, django_capture_on_commit_callbacks):
    with time_machine.travel("2026-12-01 12:00 +0800", tick=False):
        SmsPolicy.objects.create(mall=mall, quiet_from=time(20, 0), quiet_until=time(9, 30))
    with (
        time_machine.travel("2026-12-02 20:15 +0800", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = queue(mall)
    assert timezone.localtime(message.not_before).strftime("%m-%d %H:%M") == "12-03 09:30" and sent_log == []


def test_a_verification_code_ignores_quiet_hours_and_opt_out(mall, sent_log, django_capture_on_commit_callbacks):
    with time_machine.travel("2026-12-02 23:00 +0800", tick=False):
        sms_opt_out(mall=mall, mobile=MOBILE, source="link")
        with django_capture_on_commit_callbacks(execute=True):
            queue(mall, key="code:1", event="verification_code")
    assert sent_log == ["code:1"]
    assert "123456" not in SmsMessage.objects.get().text, "the code is masked in the stored text"


@time_machine.travel(DAYTIME, tick=False)
def test_an_opted_out_customer_gets_no_sms(mall, other_mall, sent_log, django_capture_on_commit_callbacks):
    sms_opt_out(mall=mall, mobile="138 1234 5678", source="desk")
    with django_capture_on_commit_callbacks(execute=True):
        mine = queue(mall, key="a")
        elsewhere = queue(other_mall, key="b")
    assert SmsMessage.objects.get(pk=mine.pk).status == Status.OPTED_OUT
    assert TOKEN not in str(SmsMessage.objects.get(pk=mine.pk).params)
    assert SmsMessage.objects.get(pk=elsewhere.pk).status == Status.SENT, "the opt-out is per mall"
    assert sent_log == ["b"]
    sms_opt_in(mall=mall, mobile=MOBILE)
    with django_capture_on_commit_callbacks(execute=True):
        queue(mall, key="c")
    assert sent_log == ["b", "c"]


@time_machine.travel(DAYTIME, tick=False)
def test_opting_out_after_queueing_stops_the_message(mall, sent_log):
    message = queue(mall)  # on_commit not run: still queued
    sms_opt_out(mall=mall, mobile=MOBILE, source="link")
    sms_send([message.pk])
    message.refresh_from_db()
    assert message.status == Status.OPTED_OUT and sent_log == []


@time_machine.travel(DAYTIME, tick=False)
def test_sms_off_for_the_mall_records_the_row_unsent(mall, sent_log, django_capture_on_commit_callbacks):
    with time_machine.travel("2026-12-01 12:00 +0800", tick=False):
        SmsPolicy.objects.create(mall=mall, enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(mall)
    assert SmsMessage.objects.get(pk=message.pk).status == Status.DISABLED and sent_log == []


def test_a_transient_error_is_retried_with_backoff_then_given_up(mall, django_capture_on_commit_callbacks):
    calls = []

    def flaky(self, message, event, policy):
        calls.append(timezone.now())
        raise TransientSmsError("InternalError: try later")

    start = timezone.make_aware(timezone.datetime(2026, 12, 2, 10, 0))
    with mock.patch.object(ConsoleBackend, "send", flaky), time_machine.travel(start, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            message = queue(mall)
        gaps = []
        for _ in range(MAX_ATTEMPTS + 2):
            message.refresh_from_db()
            if message.status != Status.QUEUED:
                break
            gaps.append(message.not_before - timezone.now())
            assert sms_sweep() == 0, "not before the backoff has passed"
            clock.move_to(message.not_before)
            sms_sweep()
    message.refresh_from_db()
    assert len(calls) == MAX_ATTEMPTS and message.status == Status.FAILED
    assert gaps[:4] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8)]
    assert "InternalError" in message.last_error


@time_machine.travel(DAYTIME, tick=False)
def test_a_refusal_is_final(mall, django_capture_on_commit_callbacks):
    calls = []

    def refuse(self, message, event, policy):
        calls.append(1)
        raise PermanentSmsError("InvalidParameterValue.IncorrectPhoneNumber")

    with mock.patch.object(ConsoleBackend, "send", refuse):
        with django_capture_on_commit_callbacks(execute=True):
            message = queue(mall)
        sms_sweep()
    message.refresh_from_db()
    assert calls == [1] and message.status == Status.FAILED and message.attempts == 1


def test_a_worker_that_died_mid_send_is_never_sent_again_by_the_sweep(mall, sent_log):
    with time_machine.travel(DAYTIME, tick=False) as clock:
        message = queue(mall)
        SmsMessage.objects.filter(pk=message.pk).update(status=Status.SENDING, claimed_at=timezone.now(), attempts=1)
        clock.shift(SENDING_STALE + timedelta(seconds=1))
        sms_sweep()
        message.refresh_from_db()
        assert message.status == Status.UNKNOWN and sent_log == []
        sms_requeue(message)  # the administrator decides to send it again
        sms_sweep()
    message.refresh_from_db()
    assert message.status == Status.SENT and sent_log == [message.key]


@time_machine.travel(DAYTIME, tick=False)
def test_logs_show_a_masked_mobile_and_no_token(mall, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.INFO)
    with (
        mock.patch.object(ConsoleBackend, "send", side_effect=TransientSmsError("boom")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        queue(mall, key="x")
    with django_capture_on_commit_callbacks(execute=True):
        queue(mall, key="y")
        queue(mall, key="z", event="verification_code")
    text = caplog.text
    assert "138****5678" in text
    assert MOBILE not in text and TOKEN not in text and "123456" not in text
    assert "/c/tok3…/" in text, "the console log still shows which link it was"


@time_machine.travel(DAYTIME, tick=False)
def test_bad_mobile_or_unknown_event_is_refused(mall):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        queue(mall, mobile="12345")
    with pytest.raises(ValueError, match="unknown SMS event"):
        sms_queue(mall=mall, mobile=MOBILE, event="no_such_event", params={}, key="k")
    assert not SmsMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_row_once_when_the_task_is_delivered_twice(postgres, redis_url):
    from tests.factories import MallFactory
    from tests.workers import real_worker

    mall = MallFactory(code="SH01")
    # A verification code is sent at any hour: this test must not depend on quiet hours (the
    # suite's run at 23:30 UTC is 07:30 in Shanghai, inside the default 21:00-08:00).
    message = queue(mall, event="verification_code", key="code:1")  # sent at once in-process; put back

    SmsMessage.objects.filter(pk=message.pk).update(status=Status.QUEUED, sent_at=None, attempts=0)
    with real_worker(redis_url) as worker:
        worker.send("sms.send", ids=[message.pk])
        worker.send("sms.send", ids=[message.pk])
        assert worker.wait_for(lambda: SmsMessage.objects.get(pk=message.pk).status == Status.SENT)
        worker.send("servicedesk.heartbeat", source="sms-after")  # a marker: both sends were handled
        from servicedesk.models import Heartbeat

        assert worker.wait_for(lambda: Heartbeat.objects.filter(name="sms-after").exists())
    message.refresh_from_db()
    assert message.attempts == 1, "claimed and sent once"
