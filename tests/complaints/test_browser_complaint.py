"""In a real browser: the front desk logs a walk-in complaint, the officer works it with the
merchant and resolves it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import Complaint, Status
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def act(page, button, fill=None):
    page.locator("#actions").get_by_role("link", name=button, exact=True).click()
    if fill:
        fill()
    page.get_by_role("button", name="确认").click()
    page.wait_for_selector("#complaint-status")


def test_walk_in_complaint_from_the_desk_to_resolution(demo, page, screenshot):
    login(page, "frontdesk")
    page.goto("/complaints/")
    page.get_by_role("link", name="登记投诉").click()
    page.get_by_label("顾客手机号").fill("13912345678")
    page.get_by_label("顾客姓名").fill("陈女士")
    page.get_by_label("顾客地址").fill("上海市普陀区真北路200弄5号")
    page.get_by_label("受理渠道").select_option(label="来访")
    page.get_by_label("展位号或品牌").fill("1F-A-008 梵居沙发")
    today = timezone.localdate()
    page.get_by_label("购买日期").fill((today - timedelta(days=40)).isoformat())
    page.locator("#intake-more summary").click()  # the delivery date is under "More details"
    page.get_by_label("送货日期").fill((today - timedelta(days=30)).isoformat())
    page.get_by_label("购买金额（元）").fill("8600")
    page.get_by_label("商品", exact=True).fill("真皮三人位沙发")
    page.get_by_label("统一收银单号").fill("SY2026100188")
    page.get_by_label("否，直接付款给商户").check()
    assert page.locator("#cashier-warning").is_visible(), "a purchase outside the unified cashier is warned about"
    page.get_by_label("是，有商场收银小票或定/销货单").check()
    assert not page.locator("#cashier-warning").is_visible()
    page.get_by_label("投诉类别").select_option(label="Q 产品质量")
    page.get_by_label("顾客诉求").select_option(label="维修")
    page.get_by_label("投诉内容").fill("沙发送货一个月后扶手皮面开裂，联系商户未答复。")
    screenshot("complaint-intake")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_selector("#complaint-status")
    complaint = Complaint.objects.get()
    assert complaint.number in page.locator("h1").inner_text()
    assert page.locator("#complaint-status").inner_text() == "已登记"

    login(page, "officer")
    page.goto("/complaints/")
    page.get_by_role("link", name=complaint.number).click()
    act(page, "认领")
    act(page, "转交商户", lambda: page.get_by_label("备注").fill("已电话通知梵居沙发店长"))
    assert page.locator("#complaint-status").inner_text() == "商户处理中"

    def merchant_reply():
        page.get_by_label("同意处理").check()
        page.get_by_label("商户答复内容").fill("同意三日内上门更换扶手皮面")

    act(page, "记录商户答复", merchant_reply)
    act(page, "提出处理方案", lambda: page.get_by_label("处理方案").fill("商户三日内上门更换扶手皮面，费用由商户承担"))

    def customer_agrees():
        page.get_by_label("已维修").check()
        page.get_by_label("顾客同意情况").fill("陈女士电话确认同意上门维修方案")

    act(page, "顾客同意，办结", customer_agrees)
    assert page.locator("#complaint-status").inner_text() == "已解决"
    log = page.locator("#handling-log").inner_text()
    assert "同意三日内上门更换扶手皮面" in log and "李专员" in log
    assert "回访" in page.locator("#clocks").inner_text()
    screenshot("complaint-detail")
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED and complaint.result == "repaired"

    page.goto("/complaints/")
    row = page.locator("#complaint-list tbody tr").first.inner_text()
    assert complaint.number in row and "139****5678" in row and "13912345678" not in row
    screenshot("complaint-register")

    page.goto(f"/complaints/{complaint.pk}/")
    page.click("#print-intake-slip")  # a POST: each print issues the customer a fresh link
    assert complaint.number in page.locator("#intake-slip").inner_text()
    assert page.locator("#slip-qr img").is_visible()
    page.goto("/complaints/register/print/")
    page.emulate_media(media="print")
    screenshot("complaint-register-print")
