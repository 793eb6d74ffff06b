"""In a real browser, the fixes of issue #15 §2 as a desk user meets them: a merchant under exit
notice still trading, a large compensation finished by two head-office approvers with the page
saying who signs next, and the 403/404 pages in the site's layout (screenshots kept in docs)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from compensations.models import Status
from merchants.services import merchant_notice_exit
from servicedesk.models import Mall
from tests.browser import login
from tests.compensations.factories import escalated_complaint, propose
from tests.complaints.factories import ComplaintFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_large_compensation_says_who_signs_next_until_two_head_office_approvers_signed(demo, page, screenshot):
    users = get_user_model().objects
    mall = Mall.objects.get(code="SH01")
    complaint = escalated_complaint(mall, deposit="100000.00", clerk=users.get(username="clerk"))
    compensation = propose(complaint, users.get(username="officer"), "60000.00")
    url = f"/compensations/{compensation.pk}/"
    for approver in ("manager", "headoffice"):
        login(page, approver)
        page.goto(url)
        page.click("#approve")
        page.wait_for_selector("#compensation-status")
    page.goto(url)
    assert page.locator("#approve").count() == 0
    assert "冯审批" in page.inner_text("#next-people")
    assert page.locator("#next-why-not").is_visible()
    screenshot("compensation-who-signs-next")
    login(page, "headoffice2")
    page.goto(url)
    page.click("#approve")
    page.wait_for_selector("#pay-by")
    compensation.refresh_from_db()
    assert compensation.status == Status.APPROVED


def test_an_exit_notice_shows_a_trading_merchant_and_errors_keep_the_layout(demo, page, screenshot):
    users = get_user_model().objects
    mall = Mall.objects.get(code="SH01")
    complaint = ComplaintFactory(mall=mall, booth=mall.booths.filter(merchant__isnull=False).first())
    today = timezone.localdate()
    merchant_notice_exit(
        merchant=complaint.merchant,
        actor=users.get(username="manager"),
        notice_date=today,
        planned_exit_date=today + timedelta(days=30),
        after_sales_agent="品牌华东售后中心",
        after_sales_phone="400-820-1234",
    )
    login(page, "officer")
    page.goto(f"/complaints/{complaint.pk}/")
    assert page.locator("#merchant-exit-noticed").is_visible() and page.locator("#merchant-exited").count() == 0
    assert "仍在营业" in page.inner_text("#merchant-exit-noticed")
    screenshot("complaint-merchant-exit-noticed")
    page.goto("/complaints/")
    assert page.locator(".merchant-exit-noticed").first.is_visible() and page.locator(".merchant-exited").count() == 0

    login(page, "pricetag")
    page.goto("/compensations/register/")  # the price-tag officer's role does not include it
    assert page.locator("#error-page").is_visible() and page.locator("nav.navbar").is_visible()
    assert "您无权打开此页面" in page.inner_text("#error-page")
    screenshot("error-403")
    page.goto("/no-such-page/")
    assert "此页面不存在" in page.inner_text("#error-page")
