"""In a real browser: the manager opens the approvals inbox and approves; the clerk prints the
customer's receipt, records the payout with the signed receipt, and the merchant's deposit pays
for it; the customer follows it all on a phone through the link of the approval SMS."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from compensations.models import Compensation, Status
from merchants.services import deposit_balance
from portal.services import link_issue
from servicedesk.models import Mall
from sms.models import SmsMessage
from tests.browser import login
from tests.compensations.factories import escalated_complaint, photo_file, propose
from tests.merchants.factories import PDF_BYTES


def real_png(width=48, height=48):
    """A small real photo (a solid square), so the inbox shows a real thumbnail."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xb0\x7a\x4a" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_approves_in_the_inbox_and_clerk_records_the_payout(
    demo, page, screenshot, tmp_path, chromium, live_server, settings
):
    settings.RATELIMIT_ENABLE = False
    users = get_user_model().objects
    mall = Mall.objects.get(code="SH01")
    complaint = escalated_complaint(mall, deposit="2000.00", clerk=users.get(username="clerk"))
    compensation = propose(
        complaint, users.get(username="officer"), "3280.50", evidence=[photo_file("crack.png", real_png())]
    )

    login(page, "manager")
    page.goto("/compensations/")
    row = page.locator(f"#waiting-{compensation.pk}")
    assert "3,280.50" in row.inner_text()
    screenshot("compensation-inbox")
    row.get_by_label("审批意见").fill("情况属实，同意先行赔偿")
    row.get_by_role("button", name="同意", exact=True).click()
    page.wait_for_load_state()
    assert "暂无待您审批" in page.locator("#inbox").inner_text()
    compensation.refresh_from_db()
    assert compensation.status == Status.APPROVED

    customer = chromium.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True
    ).new_page()
    approval_sms = SmsMessage.objects.get(key=f"compensation:{compensation.pk}:approved")
    assert approval_sms.status == SmsMessage.Status.SENT and "3,280.50元" in approval_sms.text
    # The SMS forgot its token once sent: the customer's copy of a link is issued here.
    customer.goto(reverse("portal:case", args=[link_issue(case=compensation, purpose="test")]))
    assert "3,280.50 元" in customer.locator("#next-step").inner_text()
    assert customer.locator("#case-status").inner_text() == "已审批待付款"
    customer.screenshot(path=str(screenshot("compensation-customer-approved")), full_page=True)

    page.context.clear_cookies()
    login(page, "clerk")
    page.goto(f"/compensations/{compensation.pk}/")
    with page.context.expect_page() as printed:
        page.click("#print-customer-receipt")
    receipt_page = printed.value
    receipt_page.wait_for_load_state()
    assert "叁仟贰佰捌拾元伍角" in receipt_page.locator("#receipt-amount").inner_text()
    assert receipt_page.locator("#slip-qr img").is_visible()
    receipt_page.emulate_media(media="print")
    receipt_page.screenshot(path=str(screenshot("compensation-customer-receipt")), full_page=True)
    receipt_page.close()
    page.click("#record-payout")
    page.get_by_label("付款方式").select_option(label="银行转账")
    page.get_by_label("付款流水号").fill("TR202611260001")
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(PDF_BYTES)
    page.get_by_label("顾客签字的收款确认书（扫描件或照片）").set_input_files(str(receipt))
    page.get_by_label("顾客已签字同意将对商户的索赔权转让给商场").check()
    page.click("#confirm")
    page.wait_for_url(f"**/compensations/{compensation.pk}/")
    assert "部分追回" in page.locator("#compensation-status").inner_text()
    assert "1,280.50" in page.locator("#recovery").inner_text()
    screenshot("compensation-detail-paid")
    compensation = Compensation.objects.get(pk=compensation.pk)
    assert compensation.status == Status.PARTLY_RECOVERED
    assert deposit_balance(compensation.merchant) == Decimal("0.00")
    assert compensation.receivable.amount == Decimal("1280.50")

    customer.reload()
    assert customer.locator("#case-status").inner_text() == "已赔付"
    assert "已向您支付" in customer.locator("body").inner_text() and "追回" not in customer.locator("body").inner_text()
    customer.screenshot(path=str(screenshot("compensation-customer-paid")), full_page=True)
    customer.context.close()

    page.goto(f"/compensations/{compensation.pk}/form/")
    assert "售后服务先行赔偿审批表" in page.locator(".print-form h1").inner_text()
    page.emulate_media(media="print")
    screenshot("compensation-form-print")
