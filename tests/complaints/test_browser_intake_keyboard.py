"""The complaint intake at keyboard speed, measured in a real browser: how many Tab presses
take the clerk from the first field to the Register button (35 before issue 15), F2 from any
desk page, and a known customer's purchase picked instead of retyped."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from followups.models import Sale
from merchants.models import Booth
from servicedesk.models import Customer, Mall
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Measured: 35 Tab presses before (every field in one long row, three per date picker).
MOST_TAB_STOPS = 15


def focused(page):
    return page.evaluate("document.activeElement && (document.activeElement.id || document.activeElement.name)")


def tab_stops_to_register(page, limit=80):
    """Tab presses from the focused first field until the Register button has the focus."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if focused(page) == "register-button":
            return presses
    return limit


def test_the_intake_takes_few_tab_stops_and_asks_the_address_only_when_needed(demo, page, screenshot):
    login(page, "frontdesk")
    page.goto("/complaints/new/")
    assert focused(page) == "id_customer_mobile", "the cursor starts in the mobile"
    stops = tab_stops_to_register(page)
    assert stops <= MOST_TAB_STOPS, f"{stops} Tab stops from the mobile to Register"
    assert not page.locator("#intake-more").evaluate("d => d.open"), "rarely-used fields are folded away"
    for hidden in ("#category-other", "#demand-other", "#claimed-amount", "#referral-days"):
        assert not page.locator(hidden).is_visible(), hidden

    needed = page.locator("#address-needed")
    page.get_by_label("受理渠道").select_option(label="来电")
    page.get_by_label("投诉类别").select_option(label="A 服务态度")
    page.get_by_label("顾客诉求").select_option(label="道歉")
    assert not needed.is_visible(), "a phone complaint about attitude needs no address"
    page.get_by_label("投诉类别").select_option(label="D 送货")
    assert needed.is_visible(), "a delivery complaint needs the address"
    page.get_by_label("顾客诉求").select_option(label="其他")
    assert page.locator("#demand-other").is_visible()
    page.get_by_label("顾客诉求").select_option(label="赔偿")
    assert page.locator("#claimed-amount").is_visible()
    page.get_by_label("受理渠道").select_option(label="12315")
    assert page.locator("#referral-days").is_visible()
    assert page.locator("#intake-more").evaluate("d => d.open"), "a referral opens the time received"
    assert not needed.is_visible(), "a referral's address is taken at first contact"


def test_f2_opens_the_intake_and_slash_finds_a_customer_from_any_desk_page(demo, page):
    login(page, "frontdesk")
    page.goto("/frontdesk/")
    assert page.locator(".desk-shortcut").inner_text() == "F2 新投诉", "the shortcut is shown in the navbar"
    page.keyboard.press("F2")
    page.wait_for_url("**/complaints/new/")
    page.goto("/returns/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.closest('#phone-search') !== null")

    # Half-typed work is not thrown away by a stray F2: the desk is asked first.
    page.goto("/frontdesk/enquiries/")
    page.get_by_label("咨询内容").fill("几点关门？")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.keyboard.press("F2")
    assert asked and "未保存" in asked[0]
    assert page.url.endswith("/frontdesk/enquiries/"), "dismissed: the typed enquiry is still there"
    assert page.get_by_label("咨询内容").input_value() == "几点关门？"
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("F2")
    page.wait_for_url("**/complaints/new/")


def test_a_known_customers_purchase_fills_the_purchase_fields(demo, page, screenshot):
    mall = Mall.objects.get(code="SH01")
    customer = Customer.objects.create(mall=mall, name="周先生", mobile="13611112222", address="上海市长宁区1号")
    booth = Booth.objects.select_related("merchant").get(mall=mall, number="1F-A-008")
    paid = timezone.now() - timedelta(days=20)
    Sale.objects.create(
        mall=mall,
        customer=customer,
        order_number="XS2026112001",
        paid_at=paid,
        merchant=booth.merchant,
        booth=booth,
        goods="真皮沙发",
        model="FJ-3",
        amount=Decimal("12800.00"),
        delivery_date=timezone.localdate() - timedelta(days=10),
        warranty_months=12,
    )
    login(page, "frontdesk")
    page.goto("/complaints/new/")
    page.get_by_label("顾客手机号").fill("13611112222")
    purchase = page.locator("#history-purchases li", has_text="XS2026112001")
    purchase.wait_for()
    assert page.get_by_label("顾客姓名").input_value() == "周先生"
    assert page.get_by_label("顾客地址").input_value() == "上海市长宁区1号"
    purchase.get_by_role("button", name="用这笔购买").click()
    assert page.get_by_label("统一收银单号").input_value() == "XS2026112001"
    assert page.get_by_label("商品", exact=True).input_value() == "真皮沙发"
    assert page.get_by_label("购买金额（元）").input_value() == "12800.00"
    assert page.get_by_label("展位号或品牌").input_value().startswith("1F-A-008")
    assert page.get_by_label("购买日期").input_value() == timezone.localdate(paid).isoformat()
    assert focused(page) == "id_facts", "the cursor goes on to what happened"
    screenshot("complaint-intake-purchase-picked")
