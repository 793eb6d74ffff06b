"""On a phone (390x844), the merchant's other paths (issue #19): a return confirmed and its goods
received intact with a photo; a price-tag failure reported fixed with a photo and re-checked by
the inspector; the deposit ledger, the scorecard and the exit checklist."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from complaints.services import complaint_forward_to_merchant, complaint_record_merchant_reply, complaint_take
from merchants.models import Booth, Merchant
from merchants.services import inspection_record, merchant_notice_exit
from returns.models import ReturnRequest, ReturnStatus
from returns.services import return_approve, return_check, return_register
from servicedesk.models import Mall
from tests.browser import login
from tests.complaints.factories import register

from .factories import merchant_user
from .test_browser_merchant_portal import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Shop-pass-2026!"
DEMO_MERCHANT_MOBILE = "13900000001"  # demo_data's merchant user of 梵居沙发 (README)


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, problems


def photo(path, colour):
    """A real little picture, so that the screenshots show it."""
    from PIL import Image

    Image.new("RGB", (320, 180), colour).save(path, "PNG")
    return str(path)


def users():
    return {u.username: u for u in get_user_model().objects.all()}


def test_the_merchant_confirms_a_return_and_records_the_goods_back_with_a_photo(demo, phone, tmp_path):
    staff = users()
    mall = Mall.objects.get(code="SH01")
    booth = Booth.objects.select_related("merchant").get(mall=mall, number="2F-C-003")
    account = merchant_user(booth.merchant, username="13955550001", mobile="13955550001")
    r = return_register(
        mall=mall,
        actor=staff["frontdesk"],
        customer_name="赵女士",
        customer_mobile="13912340005",
        merchant=booth.merchant,
        booth=booth,
        goods="乳胶床垫",
        price_paid=Decimal("3999.00"),
        payment_date=timezone.localdate() - timedelta(days=6),
        delivery_date=timezone.localdate() - timedelta(days=3),
        voucher_number="SY2026112301",
    )
    return_check(return_request=r, actor=staff["frontdesk"])

    login(phone, account.user.username, PASSWORD)
    phone.goto(reverse("merchantportal:returns"))
    assert r.number in phone.locator("#return-list").inner_text()
    phone.locator("#return-list").get_by_text(r.number).click()
    assert "139****0005" in phone.locator("body").inner_text()
    phone.locator("#id_answer-agrees_0").check()
    shot(phone, "merchant-return-confirm")
    phone.locator("#send-return-answer").click()
    phone.wait_for_selector("#your-answer")
    r.refresh_from_db()
    assert r.merchant_agrees is True

    # The desk approves; the goods come back to the shop.
    return_approve(return_request=r, actor=staff["supervisor"])
    phone.reload()
    phone.locator("#id_goods-intact_0").check()
    phone.locator("#id_goods-photos").set_input_files(photo(tmp_path / "mattress.png", "#d8cbb0"))
    shot(phone, "merchant-return-goods-back")
    phone.locator("#send-goods").click()
    phone.wait_for_selector("#return-photos")
    r = ReturnRequest.objects.get(pk=r.pk)
    assert r.status == ReturnStatus.INTACT and r.goods_received_on
    assert r.photos.count() == 1
    shot(phone, "merchant-return-recorded")


def test_a_price_tag_fixed_with_a_photo_is_re_checked_by_the_inspector(demo, phone, page, tmp_path):
    staff = users()
    mall = Mall.objects.get(code="SH01")
    booth = Booth.objects.get(mall=mall, number="1F-A-008")
    failure = inspection_record(
        booth=booth, actor=staff["pricetag"], items_checked=15, failures=[("false_original_price", "真皮三人沙发")]
    )

    login(phone, DEMO_MERCHANT_MOBILE, "demo-pass-2026")  # the README's demo merchant login
    phone.goto(reverse("merchantportal:price_tags"))
    assert "真皮三人沙发" in phone.locator("#price-tag-list").inner_text()
    phone.locator("#price-tag-list a").first.click()
    phone.locator("#id_photos").set_input_files(photo(tmp_path / "new-tag.png", "#f4e04d"))
    shot(phone, "merchant-price-tag-fix")
    phone.locator("#send-fixed").click()
    phone.wait_for_selector("#inspection-photos")
    assert phone.locator("#report-fixed").count() == 0

    # The inspector sees the report and re-checks: passed.
    login(page, "pricetag")
    page.goto("/merchants/inspections/")
    row = page.locator("tr", has=page.locator(".merchant-reported"))
    assert row.count() == 1
    row.get_by_role("link", name="复查").click()
    page.get_by_label("抽查商品数").fill("15")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    failure.refresh_from_db()
    assert failure.fixed_at is not None

    phone.reload()
    assert "复查合格" in phone.locator("#fix-state").inner_text()
    shot(phone, "merchant-price-tag-rechecked")


def test_the_merchant_reads_its_deposit_scorecard_and_exit_checklist(demo, phone):
    staff = users()
    merchant = Merchant.objects.get(mall__code="SH01", brand="梵居沙发")
    mall = merchant.mall
    # A month with something in it: a complaint answered, inspections here and next door.
    complaint = register(mall, staff["frontdesk"], booth=merchant.booths.get(), received_at=timezone.now())
    complaint_take(complaint=complaint, actor=staff["officer"])
    complaint_forward_to_merchant(complaint=complaint, actor=staff["officer"])
    complaint_record_merchant_reply(
        complaint=complaint,
        actor=get_user_model().objects.get(username=DEMO_MERCHANT_MOBILE),
        answer="agrees",
        reply="同意上门维修",
        remedy="",
        amount=None,
    )
    inspection_record(booth=merchant.booths.get(), actor=staff["pricetag"], items_checked=12)
    inspection_record(
        booth=Booth.objects.get(mall=mall, number="2F-B-015"),
        actor=staff["pricetag"],
        items_checked=10,
        failures=[("tag_missing", "餐椅")],
    )
    login(phone, DEMO_MERCHANT_MOBILE, "demo-pass-2026")
    phone.locator("#merchant-nav").get_by_role("link", name="保证金").click()
    assert "50,000.00" in phone.locator("#deposit-balance").inner_text()
    assert "收取" in phone.locator("#deposit-ledger").inner_text()
    shot(phone, "merchant-deposit")

    phone.locator("#merchant-nav").get_by_role("link", name="商户评分").click()
    month = timezone.localdate().strftime("%Y-%m")
    this_month = phone.locator(f"[data-month='{month}']")
    assert "100.0%" in this_month.locator(".score-tags").inner_text()  # the mall: 50.0%
    assert "50.0%" in this_month.locator(".score-tags").inner_text()
    assert "100.0%" in this_month.locator(".score-on-time").inner_text()
    shot(phone, "merchant-scorecard")

    merchant_notice_exit(
        merchant=merchant,
        actor=staff["clerk"],
        notice_date=timezone.localdate(),
        planned_exit_date=timezone.localdate() + timedelta(days=30),
        after_sales_agent="梵居家具厂售后部",
        after_sales_contact="陈师傅",
        after_sales_phone="021-62345678",
    )
    phone.reload()
    phone.locator("#nav-exit").click()
    assert "梵居家具厂售后部" in phone.locator("#after-sales").inner_text()
    steps = phone.locator("#exit-steps li")
    assert steps.first.get_attribute("data-done") == "1"
    assert phone.locator("#exit-steps li[data-step='exit']").get_attribute("data-done") == "0"
    shot(phone, "merchant-exit")
