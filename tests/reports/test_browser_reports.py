"""Head office opens Monday's rollup in a browser and downloads the workbook."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from reports.periods import last_full_week
from servicedesk.models import Mall
from servicedesk.role_sync import ensure_role_groups
from tests.complaints.factories import ComplaintFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_office_opens_the_rollup_and_downloads_the_workbook(settings, page, screenshot, tmp_path):
    ensure_role_groups()
    settings.DEBUG = True
    call_command("demo_data", without_cases=True)
    settings.DEBUG = False
    week = last_full_week()
    sh01 = Mall.objects.get(code="SH01")
    for _ in range(2):
        ComplaintFactory(mall=sh01, received_at=week.start + timedelta(days=2, hours=10))
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("headoffice")
    page.get_by_label("密码").fill("demo-pass-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
    page.get_by_role("link", name="报表").first.click()
    page.wait_for_url("**/reports/rollup/")
    table = page.locator("#rollup")
    assert "SH01 上海真北商场" in table.inner_text() and "WX01 无锡商场" in table.inner_text()
    assert page.locator("#rollup-totals td").nth(1).inner_text() == "2"
    screenshot("reports-rollup")
    with page.expect_download() as download_info:
        page.click("#download-xlsx")
    path = tmp_path / "rollup.xlsx"
    download_info.value.save_as(path)
    book = load_workbook(path)
    assert book.sheetnames[0] == "汇总" and "SH01" in book.sheetnames
    assert timezone.localdate() > week.last_day
