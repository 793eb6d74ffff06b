"""Head office opens Monday's rollup in a browser and downloads the workbook."""

from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from reports.periods import last_full_week
from servicedesk.models import Mall
from tests.browser import login
from tests.complaints.factories import ComplaintFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_office_opens_the_rollup_and_downloads_the_workbook(demo, page, screenshot, tmp_path):
    week = last_full_week()
    sh01 = Mall.objects.get(code="SH01")
    for _ in range(2):
        ComplaintFactory(mall=sh01, received_at=week.start + timedelta(days=2, hours=10))
    login(page, "headoffice")
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
