"""Tencent Cloud SMS through its SDK, against the local stand-in (tests/sms/tencent_standin.py)."""

from datetime import date

import pytest
import time_machine

from sms.backends import TencentBackend, backend_from_url
from sms.models import SmsMessage, SmsPolicy
from sms.services import sms_queue, sms_send
from tests.sms.tencent_standin import TencentSmsStandIn

SECRET_ID, SECRET_KEY = "AKIDstandin0001", "standin-secret-key-0001"
DAYTIME = "2026-12-02 10:00 +0800"


@pytest.fixture
def stand_in(settings):
    with TencentSmsStandIn(SECRET_ID, SECRET_KEY) as server:
        settings.SMS_URL = server.url()
        yield server


@pytest.fixture
def templates(mall):
    with time_machine.travel("2026-12-01 12:00 +0800", tick=False):
        return SmsPolicy.objects.create(
            mall=mall, templates={"case_registered": "2100001", "verification_code": "2100009"}
        )


def queue(mall, key="complaint:7:registered"):
    return sms_queue(
        mall=mall,
        mobile="13912345678",
        event="case_registered",
        params={"kind": "投诉", "number": "TS-SH01-20261202-0007", "link": "https://x/c/abcdefgh/", "phone": "021-1"},
        key=key,
    )


@time_machine.travel(DAYTIME, tick=False)
def test_the_sdk_request_is_signed_and_carries_template_numbers_and_params(mall, templates, stand_in):
    message = queue(mall)
    result = sms_send([message.pk])
    assert result.sent == 1 and stand_in.rejected == []
    ((action, headers, payload),) = stand_in.requests
    assert action == "SendSms" and headers["x-tc-version"] == "2021-01-11"
    assert headers["authorization"].startswith(f"TC3-HMAC-SHA256 Credential={SECRET_ID}/{date(2026, 12, 2)}/sms/")
    assert payload["PhoneNumberSet"] == ["+8613912345678"]
    assert payload["TemplateId"] == "2100001"
    assert payload["SmsSdkAppId"] == "1400000001" and payload["SignName"] == "测试商场"
    assert payload["TemplateParamSet"] == ["投诉", "TS-SH01-20261202-0007", "https://x/c/abcdefgh/", "021-1"]
    assert payload["SessionContext"] == "complaint:7:registered"
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT and message.provider_ref == "serial-1"


@time_machine.travel(DAYTIME, tick=False)
def test_the_malls_signature_overrides_the_urls(mall, stand_in):
    with time_machine.travel("2026-12-01 12:00 +0800", tick=False):
        SmsPolicy.objects.create(mall=mall, sign_name="真北商场", templates={"case_registered": "2100001"})
    sms_send([queue(mall).pk])
    assert stand_in.requests[0][2]["SignName"] == "真北商场"


@time_machine.travel(DAYTIME, tick=False)
def test_a_wrong_secret_is_refused_by_the_stand_in_and_the_message_fails(mall, templates, settings):
    with TencentSmsStandIn(SECRET_ID, "the-real-key") as server:
        settings.SMS_URL = server.url().replace("the-real-key", "a-wrong-key")
        message = queue(mall)
        sms_send([message.pk])
    message.refresh_from_db()
    assert len(server.rejected) == 1 and server.requests == []
    assert message.status == SmsMessage.Status.FAILED and "AuthFailure" in message.last_error


@time_machine.travel(DAYTIME, tick=False)
def test_provider_busy_is_retried_and_a_refused_number_is_final(mall, templates, stand_in):
    stand_in.answer_code = "InternalError"
    busy = queue(mall, key="busy")
    result = sms_send([busy.pk])
    busy.refresh_from_db()
    assert result.retry == [busy.pk] and busy.status == SmsMessage.Status.QUEUED
    stand_in.answer_code = "FailedOperation.PhoneNumberInBlacklist"
    refused = queue(mall, key="refused")
    sms_send([refused.pk])
    refused.refresh_from_db()
    assert refused.status == SmsMessage.Status.FAILED and "PhoneNumberInBlacklist" in refused.last_error


@time_machine.travel(DAYTIME, tick=False)
def test_an_event_without_a_template_id_fails_without_calling_the_provider(mall, stand_in):
    message = queue(mall)  # no SmsPolicy: no template ids
    sms_send([message.pk])
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.FAILED and "template" in message.last_error
    assert stand_in.requests == []


def test_sms_url_parsing():
    backend = backend_from_url(
        "tencent://AKID:se%2Fcret@sms.tencentcloudapi.com/?app=14000&sign=商场&region=ap-beijing"
    )
    assert isinstance(backend, TencentBackend)
    assert (backend.secret_key, backend.endpoint, backend.region, backend.scheme) == (
        "se/cret",
        "sms.tencentcloudapi.com",
        "ap-beijing",
        "https",
    )
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        backend_from_url("tencent://AKID:key@host/")  # no app id
    with pytest.raises(ImproperlyConfigured):
        backend_from_url("smtp://x")
