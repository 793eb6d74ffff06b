"""On a phone (390x844): a customer files a complaint on the mall's intake page (mobile confirmed
by the SMS code), follows the link while the officer works it, accepts the proposal, and rates
the service in the survey that comes when the service callback falls due."""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from complaints.models import Complaint, Status
from complaints.services import complaint_acknowledge, complaint_propose, complaint_resolve, complaint_take
from followups.models import AnswerSource, Callback
from followups.services import callbacks_schedule, callbacks_send_surveys
from portal import intake
from portal.services import message_to_customer
from sms.models import SmsMessage
from tests.portal.test_browser_status_link import phone, shot  # noqa: F401 the phone fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CODE = "246810"


def test_a_customer_files_online_follows_accepts_and_rates(demo, phone, settings, monkeypatch):  # noqa: F811
    settings.RATELIMIT_ENABLE = False
    monkeypatch.setattr(intake, "new_code", lambda: CODE)  # the code the SMS carries (scrubbed once sent)
    officer = get_user_model().objects.get(username="officer")

    phone.goto("/m/SH01/")
    assert phone.locator("#privacy-notice").is_visible()
    phone.locator("#id_mobile").fill("139 1234 5678")
    phone.locator("#id_consent").check()
    shot(phone, "customer-intake-start")
    phone.locator("#send-code").click()
    phone.wait_for_selector("#intake-code")
    sms = SmsMessage.objects.get(event="verification_code")
    assert sms.mobile == "13912345678" and sms.status == SmsMessage.Status.SENT, "sent at once on the console"
    phone.locator("#id_code").fill("000000")
    phone.locator("#check-code").click()
    assert "还可以再试 4 次" in phone.locator("#field-code").inner_text()
    phone.locator("#id_code").fill(CODE)
    phone.locator("#check-code").click()

    phone.wait_for_selector("#intake-complaint")
    phone.locator("#id_customer_name").fill("陈先生")
    phone.locator("#id_booth").select_option(index=1)
    phone.locator("#id_goods").fill("三人位布艺沙发")
    phone.locator("#id_purchase_date").fill((timezone.localdate() - timedelta(days=20)).isoformat())
    phone.locator("#id_voucher_number").fill("SY20261101001")
    phone.locator("#id_category").select_option("Q")
    phone.locator("#id_demand").select_option("repair")
    phone.locator("#id_consent").check()
    phone.locator("#submit-complaint").click()  # the facts are missing: said next to the field
    assert phone.locator("#field-facts .invalid-feedback").count() == 1
    phone.locator("#id_facts").fill("沙发买回来两周，坐垫就开裂了。")
    phone.locator("#id_consent").check()
    shot(phone, "customer-intake-form")
    phone.locator("#submit-complaint").click()

    phone.wait_for_selector("#intake-done")
    complaint = Complaint.objects.get(customer__mobile="13912345678")
    assert phone.locator("#case-number").inner_text() == complaint.number and complaint.channel == "online"
    assert SmsMessage.objects.get(key=f"complaint:{complaint.pk}:registered").status == SmsMessage.Status.SENT
    shot(phone, "customer-intake-done")
    phone.locator("#status-link").click()
    phone.wait_for_selector("#timeline")
    path = phone.url

    complaint_take(complaint=complaint, actor=officer)
    complaint_acknowledge(complaint=complaint, actor=officer, note="电话联系顾客")
    message_to_customer(case=complaint, actor=officer, text="已联系商户，明天给您方案。")
    complaint_propose(complaint=complaint, actor=officer, proposal="商户上门免费更换坐垫，3日内完成。")
    phone.goto(path)
    assert "更换坐垫" in phone.locator("#proposal").inner_text()
    phone.locator("#accept").click()
    phone.wait_for_selector("#done")
    complaint.refresh_from_db()
    complaint_resolve(
        complaint=complaint, actor=officer, result="repaired", customer_agreement=complaint.customer_agreement
    )

    # The next morning the service callback falls due and the survey goes out.
    tomorrow = timezone.localdate() + timedelta(days=1)
    callbacks_schedule(today=tomorrow)
    callbacks_send_surveys(now=timezone.make_aware(datetime.combine(tomorrow, time(9, 0))))
    callback = Callback.objects.get(complaint=complaint)
    assert SmsMessage.objects.filter(key=f"complaint:{complaint.pk}:survey:{callback.pk}").exists()
    phone.goto(path)
    assert phone.locator("#survey").is_visible()
    phone.locator("label[for=survey-satisfied]").click()
    phone.locator("#survey-note").fill("师傅上门很及时，谢谢。")
    shot(phone, "customer-survey")
    phone.locator("#survey-send").click()
    phone.wait_for_selector("#done")
    assert phone.locator("#survey").count() == 0
    shot(phone, "customer-survey-done")
    callback.refresh_from_db()
    complaint.refresh_from_db()
    assert callback.source == AnswerSource.SURVEY and callback.outcome == "satisfied"
    assert complaint.status == Status.CALLED_BACK
