"""In a real browser: the front desk registers a return and sees its eligibility as it types,
the supervisor approves, the goods come back, the refund is recorded, the slip is printed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from returns.models import ReturnRequest, ReturnStatus
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def act(page, form_id, **fields):
    form = page.locator(f"#{form_id}")
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    with page.expect_navigation():
        form.get_by_role("button").click()


def test_return_from_request_to_refund(demo, page, screenshot):
    today = timezone.localdate()
    login(page, "frontdesk")
    page.goto("/returns/")
    page.click("#new-return")
    page.get_by_label("顾客姓名").fill("陈女士")
    page.get_by_label("顾客手机").fill("13912345678")
    page.get_by_label("商户").select_option(label="梵居沙发")
    page.locator("#id_goods").fill("布艺三人沙发")
    page.get_by_label("实付金额（元）").fill("6800")
    page.get_by_label("付款日期").fill((today - timedelta(days=6)).isoformat())
    page.get_by_label("送货签收日期").fill((today - timedelta(days=3)).isoformat())
    # No voucher yet: the panel says so at once.
    page.get_by_label("定制商品").check()
    panel = page.locator("#eligibility-panel")
    panel.get_by_text("定制商品不适用无理由退货").wait_for()
    assert "统一收银凭证" in panel.inner_text()
    page.get_by_label("定制商品").uncheck()
    page.get_by_label("统一收银凭证号 / 定销货单号").fill("SY2026112001")
    page.locator("#eligibility-panel").get_by_text("符合7天无理由退货条件").wait_for()
    screenshot("return-request")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url("**/returns/*/")
    r = ReturnRequest.objects.get()
    act(page, "action-check")
    assert "已审核资格" in page.locator("#return-status").inner_text()

    login(page, "supervisor")
    page.goto(f"/returns/{r.pk}/")
    act(page, "action-approve", **{"司机": "小刘"})
    assert "已同意" in page.locator("#return-status").inner_text()

    login(page, "frontdesk")
    page.goto(f"/returns/{r.pk}/")
    act(page, "action-receive_goods")
    assert "商品已收回" in page.locator("#return-status").inner_text()

    login(page, "supervisor")
    page.goto(f"/returns/{r.pk}/")
    page.locator("#action-inspect").get_by_label("完好：质量、功能、主体、配件及标识齐全").check()
    with page.expect_navigation():
        page.locator("#action-inspect").get_by_role("button").click()
    act(page, "action-refund", **{"顾客承担运费": "200", "重新包装费": "204"})
    assert "已退款" in page.locator("#return-status").inner_text()
    assert "6,396.00" in page.locator("#refund-amount").inner_text()
    screenshot("return-detail-refunded")
    r.refresh_from_db()
    assert r.status == ReturnStatus.REFUNDED

    with page.context.expect_page() as printed:
        page.click("#print-slip")  # a POST: each print issues the customer a fresh link
    slip = printed.value
    slip.wait_for_load_state()
    assert slip.locator("h1").inner_text() == "上海真北商场无理由退货处理单"
    assert "6,396.00" in slip.content() and slip.locator("#slip-qr img").is_visible()
    slip.emulate_media(media="print")
    slip.screenshot(path=str(screenshot("return-slip-print")), full_page=True)
    slip.close()
