"""On a phone (390x844): the customer follows an exchange through its status link while the
merchant refuses it in the merchant portal (also on a phone), the manager overrides the refusal,
the desk records the freight and the replacement, the money is settled, the old goods are picked
up and the new delivered. The customer sees the state, the replacement and what to pay, never the
merchant's reason or the override's."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from exchanges.models import ExchangeStatus
from exchanges.services import (
    exchange_agree_replacement,
    exchange_deliver,
    exchange_override,
    exchange_pick_up,
    exchange_record_freight,
    exchange_register,
    exchange_settle,
)
from merchants.models import Merchant
from portal.services import link_issue
from servicedesk.models import Mall
from sms.models import SmsMessage
from tests.browser import login
from tests.merchantportal.factories import PASSWORD, merchant_user
from tests.portal.test_browser_status_link import phone, shot  # noqa: F401 (the phone fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_customer_follows_an_exchange_on_a_phone(demo, phone, page, settings):  # noqa: F811
    settings.RATELIMIT_ENABLE = False
    today = timezone.localdate()
    users = get_user_model().objects
    mall = Mall.objects.get(code="SH01")
    desk, supervisor, manager = (users.get(username=name) for name in ("frontdesk", "supervisor", "manager"))
    merchant = Merchant.objects.get(mall=mall, brand="梵居沙发")
    e = exchange_register(
        mall=mall,
        actor=desk,
        customer_name="陈女士",
        customer_mobile="13912345678",
        merchant=merchant,
        goods="布艺三人沙发",
        price_paid=Decimal("6800.00"),
        payment_date=today - timedelta(days=6),
        delivery_date=today - timedelta(days=3),
        voucher_number="SY2026112001",
        reason="颜色与客厅不搭，换灰色",
    )
    sms = SmsMessage.objects.get(key=f"exchange:{e.pk}:registered")
    assert sms.status == SmsMessage.Status.SENT and e.number in sms.text
    # The sent SMS forgot its token; the customer's other copy of a link is the slip's.
    path = reverse("portal:case", args=[link_issue(case=e, purpose="print")])

    phone.goto(path)
    assert phone.locator("#case-number").inner_text() == e.number
    assert phone.locator("#case-status").inner_text() == "已申请"
    assert "征询商户意见" in phone.locator("#next-step").inner_text()
    assert "布艺三人沙发" in phone.locator("#case-facts").inner_text()

    # The merchant refuses on its phone; the reason goes to the mall, not to the customer.
    merchant_user(merchant, username="fanju-shop")
    login(page, "fanju-shop", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("merchantportal:exchange", args=[e.pk]))
    page.click("#refuse-exchange")
    page.locator("#id_merchant_refusal_reason.is-invalid").wait_for()
    page.locator("#id_merchant_refusal_reason").fill("灰色款已停产，无法调换")
    shot(page, "exchange-merchant-refuse")
    with page.expect_navigation():
        page.click("#refuse-exchange")
    assert page.locator("#exchange-status").inner_text() == "商户不同意，待商场决定"

    phone.reload()
    assert phone.locator("#case-status").inner_text() == "审核中"
    assert "停产" not in phone.content()

    # The manager overrides (the mall's promise stands), the desk records freight and replacement.
    exchange_override(exchange=e, actor=manager, reason="仓库仍有灰色现货，商户应予调换")
    phone.reload()
    assert phone.locator("#case-status").inner_text() == "商户已确认"
    exchange_record_freight(exchange=e, actor=desk, freight_amount=Decimal("150"))
    exchange_agree_replacement(exchange=e, actor=desk, new_goods="布艺三人沙发（灰）", new_price=Decimal("7300"))
    phone.reload()
    assert "650.00 元" in phone.locator("#next-step").inner_text(), "500 difference and 150 freight"
    facts = phone.locator("#case-facts").inner_text()
    assert "布艺三人沙发（灰）" in facts and "需补差价500.00 元" in facts and "150.00 元，由您承担" in facts
    shot(phone, "exchange-customer-replacement")

    exchange_settle(exchange=e, actor=supervisor, cashier_reference="SY-BK-20261120-07")
    exchange_pick_up(exchange=e, actor=desk, driver="小刘")
    exchange_deliver(exchange=e, actor=desk)
    phone.reload()
    assert phone.locator("#case-status").inner_text() == "新货已送达"
    timeline = phone.locator("#timeline").inner_text()
    for step in ("已申请换货", "换货已同意", "已确定替换商品", "差价已结清", "旧货已取回", "新货已送达"):
        assert step in timeline, step
    html = phone.content()
    for secret in ("停产", "仓库仍有", "SY-BK-20261120-07", "小刘", "吴经理", "周主管"):
        assert secret not in html, secret

    phone.locator("#message-text").fill("沙发已收到，谢谢！")
    with phone.expect_navigation():
        phone.click("#send")
    assert "沙发已收到" in phone.locator("#conversation").inner_text()
    shot(phone, "exchange-customer-delivered")
    e.refresh_from_db()
    assert e.status == ExchangeStatus.DELIVERED
    keys = set(SmsMessage.objects.filter(key__startswith=f"exchange:{e.pk}:").values_list("key", flat=True))
    assert {k.rsplit(":", 1)[1] for k in keys} == {"registered", "confirmed", "replacement", "picked_up", "delivered"}
