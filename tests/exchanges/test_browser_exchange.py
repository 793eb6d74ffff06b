"""In a real browser: the front desk registers an exchange against a sale, the merchant confirms
it on a phone (390x844) in the merchant portal, the desk records the replacement, the supervisor
settles the difference at the unified cashier, the old goods are picked up and the new delivered,
the case is closed and the slip printed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from exchanges.models import Exchange, ExchangeStatus
from tests.browser import login
from tests.merchantportal.factories import PASSWORD, merchant_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def act(page, form_id, **fields):
    form = page.locator(f"#{form_id}")
    for selector, value in fields.items():
        form.locator(f"#id_{selector}").fill(value)
    with page.expect_navigation():
        form.get_by_role("button").click()


def status(page):
    return page.locator("#exchange-status").inner_text()


def test_exchange_from_request_to_delivery(demo, page, screenshot):
    today = timezone.localdate()
    login(page, "frontdesk")
    page.goto("/returns/")
    page.click("#exchanges-link")
    page.click("#new-exchange")
    page.get_by_label("顾客姓名").fill("陈女士")
    page.get_by_label("顾客手机").fill("13912345678")
    page.get_by_label("商户").select_option(label="梵居沙发")
    page.locator("#id_goods").fill("布艺三人沙发")
    page.get_by_label("实付金额（元）").fill("6800")
    page.get_by_label("付款日期").fill((today - timedelta(days=6)).isoformat())
    page.get_by_label("送货签收日期").fill((today - timedelta(days=3)).isoformat())
    page.get_by_label("统一收银凭证号 / 定销货单号").fill("SY2026112001")
    # Submitted without a reason first: the error stands next to the field, nothing is saved.
    page.get_by_role("button", name="登记", exact=True).click()
    page.locator("#id_reason.is-invalid").wait_for()
    assert "请填写" in page.locator("#exchange-form .invalid-feedback").first.inner_text()
    assert not Exchange.objects.exists()
    page.locator("#id_reason").fill("颜色与客厅不搭，换灰色")
    screenshot("exchange-request")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url("**/exchanges/*/")
    e = Exchange.objects.get()
    assert "符合商场无理由退换货承诺" in page.locator("#eligibility").inner_text()

    # The merchant confirms on its phone in the merchant portal.
    account = merchant_user(e.merchant, username="fanju-shop")
    login(page, "fanju-shop", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/merchant/returns/")
    page.click("#exchanges-link")
    page.get_by_text(e.number).click()
    with page.expect_navigation():
        page.click("#confirm-exchange")
    assert status(page) == "商户已确认"
    screenshot("exchange-merchant-confirmed")
    page.set_viewport_size({"width": 1280, "height": 800})
    e.refresh_from_db()
    assert e.merchant_contact == account.name

    login(page, "frontdesk")
    page.goto(f"/exchanges/{e.pk}/")
    act(
        page,
        "action-agree_replacement",
        **{"agree_replacement-new_goods": "布艺三人沙发（灰）", "agree_replacement-new_price": "7300"},
    )
    assert status(page) == "已确定替换商品"
    assert "顾客补差价 500.00" in page.locator("#difference").inner_text()
    # The front desk cannot take money: the settle form is not on its page.
    assert page.locator("#action-settle").count() == 0

    login(page, "supervisor")
    page.goto(f"/exchanges/{e.pk}/")
    act(page, "action-settle")  # no reference: refused with the reason, nothing changes
    assert "统一收银流水号" in page.locator(".alert-danger, .alert").first.inner_text()
    assert status(page) == "已确定替换商品"
    act(page, "action-settle", **{"settle-cashier_reference": "SY-BK-20261120-07"})
    assert status(page) == "差价已结清"

    login(page, "frontdesk")
    page.goto(f"/exchanges/{e.pk}/")
    act(page, "action-pick_up", **{"pick_up-driver": "小刘"})
    assert status(page) == "旧货已取回"
    act(page, "action-deliver")
    assert status(page) == "新货已送达"
    screenshot("exchange-detail-delivered")
    act(page, "action-close")
    assert status(page) == "已结案"
    e.refresh_from_db()
    assert e.status == ExchangeStatus.CLOSED and e.cashier_reference == "SY-BK-20261120-07"

    page.goto(f"/exchanges/{e.pk}/slip/")
    assert page.locator("h1").inner_text() == "上海真北商场换货处理单"
    page.click("#issue-link")  # a POST: the printed copy carries the customer's status link
    page.locator("#slip-qr").wait_for()
    assert "SY-BK-20261120-07" in page.content()
    page.emulate_media(media="print")
    screenshot("exchange-slip-print")
