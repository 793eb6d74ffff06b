"""In a real browser: the officer works the day's callback list, copies a number, records one
customer satisfied and one not reached."""

from datetime import timedelta

import pytest
from django.utils import timezone

from followups.models import CallbackStatus
from tests.browser import login
from tests.followups.factories import CallbackFactory, SaleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


PASSWORD = "correct-horse-2026"


def test_officer_works_the_days_callback_list(page, screenshot, mall, staff):
    officer = staff("complaint_officer", username="officer")
    first = CallbackFactory(sale=SaleFactory(mall=mall, customer__name="王先生", goods="实木餐桌"), assignee=officer)
    second = CallbackFactory(
        sale=SaleFactory(mall=mall, customer__name="李女士", goods="布艺沙发"),
        assignee=officer,
        due_on=timezone.localdate() - timedelta(days=1),
        deadline_on=timezone.localdate() + timedelta(days=3),
    )
    login(page, "officer", PASSWORD)
    page.goto("/followups/")
    rows = page.locator("#my-callbacks tbody tr[data-callback]")
    assert rows.count() == 2
    assert second.customer.mobile in page.locator("#my-callbacks").inner_text(), "full number for the caller"
    screenshot("callbacks-today")

    page.locator(f"tr[data-callback='{first.pk}'] .copy-phone").click()
    page.locator(f"tr[data-callback='{first.pk}'] a.btn").click()
    assert "王先生" in page.locator("#callback-card").inner_text()
    assert "实木餐桌" in page.locator("#script").inner_text()
    page.locator("input[name='outcome'][value='satisfied']").check()
    page.locator("textarea[name='note']").fill("送货安装都很满意")
    page.locator("#outcome-form button[type='submit']").click()
    page.wait_for_url("**/followups/")
    assert page.locator("#my-callbacks tbody tr[data-callback]").count() == 1

    page.locator(f"tr[data-callback='{second.pk}'] a.btn").click()
    page.locator("input[name='outcome'][value='not_reached']").check()
    page.locator("#outcome-form button[type='submit']").click()
    page.wait_for_url("**/followups/")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == CallbackStatus.DONE and first.note == "送货安装都很满意"
    assert second.status == CallbackStatus.RETRY and second.attempts == 1
    assert second.next_attempt_at is not None
