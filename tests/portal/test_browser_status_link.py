"""On a phone (390x844): the customer follows the status link from the registration SMS while the
officer works the complaint, adds a photo, and accepts the proposal."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from complaints.models import Status
from complaints.services import complaint_acknowledge, complaint_propose, complaint_resolve, complaint_take
from portal.services import link_issue, message_to_customer
from servicedesk.models import Mall
from sms.models import SmsMessage
from tests.complaints.factories import register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" and "Content Security Policy" in m.text else None,
    )
    yield page
    context.close()
    assert not problems, problems


def shot(page, name):
    from tests.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_the_customer_follows_the_link_and_accepts_the_proposal(demo, phone, tmp_path, settings):
    settings.RATELIMIT_ENABLE = False
    users = get_user_model().objects
    mall = Mall.objects.get(code="SH01")
    officer = users.get(username="officer")
    complaint = register(mall, users.get(username="frontdesk"), channel="online", received_at=timezone.now())
    sms = SmsMessage.objects.get(key=f"complaint:{complaint.pk}:registered")
    assert sms.status == SmsMessage.Status.SENT, "sent on commit (console backend)"
    # The SMS forgot its token once sent; the customer's other copy of a link is the printout's.
    path = reverse("portal:case", args=[link_issue(case=complaint, purpose="receipt")])

    phone.goto(path)
    assert phone.locator("#case-number").inner_text() == complaint.number
    assert "前与您联系" in phone.locator("#next-step").inner_text()
    assert mall.service_phone in phone.locator("#desk-phone").inner_text()
    shot(phone, "customer-status-registered")

    photo = tmp_path / "cushion.png"
    photo.write_bytes(PNG)
    phone.locator("#message-text").fill("坐垫开裂的照片")
    phone.locator("#message-photos").set_input_files(str(photo))
    phone.locator("#send").click()
    phone.wait_for_selector("#done")
    assert "坐垫开裂的照片" in phone.locator("#conversation").inner_text()

    complaint_take(complaint=complaint, actor=officer)
    complaint_acknowledge(complaint=complaint, actor=officer, note="电话联系顾客")
    message_to_customer(case=complaint, actor=officer, text="已收到照片，明天联系商户。")
    complaint_propose(complaint=complaint, actor=officer, proposal="商户上门免费更换坐垫，3日内完成。")

    phone.goto(path)
    assert "已收到照片" in phone.locator("#conversation").inner_text()
    assert "更换坐垫" in phone.locator("#proposal").inner_text()
    assert "已与您联系" in phone.locator("#timeline").inner_text()
    shot(phone, "customer-status-proposal")
    phone.locator("#accept").click()
    phone.wait_for_selector("#done")
    assert phone.locator("#accept").count() == 0
    complaint.refresh_from_db()
    assert complaint.status == Status.PROPOSED and complaint.customer_agreement

    complaint_resolve(
        complaint=complaint, actor=officer, result="repaired", customer_agreement=complaint.customer_agreement
    )
    phone.goto(path)
    assert (
        "已处理完毕" in phone.locator("#timeline").inner_text() or "已解决" in phone.locator("#timeline").inner_text()
    )
    shot(phone, "customer-status-resolved")

    phone.locator("#language-switcher button").click()
    phone.wait_for_selector("html[lang=en]")
    assert "Progress" in phone.content()
