"""On a phone (390x844): the merchant's contact opens the clerk's invitation, sets a password,
signs in, answers a forwarded complaint with a photo; the officer sees the answer (issue #19)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from complaints.services import complaint_forward_to_merchant, complaint_take
from merchants.models import Booth
from merchants.services import merchant_user_invite
from servicedesk.models import Mall, Notification
from tests.browser import login
from tests.complaints.factories import register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PASSWORD = "Shop-pass-2026!"


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


def test_the_merchant_answers_a_forwarded_complaint_with_a_photo_and_the_officer_sees_it(
    demo, phone, page, tmp_path, settings
):
    settings.RATELIMIT_ENABLE = False
    users = get_user_model().objects
    mall = Mall.objects.get(code="SH01")
    officer, clerk = users.get(username="officer"), users.get(username="clerk")
    booth = Booth.objects.filter(mall=mall, merchant__status="active").select_related("merchant").first()
    merchant = booth.merchant
    complaint = register(mall, users.get(username="frontdesk"), booth=booth, received_at=timezone.now())
    complaint_take(complaint=complaint, actor=officer)
    complaint_forward_to_merchant(complaint=complaint, actor=officer)
    _invitation, token = merchant_user_invite(
        merchant=merchant, actor=clerk, name="王店长", mobile="13977776666", sent_by="print"
    )

    # The invitation: set a password.
    phone.goto(reverse("merchantportal:invitation", args=[token]))
    assert merchant.brand in phone.locator("h1").inner_text()
    phone.locator("#id_password").fill(PASSWORD)
    phone.locator("#id_password_again").fill(PASSWORD)
    shot(phone, "merchant-invitation")
    phone.locator("#set-password").click()
    phone.wait_for_selector("#invitation-done")

    # Sign in on the same login page; land in the portal, no staff navigation.
    login(phone, "13977776666", PASSWORD)
    phone.wait_for_url("**/merchant/")
    assert complaint.number in phone.locator("#waiting").inner_text()
    assert phone.locator("nav.navbar").count() == 0
    shot(phone, "merchant-home")

    phone.locator("#waiting").get_by_text(complaint.number).click()
    assert "138****5678" in phone.locator("#customer").inner_text()
    assert complaint.facts in phone.locator("#facts").inner_text()
    assert "答复期限" in phone.locator("#merchant-clock").inner_text()
    photo = tmp_path / "repair-plan.png"
    photo.write_bytes(PNG)
    phone.get_by_label("提出其他方案").check()
    phone.get_by_label("您提出的方案").select_option(label="维修")
    phone.get_by_label("说明（或拒绝理由）").fill("明天上门更换坐垫海绵，免费维修。")
    phone.locator("input[type=file]").set_input_files(str(photo))
    shot(phone, "merchant-answer-form")
    phone.locator("#send-answer").click()
    phone.wait_for_selector("#your-answer")
    assert "免费维修" in phone.locator("#your-answer").inner_text()
    shot(phone, "merchant-answered")

    # A staff URL is a 404 for the merchant.
    response = phone.goto(reverse("complaints:detail", args=[complaint.pk]))
    assert response.status == 404

    # The officer sees the answer, from the merchant, on the complaint.
    login(page, "officer")
    page.goto(reverse("complaints:detail", args=[complaint.pk]))
    body = page.locator("body").inner_text()
    assert "来自商户（商户平台）" in body and "免费维修" in body
    assert "repair-plan.png" in body
    assert Notification.objects.filter(recipient=officer, key__contains="merchant_answered").exists()
