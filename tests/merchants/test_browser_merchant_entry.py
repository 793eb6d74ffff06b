"""In a real browser: the clerk registers a merchant with its booth and files its documents;
the manager verifies it and lets it trade."""

import pytest

from merchants.models import Merchant, MerchantStatus
from tests.browser import login
from tests.merchants.factories import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_registers_a_merchant_with_a_booth_and_manager_lets_it_trade(demo, page, screenshot, tmp_path):
    login(page, "clerk")
    page.goto("/merchants/")
    page.click("#register-merchant")
    page.get_by_label("品牌").first.fill("云栖茶几")
    page.get_by_label("公司名称").fill("上海云栖家居有限公司")
    page.get_by_label("统一社会信用代码").fill("91350100M000100Y43")
    page.get_by_label("手机号码").fill("139 1234 5678")
    page.get_by_label("经营类别").select_option(label="家具")
    page.get_by_label("展位号").fill("2f-c-018")
    page.get_by_label("楼层").fill("2F")
    page.get_by_label("区域").fill("C")
    page.get_by_label("应交质量保证金（元）").fill("30000")
    screenshot("merchant-register")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url("**/merchants/*/")
    assert "已申请" in page.locator("#merchant-status").inner_text()
    assert "2F-C-018" in page.locator("#booths").inner_text()

    pdf = tmp_path / "licence.pdf"
    pdf.write_bytes(PDF_BYTES)
    for kind in ("营业执照", "品牌授权书", "产品检测报告"):
        page.locator("#documents form select[name=kind]").select_option(label=kind)
        page.locator("#documents form input[type=file]").set_input_files(str(pdf))
        page.locator("#documents form").get_by_role("button", name="上传").click()
        page.wait_for_load_state()
        if not page.locator("#documents details").evaluate("details => details.open"):
            page.locator("#documents summary").click()
    assert page.locator("#checklist .status-bad").count() == 0
    screenshot("merchant-detail-applied")

    page.context.clear_cookies()
    login(page, "manager")
    merchant = Merchant.objects.get(brand="云栖茶几")
    page.goto(f"/merchants/{merchant.pk}/")
    page.get_by_role("button", name="审核准入资料").click()
    page.wait_for_load_state()
    assert "已审核" in page.locator("#merchant-status").inner_text()
    page.get_by_role("button", name="开业经营").click()
    page.wait_for_load_state()
    assert "经营中" in page.locator("#merchant-status").inner_text()
    merchant.refresh_from_db()
    assert merchant.status == MerchantStatus.ACTIVE
    screenshot("merchant-detail-active")


def test_price_tag_officer_records_a_failed_inspection(demo, page, screenshot):
    login(page, "pricetag")
    page.goto("/merchants/inspections/")
    page.click("#record-inspection")
    page.get_by_label("展位").select_option(label="1F-A-008 梵居沙发")
    page.get_by_label("抽查商品数").fill("15")
    page.get_by_label("虚构原价").check()
    page.get_by_label("涉及商品").fill("真皮三人沙发")
    page.get_by_role("button", name="保存").click()
    # A failure opens the correction notice for the merchant to sign (issue 15).
    page.wait_for_url("**/merchants/inspections/*/notice/")
    assert "检查已登记：不合格" in page.content()
    assert "真皮三人沙发" in page.locator("#notice-failures").inner_text()
    page.goto("/merchants/inspections/")
    assert "虚构原价" in page.locator("#inspection-list").inner_text()
    screenshot("price-tag-inspections")
